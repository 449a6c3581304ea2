import type { CapturedResource } from "../mock-engine";
import type { PlanFile } from "../plan-file";
import { capacityOf } from "../capacity";
import { list, obj, ofType, roleOf, zoneOf } from "../capacity/plan-reader";
import { Duration, DURATIONS, RPO_TARGET_SECONDS, RTO_TARGET_SECONDS } from "./durations";
import type { RecoverySection, RecoveryStep } from "./types";

export type { RecoverySection, RecoveryStep } from "./types";
export { DURATIONS, RPO_TARGET_SECONDS, RTO_TARGET_SECONDS } from "./durations";

type Obj = Record<string, unknown>;

/** Every step of a workflow, parallel blocks opened. */
function flatSteps(steps: unknown): Obj[] {
    return list(steps)
        .map(obj)
        .flatMap((s) => (s.executionBlockType === "Parallel" ? list(s.parallelConfigs).flatMap((p) => flatSteps(obj(p).steps)) : [s]));
}

const fromTable = (step: string, d: Duration, seconds = d.seconds, from = "duration table"): Omit<RecoveryStep, "startsAt" | "endsAt"> => ({
    step,
    seconds,
    basis: d.basis,
    source: d.source,
    retrieved: d.retrieved,
    from,
});

interface ZoneInputs {
    zone: string;
    global?: PlanFile;
    primary?: PlanFile;
    standby?: PlanFile;
}

function zoneInputs(plan: PlanFile, all: ReadonlyMap<string, PlanFile>, zone: string): ZoneInputs {
    const plans = [...all.values()];
    return {
        zone,
        global: plans.find((p) => roleOf(p) === "global"),
        primary: plans.find((p) => zoneOf(p) === zone && roleOf(p) === "primary"),
        standby: plans.find((p) => zoneOf(p) === zone && roleOf(p) === "standby") ?? (roleOf(plan) === "standby" ? plan : undefined),
    };
}

/** The standby's warm backend nodes and the nodes its zone's peak needs (from the capacity model). */
function standbyNodes(standby: PlanFile | undefined, all: ReadonlyMap<string, PlanFile>) {
    if (!standby) return undefined;
    const cap = standby.capacity ?? capacityOf(standby, all);
    if (!cap.nodes) return undefined;
    return { stack: standby.stack, warm: cap.nodes.minSize, atPeak: cap.nodes.nodesAtPeak, podsNeeded: cap.pods?.needed ?? 0 };
}

/** Time to bring the standby's backend to the zone's peak from `warm` nodes. */
export function scaleUpSeconds(warm: number, atPeak: number): { seconds: number; parts: Omit<RecoveryStep, "startsAt" | "endsAt">[] } {
    const pod = fromTable("backend pods start on running nodes", DURATIONS.podStart);
    if (warm >= atPeak) return { seconds: pod.seconds, parts: [pod] };
    const parts = [
        fromTable("cluster autoscaler sees the pending pods", DURATIONS.clusterAutoscalerScan),
        fromTable(`${atPeak - warm} nodes launch and join`, DURATIONS.nodeLaunchToReady),
        fromTable("backend pods start on the new nodes", DURATIONS.podStart),
    ];
    return { seconds: parts.reduce((a, p) => a + p.seconds, 0), parts };
}

/** The zone's failover as the global stack's plan runs it, timed step by step. */
export function zoneRecovery(inputs: ZoneInputs, all: ReadonlyMap<string, PlanFile>, warmOverride?: number): RecoverySection {
    const problems: string[] = [];
    const { zone, global } = inputs;
    const primaryRegion = String(inputs.primary?.config["aws:region"] ?? "");
    const arc = global ? ofType(global, "aws:arcregionswitch/plan:Plan").find((p) => p.inputs.name === `bookedbarber-${zone}-failover`) : undefined;
    if (!global) problems.push("the global stack is not in this run: the DR plan, health checks and records cannot be read");
    else if (!arc) problems.push(`the global stack has no ARC Region switch plan for zone ${zone}`);
    const steps: RecoveryStep[] = [];
    let t = 0;
    const serial = (s: Omit<RecoveryStep, "startsAt" | "endsAt">) => {
        steps.push({ ...s, startsAt: t, endsAt: t + s.seconds });
        t += s.seconds;
    };

    // 1. Detection: the zone primary's endpoint health check.
    const hc = global
        ? ofType(global, "aws:route53/healthCheck:HealthCheck").find((h) => String(h.inputs.fqdn ?? "").startsWith(`${primaryRegion}.`))
        : undefined;
    if (hc) {
        const interval = Number(hc.inputs.requestInterval),
            threshold = Number(hc.inputs.failureThreshold);
        serial({
            step: `health check of ${hc.inputs.fqdn} fails ${threshold} times`,
            seconds: interval * threshold,
            basis: "documented",
            source: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html (unhealthy after FailureThreshold consecutive failed checks, one per RequestInterval)",
            retrieved: DURATIONS.elbAliasTtl.retrieved,
            from: `${hc.name}: requestInterval ${interval} x failureThreshold ${threshold}`,
        });
    } else if (global) problems.push(`no Route 53 health check of the zone primary ${primaryRegion}`);

    // 2. Start: an ARC trigger on the plan's alarms, or nobody.
    const triggers = list(arc?.inputs.triggers)
        .map(obj)
        .filter((tr) => tr.action === "activate");
    const alarms = global ? ofType(global, "aws:cloudwatch/metricAlarm:MetricAlarm") : [];
    let start: RecoverySection["start"] = "operator";
    const standbyRegion = String(inputs.standby?.config["aws:region"] ?? "");
    if (arc && triggers.length > 0 && standbyRegion && triggers[0].targetRegion !== standbyRegion) {
        problems.push(`zone ${zone}: the ARC trigger activates ${String(triggers[0].targetRegion)}, not the standby ${standbyRegion}`);
    }
    if (arc && triggers.length > 0) {
        start = "automatic";
        const red = list(triggers[0].conditions)
            .map(obj)
            .filter((c) => c.condition === "red")
            .map((c) => String(c.associatedAlarmName));
        const keyToAlarm = new Map(
            list(arc.inputs.associatedAlarms)
                .map(obj)
                .map((a) => [String(a.mapBlockKey), String(a.resourceIdentifier)]),
        );
        const guard = red
            .map((key) => alarms.find((a) => a.inputs.name === key || keyToAlarm.get(key)?.endsWith(`:${a.inputs.name}`)))
            .filter((a): a is CapturedResource => a !== undefined)
            .map((a) => ({ a, seconds: Number(a.inputs.period) * Number(a.inputs.datapointsToAlarm ?? a.inputs.evaluationPeriods) }))
            .sort((x, y) => y.seconds - x.seconds)[0];
        if (guard) {
            serial({
                step: `alarm ${guard.a.inputs.name} stays red`,
                seconds: guard.seconds,
                basis: "documented",
                source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html (an alarm goes to ALARM after DatapointsToAlarm breaching periods)",
                retrieved: DURATIONS.elbAliasTtl.retrieved,
                from: `${guard.a.name}: period ${guard.a.inputs.period} x datapointsToAlarm ${guard.a.inputs.datapointsToAlarm ?? guard.a.inputs.evaluationPeriods}`,
            });
        } else problems.push(`zone ${zone}: the ARC trigger's red condition names no alarm the plan creates`);
        serial(fromTable("ARC starts the plan execution", DURATIONS.arcTriggerEvaluation));
    } else if (arc) {
        problems.push(`zone ${zone}: the ARC plan has no activate trigger, so a failover waits for an operator; the model cannot time a person`);
    }

    // 3. The plan's parallel block: databases, cache, compute.
    const planSteps = arc ? flatSteps(obj(list(arc.inputs.workflows)[0]).steps) : [];
    const parallelStart = t;
    const parallel: Omit<RecoveryStep, "startsAt" | "endsAt">[] = [];
    const aurora = planSteps.filter((s) => s.executionBlockType === "AuroraGlobalDatabase");
    if (aurora.length)
        parallel.push(
            fromTable(
                `Aurora global failover of ${aurora.length} shards`,
                DURATIONS.auroraGlobalFailover,
                undefined,
                `${aurora.length} AuroraGlobalDatabase steps`,
            ),
        );
    else if (arc) problems.push(`zone ${zone}: the plan does not fail the Aurora shards over`);
    const cache = planSteps.filter((s) => s.executionBlockType === "CustomActionLambda" && /Global Datastore/.test(String(s.description ?? "")));
    if (cache.length) parallel.push(fromTable("Global Datastore failover", DURATIONS.globalDatastoreFailover, undefined, `step ${cache[0].name}`));
    else if (arc) problems.push(`zone ${zone}: the plan never promotes the cache's Global Datastore, so the standby's cache stays read-only`);
    const nodes = standbyNodes(inputs.standby, all);
    const warm = warmOverride ?? nodes?.warm ?? 0;
    const scale = planSteps.find((s) => s.executionBlockType === "EKSResourceScaling");
    if (!nodes) problems.push(`zone ${zone}: the standby stack is not in this run, so its warm size is unknown`);
    if (scale && nodes) {
        const up = scaleUpSeconds(warm, nodes.atPeak);
        let at = parallelStart;
        for (const p of up.parts) {
            steps.push({ ...p, startsAt: at, endsAt: at + p.seconds });
            at += p.seconds;
        }
        parallel.push({ ...up.parts[0], step: "standby scale-up", seconds: up.seconds });
    } else if (arc && !scale) problems.push(`zone ${zone}: the plan does not scale the standby's compute`);
    for (const p of parallel.filter((x) => x.step !== "standby scale-up")) steps.push({ ...p, startsAt: parallelStart, endsAt: parallelStart + p.seconds });
    t = parallelStart + Math.max(0, ...parallel.map((p) => p.seconds));

    // 4. DNS: the failover record's answer expires from resolvers.
    const record = global
        ? ofType(global, "aws:route53/record:Record").find(
              (r) => list(r.inputs.failoverRoutingPolicies).some((f) => obj(f).type === "PRIMARY") && r.inputs.setIdentifier === primaryRegion,
          )
        : undefined;
    if (record) {
        const ttl = record.inputs.ttl;
        if (typeof ttl === "number") {
            serial({
                step: `resolvers drop ${record.inputs.name}`,
                seconds: ttl,
                basis: "documented",
                retrieved: DURATIONS.elbAliasTtl.retrieved,
                source: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-basic.html (TTL: how long resolvers cache the record)",
                from: `${record.name}: ttl ${ttl}`,
            });
        } else
            serial({
                ...fromTable(`resolvers drop ${record.inputs.name} (alias to the load balancer)`, DURATIONS.elbAliasTtl),
                from: `${record.name}: alias record`,
            });
    } else if (global) problems.push(`zone ${zone}: no PRIMARY failover record for ${primaryRegion}`);

    const rto = t;
    const rpoParam = inputs.primary
        ? ofType(inputs.primary, "aws:rds/clusterParameterGroup:ClusterParameterGroup")
              .flatMap((g) => list(g.inputs.parameters).map(obj))
              .find((p) => p.name === "rds.global_db_rpo")
        : undefined;
    const auroraRpo = rpoParam ? Number(rpoParam.value) : DURATIONS.auroraReplicationLag.seconds;
    const rpo = Math.max(auroraRpo, DURATIONS.globalDatastoreReplicationLag.seconds);

    // The warm size the RTO needs: none if a cold scale-up from zero still fits, else every node of the peak.
    let warmNodesNeeded = 0;
    if (nodes && scale) {
        const others = parallel.filter((p) => p.step !== "standby scale-up").map((p) => p.seconds);
        const block = (w: number) => Math.max(scaleUpSeconds(w, nodes.atPeak).seconds, ...others);
        const rtoFromCold = rto - block(warm) + block(0);
        warmNodesNeeded = rtoFromCold <= RTO_TARGET_SECONDS ? 0 : nodes.atPeak;
    }
    if (rto > RTO_TARGET_SECONDS) problems.push(`zone ${zone}: modelled RTO ${rto} s exceeds ${RTO_TARGET_SECONDS} s`);
    if (rpo > RPO_TARGET_SECONDS) problems.push(`zone ${zone}: modelled RPO ${rpo} s exceeds ${RPO_TARGET_SECONDS} s`);
    return {
        zone,
        start,
        rtoSeconds: rto,
        rpoSeconds: rpo,
        met: problems.length === 0,
        rtoTargetSeconds: RTO_TARGET_SECONDS,
        rpoTargetSeconds: RPO_TARGET_SECONDS,
        steps: steps.sort((a, b) => a.startsAt - b.startsAt),
        standby: {
            stack: nodes?.stack ?? "(not planned)",
            warmNodes: warm,
            nodesAtPeak: nodes?.atPeak ?? 0,
            nodesToAdd: Math.max((nodes?.atPeak ?? 0) - warm, 0),
            warmNodesNeeded,
        },
        problems,
    };
}

/** The `recovery` section of a stack: its zone's failover; the global stack reports every zone and the worst RTO and RPO. */
export function recoveryOf(plan: PlanFile, all: ReadonlyMap<string, PlanFile>): RecoverySection {
    if (roleOf(plan) !== "global") return zoneRecovery(zoneInputs(plan, all, zoneOf(plan)), all);
    const zones = [...new Set([...all.values()].map(zoneOf).filter((z) => z))].sort().map((z) => zoneRecovery(zoneInputs(plan, all, z), all));
    const worst = (k: "rtoSeconds" | "rpoSeconds") => Math.max(0, ...zones.map((z) => z[k]));
    return {
        zone: "all",
        start: zones.every((z) => z.start === "automatic") ? "automatic" : "operator",
        rtoSeconds: worst("rtoSeconds"),
        rpoSeconds: worst("rpoSeconds"),
        met: zones.length > 0 && zones.every((z) => z.met),
        rtoTargetSeconds: RTO_TARGET_SECONDS,
        rpoTargetSeconds: RPO_TARGET_SECONDS,
        steps: [],
        standby: { stack: "(per zone)", warmNodes: 0, nodesAtPeak: 0, nodesToAdd: 0, warmNodesNeeded: 0 },
        problems: zones.flatMap((z) => z.problems),
        zones,
    };
}
