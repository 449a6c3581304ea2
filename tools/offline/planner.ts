import { listStacks } from "../../stacks/stack-files";
import { PlanFile, toPlanFile } from "./plan-file";
import { applyModels } from "./models";
import { evaluatePolicies } from "./policy-runner";
import { costOf } from "./cost";
import { readinessOf } from "./readiness";
import { describeError, runStack } from "./stack-runner";
import { wavesOf, withDependencies } from "./waves";

export interface PlannedStack {
    stack: string;
    plan?: PlanFile;
    /** One clear message when the stack failed to plan. */
    error?: string;
    /** Planned only to serve its outputs to a stack that reads it. */
    dependencyOnly: boolean;
    millis: number;
}

/** Thrown for a request the planner cannot act on (unknown stack): the message lists what is valid. */
export class PlanRequestError extends Error {}

/**
 * Plans stacks in rollout order and feeds each stack's outputs to the
 * StackReferences of the stacks after it, the way a real rollout would.
 * `requested` empty means every stack (`--all`).
 */
export async function planStacks(requested: readonly string[], root?: string): Promise<PlannedStack[]> {
    const known = listStacks(root);
    const unknown = requested.filter((s) => !known.includes(s));
    if (unknown.length) {
        throw new PlanRequestError(`unknown stack${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; valid stacks are: ${known.join(", ")}`);
    }
    const waveOrder = wavesOf(root).map((i) => i.stack);
    let order: string[];
    if (requested.length === 0) order = waveOrder;
    else {
        const needed = new Set(requested.flatMap((s) => withDependencies(s, root)));
        order = waveOrder.filter((s) => needed.has(s));
    }

    const outputs: Record<string, Record<string, unknown>> = {};
    const results: PlannedStack[] = [];
    for (const stack of order) {
        const started = process.hrtime.bigint();
        const run = await runStack({ stack, stackReferences: outputs, root });
        const millis = Number(process.hrtime.bigint() - started) / 1e6;
        const dependencyOnly = requested.length > 0 && !requested.includes(stack);
        if (run.error) {
            results.push({ stack, error: describeError(run.error), dependencyOnly, millis });
            continue;
        }
        outputs[stack] = run.rawOutputs;
        results.push({ stack, plan: toPlanFile(run, await evaluatePolicies(run.resources)), dependencyOnly, millis });
    }
    // Readiness reads across stacks (the global stack's origins against the regional certificates), so it waits for all of them.
    const planned = new Map(results.filter((r) => r.plan).map((r) => [r.stack, r.plan!]));
    for (const plan of planned.values()) plan.readiness = readinessOf(plan, planned);
    applyModels(planned);
    // Cost reads across stacks too (a standby's cache inherits its primary's node type; replicated writes count the secondaries).
    for (const plan of planned.values()) plan.cost = costOf(plan, planned);
    return results;
}
