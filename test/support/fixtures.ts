import { CapturedResource } from "../../tools/offline/mock-engine";
import { runStack, RunResult } from "../../tools/offline/stack-runner";
import { wavesOf } from "../../tools/offline/waves";

/**
 * Every stack planned once per test process, in wave order, each fed the real
 * outputs of the stacks it reads (the global stack: every regional plan's).
 * Specs that only read the result share it; specs that change config call
 * runStack themselves.
 */
let all: Promise<Record<string, RunResult>> | undefined;

export function allStacks(): Promise<Record<string, RunResult>> {
    all ??= (async () => {
        const results: Record<string, RunResult> = {};
        const outputs: Record<string, Record<string, unknown>> = {};
        for (const { stack } of wavesOf()) {
            const run = await runStack({ stack, stackReferences: outputs });
            if (run.error) throw new Error(`stack ${stack} failed to plan: ${run.error.message}`);
            results[stack] = run;
            outputs[stack] = run.rawOutputs;
        }
        return results;
    })();
    return all;
}

/** Outputs of every stack, as later stacks' StackReferences see them. */
export async function allOutputs(): Promise<Record<string, Record<string, unknown>>> {
    const runs = await allStacks();
    return Object.fromEntries(Object.entries(runs).map(([s, r]) => [s, r.rawOutputs]));
}

export const REGIONAL_STACKS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"];
export const PRIMARY_STACKS = ["us-east-1", "eu-west-1", "ap-southeast-1"];
export const STANDBY_STACKS = ["us-west-2", "eu-central-1", "ap-northeast-1"];

export function ofType(run: RunResult, type: string): CapturedResource[] {
    return run.resources.filter((r) => r.type === type);
}

export function oneOfType(run: RunResult, type: string): CapturedResource {
    const found = ofType(run, type);
    if (found.length !== 1) throw new Error(`expected one ${type} in ${run.stack}, found ${found.length}`);
    return found[0];
}

/** Resources a failed run registered besides the root stack: must be none for config errors. */
export function registeredBesidesStack(run: RunResult): CapturedResource[] {
    return run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
}

/** A RegionalCluster's `network` arg for specs that build the component alone: a VPC's IDs, three AZs. */
export const TEST_CLUSTER_NETWORK = {
    vpcId: "vpc-0123456789abcdef0",
    vpcCidr: "10.10.0.0/16",
    azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
    privateSubnetIds: ["subnet-app-a", "subnet-app-b", "subnet-app-c"],
    publicSubnetIds: ["subnet-pub-a", "subnet-pub-b", "subnet-pub-c"],
};
