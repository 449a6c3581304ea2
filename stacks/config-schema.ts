/**
 * The typed schema of every stack config key.
 *
 * One table is the source of truth: `stacks/config.ts` decodes and validates
 * against it, `tools/gen-docs.ts` writes the `config:` block of Pulumi.yaml and
 * the README's config table from it, and a test fails when either is stale.
 *
 * Numbers default to the spec's values (`../shared/spec/global-infrastructure-strategy.md`);
 * each description names the spec line it comes from.
 */

export const ROLES = ["primary", "standby", "global"] as const;
export type Role = (typeof ROLES)[number];
export const REGIONAL_ROLES: readonly Role[] = ["primary", "standby"];
export const ALL_ROLES: readonly Role[] = ROLES;

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

function vpcCidr(v: string): string[] {
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

const STACK_NAME_RE = /^[A-Za-z0-9_.-]+$/;

// ---- the schema -------------------------------------------------------------

export const ENVIRONMENTS = ["production", "staging", "development"] as const;
export const COMPLIANCE_SCOPES = ["soc2", "pci-dss", "gdpr", "hipaa"] as const;
export const DATA_CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"] as const;

export const CONFIG_SCHEMA = {
    role: key<string>({
        type: "string",
        description: "What this stack is: primary (serves a zone and owns its data), standby (warm DR for the zone) or global (edge, DNS, cross-region).",
        roles: ALL_ROLES,
        check: oneOf(ROLES),
    }),
    zone: key<string>({
        type: "string",
        description: "Residency zone of a regional stack: us, eu or apac. Must match the region (DESIGN.md topology).",
        roles: REGIONAL_ROLES,
        check: oneOf(["us", "eu", "apac"]),
    }),
    environment: key<string>({
        type: "string",
        description: "Environment name, used in names and the environment tag.",
        default: "production",
        roles: ALL_ROLES,
        check: oneOf(ENVIRONMENTS),
    }),
    owner: key<string>({
        type: "string",
        description: "Owning team, written to the owner tag.",
        default: "platform-engineering",
        roles: ALL_ROLES,
        check: (v) => (v.length > 0 ? [] : ["must not be empty"]),
    }),
    costCenter: key<string>({
        type: "string",
        description: "Cost center, written to the cost-center tag (spec: Cost Optimization Strategy).",
        default: "infrastructure",
        roles: ALL_ROLES,
        check: (v) => (v.length > 0 ? [] : ["must not be empty"]),
    }),
    dataClassification: key<string>({
        type: "string",
        description: "Highest class of data the stack holds, written to the data-classification tag.",
        default: "confidential",
        roles: ALL_ROLES,
        check: oneOf(DATA_CLASSIFICATIONS),
    }),
    complianceScope: key<string[]>({
        type: "array",
        items: "string",
        description: "Compliance frameworks in scope (spec: Security & Compliance Framework), written to the compliance-scope tag. HIPAA is 'future' in the spec.",
        default: ["soc2", "pci-dss", "gdpr"],
        roles: ALL_ROLES,
        check: (v) => v.filter((s) => !COMPLIANCE_SCOPES.includes(s as never)).map((s) => `contains ${JSON.stringify(s)}; each entry must be one of ${COMPLIANCE_SCOPES.join(", ")}`),
    }),
    protect: key<boolean>({
        type: "boolean",
        description: "Protect stateful resources (databases, caches, KMS keys, log buckets) from deletion. Turn off only for throwaway stacks.",
        default: true,
        roles: ALL_ROLES,
    }),
    keepDataInZone: key<boolean>({
        type: "boolean",
        description: "Keep every replica, backup and log of this stack inside its residency zone (GDPR data residency). Always true for the eu zone.",
        default: true,
        roles: REGIONAL_ROLES,
    }),
    vpcCidr: key<string>({
        type: "string",
        description: "IPv4 CIDR of the region's VPC, /16 to /20. Must not overlap any other regional stack's, because zones are peered.",
        roles: REGIONAL_ROLES,
        check: vpcCidr,
    }),
    azCount: key<number>({
        type: "integer",
        description: "Availability zones the VPC spans (spec: Multi-AZ; three for quorum-based failover).",
        default: 3,
        roles: REGIONAL_ROLES,
        check: intRange(3, 4),
    }),
    flowLogRetentionDays: key<number>({
        type: "integer",
        description: "Retention of VPC flow logs in days. PCI DSS 10.7 asks for a year.",
        default: 365,
        roles: REGIONAL_ROLES,
        check: logRetention(365),
    }),
    primaryStack: key<string>({
        type: "string",
        description: "Standby only: the stack name of this zone's primary, read through StackReference.",
        roles: ["standby"],
        check: (v) => (STACK_NAME_RE.test(v) ? [] : ["must be a stack name (letters, digits, _ . -)"]),
    }),
    stackOrg: key<string>({
        type: "string",
        description: "Pulumi organization that owns the stacks named in StackReferences.",
        default: "bookedbarber",
        roles: ALL_ROLES,
        check: (v) => (STACK_NAME_RE.test(v) ? [] : ["must be an organization name (letters, digits, _ . -)"]),
    }),
    regionalStacks: key<string[]>({
        type: "array",
        items: "string",
        description: "Global only: the regional stacks the global stack reads through StackReference.",
        default: ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"],
        roles: ["global"],
        check: (v) => {
            const problems = nonEmptyStrings("stack names")(v);
            const dupes = v.filter((s, i) => v.indexOf(s) !== i);
            if (dupes.length) problems.push(`lists ${dupes.join(", ")} more than once`);
            return problems;
        },
    }),
} as const;

export type ConfigSchema = typeof CONFIG_SCHEMA;
export type ConfigKey = keyof ConfigSchema;
