import * as fs from "fs";
import * as path from "path";
import type { PolicyPackConfig } from "@pulumi/policy";
import { projectRoot, StackFileError } from "../stacks/stack-files";
import { all, CliSpec, has, one, Parsed, runCli, UsageError } from "./cli-args";
import { failedPlanFile, OFFLINE_NOTICE, PlanFile, summarize } from "./offline/plan-file";
import { formatViolations, mandatory } from "./offline/policy-runner";
import { PlannedStack, planStacks, PlanRequestError } from "./offline/planner";
import { readinessProblems } from "./offline/readiness";
import { printCostTable } from "./offline/cost/print";
import { usd } from "./offline/cost/table";
import { diffAgainst, formatDiff, readBase } from "./offline/diff/plan-diff";
import { InputError, readPackConfig } from "./policy-check";

/**
 * `npm run plan -- (--stack <name>... | --all) [flags]` (flags: PLAN_CLI below).
 *
 * The main job without an AWS account: runs the real program against the
 * offline engine with each stack's real config, writes plan/<stack>.json and
 * prints, by default, one line per stack and a totals line; --verbose the full
 * listing; --json one JSON document. Exits 2, with one message per failure and
 * no stack trace, on a bad command line or an unknown stack; 1 when a stack
 * failed, waits on a failed stack, has a mandatory policy violation or a
 * readiness problem. A stack that fails, or waits on a stack that failed, gets
 * a plan file marked failed in place of its previous one (plan-file.ts,
 * FailedPlanFile), which policy-check refuses.
 */
export const PLAN_CLI: CliSpec = {
    tool: "plan",
    summary: "Plan stacks offline (the real program against a mocked engine) and write plan/<stack>.json.",
    flags: [
        { name: "stack", value: "<name>", repeatable: true, help: "plan this stack (and, unwritten, the stacks it reads); repeat for more" },
        { name: "all", help: "plan every stack" },
        { name: "out", value: "<dir>", help: "folder for the plan files (default: <root>/plan)" },
        { name: "root", value: "<dir>", help: "project folder holding Pulumi.yaml and the stack files (default: this checkout)" },
        { name: "config", value: "<pack-config.json>", help: "policy pack config, as policy-check --config and pulumi preview --policy-pack-config take it" },
        {
            name: "diff",
            value: "<plan dir>",
            help: "compare with a previous plan folder: per stack, resources to create, delete, update (with changed inputs) and replace",
        },
        { name: "verbose", help: "print each stack's full listing: resources by component, policies, readiness, capacity, cost, outputs" },
        { name: "json", help: "print one JSON document (stacks, totals) instead of text" },
        { name: "quiet", help: "print only problems and the totals line" },
    ],
};

interface Args {
    stacks: string[];
    all: boolean;
    out: string;
    root: string;
    policyConfig?: PolicyPackConfig;
    /** Previous plan folder to compare with. */
    diff?: string;
    mode: "lines" | "verbose" | "json" | "quiet";
}

/** Every flag checked, and the pack config read, before any stack runs. */
function toArgs(p: Parsed): Args {
    const modes = (["verbose", "json", "quiet"] as const).filter((m) => has(p, m));
    if (modes.length > 1) throw new UsageError(`--${modes.join(" and --")} do not go together: give at most one`);
    const root = path.resolve(one(p, "root") ?? projectRoot());
    const args: Args = {
        stacks: all(p, "stack"),
        all: has(p, "all"),
        out: path.resolve(one(p, "out") ?? path.join(root, "plan")),
        root,
        mode: modes[0] ?? "lines",
    };
    if (args.all === args.stacks.length > 0) throw new UsageError(`give either --all or at least one --stack <name>`);
    if (!fs.existsSync(path.join(root, "Pulumi.yaml"))) throw new UsageError(`--root = ${JSON.stringify(root)}: no Pulumi.yaml there; give the project folder`);
    const diff = one(p, "diff");
    if (diff !== undefined) {
        args.diff = path.resolve(diff);
        if (!fs.existsSync(args.diff) || !fs.statSync(args.diff).isDirectory())
            throw new UsageError(`--diff = ${JSON.stringify(diff)}: no such folder; give a folder of earlier plan files (npm run plan -- --all --out <dir>)`);
    }
    const config = one(p, "config");
    if (config !== undefined) args.policyConfig = readPackConfig(config);
    return args;
}

/** One stack's outcome, as the default line and the --json entry show it. */
interface StackLine {
    stack: string;
    role: string | null;
    region: string | null;
    status: "planned" | "failed" | "waiting";
    resources: number | null;
    mandatory: number | null;
    advisory: number | null;
    readinessProblems: string[];
    /** Monthly fixed cost in USD, on demand and optimised; null when the stack did not plan. */
    cost: { fixedOnDemand: number; fixedOptimised: number; perRequestOnDemand: number; unpriced: number } | null;
    file: string;
    millis: number;
    error?: string;
    waitingOn?: string[];
}

function lineOf(r: PlannedStack, file: string): StackLine {
    const p: PlanFile | undefined = r.plan;
    const v = p?.policies.violations ?? [];
    const m = v.filter((x) => x.level === "mandatory").length;
    return {
        stack: r.stack,
        role: (p?.config["bookedbarber:role"] as string | undefined) ?? null,
        region: (p?.config["aws:region"] as string | undefined) ?? null,
        status: r.error ? (r.waitingOn ? "waiting" : "failed") : "planned",
        resources: p ? p.resources.length : null,
        mandatory: p ? m : null,
        advisory: p ? v.length - m : null,
        readinessProblems: p ? readinessProblems(p.readiness ?? []) : [],
        cost: p?.cost
            ? {
                  fixedOnDemand: p.cost.fixed.onDemand,
                  fixedOptimised: p.cost.fixed.optimised,
                  perRequestOnDemand: p.cost.perRequest.onDemand,
                  unpriced: p.cost.unpriced.length,
              }
            : null,
        file,
        millis: Math.round(r.millis),
        ...(r.error ? { error: r.error } : {}),
        ...(r.waitingOn ? { waitingOn: r.waitingOn } : {}),
    };
}

/** The default view: one aligned line per stack, every value whole. */
function formatLines(lines: readonly StackLine[]): string[] {
    const rows = lines.map((l) =>
        l.status === "planned"
            ? [
                  l.stack,
                  l.role ?? "?",
                  `${l.resources} resources`,
                  `${l.mandatory} mandatory`,
                  `${l.advisory} advisory`,
                  `${l.readinessProblems.length} readiness problem${l.readinessProblems.length === 1 ? "" : "s"}`,
                  l.cost ? `${usd(l.cost.fixedOnDemand)}/month fixed` : "cost -",
                  `wrote ${l.file}`,
              ]
            : [l.stack, "-", l.status === "failed" ? "FAILED" : `WAITING on ${l.waitingOn!.join(", ")}`, "", "", "", "", `marked ${l.file} failed`],
    );
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i].length))) ?? [];
    return rows.map((r) =>
        r
            .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
            .join("  ")
            .replace(/ {2,}(?=\S)/g, (s) => s)
            .trimEnd(),
    );
}

/** Relative when under the working folder, else absolute: a path is never shown as a climb of ../ */
function shownPath(file: string): string {
    const rel = path.relative(process.cwd(), file);
    return rel.startsWith("..") || path.isAbsolute(rel) ? file : rel || ".";
}

async function run(p: Parsed): Promise<number> {
    const args = toArgs(p);
    const started = process.hrtime.bigint();
    // The base is read before this run writes anything: --diff may name the --out folder itself.
    const bases = new Map<string, PlanFile | string>();
    if (args.diff) for (const f of fs.readdirSync(args.diff).filter((n) => n.endsWith(".json"))) bases.set(f.slice(0, -5), readBase(args.diff, f.slice(0, -5)));
    const results = await planStacks(args.all ? [] : args.stacks, args.root, { config: args.policyConfig });
    fs.mkdirSync(args.out, { recursive: true });

    const lines: StackLine[] = [];
    if (args.mode === "verbose") console.log(OFFLINE_NOTICE + "\n");
    for (const r of results) {
        const file = path.join(args.out, `${r.stack}.json`);
        const shown = shownPath(file);
        if (r.error) {
            const what = r.waitingOn ? "was not planned" : "failed";
            console.error(`plan: stack ${r.stack} ${what}${r.dependencyOnly ? " (a requested stack reads it)" : ""}:\n  ${r.error.replace(/\n/g, "\n  ")}`);
            // Never leave the previous plan behind as if it were current.
            fs.writeFileSync(file, JSON.stringify(failedPlanFile(r.stack, r.error, r.waitingOn), null, 2) + "\n");
            lines.push(lineOf(r, shown));
            continue;
        }
        if (r.dependencyOnly || !r.plan) continue;
        fs.writeFileSync(file, JSON.stringify(r.plan, null, 2) + "\n");
        const line = lineOf(r, shown);
        lines.push(line);
        const blocking = mandatory(r.plan.policies);
        // Printed in every mode, on stderr: these stop a real `pulumi preview --policy-pack policies`, or a deploy.
        if (blocking.length)
            console.error(
                `plan: stack ${r.stack} has ${blocking.length} mandatory policy violation${blocking.length === 1 ? "" : "s"}:\n${formatViolations(blocking, "  ").join("\n")}`,
            );
        if (line.readinessProblems.length)
            console.error(
                `plan: stack ${r.stack} is not ready to deploy (${line.readinessProblems.length} problem${line.readinessProblems.length === 1 ? "" : "s"}):\n  ${line.readinessProblems.join("\n  ")}`,
            );
        if (args.mode === "verbose") console.log(summarize(r.plan, shown) + `\n  wrote ${shown} in ${r.millis.toFixed(0)} ms\n`);
    }
    if (args.mode === "verbose") printCostTable(results, args.root);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const named = (pred: (l: StackLine) => boolean) => lines.filter(pred).map((l) => l.stack);
    const totals = {
        planned: named((l) => l.status === "planned").length,
        failed: named((l) => l.status === "failed"),
        waiting: named((l) => l.status === "waiting"),
        mandatoryViolations: named((l) => (l.mandatory ?? 0) > 0),
        notReady: named((l) => l.readinessProblems.length > 0),
        seconds: Number(seconds.toFixed(2)),
    };
    const diffs = args.diff
        ? results
              .filter((r) => r.plan && !r.dependencyOnly)
              .map((r) => diffAgainst(bases.get(r.stack) ?? `${path.join(args.diff!, `${r.stack}.json`)} does not exist`, r.plan!))
        : undefined;
    const bad = [...new Set([...totals.failed, ...totals.waiting, ...totals.mandatoryViolations, ...totals.notReady])];
    if (args.mode === "json") {
        console.log(
            JSON.stringify(
                { evaluation: OFFLINE_NOTICE, ok: bad.length === 0, stacks: lines, totals, ...(diffs ? { diff: { base: args.diff, stacks: diffs } } : {}) },
                null,
                2,
            ),
        );
    } else {
        if (args.mode === "lines") console.log(formatLines(lines).join("\n"));
        if (diffs) console.log(formatDiff(diffs, shownPath(args.diff!)).join("\n"));
        const list = (xs: string[]) => (xs.length ? ` (${xs.join(", ")})` : "");
        console.log(
            `${args.mode === "verbose" ? "" : OFFLINE_NOTICE + "\n"}planned ${totals.planned} stack${totals.planned === 1 ? "" : "s"} in ${seconds.toFixed(2)} s; ${totals.failed.length} failed${list(totals.failed)}; ${totals.waiting.length} waiting on a failed stack${list(totals.waiting)}; ${totals.mandatoryViolations.length} with mandatory policy violations${list(totals.mandatoryViolations)}; ${totals.notReady.length} not ready to deploy${list(totals.notReady)}; ${bad.length ? `FAILED: ${bad.join(", ")}` : "all passed"}`,
        );
    }
    return bad.length ? 1 : 0;
}

if (require.main === module) void runCli(PLAN_CLI, run, [PlanRequestError, StackFileError, InputError]);
