import { NAMESPACE, parseStackConfig } from "../../stacks/config";
import { ZONE_REGIONS } from "../../stacks/regions";
import { readStackConfig, siblingStacks } from "../../stacks/stack-files";
import { realShell, Shell } from "./health-gate";
import { CliSpec, runCli, synopsis, UsageError } from "../cli-args";

/**
 * The weekly DR drill of one zone (.github/workflows/dr-drill.yml, docs/runbooks/game-day.md):
 * - validate: ARC's own evaluation of the zone's Region switch plan must be `passed`;
 * - execute (non-production only): activate the standby with the plan, time it to a completed
 *   execution (the measured RTO, held to recoveryTimeObjectiveMinutes), then activate the primary again.
 * The result goes to the zone primary's P3 topic (spec "Alerting Strategy": P3, trends and reports).
 */

/** Terminal execution states (ARC Region switch API, AbbreviatedExecution.executionState; test/upstream/arc-region-switch/api.json). */
export const EXECUTION_SUCCEEDED = ["completed", "completedWithExceptions", "completedMonitoringApplicationHealth"] as const;
export const EXECUTION_STOPPED = ["failed", "canceled", "planExecutionTimedOut", "pausedByFailedStep", "pausedByOperator", "pendingManualApproval"] as const;
export const POLL_SECONDS = 15;
/** A drill that has not finished by then is a failed drill (the spec's RTO is 5 minutes). */
export const EXECUTION_TIMEOUT_MINUTES = 60;

export type DrillMode = "validate" | "execute";

export interface DrillResult {
    zone: string;
    mode: DrillMode;
    planArn?: string;
    evaluation?: string;
    /** Seconds from start-plan-execution to a completed execution, measured here. */
    measuredRtoSeconds?: number;
    /** ARC's own figure (actualRecoveryTime), when it gives one. */
    arcRecoveryTime?: string;
    failbackSeconds?: number;
    rtoTargetMinutes: number;
    ok: boolean;
    problems: string[];
}

export interface DrillOptions {
    zone: string;
    mode: DrillMode;
    /** Pulumi organization of the deployment drilled. */
    org: string;
    /** Pulumi organization of production: an execute drill there is refused. */
    productionOrg: string;
    sh?: Shell;
    now?: () => number;
    wait?: (ms: number) => Promise<unknown>;
    comment?: string;
}

function json(sh: Shell, cmd: string, args: string[]): unknown {
    const r = sh(cmd, args);
    if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 2).join(" ")} exited ${r.status}: ${r.stderr.trim().split("\n").slice(-1)[0] ?? ""}`);
    return JSON.parse(r.stdout || "{}");
}

/** The RTO the plans are held to: the global stack's recoveryTimeObjectiveMinutes. */
export function rtoTargetMinutes(): number {
    const cfg = parseStackConfig(readStackConfig("global"), "global", NAMESPACE, siblingStacks());
    return Number(cfg.values.recoveryTimeObjectiveMinutes);
}

async function execute(
    sh: Shell,
    planArn: string,
    region: string,
    comment: string,
    now: () => number,
    wait: (ms: number) => Promise<unknown>,
): Promise<{ seconds: number; state: string; arc?: string }> {
    const start = now();
    const started = json(sh, "aws", [
        "arc-region-switch",
        "start-plan-execution",
        "--plan-arn",
        planArn,
        "--target-region",
        region,
        "--action",
        "activate",
        "--mode",
        "graceful",
        "--comment",
        comment,
        "--output",
        "json",
    ]) as { executionId?: string };
    if (!started.executionId) throw new Error("start-plan-execution returned no executionId");
    for (;;) {
        const ex = json(sh, "aws", [
            "arc-region-switch",
            "get-plan-execution",
            "--plan-arn",
            planArn,
            "--execution-id",
            started.executionId,
            "--output",
            "json",
        ]) as { executionState?: string; actualRecoveryTime?: string };
        const state = String(ex.executionState);
        const seconds = Math.round((now() - start) / 1000);
        if ((EXECUTION_SUCCEEDED as readonly string[]).includes(state) || (EXECUTION_STOPPED as readonly string[]).includes(state))
            return { seconds, state, arc: ex.actualRecoveryTime };
        if (seconds > EXECUTION_TIMEOUT_MINUTES * 60) return { seconds, state: `${state} after ${EXECUTION_TIMEOUT_MINUTES} min` };
        await wait(POLL_SECONDS * 1000);
    }
}

export async function runDrill(o: DrillOptions): Promise<DrillResult> {
    const sh = o.sh ?? realShell;
    const now = o.now ?? Date.now;
    const wait = o.wait ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
    const regions = ZONE_REGIONS[o.zone as keyof typeof ZONE_REGIONS];
    const result: DrillResult = { zone: o.zone, mode: o.mode, rtoTargetMinutes: rtoTargetMinutes(), ok: false, problems: [] };
    if (!regions) {
        result.problems.push(`zone ${JSON.stringify(o.zone)} is not one of ${Object.keys(ZONE_REGIONS).join(", ")}`);
        return result;
    }
    if (o.mode === "execute" && o.org === o.productionOrg) {
        result.problems.push(
            `refusing to execute a Region switch in the production organization ${o.org}: execute drills run against a non-production deployment (DRILL_PULUMI_ORG); production game days follow docs/runbooks/game-day.md`,
        );
        return result;
    }
    try {
        const global = json(sh, "pulumi", ["stack", "output", "--stack", `${o.org}/${NAMESPACE}/global`, "--json"]) as {
            recoveryPlanArns?: Record<string, string>;
        };
        const planArn = global.recoveryPlanArns?.[o.zone];
        if (!planArn) throw new Error(`the global stack of ${o.org} has no recoveryPlanArns.${o.zone}`);
        result.planArn = planArn;
        const evaluation = json(sh, "aws", ["arc-region-switch", "get-plan-evaluation-status", "--plan-arn", planArn, "--output", "json"]) as {
            evaluationState?: string;
            warnings?: unknown[];
        };
        result.evaluation = String(evaluation.evaluationState);
        if (evaluation.evaluationState !== "passed")
            result.problems.push(
                `ARC evaluates the plan ${result.evaluation}${evaluation.warnings?.length ? `: ${JSON.stringify(evaluation.warnings).slice(0, 500)}` : ""}`,
            );
        if (o.mode === "execute" && result.problems.length === 0) {
            const comment = o.comment ?? "DR drill";
            const over = await execute(sh, planArn, regions.standby, comment, now, wait);
            result.measuredRtoSeconds = over.seconds;
            result.arcRecoveryTime = over.arc;
            if (!(EXECUTION_SUCCEEDED as readonly string[]).includes(over.state)) result.problems.push(`the switch to ${regions.standby} ended ${over.state}`);
            else if (over.seconds > result.rtoTargetMinutes * 60)
                result.problems.push(`the switch to ${regions.standby} took ${over.seconds} s, over the ${result.rtoTargetMinutes} min RTO`);
            // Fail back whatever happened, so the next drill starts from the primary.
            const back = await execute(sh, planArn, regions.primary, `${comment}: fail back`, now, wait);
            result.failbackSeconds = back.seconds;
            if (!(EXECUTION_SUCCEEDED as readonly string[]).includes(back.state))
                result.problems.push(`the fail-back to ${regions.primary} ended ${back.state}`);
        }
    } catch (err) {
        result.problems.push((err as Error).message);
    }
    result.ok = result.problems.length === 0;
    return result;
}

/** Sends the result to the zone primary's P3 topic (the regional stack's observability.alertTopicArns.P3). */
export function publishResult(r: DrillResult, org: string, sh: Shell = realShell): void {
    const regions = ZONE_REGIONS[r.zone as keyof typeof ZONE_REGIONS];
    const primary = json(sh, "pulumi", ["stack", "output", "--stack", `${org}/${NAMESPACE}/${regions.primary}`, "--json"]) as {
        observability?: { alertTopicArns?: Record<string, string> };
    };
    const topic = primary.observability?.alertTopicArns?.P3;
    if (!topic) throw new Error(`stack ${regions.primary} has no observability.alertTopicArns.P3`);
    const subject = `DR drill ${r.zone} (${r.mode}): ${r.ok ? "passed" : "FAILED"}${r.measuredRtoSeconds !== undefined ? `, RTO ${r.measuredRtoSeconds} s` : ""}`;
    const out = sh("aws", [
        "sns",
        "publish",
        "--region",
        regions.primary,
        "--topic-arn",
        topic,
        "--subject",
        subject.slice(0, 99),
        "--message",
        JSON.stringify(r, null, 2),
    ]);
    if (out.status !== 0) throw new Error(`sns publish to ${topic} failed: ${out.stderr.trim()}`);
}

export const DR_DRILL_CLI: CliSpec = {
    tool: "dr-drill",
    command: "node dist/tools/deploy/dr-drill.js",
    summary:
        "Validate or execute a zone's ARC Region switch plan as a DR drill and publish the result (env DRILL_PULUMI_ORG, PULUMI_ORG; AWS and Pulumi credentials).",
    flags: [],
    positional: { name: "<zone> validate|execute", help: "the zone (us, eu, apac) and what to do with its recovery plan", fixed: true },
};

async function main(argv: string[]): Promise<number> {
    const [zone, mode] = argv;
    if (!zone || (mode !== "validate" && mode !== "execute") || argv.length > 2) throw new UsageError(synopsis(DR_DRILL_CLI));
    const productionOrg = process.env.PULUMI_ORG || NAMESPACE;
    const org = process.env.DRILL_PULUMI_ORG || productionOrg;
    const r = await runDrill({ zone, mode, org, productionOrg, comment: `DR drill ${process.env.GITHUB_RUN_ID ?? "by hand"}` });
    console.log(JSON.stringify(r, null, 2));
    r.problems.forEach((p) => console.log(`::error::DR drill ${zone}: ${p}`));
    try {
        publishResult(r, org);
    } catch (err) {
        console.log(`::error::DR drill ${zone}: ${(err as Error).message}`);
        return 1;
    }
    return r.ok ? 0 : 1;
}

if (require.main === module) {
    void runCli(DR_DRILL_CLI, (args) =>
        main(args.positionals).catch((err: Error) => {
            if (err instanceof UsageError) throw err;
            console.error(`::error::DR drill: ${err.message}`);
            return 2;
        }),
    );
}
