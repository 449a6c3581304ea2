/**
 * Building blocks of the config schema: the key definition type and the
 * reusable checks. Each domain's keys live in stacks/config-keys/<domain>.ts
 * and are merged into CONFIG_SCHEMA (stacks/config-schema.ts).
 */
import { integerLimit, Limit, limitProblem, LOG_RETENTION_DAYS, logRetentionLimit, oneOfLimit } from "../../components/limits";

export const ROLES = ["primary", "standby", "global", "bootstrap"] as const;
export type Role = (typeof ROLES)[number];
export const REGIONAL_ROLES: readonly Role[] = ["primary", "standby"];
export const ALL_ROLES: readonly Role[] = ROLES;
/** Stacks that read the bootstrap stack's outputs (hosted zone, runner egress, service-linked roles). */
export const BOOTSTRAP_READERS: readonly Role[] = ["primary", "standby", "global"];

/** Config types Pulumi.yaml can declare (Pulumi project config schema). */
export type ConfigType = "string" | "integer" | "boolean" | "array" | "object";

/**
 * A decoded value is checked by `check`, which returns one problem per failure,
 * each phrased to follow "<key> = <value>: " (for example "must be one of a, b").
 * A problem may start with ".sub.path" to name a field inside an object value.
 */
export interface KeyDef<T> {
    readonly type: ConfigType;
    /** For arrays: the element type. */
    readonly items?: "string" | "integer";
    readonly description: string;
    /** Spec-derived default. Absent means the key is required where it applies. */
    readonly default?: T;
    /** Roles whose stacks read this key. Setting it on any other role is an error. */
    readonly roles: readonly Role[];
    /** No default and not required: the program does without it (what it changes is in the description). */
    readonly optional?: boolean;
    /** A Pulumi secret (`pulumi config set --secret`): the program wraps its value in pulumi.secret. */
    readonly secret?: boolean;
    readonly check?: (value: T) => string[];
    /** The component argument this key sets, when it sets one: its default and check derive from the component (fromArg). */
    readonly arg?: ArgLink;
}

/** The component argument a config key sets (see fromArg). */
export interface ArgLink {
    readonly component: string;
    readonly field: string;
    /** The component's exported defaults object; the key's default is `defaults[field]` unless overridden. */
    readonly defaults: Readonly<Record<string, unknown>>;
    readonly limit?: Limit;
    readonly override?: { readonly default: unknown; readonly why: string };
}

export function key<T>(def: KeyDef<T>): KeyDef<T> {
    return def;
}

// ---- small reusable checks ------------------------------------------------

export function oneOf<T extends string>(allowed: readonly T[]): (v: string) => string[] {
    return fromLimit(oneOfLimit(allowed)) as (v: string) => string[];
}

export function intRange(min: number, max: number): (v: number) => string[] {
    return fromLimit(integerLimit(min, max)) as (v: number) => string[];
}

export function nonEmptyStrings(what: string): (v: string[]) => string[] {
    return (v) => (v.length > 0 && v.every((s) => s.length > 0) ? [] : [`must be a non-empty list of ${what}`]);
}

/** CloudWatch Logs accepts only these retention periods (days); the list lives in components/limits.ts. */
export { LOG_RETENTION_DAYS };

export function logRetention(minimum: number): (v: number) => string[] {
    return fromLimit(logRetentionLimit(minimum)) as (v: number) => string[];
}

/** A config key's check made from a component's limit: the same range, the same words. */
export function fromLimit(limit: Limit): (v: unknown) => string[] {
    return (v) => {
        const problem = limitProblem(limit, v);
        return problem === undefined ? [] : [problem];
    };
}

/** A literal type's base type: a key declared `key<number>` takes a default typed `3`. */
export type Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : T extends readonly (infer E)[] ? Widen<E>[] : T;

/**
 * The default and check of a config key that sets a component argument, taken from the
 * component's exported `<COMPONENT>_DEFAULTS` and `<COMPONENT>_LIMITS` (the one home of both).
 * `override` is a stack default that deliberately differs from the library default; `why` says
 * why, and the default must still be within the component's limit (test/components/defaults.spec.ts).
 */
export function fromArg<D extends object, L extends Partial<Record<keyof D, Limit>>, F extends keyof D & string>(
    component: string,
    defaults: D,
    limits: L,
    field: F,
    override?: { readonly default: Widen<D[F]>; readonly why: string },
): Pick<KeyDef<Widen<D[F]>>, "default" | "check" | "arg"> {
    const limit = limits[field] as Limit | undefined;
    return {
        default: (override ? override.default : defaults[field]) as Widen<D[F]>,
        ...(limit ? { check: fromLimit(limit) as (v: Widen<D[F]>) => string[] } : {}),
        arg: { component, field, defaults: defaults as Record<string, unknown>, limit, override },
    };
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses an IPv4 CIDR into [network address as uint32, prefix], or undefined when malformed or not aligned. */
export function parseCidr(cidr: string): [number, number] | undefined {
    const m = CIDR_RE.exec(cidr);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const addr = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if ((addr & mask) >>> 0 !== addr) return undefined;
    return [addr, prefix];
}

export function vpcCidr(v: string): string[] {
    const parsed = parseCidr(v);
    if (!parsed) return ["must be an IPv4 CIDR block aligned to its prefix, such as 10.10.0.0/16"];
    const [addr, prefix] = parsed;
    const problems: string[] = [];
    // AWS allows /16 to /28 for a VPC; the subnet plan needs room for 3+ AZs of application subnets.
    if (prefix < 16 || prefix > 20) problems.push("must have a prefix from /16 to /20 (AWS allows /16 at most; the subnet plan needs /20 or larger)");
    const inPrivate = addr >>> 24 === 10 || addr >>> 20 === ((172 << 4) | 1) || addr >>> 16 === ((192 << 8) | 168);
    if (!inPrivate) problems.push("must be inside an RFC 1918 range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)");
    return problems;
}

export const STACK_NAME_RE = /^[A-Za-z0-9_.-]+$/;

export const COMPLIANCE_SCOPES_LIST = ["soc2", "pci-dss", "gdpr", "hipaa"] as const;

/** fromArg bound to one component: `const redisArg = argsOf("RedisGlobal", REDIS_DEFAULTS, REDIS_LIMITS)`. */
export function argsOf<D extends object, L extends Partial<Record<keyof D, Limit>>>(component: string, defaults: D, limits: L) {
    return <F extends keyof D & string>(field: F, override?: { readonly default: Widen<D[F]>; readonly why: string }) =>
        fromArg(component, defaults, limits, field, override);
}
