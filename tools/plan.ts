import * as fs from "fs";
import * as path from "path";
import { projectRoot, StackFileError } from "../stacks/stack-files";
import { failedPlanFile, OFFLINE_NOTICE, summarize } from "./offline/plan-file";
import { formatViolations, mandatory } from "./offline/policy-runner";
import { planStacks, PlanRequestError } from "./offline/planner";
import { readinessProblems } from "./offline/readiness";
import { printCostTable } from "./offline/cost/print";

/**
 * `npm run plan -- --stack <name> [--stack <name>...] | --all [--out <dir>] [--quiet]`
 *
 * The main job without an AWS account: runs the real program against the
 * offline engine with each stack's real config, prints a summary and writes
 * plan/<stack>.json. Exits non-zero, with one message per failure and no
 * stack trace, when a stack is unknown, its config is bad or the program fails,
 * and exits 1 when a stack has a mandatory policy violation (policies/).
 * A stack that fails, or waits on a stack that failed, gets a plan file marked
 * failed in place of its previous one (plan-file.ts, FailedPlanFile), which
 * policy-check refuses.
 */

const USAGE = "usage: npm run plan -- (--stack <name> [--stack <name>...] | --all) [--out <dir>] [--root <project dir>] [--quiet]";

interface Args {
    stacks: string[];
    all: boolean;
    out: string;
    /** Project folder holding Pulumi.yaml and the stack files. */
    root: string;
    quiet: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[], root: string): Args {
    const args: Args = { stacks: [], all: false, out: "", root, quiet: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new UsageError(`${a} needs a value\n${USAGE}`);
            return v;
        };
        if (a === "--stack") args.stacks.push(value());
        else if (a === "--all") args.all = true;
        else if (a === "--out") args.out = path.resolve(value());
        else if (a === "--root") args.root = path.resolve(value());
        else if (a === "--quiet") args.quiet = true;
        else throw new UsageError(`unknown argument ${JSON.stringify(a)}; allowed: --stack <name>, --all, --out <dir>, --root <dir>, --quiet\n${USAGE}`);
    }
    if (args.all === (args.stacks.length > 0)) throw new UsageError(`give either --all or at least one --stack\n${USAGE}`);
    if (!fs.existsSync(path.join(args.root, "Pulumi.yaml"))) throw new UsageError(`--root = ${JSON.stringify(args.root)}: no Pulumi.yaml there; give the project folder`);
    args.out ||= path.join(args.root, "plan");
    return args;
}

async function run(argv: string[]): Promise<number> {
    const root = projectRoot();
    const args = parseArgs(argv, root);
    const started = process.hrtime.bigint();
    const results = await planStacks(args.all ? [] : args.stacks, args.root);
    fs.mkdirSync(args.out, { recursive: true });

    let failures = 0;
    let waiting = 0;
    let blocked = 0;
    let unready = 0;
    for (const r of results) {
        const file = path.join(args.out, `${r.stack}.json`);
        if (r.error) {
            if (r.waitingOn) waiting++;
            else failures++;
            const what = r.waitingOn ? "was not planned" : "failed";
            console.error(`plan: stack ${r.stack} ${what}${r.dependencyOnly ? " (a requested stack reads it)" : ""}:\n  ${r.error.replace(/\n/g, "\n  ")}`);
            // Never leave the previous plan behind as if it were current.
            fs.writeFileSync(file, JSON.stringify(failedPlanFile(r.stack, r.error, r.waitingOn), null, 2) + "\n");
            continue;
        }
        if (r.dependencyOnly || !r.plan) continue;
        fs.writeFileSync(file, JSON.stringify(r.plan, null, 2) + "\n");
        const blocking = mandatory(r.plan.policies);
        if (blocking.length) {
            blocked++;
            // Printed even with --quiet: these stop a real `pulumi preview --policy-pack policies`.
            console.error(`plan: stack ${r.stack} has ${blocking.length} mandatory policy violation${blocking.length === 1 ? "" : "s"}:\n${formatViolations(blocking, "  ").join("\n")}`);
        }
        const problems = readinessProblems(r.plan.readiness ?? []);
        if (problems.length) {
            unready++;
            // Printed even with --quiet: each would break a real deploy or failover.
            console.error(`plan: stack ${r.stack} is not ready to deploy (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${problems.join("\n  ")}`);
        }
        if (!args.quiet) console.log(summarize(r.plan) + `\n  wrote ${path.relative(process.cwd(), file)} in ${r.millis.toFixed(0)} ms\n`);
    }
    printCostTable(results, args.root);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const written = results.filter((r) => r.plan && !r.dependencyOnly).length;
    console.log(`${OFFLINE_NOTICE}\nplanned ${written} stack${written === 1 ? "" : "s"} in ${seconds.toFixed(2)} s; ${failures} failed; ${waiting} waiting on a failed stack; ${blocked} with mandatory policy violations; ${unready} not ready to deploy`);
    return failures || waiting || blocked || unready ? 1 : 0;
}

// process.exitCode, not process.exit(): the process ends once stdout and stderr have drained, so a piped report is whole.
run(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (err: Error) => {
        // Expected failures get their message only; anything else is a bug in the tool and keeps its trace.
        const expected = err instanceof UsageError || err instanceof PlanRequestError || err instanceof StackFileError;
        console.error(`plan: ${expected ? err.message : err.stack}`);
        process.exitCode = 2;
    },
);
