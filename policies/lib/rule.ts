import type {
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { didYouMean } from "./nearest";

/** Compliance frameworks a rule serves (spec: "Security & Compliance Framework"). */
export const FRAMEWORKS = ["soc2", "pci-dss", "gdpr", "hipaa", "cis"] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** Rule folders under policies/rules/. */
export const DOMAINS = ["encryption", "transit", "identity", "network", "logging", "resilience", "residency", "tagging", "operations"] as const;
export type Domain = (typeof DOMAINS)[number];

/** What the compliance matrix (docs/compliance.md) is built from. */
export interface RuleMetadata {
    domain: Domain;
    frameworks: readonly Framework[];
    /** Free-form topics (e.g. "encryption-at-rest", "kms"). */
    topics: readonly string[];
    /** Type tokens the rule judges. Stack rules list the types they read. */
    resourceTypes: readonly string[];
    /** What to change when the rule fires; appended to every violation message. */
    remediation: string;
    /** The peer tools' checks this rule answers for (docs/compliance.md maps them; policies/waivers.ts lists the ones not taken). */
    peers?: Peers;
}

/** Check IDs of the peer tools: Checkov (`CKV_AWS_*`, `CKV2_AWS_*`) and pulumi/compliance-policies (policy names). */
export interface Peers {
    checkov?: readonly string[];
    compliancePolicies?: readonly string[];
}

/** The fields both kinds share: the Policy fields of @pulumi/policy plus our metadata. */
interface RuleBase {
    name: string;
    description: string;
    severity: Severity;
    /** Default level; the pack config (`--policy-pack-config`) overrides it per rule. */
    enforcementLevel: EnforcementLevel;
    configSchema?: PolicyConfigSchema;
    metadata: RuleMetadata;
}

export type ResourceRule = ResourceValidationPolicy &
    RuleBase & { validateResource: (args: ResourceValidationArgs, report: ReportViolation) => Promise<void> | void };
export type StackRule = StackValidationPolicy & RuleBase;
export type Rule = ResourceRule | StackRule;

export function isStackRule(r: Rule): r is StackRule {
    return typeof (r as StackRule).validateStack === "function";
}

interface Definition<C> extends Omit<RuleBase, "metadata" | "configSchema">, RuleMetadata {
    /** Config properties with their defaults; `getConfig()` returns them merged with the pack config. */
    config?: { [K in keyof C]: { type: string; default: C[K]; description: string; items?: object } };
}

/** A resource being judged, as a resource rule's check sees it. */
export interface Subject<C> {
    type: string;
    props: Record<string, any>;
    urn: string;
    name: string;
    /** The provider's inputs (region, defaultTags), when the engine supplied the provider. */
    providerProps?: Record<string, any>;
    config: C;
    args: ResourceValidationArgs;
}

function schemaOf<C>(def: Definition<C>): PolicyConfigSchema | undefined {
    if (!def.config) return undefined;
    return { properties: Object.fromEntries(Object.entries(def.config).map(([k, v]) => [k, v as object])) } as PolicyConfigSchema;
}

function defaults<C>(def: Definition<C>): C {
    return Object.fromEntries(Object.entries(def.config ?? {}).map(([k, v]) => [k, (v as { default: unknown }).default])) as C;
}

/**
 * Config for a rule: schema defaults, overridden by whatever the pack config sets.
 * A property the rule does not declare would be ignored and the default used in
 * its place, so it fails the rule instead (the engine reports a failing policy,
 * never a pass); `npm run policy-check` refuses the file before this point.
 */
function configOf<C>(def: Definition<C>, args: { getConfig<T extends object>(): T }): C {
    const given = (args.getConfig<object>() ?? {}) as Record<string, unknown>;
    const known = Object.keys(def.config ?? {});
    const unknown = Object.keys(given).filter((k) => !known.includes(k));
    if (unknown.length) {
        throw new Error(
            `pack config for policy ${def.name}: ${unknown.map((k) => `${JSON.stringify(k)}${didYouMean(k, known)}`).join(", ")} ${unknown.length === 1 ? "is not a property" : "are not properties"} of it; allowed: ${["enforcementLevel", ...known].join(", ")}`,
        );
    }
    return { ...defaults(def), ...given } as C;
}

function split<C>(def: Definition<C>) {
    const { domain, frameworks, topics, resourceTypes, remediation, peers, config: _config, ...policy } = def;
    void _config;
    return {
        policy,
        metadata: { domain, frameworks, topics, resourceTypes, remediation, ...(peers ? { peers } : {}) },
        tags: [...frameworks, ...topics],
        remediationSteps: remediation,
        configSchema: schemaOf(def),
    };
}

/** Appends the remediation hint, so every violation says what to change. */
function withHint(report: ReportViolation, remediation: string): (message: string, urn?: string) => void {
    return (message, urn) => report(`${message} Remediation: ${remediation}`, urn);
}

/**
 * A rule over single resources of the listed types. `check` runs only for
 * those types and calls `report` once per problem.
 */
export function resourceRule<C extends object = Record<string, never>>(
    def: Definition<C> & { check: (subject: Subject<C>, report: (message: string) => void) => void },
): ResourceRule {
    const { check, ...rest } = def;
    const { policy, metadata, tags, remediationSteps, configSchema } = split(rest as Definition<C>);
    const types = new Set(def.resourceTypes);
    return {
        ...policy,
        tags,
        remediationSteps,
        ...(configSchema ? { configSchema } : {}),
        metadata,
        validateResource: (args, report) => {
            if (!types.has(args.type)) return;
            check(
                {
                    type: args.type,
                    props: args.props ?? {},
                    urn: args.urn,
                    name: args.name,
                    providerProps: args.provider?.props,
                    config: configOf(def, args),
                    args,
                },
                withHint(report, def.remediation),
            );
        },
    };
}

/** A rule over the whole stack: it sees every resource, with props, provider, parent and dependencies. */
export function stackRule<C extends object = Record<string, never>>(
    def: Definition<C> & {
        check: (resources: PolicyResource[], config: C, report: (message: string, urn?: string) => void, args: StackValidationArgs) => void;
    },
): StackRule {
    const { check, ...rest } = def;
    const { policy, metadata, tags, remediationSteps, configSchema } = split(rest as Definition<C>);
    return {
        ...policy,
        tags,
        remediationSteps,
        ...(configSchema ? { configSchema } : {}),
        metadata,
        validateStack: (args, report) => check(args.resources, configOf(def, args), withHint(report, def.remediation), args),
    };
}
