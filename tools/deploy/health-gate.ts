import { spawnSync } from "child_process";
import { ALERT_CLASSES, ALERT_DEFINITIONS, type AlertClass } from "../../components/observability/alerts";
import { cloudWatchAlarmName } from "../../components/observability/aws-alarms";
import { regionDownAlarmName } from "../../components/observability/region-watch";
import { NAMESPACE } from "../../stacks/config";
import { REGIONAL_OUTPUT_NAMES } from "../../stacks/contract";
import { readStackConfig } from "../../stacks/stack-files";
import { CliSpec, has, one, Parsed, runCli, synopsis, UsageError } from "../cli-args";

/**
 * The post-deploy health gate of the rollout (.github/workflows/deploy.yml, README "Delivery"):
 * after `pulumi up` of one stack, before the next wave starts,
 * 1. the stack's outputs answer (and name what the stacks reading it need);
 * 2. the Route 53 health check of every region the stack serves is green;
 * 3. no P0 or P1 alarm of those regions is in ALARM (the class alarms, named by
 *    cloudWatchAlarmName, and the region-down alarm that watches each region from outside it).
 * Any failure exits 1, so the job fails and no later wave runs.
 */

/** The alert classes that stop a rollout: P0 and P1 (spec "Alerting Strategy": page within 5 and 15 minutes). */
export const BLOCKING_CLASSES: readonly AlertClass[] = ALERT_CLASSES.filter((c) => c === "P0" || c === "P1");

/**
 * Route 53 calls an endpoint healthy when MORE than 18% of its health checkers report it healthy
 * (test/upstream/route53/health-check-status.json). The gate asks the same of the checkers' latest reports.
 */
export const ROUTE53_HEALTHY_SHARE = 0.18;

/** Soak of the infrastructure canary (us-east-1) before the other regions follow: the gate is re-run every interval for this long. */
export const CANARY_SOAK_MINUTES = 30;

/**
 * How long every other stack's gate watches after its `up`: the longest a P0/P1 alarm takes to go
 * to ALARM (its forMinutes in the alert table), so a regression the deploy caused can fire before the
 * next wave starts.
 */
export const ALARM_WINDOW_MINUTES = Math.max(...ALERT_DEFINITIONS.filter((d) => BLOCKING_CLASSES.includes(d.class)).map((d) => d.forMinutes));
export const SOAK_INTERVAL_SECONDS = 60;

/** Outputs a stack must answer with: what the stacks and workflows reading it use. */
export const EXPECTED_OUTPUTS: Readonly<Record<string, readonly string[]>> = {
    bootstrap: ["hostedZoneId", "runner", "ciRoleArn", "domainName"],
    regional: REGIONAL_OUTPUT_NAMES,
    global: ["healthCheckIds", "regionWatchedFrom", "distributionId", "recoveryPlanArns"],
};

export interface GateItem {
    check: "outputs" | "health check" | "alarms";
    subject: string;
    ok: boolean;
    detail: string;
    /** Not failed yet: a new health check whose checkers have not reported. Still failing at the end of the window, it fails. */
    pending?: boolean;
}

/** Runs a command; returns its exit status and output (tests give a fake). */
export type Shell = (cmd: string, args: string[]) => { status: number; stdout: string; stderr: string };

export const realShell: Shell = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? String(r.error ?? "") };
};

export interface GateTarget {
    stack: string;
    role: string;
    region: string;
    /** Pulumi organisation (vars.PULUMI_ORG). */
    org: string;
    project?: string;
}

/** The stack's role and region from its stack file. */
export function gateTarget(stack: string, org: string, root?: string): GateTarget {
    const raw = readStackConfig(stack, root);
    const role = raw[`${NAMESPACE}:role`];
    const region = raw["aws:region"];
    if (!role || !region) throw new Error(`Pulumi.${stack}.yaml: ${NAMESPACE}:role and aws:region are required for the health gate`);
    return { stack, role, region, org };
}

function json(sh: Shell, cmd: string, args: string[]): { value?: unknown; error?: string } {
    const r = sh(cmd, args);
    if (r.status !== 0) return { error: `${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr.trim().split("\n").slice(-1)[0] ?? ""}` };
    try {
        return { value: JSON.parse(r.stdout) };
    } catch {
        return { error: `${cmd} ${args.join(" ")} did not print JSON` };
    }
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

function stackOutputs(sh: Shell, t: GateTarget, stack: string): { value?: Record<string, unknown>; error?: string } {
    const r = json(sh, "pulumi", ["stack", "output", "--stack", `${t.org}/${t.project ?? NAMESPACE}/${stack}`, "--json"]);
    if (r.error) return { error: r.error };
    return isRecord(r.value) ? { value: r.value } : { error: `pulumi stack output of ${stack} is not an object` };
}

/** Share of Route 53's checkers whose latest report is a success, from `aws route53 get-health-check-status`. */
export function healthyShare(status: unknown): { share: number; observations: number } {
    const obs = (isRecord(status) && Array.isArray(status.HealthCheckObservations) ? status.HealthCheckObservations : []) as {
        StatusReport?: { Status?: string };
    }[];
    const ok = obs.filter((o) => /^Success\b/.test(String(o.StatusReport?.Status ?? ""))).length;
    return { share: obs.length ? ok / obs.length : 0, observations: obs.length };
}

/** Name prefixes of the blocking alarms about a region: `P0-bookedbarber-<region>-`, `P1-...`, and its region-down alarm. */
export function alarmPrefixes(region: string): string[] {
    return [...BLOCKING_CLASSES.map((c) => cloudWatchAlarmName(c, region, "")), regionDownAlarmName(region)];
}

/** One pass of the gate over a deployed stack. */
export function runGate(t: GateTarget, sh: Shell = realShell): GateItem[] {
    const items: GateItem[] = [];
    const own = stackOutputs(sh, t, t.stack);
    const expected = EXPECTED_OUTPUTS[t.role === "primary" || t.role === "standby" ? "regional" : t.role] ?? [];
    if (own.error || !own.value) {
        items.push({ check: "outputs", subject: t.stack, ok: false, detail: own.error ?? "no outputs" });
    } else {
        const missing = expected.filter((k) => !(k in own.value!));
        const empty = Object.keys(own.value).length === 0;
        items.push({
            check: "outputs",
            subject: t.stack,
            ok: !empty && missing.length === 0,
            detail: empty
                ? "the stack has no outputs"
                : missing.length
                  ? `missing ${missing.join(", ")}`
                  : `${Object.keys(own.value).length} outputs, including ${expected.join(", ") || "(none required)"}`,
        });
    }
    if (t.role === "bootstrap") return items;

    // Health checks and the region-down watch live in the global stack (components/edge-network, region-watch).
    const global = t.role === "global" ? own : stackOutputs(sh, t, "global");
    const ids = isRecord(global.value?.healthCheckIds) ? (global.value!.healthCheckIds as Record<string, string>) : undefined;
    const watchedFrom = isRecord(global.value?.regionWatchedFrom) ? (global.value!.regionWatchedFrom as Record<string, string>) : {};
    const regions = t.role === "global" ? Object.keys(ids ?? {}) : [t.region];
    if (!ids) {
        // First rollout only: the regional waves deploy before the global stack that creates the health checks.
        items.push({
            check: "health check",
            subject: t.stack,
            ok: t.role !== "global",
            detail: "the global stack has no healthCheckIds output yet (first rollout: the global wave creates them)",
        });
    }
    for (const region of regions) {
        if (!ids) break;
        const id = ids[region];
        if (!id) {
            items.push({ check: "health check", subject: region, ok: false, detail: `the global stack's healthCheckIds has no entry for ${region}` });
            continue;
        }
        const r = json(sh, "aws", ["route53", "get-health-check-status", "--health-check-id", id, "--output", "json"]);
        const { share, observations } = healthyShare(r.value);
        items.push({
            check: "health check",
            subject: `${region} (${id})`,
            ok: !r.error && share > ROUTE53_HEALTHY_SHARE,
            detail:
                r.error ??
                (observations
                    ? `${Math.round(share * 100)}% of ${observations} checkers report success (healthy above ${ROUTE53_HEALTHY_SHARE * 100}%)`
                    : "no checker has reported yet"),
            ...(!r.error && observations === 0 ? { pending: true } : {}),
        });
    }

    for (const region of regions) {
        // Class alarms live in the region; the region-down alarm in the region that watches it.
        const where = [...new Set([region, watchedFrom[region]].filter(Boolean))];
        const firing: string[] = [];
        let error: string | undefined;
        for (const at of where) {
            for (const prefix of alarmPrefixes(region)) {
                const r = json(sh, "aws", [
                    "cloudwatch",
                    "describe-alarms",
                    "--region",
                    at,
                    "--state-value",
                    "ALARM",
                    "--alarm-name-prefix",
                    prefix,
                    "--output",
                    "json",
                ]);
                if (r.error) error = r.error;
                const v = isRecord(r.value) ? r.value : {};
                for (const a of [...((v.MetricAlarms as unknown[]) ?? []), ...((v.CompositeAlarms as unknown[]) ?? [])])
                    firing.push(`${String((a as { AlarmName?: string }).AlarmName)} (${at})`);
            }
        }
        items.push({
            check: "alarms",
            subject: region,
            ok: !error && firing.length === 0,
            detail: error ?? (firing.length ? `in ALARM: ${firing.join(", ")}` : `no ${BLOCKING_CLASSES.join("/")} alarm in ALARM (${where.join(", ")})`),
        });
    }
    return items;
}

export function formatGate(items: readonly GateItem[]): string[] {
    return items.map((i) =>
        i.ok
            ? `ok      ${i.check}: ${i.subject}: ${i.detail}`
            : i.pending
              ? `pending ${i.check}: ${i.subject}: ${i.detail}`
              : `::error::health gate ${i.check}: ${i.subject}: ${i.detail}`,
    );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs the gate every interval for the window (the soak on the canary, ALARM_WINDOW_MINUTES otherwise);
 * resolves false on the first failing pass. A pending item (no health-checker report yet) is tolerated
 * until the window ends.
 */
export async function gate(
    t: GateTarget,
    opts: {
        soakMinutes?: number;
        intervalSeconds?: number;
        sh?: Shell;
        log?: (l: string) => void;
        now?: () => number;
        wait?: (ms: number) => Promise<unknown>;
    } = {},
): Promise<boolean> {
    const log = opts.log ?? console.log;
    const now = opts.now ?? Date.now;
    const wait = opts.wait ?? sleep;
    const start = now();
    const until = start + (opts.soakMinutes ?? 0) * 60_000;
    for (let pass = 1; ; pass++) {
        const items = runGate(t, opts.sh);
        log(`health gate ${t.stack}, pass ${pass} at +${Math.round((now() - start) / 1000)} s:`);
        formatGate(items).forEach((l) => log(`  ${l}`));
        if (items.some((i) => !i.ok && !i.pending)) return false;
        if (now() >= until) return !items.some((i) => i.pending);
        await wait((opts.intervalSeconds ?? SOAK_INTERVAL_SECONDS) * 1000);
    }
}

export const HEALTH_GATE_CLI: CliSpec = {
    tool: "health-gate",
    command: "node dist/tools/deploy/health-gate.js",
    summary: "After a deploy, watch a stack's health checks and alarms; exit 1 when one fails (env PULUMI_ORG; Pulumi and AWS credentials).",
    flags: [
        { name: "canary", help: `watch for the canary soak (${CANARY_SOAK_MINUTES} min) instead of one alarm window` },
        { name: "soak-minutes", value: "<N>", help: `minutes to watch (default ${ALARM_WINDOW_MINUTES}, one alarm window)` },
    ],
    positional: { name: "<stack>", help: "the stack just deployed", fixed: true },
};

async function main(args: Parsed): Promise<number> {
    const raw = one(args, "soak-minutes");
    if (has(args, "canary") && raw !== undefined) throw new UsageError(`--canary and --soak-minutes exclude each other\n${synopsis(HEALTH_GATE_CLI)}`);
    const soak = has(args, "canary") ? CANARY_SOAK_MINUTES : raw !== undefined ? Number(raw) : ALARM_WINDOW_MINUTES;
    if (!Number.isFinite(soak) || soak < 0)
        throw new UsageError(`--soak-minutes = ${JSON.stringify(raw)}: must be a number of minutes, 0 or more\n${synopsis(HEALTH_GATE_CLI)}`);
    const [stack, ...extra] = args.positionals;
    if (!stack || extra.length) throw new UsageError(`needs exactly one <stack>\n${synopsis(HEALTH_GATE_CLI)}`);
    const ok = await gate(gateTarget(stack, process.env.PULUMI_ORG || NAMESPACE), { soakMinutes: soak });
    console.log(
        ok ? `health gate ${stack}: passed (watched ${soak} min)` : `health gate ${stack}: FAILED; the rollout stops here (README "Delivery": rollback)`,
    );
    return ok ? 0 : 1;
}

if (require.main === module) {
    void runCli(HEALTH_GATE_CLI, (args) =>
        main(args).catch((err: Error) => {
            if (err instanceof UsageError) throw err;
            console.error(`::error::health gate: ${err.message}`);
            return 2;
        }),
    );
}
