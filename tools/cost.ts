import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../stacks/stack-files";
import { costOf } from "./offline/cost";
import { compareCosts, formatComparison } from "./offline/cost/compare";
import { formatCostTable } from "./offline/cost/table";
import type { PlanFile } from "./offline/plan-file";

/**
 * `npm run cost -- [--plan <dir>] [--compare <base plan dir>] [--lines <n>]`
 *
 * Prints the monthly cost of the plans in a plan folder (written by `npm run plan`),
 * or with --compare the per-stack and per-line difference from another plan
 * folder to this one, the way a pull request's cost diff reads. A plan written
 * before the cost model existed is priced here from its resources.
 */
const USAGE = `usage: npm run cost -- [--plan <dir>] [--compare <base plan dir>] [--lines <n>]
  --plan <dir>      plan folder to price (default: <project>/plan, written by npm run plan -- --all)
  --compare <dir>   base plan folder: print what changes from it to --plan, per stack and per line
  --lines <n>       changed lines shown per stack (default 15)
  --help            this text`;

class UsageError extends Error {}

interface Args { plan: string; compare?: string; lines: number; help: boolean }

function parseArgs(argv: string[]): Args {
    const args: Args = { plan: path.join(projectRoot(), "plan"), lines: 15, help: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new UsageError(`${a} needs a value\n${USAGE}`);
            return v;
        };
        if (a === "--plan") args.plan = path.resolve(value());
        else if (a === "--compare") args.compare = path.resolve(value());
        else if (a === "--lines") {
            const v = value();
            args.lines = Number(v);
            if (!Number.isInteger(args.lines) || args.lines < 0) throw new UsageError(`--lines = ${JSON.stringify(v)}: must be a whole number of lines\n${USAGE}`);
        } else if (a === "--help" || a === "-h") args.help = true;
        else throw new UsageError(`unknown argument ${JSON.stringify(a)}\n${USAGE}`);
    }
    return args;
}

/** Every plan in a folder by stack, each with its cost section (computed when the file predates it). */
export function readPlans(dir: string): Map<string, PlanFile> {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such plan folder; run npm run plan -- --all --out <dir> first`);
    const plans = new Map<string, PlanFile>();
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
        let p: PlanFile;
        try {
            p = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as PlanFile;
        } catch (e) {
            throw new UsageError(`${path.join(dir, f)}: not a plan file (${(e as Error).message})`);
        }
        if (typeof p?.stack !== "string" || !Array.isArray(p.resources)) throw new UsageError(`${path.join(dir, f)}: not a plan file (no stack or resources)`);
        plans.set(p.stack, p);
    }
    if (plans.size === 0) throw new UsageError(`${dir}: holds no plan files; run npm run plan -- --all --out <dir> first`);
    for (const p of plans.values()) p.cost ??= costOf(p, plans);
    return plans;
}

function run(argv: string[]): number {
    const args = parseArgs(argv);
    if (args.help) {
        console.log(USAGE);
        return 0;
    }
    const head = readPlans(args.plan);
    if (!args.compare) {
        console.log(formatCostTable([...head.values()]).join("\n"));
        return 0;
    }
    const base = readPlans(args.compare);
    console.log(formatComparison(compareCosts(base, head), args.lines).join("\n"));
    return 0;
}

try {
    process.exit(run(process.argv.slice(2)));
} catch (err) {
    console.error(`cost: ${err instanceof UsageError ? err.message : (err as Error).stack}`);
    process.exit(2);
}
