import * as pulumi from "@pulumi/pulumi";
import { planStacks } from "./offline/planner";
import { runStack } from "./offline/stack-runner";
import { wavesOf } from "./offline/waves";

/**
 * `npm run bench [-- --rounds N]`: the time to plan every stack, against the
 * mocked SDK's own floor measured in the same process: the same number of
 * trivial resources per stack, registered through the same engine. Machines
 * here are shared and noisy, so the figure that matters is the ratio, and each
 * side is the median of several interleaved rounds. It prints; it asserts nothing.
 */

function parseRounds(argv: string[]): number {
    const i = argv.indexOf("--rounds");
    if (argv.some((a, j) => a.startsWith("--") && a !== "--rounds" && j !== i + 1)) {
        throw new Error(`unknown argument; usage: npm run bench [-- --rounds N] (N from 1 to 50)`);
    }
    if (i < 0) return 5;
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < 1 || n > 50) throw new Error(`--rounds = ${JSON.stringify(argv[i + 1])}: must be an integer from 1 to 50`);
    return n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
    const t0 = process.hrtime.bigint();
    const v = await f();
    return [Number(process.hrtime.bigint() - t0) / 1e6, v];
}

/** The cheapest resource the SDK can register: no inputs, no outputs read. */
class Trivial extends pulumi.CustomResource {
    constructor(name: string) {
        super("bench:index:Trivial", name, {});
    }
}

/** The floor: a program that registers `count` bare custom resources and nothing else. */
function trivialProgram(count: number): () => Promise<Record<string, unknown>> {
    return async () => {
        for (let i = 0; i < count; i++) new Trivial(`r${i}`);
        return {};
    };
}

async function main(): Promise<void> {
    const rounds = parseRounds(process.argv.slice(2));
    const stacks = wavesOf().map((s) => s.stack);

    // Warm-up: module loading and JIT, outside the measurement.
    const warm = await planStacks([]);
    const failed = warm.filter((r) => r.error);
    if (failed.length) throw new Error(`cannot benchmark: ${failed.map((r) => `${r.stack}: ${r.error}`).join("; ")}`);
    const counts = new Map(warm.map((r) => [r.stack, r.plan!.resources.length]));
    const total = [...counts.values()].reduce((a, b) => a + b, 0);

    const planMs: number[] = [];
    const floorMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
        const [p] = await timed(() => planStacks([]));
        planMs.push(p);
        const [f] = await timed(async () => {
            for (const stack of stacks) await runStack({ stack, program: trivialProgram(counts.get(stack)! - 1) });
        });
        floorMs.push(f);
    }
    const plan = median(planMs);
    const floor = median(floorMs);
    console.log(`stacks: ${stacks.length}, resources: ${total}, rounds: ${rounds} (medians; node ${process.version})`);
    console.log(`plan --all:  ${plan.toFixed(0)} ms  (${((plan / total) * 1000).toFixed(0)} us/resource; rounds ${planMs.map((x) => x.toFixed(0)).join(", ")})`);
    console.log(`mock floor:  ${floor.toFixed(0)} ms  (${((floor / total) * 1000).toFixed(0)} us/resource; rounds ${floorMs.map((x) => x.toFixed(0)).join(", ")})`);
    console.log(`ratio plan/floor: ${(plan / floor).toFixed(2)}x  (target: within 1.3x)`);
}

main().catch((err: Error) => {
    console.error(`bench: ${err.message}`);
    process.exit(1);
});
