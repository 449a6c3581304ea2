import { NAMESPACE } from "../../stacks/config";
import { CONFIG_SCHEMA, KeyDef } from "../../stacks/config-schema";
import { CapturedInvoke, CapturedResource, SECRET } from "./mock-engine";
import { formatViolations, PolicyReport } from "./policy-runner";
import type { CapacitySection } from "./capacity";
import { costSummaryLine } from "./cost/table";
import type { CostSection } from "./cost/types";
import { formatReadiness, ReadinessSection } from "./readiness";
import type { RecoverySection } from "./recovery";
import { formatCapacityAndRecovery } from "./recovery/summary";
import { RunResult } from "./stack-runner";

/** The plan file format (docs/plan-file.md, docs/design.md#d27-the-offline-plan-is-product-code). */
export interface PlanFile {
    project: string;
    stack: string;
    /** States plainly how the plan was made. */
    evaluation: string;
    config: Record<string, unknown>;
    resources: CapturedResource[];
    /** Every provider function (data-source lookup) the program called: what the stack looks up rather than creates. */
    invokes?: CapturedInvoke[];
    outputs: Record<string, unknown>;
    /** The policy pack's verdict on this plan (tools/offline/policy-runner.ts). */
    policies: PolicyReport;
    /** Deploy readiness (tools/offline/readiness/): filled in once every stack of the run is planned. */
    readiness?: ReadinessSection[];
    /** Capacity model (tools/offline/capacity/): filled in once every stack of the run is planned. */
    capacity?: CapacitySection;
    /** Recovery-time model (tools/offline/recovery/): the zone's failover, timed; filled in after capacity. */
    recovery?: RecoverySection;
    /** Monthly cost at list price and optimised (tools/offline/cost/): filled in once every stack of the run is planned. */
    cost?: CostSection;
}

/**
 * What `npm run plan` writes in place of a stack's plan when the stack failed to
 * plan, or was not run because a stack it reads failed. The previous plan file
 * is overwritten rather than left behind, so nothing downstream (policy-check,
 * a reviewer, a diff) reads a stale plan as current; and it is marked rather than
 * deleted, so that `policy-check plan/*.json` refuses it instead of silently
 * judging the other stacks only. It has no `resources`, so a reader that does not
 * know the marker refuses it too.
 */
export interface FailedPlanFile {
    project: string;
    stack: string;
    /** Why there is no plan: the stack's own error, or which stacks it waits on. */
    failed: { error: string; waitingOn?: string[] };
}

export function failedPlanFile(stack: string, error: string, waitingOn?: string[]): FailedPlanFile {
    return { project: NAMESPACE, stack, failed: { error, ...(waitingOn?.length ? { waitingOn } : {}) } };
}

export function isFailedPlanFile(x: unknown): x is FailedPlanFile {
    const failed = (x as { failed?: unknown } | null)?.failed;
    return typeof x === "object" && x !== null && typeof failed === "object" && failed !== null;
}

export const OFFLINE_NOTICE = "Evaluated offline: the real program ran against a mocked Pulumi engine with this stack's config; no cloud API was called.";

/**
 * A config value as the program reads it: the stack file holds strings, the
 * schema (stacks/config-schema.ts) says what each key is, so integers are
 * numbers, booleans are true/false and arrays/objects are JSON. Keys outside the
 * schema (aws:region, other namespaces) stay as written, JSON parsed when it is JSON.
 */
export function typedConfigValue(v: string, def: KeyDef<unknown> | undefined): unknown {
    const json = () => {
        try {
            return JSON.parse(v) as unknown;
        } catch {
            return v;
        }
    };
    switch (def?.type) {
        case "integer":
            return /^-?\d+$/.test(v.trim()) ? Number(v) : v;
        case "boolean":
            return v === "true" ? true : v === "false" ? false : v;
        case "array":
        case "object":
            return json();
        case "string":
            return v;
        default:
            return /^[[{]/.test(v) ? json() : v;
    }
}

export function toPlanFile(run: RunResult, policies: PolicyReport): PlanFile {
    const config: Record<string, unknown> = {};
    const role = run.config[`${NAMESPACE}:role`];
    for (const [k, v] of Object.entries(run.config).sort(([a], [b]) => a.localeCompare(b))) {
        const def = (CONFIG_SCHEMA as Record<string, KeyDef<unknown>>)[k.startsWith(`${NAMESPACE}:`) ? k.slice(NAMESPACE.length + 1) : ""];
        // Keys only other roles read (a project default such as the global stack's edge settings) are not this stack's config.
        if (def && role && !(def.roles as readonly string[]).includes(role)) continue;
        // Secret keys (`pulumi config set --secret`) never reach a plan file in the clear.
        config[k] = def?.secret ? SECRET : typedConfigValue(v, def);
    }
    return {
        project: NAMESPACE,
        stack: run.stack,
        evaluation: OFFLINE_NOTICE,
        config,
        resources: run.resources,
        invokes: dedupeInvokes(run.invokes ?? []),
        outputs: run.outputs,
        policies,
    };
}

/** One entry per distinct call: a program looks the same thing up many times (every component asks for the account id). */
function dedupeInvokes(invokes: readonly CapturedInvoke[]): CapturedInvoke[] {
    const seen = new Map<string, CapturedInvoke>();
    for (const i of invokes) seen.set(JSON.stringify([i.token, i.region, i.inputs]), i);
    return [...seen.values()];
}

/** Nearest ancestor that is one of our components (bookedbarber:*), or "(stack)" for top-level resources. */
function ownerOf(r: CapturedResource, byUrn: Map<string, CapturedResource>): string {
    let p = r.parent ? byUrn.get(r.parent) : undefined;
    let owner = "(stack)";
    while (p) {
        if (p.type.startsWith(`${NAMESPACE}:`)) owner = `${p.type.split(":").pop()} ${p.name}`;
        p = p.parent ? byUrn.get(p.parent) : undefined;
    }
    return owner;
}

/** Longest output value printed inline; a longer one is named with where its whole value is, never cut mid-value. */
export const INLINE_VALUE_LIMIT = 110;

/**
 * The readable summary (`npm run plan -- --verbose`): resources by top-level
 * component and type, policies, readiness, capacity, cost, then the outputs.
 * The offline notice is not repeated per stack (plan.ts prints it once).
 * `file` is where the plan was written, named for output values too long to print.
 */
export function summarize(plan: PlanFile, file = `plan/${plan.stack}.json`): string {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const groups = new Map<string, Map<string, number>>();
    for (const r of plan.resources) {
        if (r.type === "pulumi:pulumi:Stack" || r.type.startsWith(`${NAMESPACE}:`)) continue;
        const owner = ownerOf(r, byUrn);
        const counts = groups.get(owner) ?? new Map<string, number>();
        counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
        groups.set(owner, counts);
    }
    const role = plan.config[`${NAMESPACE}:role`];
    const lines = [`Stack ${plan.stack} (${role ?? "?"}, ${plan.config["aws:region"] ?? "?"}): ${plan.resources.length} resources`];
    for (const [owner, counts] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
        const total = [...counts.values()].reduce((a, b) => a + b, 0);
        lines.push(`  ${owner}: ${total}`);
        for (const [type, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) lines.push(`    ${String(n).padStart(4)}  ${type}`);
    }
    const v = plan.policies?.violations ?? [];
    const mandatoryCount = v.filter((x) => x.level === "mandatory").length;
    lines.push(`  policies: ${mandatoryCount} mandatory, ${v.length - mandatoryCount} advisory violation${v.length - mandatoryCount === 1 ? "" : "s"}`);
    lines.push(...formatViolations(v, "    "));
    if (plan.readiness) lines.push(...formatReadiness(plan.readiness));
    lines.push(...formatCapacityAndRecovery(plan));
    if (plan.cost) lines.push(`  ${costSummaryLine(plan.cost)}`);
    lines.push("  outputs:");
    for (const [k, v] of Object.entries(plan.outputs).sort(([a], [b]) => a.localeCompare(b))) {
        const text = JSON.stringify(v) ?? "undefined";
        lines.push(`    ${k}: ${text.length > INLINE_VALUE_LIMIT ? `(${text.length} characters; the whole value is outputs.${k} in ${file})` : text}`);
    }
    return lines.join("\n");
}
