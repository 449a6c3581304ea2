/**
 * The bench figures in docs/performance.md: `npm run bench` records its medians in
 * docs/bench-results.json and `npm run docs` writes them between the markers, with their date,
 * so the page never shows figures no run produced.
 */
export const BENCH_RESULTS_FILE = "docs/bench-results.json";

export interface BenchResults {
    /** Day of the run, YYYY-MM-DD (UTC). */
    date: string;
    /** Cores, CPU and node version of the machine that ran it. */
    machine: string;
    stacks: number;
    resources: number;
    rounds: number;
    /** Medians of the interleaved rounds, in milliseconds. */
    planMs: number;
    floorMs: number;
    replayMs: number;
}

const n = (x: number) => x.toLocaleString("en-US");
const perResource = (ms: number, total: number) => (ms / total).toFixed(2);
const ratio = (a: number, b: number) => (a / b).toFixed(1);

export function renderBenchFigures(r: BenchResults): string {
    return [
        `Measured ${r.date} on ${r.machine}: ${r.stacks} stacks, ${n(r.resources)} resources, medians of ${r.rounds} rounds.`,
        "",
        "| measurement | ms | ms/resource |",
        "|---|---:|---:|",
        `| plan --all | ${n(r.planMs)} | ${perResource(r.planMs, r.resources)} |`,
        `| floor | ${n(r.floorMs)} | ${perResource(r.floorMs, r.resources)} |`,
        `| replay | ${n(r.replayMs)} | ${perResource(r.replayMs, r.resources)} |`,
        "",
        `Plan/floor **${ratio(r.planMs, r.floorMs)}x** (the first target was 1.3x); replay/floor ${ratio(r.replayMs, r.floorMs)}x; plan/replay ${ratio(r.planMs, r.replayMs)}x.`,
    ].join("\n");
}
