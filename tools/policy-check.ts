import * as fs from "fs";
import * as path from "path";
import type { PolicyPackConfig } from "@pulumi/policy";
import { parseDocument } from "yaml";
import { packConfigProblems } from "../policies/lib/pack-config";
import { RULES } from "../policies/rules";
import { CapturedResource } from "./offline/mock-engine";
import { isFailedPlanFile } from "./offline/plan-file";
import { evaluatePolicies, mandatory, PolicyReport } from "./offline/policy-runner";
import { projectRoot } from "../stacks/stack-files";
import { CliSpec, has, helpText, one, parseArgs, runCli, synopsis, UsageError } from "./cli-args";
import { groupedReport, JudgedPlan, ruleList, summaryReport } from "./policy/report";
import { toSarif } from "./policy/sarif";

/**
 * `npm run policy-check -- [flags] <plan.json>...` (flags: POLICY_CHECK_CLI below).
 *
 * Evaluates the policy pack over plan files (`npm run plan` writes them to
 * plan/), prints the violations grouped by rule (or --summary counts, or a
 * SARIF log with --format sarif), and exits:
 * 0 when no mandatory violation is found, 1 when one is, 2 when a file is
 * missing, is not a plan file, or is the marker `npm run plan` writes for a
 * stack that failed to plan (one message naming the file, no stack trace).
 * `--config` takes the same file as `pulumi preview --policy-pack-config`; a
 * policy, property or enforcement level the pack does not have is refused.
 */

/** A problem with the input, not with the infrastructure: exit 2 with this message. */
export class InputError extends Error {}

/** `npm run` runs in the package root; resolve paths from where the user typed the command. */
function resolve(file: string): string {
    return path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
}

function readJson(file: string, what: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(resolve(file), "utf8");
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new InputError(
            `${file}: cannot read the ${what} (${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code}); ${what === "plan file" ? "write plan files with `npm run plan -- --all`" : "give a JSON file"}`,
        );
    }
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new InputError(`${file}${jsonErrorPosition(text, err as Error)}: the ${what} is not valid JSON (${(err as Error).message})`);
    }
}

/**
 * ":line:column" of a JSON syntax error, or "" when it cannot be placed. V8 gives
 * an offset for some errors ("... at position 45") and none for others
 * ("Unexpected token 'd', ..."); for those, the yaml package's JSON-schema parse
 * of the same text names the line and column of the first thing JSON does not allow.
 */
export function jsonErrorPosition(text: string, err: Error): string {
    const at = (offset: number) => {
        const before = text.slice(0, offset);
        return `:${before.split("\n").length}:${offset - before.lastIndexOf("\n")}`;
    };
    const m = /at position (\d+)/.exec(err.message);
    if (m) return at(Number(m[1]));
    if (/Unexpected end of JSON input/.test(err.message)) return at(text.trimEnd().length);
    const pos = parseDocument(text, { schema: "json" }).errors[0]?.linePos?.[0];
    return pos ? `:${pos.line}:${pos.col}` : "";
}

/** A pack config file (`pulumi preview --policy-pack-config`'s JSON), refused with every problem named. */
export function readPackConfig(f: string): PolicyPackConfig {
    const c = readJson(f, "policy pack config");
    const problems = packConfigProblems(c, RULES);
    if (problems.length)
        throw new InputError(
            `${f}: the policy pack config has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
        );
    return c as PolicyPackConfig;
}

/** Checks the parts of the plan format the policies read, naming the first thing that is wrong. */
export function readPlan(file: string): { stack: string; resources: CapturedResource[] } {
    const plan = readJson(file, "plan file") as Record<string, unknown>;
    const bad = (why: string) =>
        new InputError(
            `${file}: not a plan file: ${why} (expected the format \`npm run plan\` writes: { stack, resources: [{ urn, type, name, parent, provider, inputs, options }] })`,
        );
    if (!plan || typeof plan !== "object" || Array.isArray(plan)) throw bad("the top level is not an object");
    if (isFailedPlanFile(plan)) {
        const why = plan.failed.waitingOn?.length
            ? `waits on ${plan.failed.waitingOn.join(", ")}, which did not plan`
            : `failed: ${String(plan.failed.error).replace(/\s*\n\s*/g, " ")}`;
        throw new InputError(
            `${file}: stack ${plan.stack} has no current plan: the last \`npm run plan\` of it ${why}. Fix it and plan again; policy-check does not judge a failed plan`,
        );
    }
    if (typeof plan.stack !== "string") throw bad('"stack" is missing or not a string');
    if (!Array.isArray(plan.resources)) throw bad('"resources" is missing or not a list');
    plan.resources.forEach((r: any, i: number) => {
        if (!r || typeof r !== "object") throw bad(`resources[${i}] is not an object`);
        for (const k of ["urn", "type", "name"]) if (typeof r[k] !== "string") throw bad(`resources[${i}].${k} is missing or not a string`);
        if (!r.inputs || typeof r.inputs !== "object") throw bad(`resources[${i}] (${r.urn}) has no "inputs" object`);
        // Plans written before options were recorded still judge by inputs; nothing is protected or depends on anything.
        r.options ??= { protect: false, ignoreChanges: [], retainOnDelete: false, deleteBeforeReplace: false, additionalSecretOutputs: [], dependencies: [] };
        r.options.dependencies ??= [];
        r.parent ??= null;
        r.provider ??= null;
    });
    return { stack: plan.stack, resources: plan.resources as CapturedResource[] };
}

export const POLICY_CHECK_CLI: CliSpec = {
    tool: "policy-check",
    summary: "Judge plan files (written by npm run plan) with the policy pack; exit 1 on a mandatory violation, 2 on bad input.",
    flags: [
        { name: "config", value: "<pack-config.json>", help: "policy pack config, the JSON pulumi preview --policy-pack-config takes" },
        { name: "summary", help: "print counts per rule and per stack instead of each violation" },
        { name: "list-rules", help: "print each rule's name, default level, frameworks and description, and judge nothing" },
        { name: "format", value: "<text|sarif>", choices: ["text", "sarif"], help: "text (default) or a SARIF 2.1.0 log on stdout for code-scanning UIs" },
    ],
    positional: { name: "<plan.json>", help: "plan files to judge (plan/*.json)" },
};

export async function policyCheck(argv: string[], out: (s: string) => void = console.log): Promise<number> {
    let args;
    try {
        args = parseArgs(POLICY_CHECK_CLI, argv);
    } catch (err) {
        // One error class for callers: a bad command line is bad input like a bad file.
        throw err instanceof UsageError ? new InputError(err.message) : err;
    }
    if (args.help) {
        out(helpText(POLICY_CHECK_CLI));
        return 0;
    }
    if (has(args, "list-rules")) {
        if (args.positionals.length) throw new InputError("--list-rules judges nothing: give it without plan files");
        for (const line of ruleList(RULES)) out(line);
        return 0;
    }
    const format = one(args, "format") ?? "text";
    if (format === "sarif" && has(args, "summary")) throw new InputError("--summary and --format sarif do not go together: SARIF lists every result");
    const files = args.positionals;
    const configFile = one(args, "config");
    const config = configFile === undefined ? undefined : readPackConfig(configFile);
    if (!files.length) throw new InputError(`give at least one plan file\n${synopsis(POLICY_CHECK_CLI)}`);
    // Read every file before judging any, so a typo in the last one does not hide behind a long report.
    const refused: string[] = [];
    const plans = files.flatMap((f) => {
        try {
            return [{ file: f, ...readPlan(f) }];
        } catch (err) {
            if (!(err instanceof InputError)) throw err;
            refused.push(err.message);
            return [];
        }
    });
    if (refused.length) throw new InputError(refused.join("\npolicy-check: "));
    const judged: JudgedPlan[] = [];
    for (const p of plans) {
        const report = await evaluatePolicies(p.resources, { config });
        judged.push({ file: p.file, stack: p.stack, resources: p.resources.length, violations: report.violations });
    }
    const blocking = judged.reduce((n, p) => n + mandatory({ violations: [...p.violations] } as PolicyReport).length, 0);
    if (format === "sarif") {
        out(JSON.stringify(toSarif(judged, RULES, packVersion()), null, 2));
        return blocking ? 1 : 0;
    }
    for (const line of has(args, "summary") ? summaryReport(judged) : groupedReport(judged)) out(line);
    out(
        blocking
            ? `policy-check: ${blocking} mandatory violation${blocking === 1 ? "" : "s"}; a real preview with this pack would fail`
            : "policy-check: no mandatory violations",
    );
    return blocking ? 1 : 0;
}

/** The pack's version: the project's, from package.json. */
function packVersion(): string {
    return (JSON.parse(fs.readFileSync(path.join(projectRoot(), "package.json"), "utf8")) as { version: string }).version;
}

if (require.main === module) {
    // runCli sets process.exitCode rather than ending the process: the process ends once stdout has drained, so a piped report is whole.
    void runCli(POLICY_CHECK_CLI, () => policyCheck(process.argv.slice(2)), [InputError]);
}
