import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { projectRoot } from "../stacks/stack-files";
import { BenchResults, BENCH_RESULTS_FILE } from "./docs/performance";
import { CapturedResource } from "./offline/mock-engine";
import { planStacks } from "./offline/planner";
import { runStack } from "./offline/stack-runner";
import { wavesOf } from "./offline/waves";
import { CliSpec, one, Parsed, runCli, UsageError } from "./cli-args";

/**
 * `npm run bench [-- --rounds <n>]` (BENCH_CLI): the time to plan every stack, against two
 * baselines measured in the same process, through the same engine:
 * - the floor (the first target; docs/design.md#targets now holds the plan to the replay): the same number of trivial resources per
 *   stack, with no inputs;
 * - the replay: every resource of the plan registered again with its recorded
 *   type and inputs as plain values, flat, with no Outputs between them. The
 *   gap between plan and replay is what our program adds (components, Output
 *   plumbing, invokes, config, policy evaluation); the gap between replay and
 *   floor is what the SDK costs for real payloads.
 * Machines here are shared and noisy, so the figures that matter are the
 * ratios, and each side is the median of several interleaved rounds. It
 * prints, and records the figures in docs/bench-results.json, from which
 * `npm run docs` writes docs/performance.md's figures; it asserts nothing.
 */

export const BENCH_CLI: CliSpec = {
    tool: "bench",
    summary:
        "Time planning every stack against the mocked SDK's floor and a flat replay of the same resources (medians of interleaved rounds); record them in docs/bench-results.json for npm run docs.",
    flags: [{ name: "rounds", value: "<n>", help: "rounds per measurement, 1 to 50 (default 5)" }],
};

function roundsOf(p: Parsed): number {
    const v = one(p, "rounds");
    if (v === undefined) return 5;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < 1 || n > 50) throw new UsageError(`--rounds = ${JSON.stringify(v)}: must be an integer from 1 to 50`);
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

/** A resource registered again with a recorded type and plain inputs. */
class Replayed extends pulumi.CustomResource {
    constructor(type: string, name: string, inputs: Record<string, unknown>) {
        super(type, name, inputs);
    }
}

/** The replay: a program that registers the plan's resources again, flat, with their recorded inputs. */
function replayProgram(resources: readonly CapturedResource[]): () => Promise<Record<string, unknown>> {
    return async () => {
        resources.forEach((r, i) => {
            if (r.type !== "pulumi:pulumi:Stack") new Replayed(r.type.startsWith("pulumi:") ? "bench:index:Replayed" : r.type, `${r.name}-${i}`, r.inputs);
        });
        return {};
    };
}

/** The floor: a program that registers `count` bare custom resources and nothing else. */
function trivialProgram(count: number): () => Promise<Record<string, unknown>> {
    return async () => {
        for (let i = 0; i < count; i++) new Trivial(`r${i}`);
        return {};
    };
}

async function main(p: Parsed): Promise<number> {
    const rounds = roundsOf(p);
    const stacks = wavesOf().map((s) => s.stack);

    // Warm-up: module loading and JIT, outside the measurement.
    const warm = await planStacks([]);
    const failed = warm.filter((r) => r.error);
    if (failed.length) throw new Error(`cannot benchmark: ${failed.map((r) => `${r.stack}: ${r.error}`).join("; ")}`);
    const counts = new Map(warm.map((r) => [r.stack, r.plan!.resources.length]));
    const captured = new Map(warm.map((r) => [r.stack, r.plan!.resources]));
    const total = [...counts.values()].reduce((a, b) => a + b, 0);

    const planMs: number[] = [];
    const floorMs: number[] = [];
    const replayMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
        const [p] = await timed(() => planStacks([]));
        planMs.push(p);
        const [f] = await timed(async () => {
            for (const stack of stacks) await runStack({ stack, program: trivialProgram(counts.get(stack)! - 1) });
        });
        floorMs.push(f);
        const [r] = await timed(async () => {
            for (const stack of stacks) await runStack({ stack, program: replayProgram(captured.get(stack)!) });
        });
        replayMs.push(r);
    }
    const plan = median(planMs);
    const floor = median(floorMs);
    const replay = median(replayMs);
    console.log(`stacks: ${stacks.length}, resources: ${total}, rounds: ${rounds} (medians; node ${process.version})`);
    console.log(
        `plan --all:  ${plan.toFixed(0)} ms  (${((plan / total) * 1000).toFixed(0)} us/resource; rounds ${planMs.map((x) => x.toFixed(0)).join(", ")})`,
    );
    console.log(
        `mock floor:  ${floor.toFixed(0)} ms  (${((floor / total) * 1000).toFixed(0)} us/resource; rounds ${floorMs.map((x) => x.toFixed(0)).join(", ")})`,
    );
    console.log(
        `replay:      ${replay.toFixed(0)} ms  (${((replay / total) * 1000).toFixed(0)} us/resource; rounds ${replayMs.map((x) => x.toFixed(0)).join(", ")})`,
    );
    console.log(`ratio plan/floor:  ${(plan / floor).toFixed(2)}x  (first target: within 1.3x; docs/design.md#targets now sets it against the replay)`);
    console.log(`ratio plan/replay: ${(plan / replay).toFixed(2)}x  (what the program adds over the SDK's cost for the same payloads)`);
    const results: BenchResults = {
        date: new Date().toISOString().slice(0, 10),
        machine: `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}), node ${process.version}`,
        stacks: stacks.length,
        resources: total,
        rounds,
        planMs: Math.round(plan),
        floorMs: Math.round(floor),
        replayMs: Math.round(replay),
    };
    fs.writeFileSync(path.join(projectRoot(), BENCH_RESULTS_FILE), JSON.stringify(results, null, 2) + "\n");
    console.log(`wrote ${BENCH_RESULTS_FILE}; npm run docs puts the figures in docs/performance.md`);
    return 0;
}

if (require.main === module) void runCli(BENCH_CLI, main);
