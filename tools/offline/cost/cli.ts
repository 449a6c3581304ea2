import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../../stacks/stack-files";
import type { PlanFile } from "../plan-file";
import { compareCosts, formatComparison } from "./compare";
import { costOf } from "./index";
import { formatCostTable } from "./table";

/**
 * `npm run cost -- [--plan <dir>] [--compare <base plan dir>] [--lines <n>]` (tools/cost.ts).
 *
 * Prints the monthly cost of the plans in a plan folder (written by `npm run plan`),
 * or with --compare the per-stack and per-line difference from another plan
 * folder to this one, the way a pull request's cost diff reads. A plan written
 * before the cost model existed is priced here from its resources.
 */
export const COST_USAGE = `usage: npm run cost -- [--plan <dir>] [--compare <base plan dir>] [--lines <n>]
  --plan <dir>      plan folder to price (default: <project>/plan, written by npm run plan -- --all)
  --compare <dir>   base plan folder: print what changes from it to --plan, per stack and per line
  --lines <n>       changed lines shown per stack (default 15)
  --help            this text`;

export class CostUsageError extends Error {}

interface Args { plan: string; compare?: string; lines: number; help: boolean }

function parseArgs(argv: readonly string[]): Args {
    const args: Args = { plan: path.join(projectRoot(), "plan"), lines: 15, help: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new CostUsageError(`${a} needs a value\n${COST_USAGE}`);
            return v;
        };
        if (a === "--plan") args.plan = path.resolve(value());
        else if (a === "--compare") args.compare = path.resolve(value());
        else if (a === "--lines") {
            const v = value();
            args.lines = Number(v);
            if (!Number.isInteger(args.lines) || args.lines < 0) throw new CostUsageError(`--lines = ${JSON.stringify(v)}: must be a whole number of lines\n${COST_USAGE}`);
        } else if (a === "--help" || a === "-h") args.help = true;
        else throw new CostUsageError(`unknown argument ${JSON.stringify(a)}\n${COST_USAGE}`);
    }
    return args;
}

/** Every plan in a folder by stack, each with its cost section (computed when the file predates it). */
export function readPlans(dir: string): Map<string, PlanFile> {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CostUsageError(`${dir}: no such plan folder; run npm run plan -- --all --out <dir> first`);
    const plans = new Map<string, PlanFile>();
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
        let p: PlanFile;
        try {
            p = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as PlanFile;
        } catch (e) {
            throw new CostUsageError(`${path.join(dir, f)}: not a plan file (${(e as Error).message})`);
        }
        if (typeof p?.stack !== "string" || !Array.isArray(p.resources)) throw new CostUsageError(`${path.join(dir, f)}: not a plan file (no stack or resources)`);
        plans.set(p.stack, p);
    }
    if (plans.size === 0) throw new CostUsageError(`${dir}: holds no plan files; run npm run plan -- --all --out <dir> first`);
    for (const p of plans.values()) p.cost ??= costOf(p, plans);
    return plans;
}

/** Runs the command: its exit code and what it prints. Bad input is a CostUsageError with one clear message. */
export function runCost(argv: readonly string[]): { code: number; out: string } {
    const args = parseArgs(argv);
    if (args.help) return { code: 0, out: COST_USAGE };
    const head = readPlans(args.plan);
    if (!args.compare) return { code: 0, out: formatCostTable([...head.values()]).join("\n") };
    return { code: 0, out: formatComparison(compareCosts(readPlans(args.compare), head), args.lines).join("\n") };
}
