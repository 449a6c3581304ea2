/**
 * Building blocks of the config schema: the key definition type and the
 * reusable checks. Each domain's keys live in stacks/config-keys/<domain>.ts
 * and are merged into CONFIG_SCHEMA (stacks/config-schema.ts).
 */

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
}

export function key<T>(def: KeyDef<T>): KeyDef<T> {
    return def;
}

// ---- small reusable checks ------------------------------------------------

export function oneOf<T extends string>(allowed: readonly T[]): (v: string) => string[] {
    return (v) => (allowed.includes(v as T) ? [] : [`must be one of ${allowed.join(", ")}`]);
}

export function intRange(min: number, max: number): (v: number) => string[] {
    return (v) => (v >= min && v <= max ? [] : [`must be an integer from ${min} to ${max}`]);
}

export function nonEmptyStrings(what: string): (v: string[]) => string[] {
    return (v) => (v.length > 0 && v.every((s) => s.length > 0) ? [] : [`must be a non-empty list of ${what}`]);
}

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export function logRetention(minimum: number): (v: number) => string[] {
    return (v) =>
        LOG_RETENTION_DAYS.includes(v as (typeof LOG_RETENTION_DAYS)[number]) && v >= minimum
            ? []
            : [`must be a CloudWatch retention period of at least ${minimum} days (${LOG_RETENTION_DAYS.filter((d) => d >= minimum).join(", ")})`];
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
    const inPrivate =
        addr >>> 24 === 10 || (addr >>> 20) === ((172 << 4) | 1) || addr >>> 16 === ((192 << 8) | 168);
    if (!inPrivate) problems.push("must be inside an RFC 1918 range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)");
    return problems;
}

export const STACK_NAME_RE = /^[A-Za-z0-9_.-]+$/;

export const COMPLIANCE_SCOPES_LIST = ["soc2", "pci-dss", "gdpr", "hipaa"] as const;
