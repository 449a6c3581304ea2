import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../../stacks/stack-files";
import type { PlanFile } from "../plan-file";
import { compareCosts, formatComparison } from "./compare";
import { costOf } from "./index";
import { formatCostTable } from "./table";
import { CliSpec, helpText, one, parseArgs, synopsis } from "../../cli-args";

/**
 * `npm run cost -- [--plan <dir>] [--compare <base plan dir>] [--lines <n>]` (tools/cost.ts).
 *
 * Prints the monthly cost of the plans in a plan folder (written by `npm run plan`),
 * or with --compare the per-stack and per-line difference from another plan
 * folder to this one, the way a pull request's cost diff reads. A plan written
 * before the cost model existed is priced here from its resources.
 */
export const COST_CLI: CliSpec = {
    tool: "cost",
    summary: "Print the monthly cost of a plan folder, or with --compare what changes from a base plan folder, per stack and per line.",
    flags: [
        { name: "plan", value: "<dir>", help: "plan folder to price (default: <project>/plan, written by npm run plan -- --all)" },
        { name: "compare", value: "<base plan dir>", help: "base plan folder: print what changes from it to --plan, per stack and per line" },
        { name: "lines", value: "<n>", help: "changed lines shown per stack (default 15)" },
    ],
};

export const COST_USAGE = helpText(COST_CLI);

export class CostUsageError extends Error {}

interface Args {
    plan: string;
    compare?: string;
    lines: number;
    help: boolean;
}

function toArgs(argv: readonly string[]): Args {
    const p = parseArgs(COST_CLI, argv);
    const compare = one(p, "compare");
    const args: Args = {
        plan: path.resolve(one(p, "plan") ?? path.join(projectRoot(), "plan")),
        lines: 15,
        help: p.help,
        ...(compare !== undefined ? { compare: path.resolve(compare) } : {}),
    };
    const lines = one(p, "lines");
    if (lines !== undefined) {
        args.lines = Number(lines);
        if (!/^\d+$/.test(lines)) throw new CostUsageError(`--lines = ${JSON.stringify(lines)}: must be a whole number of lines\n${synopsis(COST_CLI)}`);
    }
    return args;
}

/** Every plan in a folder by stack, each with its cost section (computed when the file predates it). */
export function readPlans(dir: string): Map<string, PlanFile> {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
        throw new CostUsageError(`${dir}: no such plan folder; run npm run plan -- --all --out <dir> first`);
    const plans = new Map<string, PlanFile>();
    for (const f of fs
        .readdirSync(dir)
        .filter((n) => n.endsWith(".json"))
        .sort()) {
        let p: PlanFile;
        try {
            p = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as PlanFile;
        } catch (e) {
            throw new CostUsageError(`${path.join(dir, f)}: not a plan file (${(e as Error).message})`);
        }
        if (typeof p?.stack !== "string" || !Array.isArray(p.resources))
            throw new CostUsageError(`${path.join(dir, f)}: not a plan file (no stack or resources)`);
        plans.set(p.stack, p);
    }
    if (plans.size === 0) throw new CostUsageError(`${dir}: holds no plan files; run npm run plan -- --all --out <dir> first`);
    for (const p of plans.values()) p.cost ??= costOf(p, plans);
    return plans;
}

/** Runs the command: its exit code and what it prints. Bad input is a CostUsageError with one clear message. */
export function runCost(argv: readonly string[]): { code: number; out: string } {
    const args = toArgs(argv);
    if (args.help) return { code: 0, out: COST_USAGE };
    const head = readPlans(args.plan);
    if (!args.compare) return { code: 0, out: formatCostTable([...head.values()]).join("\n") };
    return { code: 0, out: formatComparison(compareCosts(readPlans(args.compare), head), args.lines).join("\n") };
}
