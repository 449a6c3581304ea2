import { listStacks } from "../../stacks/stack-files";
import { PlanFile, toPlanFile } from "./plan-file";
import { evaluatePolicies } from "./policy-runner";
import { readinessOf } from "./readiness";
import { describeError, runStack } from "./stack-runner";
import { stackInfo, wavesOf, withDependencies } from "./waves";

export interface PlannedStack {
    stack: string;
    plan?: PlanFile;
    /** One clear message when the stack failed to plan, or was not run because a stack it reads failed. */
    error?: string;
    /**
     * Set when the stack was not run: the stacks it reads (StackReference) that failed or were themselves
     * waiting. Running it anyway would only fail on their missing outputs, under a message about them.
     */
    waitingOn?: string[];
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
    const unplanned = new Set<string>();
    for (const stack of order) {
        const dependencyOnly = requested.length > 0 && !requested.includes(stack);
        const waitingOn = stackInfo(stack, root).reads.filter((s) => unplanned.has(s));
        if (waitingOn.length) {
            unplanned.add(stack);
            const which = waitingOn.length === 1 ? `stack ${waitingOn[0]}, which` : `stacks ${waitingOn.join(", ")}, which`;
            results.push({ stack, error: `not planned: it reads the outputs of ${which} did not plan (see above); fix ${waitingOn.length === 1 ? "that stack" : "those stacks"} first`, waitingOn, dependencyOnly, millis: 0 });
            continue;
        }
        const started = process.hrtime.bigint();
        const run = await runStack({ stack, stackReferences: outputs, root });
        const millis = Number(process.hrtime.bigint() - started) / 1e6;
        if (run.error) {
            unplanned.add(stack);
            results.push({ stack, error: describeError(run.error), dependencyOnly, millis });
            continue;
        }
        outputs[stack] = run.rawOutputs;
        results.push({ stack, plan: toPlanFile(run, await evaluatePolicies(run.resources)), dependencyOnly, millis });
    }
    // Readiness reads across stacks (the global stack's origins against the regional certificates), so it waits for all of them.
    const planned = new Map(results.filter((r) => r.plan).map((r) => [r.stack, r.plan!]));
    for (const plan of planned.values()) plan.readiness = readinessOf(plan, planned);
    return results;
}
