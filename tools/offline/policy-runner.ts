import type { EnforcementLevel, PolicyPackConfig, PolicyResource, PolicyResourceOptions, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { configuredLevel, packConfigProblems } from "../../policies/lib/pack-config";
import { isStackRule, Rule } from "../../policies/lib/rule";
import { RULES } from "../../policies/rules";
import { CapturedResource } from "./mock-engine";

/** One violation, as the plan file records it (docs/plan-file.md). */
export interface Violation {
    policy: string;
    level: "mandatory" | "advisory";
    urn: string;
    message: string;
}

export interface PolicyReport {
    violations: Violation[];
}

export interface EvaluateOptions {
    /** Rules to run. Default: the pack's (policies/rules). */
    rules?: readonly Rule[];
    /** Pack config in the CLI's `--policy-pack-config` shape: per rule, a level or `{ enforcementLevel, ...props }`. */
    config?: PolicyPackConfig;
    /** Level for rules that set none (the pack's own default). */
    packEnforcementLevel?: EnforcementLevel;
    /** The stack's tags, as the engine passes them. */
    stackTags?: ReadonlyMap<string, string>;
}

/** What `args.notApplicable()` throws: the engine records the rule as not applicable to that resource. */
class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason ?? "");
};

/** The engine's precedence: the rule's own entry in the pack config, then its "all" entry, then the rule's default, then the pack's. */
function levelOf(rule: Rule, opts: EvaluateOptions): EnforcementLevel {
    return configuredLevel(opts.config, rule.name) ?? rule.enforcementLevel ?? opts.packEnforcementLevel ?? "advisory";
}

/** A pack config that names a policy, property or level the pack does not have. */
export class PackConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`the policy pack config has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "PackConfigError";
    }
}

/** The engine's getConfig: the rule's config minus enforcementLevel. Schema defaults are merged by the rule itself. */
function configFor(rule: Rule, opts: EvaluateOptions) {
    return <T extends object>(): T => {
        const c = opts.config?.[rule.name];
        if (!c || typeof c === "string") return {} as T;
        const { enforcementLevel: _level, ...rest } = c as Record<string, unknown>;
        void _level;
        return rest as T;
    };
}

/** The engine's isType: compares the class's Pulumi type token with the resource's. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
    const token = (resourceClass as { __pulumiType?: string })?.__pulumiType;
    if (token) return token === type;
    const isInstance = (resourceClass as { isInstance?: (o: unknown) => boolean })?.isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function optionsOf(r: CapturedResource): PolicyResourceOptions {
    return {
        protect: r.options.protect,
        ignoreChanges: r.options.ignoreChanges,
        deleteBeforeReplace: r.options.deleteBeforeReplace,
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: r.options.additionalSecretOutputs,
        ...(r.parent ? { parent: r.parent } : {}),
    };
}

/**
 * Runs the pack's real rules over captured resources with the arguments the
 * Pulumi engine passes: every resource through each resource rule
 * (validateResource), then the whole list through each stack rule
 * (validateStack), honouring the pack config's enforcement levels.
 */
export async function evaluatePolicies(resources: readonly CapturedResource[], opts: EvaluateOptions = {}): Promise<PolicyReport> {
    const rules = opts.rules ?? RULES;
    if (opts.config) {
        const problems = packConfigProblems(opts.config, rules);
        if (problems.length) throw new PackConfigError(problems);
    }
    const stackTags = opts.stackTags ?? new Map<string, string>();
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const providerOf = (r: CapturedResource) => {
        const p = r.provider ? byUrn.get(r.provider) : undefined;
        return p ? { type: p.type, props: p.inputs, urn: p.urn, name: p.name } : undefined;
    };
    const rootUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";

    // A plan that records secrets (secretPaths, propertyDependencies) lets rules tell a literal from a
    // generated secret; one written before they were recorded does not, and says nothing either way.
    const tracksSecrets = resources.some((r) => r.secretPaths !== undefined || r.options.propertyDependencies !== undefined);
    // Stack rules see the resources as linked objects: parent and dependencies are resources, not URNs.
    const policyResources = new Map<string, PolicyResource>();
    for (const r of resources) {
        policyResources.set(r.urn, {
            type: r.type,
            props: r.inputs,
            urn: r.urn,
            name: r.name,
            opts: optionsOf(r),
            provider: providerOf(r),
            dependencies: [],
            propertyDependencies: {},
            // Which inputs were Pulumi secrets (masked in props): the offline engine knows, a real preview does not (policies/lib/secrets.ts).
            ...(tracksSecrets ? { secretPaths: r.secretPaths ?? [] } : {}),
            isType: (cls: unknown) => isTypeOf(r.type, cls),
            asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? r.inputs : undefined)) as PolicyResource["asType"],
        } as PolicyResource);
    }
    for (const r of resources) {
        const pr = policyResources.get(r.urn)!;
        if (r.parent && policyResources.has(r.parent)) pr.parent = policyResources.get(r.parent);
        pr.dependencies = r.options.dependencies.map((d) => policyResources.get(d)).filter((d): d is PolicyResource => !!d);
        for (const [k, urns] of Object.entries(r.options.propertyDependencies ?? {})) {
            pr.propertyDependencies[k] = urns.map((d) => policyResources.get(d)).filter((d): d is PolicyResource => !!d);
        }
    }

    // The engine hands every resource to every resource rule; a rule of the pack judges only the
    // types its metadata lists (resourceRule returns at once for any other), so the runner offers it
    // just those, in plan order. With ~100 rules over ~1,700 resources per plan this keeps the pack
    // under a second for all seven plans (measured by test/policies/plans.spec.ts).
    const position = new Map(resources.map((r, i) => [r.urn, i]));
    const byType = new Map<string, CapturedResource[]>();
    for (const r of resources) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
    const targetsOf = (rule: Rule): readonly CapturedResource[] => {
        const types = rule.metadata?.resourceTypes;
        if (!types) return resources;
        return [...new Set(types)].flatMap((t) => byType.get(t) ?? []).sort((a, b) => position.get(a.urn)! - position.get(b.urn)!);
    };
    const base = new Map<string, Omit<ResourceValidationArgs, "getConfig" | "notApplicable">>();
    const baseArgs = (r: CapturedResource) => {
        let b = base.get(r.urn);
        if (!b) {
            b = {
                type: r.type,
                props: r.inputs,
                urn: r.urn,
                name: r.name,
                opts: optionsOf(r),
                provider: providerOf(r),
                stackTags,
                isType: (cls: unknown) => isTypeOf(r.type, cls),
                asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? r.inputs : undefined)) as ResourceValidationArgs["asType"],
            };
            base.set(r.urn, b);
        }
        return b;
    };

    const violations: Violation[] = [];
    for (const rule of rules) {
        const level = levelOf(rule, opts);
        if (level === "disabled") continue;
        // "remediate" blocks like mandatory when the rule cannot fix the resource itself.
        const recorded: Violation["level"] = level === "advisory" ? "advisory" : "mandatory";
        const getConfig = configFor(rule, opts);
        const record = (urn: string) => (message: string, reportedUrn?: string) =>
            violations.push({ policy: rule.name, level: recorded, urn: reportedUrn ?? urn, message });
        try {
            if (isStackRule(rule)) {
                const args: StackValidationArgs = { resources: [...policyResources.values()], getConfig, stackTags, notApplicable };
                await rule.validateStack(args, record(rootUrn));
                continue;
            }
            for (const r of targetsOf(rule)) {
                const args: ResourceValidationArgs = { ...baseArgs(r), getConfig, notApplicable };
                try {
                    await rule.validateResource(args, record(r.urn));
                } catch (err) {
                    if (!(err instanceof NotApplicable)) throw err;
                }
            }
        } catch (err) {
            if (err instanceof NotApplicable) continue;
            // The engine reports a crashing policy as a failure of the pack, never as a pass.
            throw new Error(`policy ${rule.name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
    }
    return { violations };
}

export function mandatory(report: PolicyReport): Violation[] {
    return report.violations.filter((v) => v.level === "mandatory");
}

/** One line per violation: level, policy, urn and message. */
export function formatViolations(violations: readonly Violation[], indent = ""): string[] {
    return violations.map((v) => `${indent}[${v.level}] ${v.policy}: ${v.urn}\n${indent}    ${v.message}`);
}
