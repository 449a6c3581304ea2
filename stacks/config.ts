import * as pulumi from "@pulumi/pulumi";
import { CONFIG_SCHEMA, ConfigKey, ConfigSchema, KeyDef, parseCidr, Role } from "./config-schema";
// The pack must stand alone (test/policies/packaging.spec.ts), so the shared typo helper lives on its side.
import { didYouMean, nearest } from "../policies/lib/nearest";
import { REGIONS, Zone, ZONE_REGIONS } from "./regions";
import { crossKeyProblems } from "./config-cross";
import { defaultTags, tagProblems } from "../components/tags";
import { ArgsCheck } from "../components/args";

/** Config namespace of this project's keys (the project name in Pulumi.yaml). */
export const NAMESPACE = "bookedbarber";

/**
 * Config namespaces a stack file may use besides the project's own, and why.
 * The providers are the packages whose resources the program registers: each
 * gets a default provider that reads its namespace (`aws:region`, which the
 * program also reads, `kubernetes:*`...). test/stacks/config.spec.ts keeps this list
 * equal to the packages in the plans, so it grows and shrinks with the program.
 * Anything else (`bookedbarbr:`, `bookedbarber-infra:`, `awz:`) is read by
 * nothing and is refused as a typo.
 */
export const OTHER_NAMESPACES: Readonly<Record<string, string>> = {
    aws: "the AWS provider",
    eks: "the EKS provider",
    kubernetes: "the Kubernetes provider",
    random: "the random provider",
    pulumi: "the engine's own settings, e.g. pulumi:disable-default-providers",
};

type ValueOf<K extends ConfigKey> = ConfigSchema[K] extends KeyDef<infer T> ? T : never;

/**
 * Every key's decoded, validated value (its default when unset). Keys that do
 * not apply to the stack's role are undefined. Components' sections of the
 * config read from here: `config.values.<key>`.
 */
export type ConfigValues = { readonly [K in ConfigKey]: ValueOf<K> };

interface CommonConfig {
    readonly project: string;
    readonly stack: string;
    /** `aws:region`: where the stack's default resources live. The global stack's home region. */
    readonly region: string;
    readonly environment: string;
    readonly protect: boolean;
    readonly stackOrg: string;
    readonly complianceScope: readonly string[];
    readonly values: ConfigValues;
    /** The design's tag set, applied through every provider's `defaultTags`. */
    readonly tags: Readonly<Record<string, string>>;
}

export interface NetworkConfig {
    readonly vpcCidr: string;
    readonly azs: readonly string[];
    readonly flowLogRetentionDays: number;
}

export interface RegionalConfig extends CommonConfig {
    readonly role: "primary" | "standby";
    readonly zone: Zone;
    readonly keepDataInZone: boolean;
    readonly network: NetworkConfig;
    /** Standby only: the zone primary's stack name. */
    readonly primaryStack?: string;
    /** The bootstrap stack's name: the runner's egress addresses, the hosted zone, the service-linked roles. */
    readonly bootstrapStack: string;
}

export interface GlobalConfig extends CommonConfig {
    readonly role: "global";
    readonly regionalStacks: readonly string[];
    /** The bootstrap stack's name (hosted zone, domain). */
    readonly bootstrapStack: string;
}

/** The bootstrap stack (wave 0): account-level prerequisites, see docs/decisions/eks-api-access.md. */
export interface BootstrapConfig extends CommonConfig {
    readonly role: "bootstrap";
    readonly network: NetworkConfig;
}

export type StackConfig = RegionalConfig | GlobalConfig | BootstrapConfig;

/** A stack's config file as the program and the tools see it: stack name and its CIDR, if it has one. */
export interface SiblingStack {
    readonly stack: string;
    readonly vpcCidr?: string;
    /** Its raw config (project defaults overlaid by its stack file), for values that must match across stacks. */
    readonly config?: Readonly<Record<string, string>>;
}

/**
 * Keys a standby must set to its zone primary's value: the global group holds
 * them once the standby joins it (Aurora's engine version; the cache's shard
 * count, which the standby also uses to name the primary's shards in its alarms).
 * tools/offline/readiness/global-owned.ts checks the same on the plans.
 */
export const MIRRORED_KEYS = ["databaseEngineVersion", "redisShards"] as const;

/**
 * Bad stack config. It extends RunError so the Pulumi CLI prints the message
 * without a stack trace; it lists every problem at once, one per line.
 */
export class ConfigError extends pulumi.RunError {
    constructor(
        readonly stack: string,
        readonly problems: readonly string[],
    ) {
        super(
            `stack config of '${stack}' (Pulumi.${stack}.yaml) has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
        );
        this.name = "ConfigError";
    }
}

const show = (v: unknown): string => JSON.stringify(v);

/** A value as the CLI passes config to a program: strings as they are, everything else as JSON. */
export function configString(v: unknown): string {
    return typeof v === "string" ? v : JSON.stringify(v);
}

/** Decodes one raw config string into the key's declared type, or returns a problem. */
function decode(def: KeyDef<unknown>, raw: string): { value?: unknown; problem?: string } {
    switch (def.type) {
        case "string":
            return { value: raw };
        case "integer":
            return /^-?\d+$/.test(raw.trim()) ? { value: Number(raw) } : { problem: "must be an integer" };
        case "boolean":
            return raw === "true" || raw === "false" ? { value: raw === "true" } : { problem: "must be true or false" };
        case "array":
        case "object": {
            let parsed: unknown;
            try {
                parsed = JSON.parse(raw);
            } catch {
                return { problem: `must be ${def.type === "array" ? "a list" : "a map"}` };
            }
            if (def.type === "array") {
                if (!Array.isArray(parsed)) return { problem: "must be a list" };
                const want = def.items ?? "string";
                const bad = parsed.filter((e) => (want === "string" ? typeof e !== "string" : !Number.isInteger(e)));
                if (bad.length) return { problem: `must be a list of ${want}s (bad entries: ${bad.map(show).join(", ")})` };
            } else if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
                return { problem: "must be a map" };
            }
            return { value: parsed };
        }
    }
}

/**
 * Reads and validates a stack's config. Pure: it takes the raw key/value map
 * (what `pulumi.runtime.allConfig()` returns) so the tools and tests can call it
 * on any stack file. Throws ConfigError listing every problem.
 *
 * @param siblings the other stacks of the project, to refuse overlapping VPC CIDRs.
 */
export function parseStackConfig(
    raw: Readonly<Record<string, string>>,
    stack: string,
    project = NAMESPACE,
    siblings: readonly SiblingStack[] = [],
): StackConfig {
    const problems: string[] = [];
    const name = (k: string) => `${NAMESPACE}:${k}`;

    // A key in a namespace nothing reads is a typo of one that something does.
    const namespaces = [NAMESPACE, ...Object.keys(OTHER_NAMESPACES)];
    for (const k of Object.keys(raw).sort()) {
        const ns = k.slice(0, k.indexOf(":"));
        if (!namespaces.includes(ns)) {
            const allowed = [`${NAMESPACE} (this project)`, ...Object.entries(OTHER_NAMESPACES).map(([n, why]) => `${n} (${why})`)].join(", ");
            problems.push(`${k}: unknown config namespace ${show(ns)}${didYouMean(ns, namespaces)}; allowed namespaces: ${allowed}`);
        }
    }

    // Unknown keys in our namespace are almost always typos; refuse them rather than ignore them.
    const known = new Set(Object.keys(CONFIG_SCHEMA));
    for (const k of Object.keys(raw)
        .filter((k) => k.startsWith(`${NAMESPACE}:`))
        .sort()) {
        const bare = k.slice(NAMESPACE.length + 1);
        if (!known.has(bare)) {
            const near = nearest(bare, known);
            problems.push(`${k} is not a known key${near ? ` (did you mean ${NAMESPACE}:${near}?)` : ""}; the known keys are in docs/config.md`);
        }
    }

    const region = raw["aws:region"];
    if (region === undefined) problems.push(`aws:region is required; allowed: ${Object.keys(REGIONS).join(", ")}`);
    else if (!REGIONS[region]) problems.push(`aws:region = ${show(region)}: must be one of ${Object.keys(REGIONS).join(", ")}`);

    // Role first: it decides which keys apply.
    const roleDef = CONFIG_SCHEMA.role;
    const rawRole = raw[name("role")];
    let role: Role | undefined;
    if (rawRole === undefined) problems.push(`${name("role")} is required: ${roleDef.description}`);
    else {
        const p = roleDef.check!(rawRole);
        if (p.length) problems.push(...p.map((m) => `${name("role")} = ${show(rawRole)}: ${m}`));
        else role = rawRole as Role;
    }

    const values: Partial<Record<ConfigKey, unknown>> = {};
    for (const k of Object.keys(CONFIG_SCHEMA) as ConfigKey[]) {
        if (k === "role") continue;
        const def = CONFIG_SCHEMA[k] as KeyDef<unknown>;
        const rawValue = raw[name(k)];
        if (role && !def.roles.includes(role)) {
            // The CLI fills every stack with Pulumi.yaml's defaults, so only a changed value is a mistake.
            const isDefault = rawValue === undefined || (def.default !== undefined && rawValue === configString(def.default));
            if (!isDefault) problems.push(`${name(k)} does not apply to a ${role} stack (only ${def.roles.join(", ")}); remove it`);
            continue;
        }
        if (rawValue === undefined) {
            if (def.default !== undefined) values[k] = def.default;
            else if (role && !def.optional) problems.push(`${name(k)} is required for a ${role} stack: ${def.description}`);
            continue;
        }
        const { value, problem } = decode(def, rawValue);
        if (problem) {
            problems.push(`${name(k)} = ${rawValue}: ${problem}`);
            continue;
        }
        const checks = def.check ? def.check(value) : [];
        for (const c of checks) {
            if (c.startsWith(".")) {
                const [path, ...rest] = c.split(": ");
                problems.push(`${name(k)}${path} ${rest.join(": ")}`);
            } else problems.push(`${name(k)} = ${show(value)}: ${c}`);
        }
        if (!checks.length) values[k] = value;
    }
    const get = <K extends ConfigKey>(k: K) => values[k] as ValueOf<K>;

    // Cross-key rules. Component argument checks that read only config run here too (config-cross.ts),
    // so every problem shows in one run and names its config keys.
    problems.push(...crossKeyProblems(values, name));
    const regionInfo = region ? REGIONS[region] : undefined;
    const zone = get("zone") as Zone | undefined;
    if (role && (role === "primary" || role === "standby") && regionInfo && zone && regionInfo.zone !== zone) {
        problems.push(`${name("zone")} = ${show(zone)}: region ${region} belongs to zone ${regionInfo.zone}`);
    }
    if (role && (role === "primary" || role === "standby") && zone && region && regionInfo) {
        const expected = ZONE_REGIONS[zone][role];
        if (expected !== region) {
            problems.push(`${name("role")} = ${show(role)}: the ${zone} zone's ${role} region is ${expected}, not ${region} (docs/design.md#topology)`);
        }
    }
    const domainName = get("domainName");
    const hostedZoneName = get("hostedZoneName");
    if (role === "bootstrap" && domainName && hostedZoneName && domainName !== hostedZoneName && !domainName.endsWith(`.${hostedZoneName}`)) {
        problems.push(`${name("domainName")} = ${show(domainName)}: must be inside ${name("hostedZoneName")} ${show(hostedZoneName)}`);
    }
    if (zone === "eu" && values.keepDataInZone === false) {
        problems.push(`${name("keepDataInZone")} = false: the eu zone must keep its data in the EU (GDPR data residency); allowed: true`);
    }
    const azCount = get("azCount");
    if (regionInfo && azCount !== undefined && azCount > regionInfo.azs.length) {
        problems.push(`${name("azCount")} = ${azCount}: ${region} has ${regionInfo.azs.length} availability zones (${regionInfo.azs.join(", ")})`);
    }
    const cidr = get("vpcCidr");
    if (cidr !== undefined) {
        for (const s of siblings) {
            if (s.stack === stack || !s.vpcCidr) continue;
            if (cidrsOverlap(cidr, s.vpcCidr)) {
                problems.push(`${name("vpcCidr")} = ${show(cidr)}: overlaps stack ${s.stack}'s ${s.vpcCidr}; regional VPCs are peered and must be disjoint`);
            }
        }
    }

    // A standby's mirrored keys against its primary's stack file, both files named.
    const primaryStack = role === "standby" ? (values.primaryStack as string | undefined) : undefined;
    const primary = primaryStack ? siblings.find((s) => s.stack === primaryStack)?.config : undefined;
    if (primary) {
        for (const k of MIRRORED_KEYS) {
            const fallback = configString(CONFIG_SCHEMA[k].default);
            const mine = raw[name(k)] ?? fallback;
            const theirs = primary[name(k)] ?? fallback;
            if (mine !== theirs) {
                problems.push(
                    `${name(k)} = ${mine} in Pulumi.${stack}.yaml but ${theirs} in Pulumi.${primaryStack}.yaml, its primary's: a standby must match its primary here (the global group holds the primary's value); set the same value in both files`,
                );
            }
        }
    }

    const routes = values.alertSubscriptions as Record<string, { pagerDuty?: unknown }[]> | undefined;
    for (const [cls, list] of Object.entries(routes ?? {})) {
        (Array.isArray(list) ? list : []).forEach((entry, i) => {
            if (entry && entry.pagerDuty === true && !values.pagerDutyIntegrationKey) {
                problems.push(
                    `${name("alertSubscriptions")}.${cls}[${i}].pagerDuty needs ${name("pagerDutyIntegrationKey")}: set it with \`pulumi config set --secret ${name("pagerDutyIntegrationKey")} <key>\``,
                );
            }
        });
    }
    // The tags every resource carries are made of these keys' values; AWS's tag limits apply to them
    // (components/tags.ts), so a value AWS would refuse is a config problem here, named by its key.
    const tagKeys = { owner: "owner", "cost-center": "costCenter", "data-classification": "dataClassification" } as const;
    const tagCheck = new ArgsCheck("stack config", stack);
    tagProblems(tagCheck, Object.fromEntries(Object.entries(tagKeys).map(([tag, k]) => [tag, String(values[k] ?? "")])));
    for (const p of tagCheck.recorded) {
        const tag = /^tags\.([\w-]+)/.exec(p)?.[1] ?? /"([\w-]+)"/.exec(p)?.[1];
        const k = tag && tag in tagKeys ? tagKeys[tag as keyof typeof tagKeys] : undefined;
        problems.push(k ? `${name(k as ConfigKey)}: ${p}` : p);
    }
    if (problems.length || !role || !region) throw new ConfigError(stack, problems);

    const common: CommonConfig = {
        project,
        stack,
        region,
        environment: get("environment"),
        protect: get("protect"),
        stackOrg: get("stackOrg"),
        complianceScope: get("complianceScope"),
        values: values as ConfigValues,
        tags: defaultTags({
            environment: get("environment"),
            zone: role === "global" || role === "bootstrap" ? "global" : zone!,
            region: role === "global" ? "global" : region,
            owner: get("owner"),
            costCenter: get("costCenter"),
            dataClassification: get("dataClassification"),
            complianceScope: get("complianceScope"),
        }),
    };
    if (role === "global") return { ...common, role, regionalStacks: get("regionalStacks"), bootstrapStack: get("bootstrapStack") };
    if (role === "bootstrap") {
        return {
            ...common,
            role,
            network: { vpcCidr: cidr, azs: regionInfo!.azs.slice(0, azCount), flowLogRetentionDays: get("flowLogRetentionDays") },
        };
    }
    return {
        ...common,
        role,
        zone: zone!,
        keepDataInZone: get("keepDataInZone"),
        network: {
            vpcCidr: cidr,
            azs: regionInfo!.azs.slice(0, azCount),
            flowLogRetentionDays: get("flowLogRetentionDays"),
        },
        primaryStack: role === "standby" ? get("primaryStack") : undefined,
        bootstrapStack: get("bootstrapStack"),
    };
}

export function cidrsOverlap(a: string, b: string): boolean {
    const pa = parseCidr(a);
    const pb = parseCidr(b);
    if (!pa || !pb) return false;
    const prefix = Math.min(pa[1], pb[1]);
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return (pa[0] & mask) >>> 0 === (pb[0] & mask) >>> 0;
}

/** The config of the running program, read once. */
export function loadStackConfig(siblings: readonly SiblingStack[]): StackConfig {
    return parseStackConfig(pulumi.runtime.allConfig(), pulumi.getStack(), pulumi.getProject(), siblings);
}
