/**
 * The typed schema of every stack config key.
 *
 * One table is the source of truth: `stacks/config.ts` decodes and validates
 * against it, `tools/gen-docs.ts` writes the `config:` block of Pulumi.yaml and
 * docs/config.md's config table from it, and a test fails when either is stale.
 * Each component's keys live in their own file under stacks/config-keys/.
 *
 * Numbers default to the spec's values (docs/requirements.md);
 * each description names the spec line it comes from.
 */
import {
    ALL_ROLES,
    argsOf,
    COMPLIANCE_SCOPES_LIST,
    key,
    nonEmptyStrings,
    oneOf,
    intRange,
    REGIONAL_ROLES,
    ROLES,
    STACK_NAME_RE,
    vpcCidr,
} from "./config-keys/define";
import { NETWORK_DEFAULTS, NETWORK_LIMITS } from "../components/network";
import { CLUSTER_KEYS } from "./config-keys/cluster";
import { DATABASE_KEYS } from "./config-keys/database";
import { REDIS_KEYS } from "./config-keys/redis";
import { OBSERVABILITY_KEYS } from "./config-keys/observability";
import { EDGE_KEYS } from "./config-keys/edge";
import { LOAD_KEYS } from "./config-keys/load";
import { BOOTSTRAP_KEYS } from "./config-keys/bootstrap";
import { APP_KEYS } from "./config-keys/app";

export * from "./config-keys/define";

// ---- the schema -------------------------------------------------------------

export const ENVIRONMENTS = ["production", "staging", "development"] as const;
export const DATA_CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"] as const;

const networkArg = argsOf("Network", NETWORK_DEFAULTS, NETWORK_LIMITS);

export const CONFIG_SCHEMA = {
    role: key<string>({
        type: "string",
        description: "What this stack is: primary (serves a zone and owns its data), standby (warm DR for the zone) or global (edge, DNS, cross-region).",
        roles: ALL_ROLES,
        check: oneOf(ROLES),
    }),
    zone: key<string>({
        type: "string",
        description: "Residency zone of a regional stack: us, eu or apac. Must match the region (docs/design.md#topology).",
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
        description:
            "Compliance frameworks in scope (spec: Security & Compliance Framework), written to the compliance-scope tag. HIPAA is 'future' in the spec.",
        default: ["soc2", "pci-dss", "gdpr"],
        roles: ALL_ROLES,
        check: (v) =>
            v
                .filter((s) => !COMPLIANCE_SCOPES_LIST.includes(s as never))
                .map((s) => `contains ${JSON.stringify(s)}; each entry must be one of ${COMPLIANCE_SCOPES_LIST.join(", ")}`),
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
        description:
            "IPv4 CIDR of the region's VPC (bootstrap: the deploy runner's VPC), /16 to /20. Must not overlap any other stack's, because zones are peered.",
        roles: [...REGIONAL_ROLES, "bootstrap"],
        check: vpcCidr,
    }),
    azCount: key<number>({
        type: "integer",
        description: "Availability zones the VPC spans (spec: Multi-AZ; three for quorum-based failover).",
        default: 3,
        roles: [...REGIONAL_ROLES, "bootstrap"],
        check: intRange(3, 4),
    }),
    flowLogRetentionDays: key<number>({
        type: "integer",
        description: "Retention of VPC flow logs in days. PCI DSS 10.7 asks for a year.",
        ...networkArg("flowLogRetentionDays"),
        roles: [...REGIONAL_ROLES, "bootstrap"],
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
    ...CLUSTER_KEYS,
    ...APP_KEYS,
    ...DATABASE_KEYS,
    ...REDIS_KEYS,
    ...OBSERVABILITY_KEYS,
    ...EDGE_KEYS,
    ...LOAD_KEYS,
    ...BOOTSTRAP_KEYS,
} as const;

export type ConfigSchema = typeof CONFIG_SCHEMA;
export type ConfigKey = keyof ConfigSchema;
