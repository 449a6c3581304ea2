import { listStacks, projectDefaults, StackFileError } from "../../stacks/stack-files";
import { PlanFile, toPlanFile } from "./plan-file";
import { applyModels } from "./models";
import { EvaluateOptions, evaluatePolicies } from "./policy-runner";
import { costOf } from "./cost";
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

/** "waits on stacks us-east-1 (failed) and us-west-2 (waiting on us-east-1); ...": names each stack read and the root failures. */
function waitingMessage(waitingOn: readonly string[], unplanned: ReadonlyMap<string, string[]>): string {
    const state = (s: string) => {
        const roots = unplanned.get(s)!;
        return roots.length === 1 && roots[0] === s ? "failed" : `waiting on ${roots.join(", ")}`;
    };
    const roots = [...new Set(waitingOn.flatMap((s) => unplanned.get(s)!))];
    const listed = waitingOn.map((s) => `${s} (${state(s)})`);
    const which = waitingOn.length === 1 ? `stack ${listed[0]}` : `stacks ${listed.slice(0, -1).join(", ")} and ${listed[listed.length - 1]}`;
    return `waits on ${which}: it reads ${waitingOn.length === 1 ? "that stack's" : "their"} outputs through StackReference, so it was not run; fix ${roots.join(", ")} first`;
}

/** Thrown for a request the planner cannot act on (unknown stack): the message lists what is valid. */
export class PlanRequestError extends Error {}

/**
 * Plans stacks in rollout order and feeds each stack's outputs to the
 * StackReferences of the stacks after it, the way a real rollout would.
 * `requested` empty means every stack (`--all`).
 */
export async function planStacks(requested: readonly string[], root?: string, policy: EvaluateOptions = {}): Promise<PlannedStack[]> {
    // Every stack reads Pulumi.yaml: a broken one stops the whole run, naming the file and line.
    projectDefaults(root);
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
    // Stacks that did not plan, each with the failed stacks at the root of it (itself, when it failed).
    const unplanned = new Map<string, string[]>();
    for (const stack of order) {
        const dependencyOnly = requested.length > 0 && !requested.includes(stack);
        const waitingOn = stackInfo(stack, root).reads.filter((s) => unplanned.has(s));
        if (waitingOn.length) {
            const roots = [...new Set(waitingOn.flatMap((s) => unplanned.get(s)!))];
            unplanned.set(stack, roots);
            results.push({ stack, error: waitingMessage(waitingOn, unplanned), waitingOn, dependencyOnly, millis: 0 });
            continue;
        }
        const started = process.hrtime.bigint();
        let run;
        try {
            run = await runStack({ stack, stackReferences: outputs, root });
        } catch (err) {
            // The stack's own file cannot be read: that stack fails, the others plan.
            if (!(err instanceof StackFileError)) throw err;
            unplanned.set(stack, [stack]);
            results.push({ stack, error: err.message, dependencyOnly, millis: 0 });
            continue;
        }
        const millis = Number(process.hrtime.bigint() - started) / 1e6;
        if (run.error) {
            unplanned.set(stack, [stack]);
            results.push({ stack, error: describeError(run.error), dependencyOnly, millis });
            continue;
        }
        outputs[stack] = run.rawOutputs;
        results.push({ stack, plan: toPlanFile(run, await evaluatePolicies(run.resources, policy)), dependencyOnly, millis });
    }
    // Readiness reads across stacks (the global stack's origins against the regional certificates), so it waits for all of them.
    const planned = new Map(results.filter((r) => r.plan).map((r) => [r.stack, r.plan!]));
    for (const plan of planned.values()) plan.readiness = readinessOf(plan, planned);
    applyModels(planned);
    // Cost reads across stacks too (a standby's cache inherits its primary's node type; replicated writes count the secondaries).
    for (const plan of planned.values()) plan.cost = costOf(plan, planned);
    return results;
}
