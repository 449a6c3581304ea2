/**
 * The alert classes of the spec ("Alerting Strategy") and the one table of
 * alert definitions that drives both the CloudWatch alarms (AWS-side metrics)
 * and the PrometheusRules (in-cluster metrics). A threshold lives here once;
 * the alarm, the rule and the dashboards read it from here.
 */
import { APP_NAMESPACE } from "../regional-cluster/manifests";
import { SCALING_TRIGGERS } from "../scaling-triggers";
import { WORKER_REPLICAS } from "../worker-scaling";
import { SPEC_RPO_SECONDS } from "../sharded-database/rpo";

export const ALERT_CLASSES = ["P0", "P1", "P2", "P3"] as const;
export type AlertClass = (typeof ALERT_CLASSES)[number];

export interface AlertClassInfo {
    /** Response time the spec gives the class, in minutes. */
    readonly responseMinutes: number;
    readonly title: string;
    /** What the spec lists under the class. */
    readonly covers: readonly string[];
}

/** Spec "Alerting Strategy": P0 5 min, P1 15 min, P2 1 h, P3 4 h. */
export const ALERT_CLASS_INFO: Readonly<Record<AlertClass, AlertClassInfo>> = {
    P0: {
        responseMinutes: 5,
        title: "Critical",
        covers: ["Service down in any region", "Database master failure", "Security incident detected", "Payment processing failure"],
    },
    P1: {
        responseMinutes: 15,
        title: "High",
        covers: ["High error rate (>1%)", "Response time degradation (>2s p95)", "Resource exhaustion (>90%)", "Failed deployment rollback"],
    },
    P2: {
        responseMinutes: 60,
        title: "Medium",
        covers: ["Moderate error rate (>0.5%)", "Resource pressure (>80%)", "Third-party service degradation", "Backup failure"],
    },
    P3: {
        responseMinutes: 240,
        title: "Low",
        covers: ["Performance trends", "Capacity planning alerts", "Security audit findings", "Documentation updates needed"],
    },
};

export type AlertUnit = "ms" | "percent" | "count";

/** What a CloudWatch alarm watches. Each target is an optional input of ObservabilityStack. */
export type CloudWatchTarget =
    | "loadBalancer"
    | "targetGroup"
    /** Every Aurora cluster of the region, whatever its role. */
    | "auroraCluster"
    /** Clusters with a writer: a single-region cluster or the primary of a global database (they publish the in-region replica lag). */
    | "auroraWriterCluster"
    /** Secondary members of a global database: only they publish the AuroraGlobalDB* lag metrics. */
    | "auroraGlobalCluster"
    | "cacheNodes"
    /** One instance per cache shard, with that shard's node ids. */
    | "cacheShards"
    /** The region's background-job queue (components/job-queue.ts). */
    | "jobQueue";

export type CloudWatchSource =
    /** One metric of the target; `scale` converts the table's unit to the metric's (ALB latency is in seconds). */
    | { kind: "metric"; target: CloudWatchTarget; namespace: string; metricName: string; statistic?: string; extendedStatistic?: string; scale?: number }
    /** 100 * numerator / denominator, as metric math: a percentage of requests. */
    | { kind: "ratio"; target: CloudWatchTarget; namespace: string; numerator: string; denominator: string }
    /** One metric over every node of a cache, reduced with MAX or AVG (an alarm takes at most 10 metrics). */
    | { kind: "nodes"; target: "cacheNodes"; namespace: string; metricName: string; statistic: string; reduce: "MAX" | "AVG" }
    /**
     * A shard's hit rate from its nodes' CacheHits and CacheMisses, as a percentage; 100 while the
     * shard serves fewer than `minLookupsPerMinute` lookups (an idle cache, such as a standby's, is
     * not a cold one). Per shard, so one alarm reads 2 metrics per node and stays under CloudWatch's 10.
     */
    | { kind: "hitRate"; target: "cacheShards"; namespace: string; hits: string; misses: string; minLookupsPerMinute: number };

export interface AlertDefinition {
    /** Stable id, kebab-case: names the alarm and the rule. */
    readonly id: string;
    readonly class: AlertClass;
    readonly description: string;
    /** The spec's number, in `unit`. */
    readonly threshold: number;
    readonly unit: AlertUnit;
    /** Fires when the value is above (or below) the threshold. */
    readonly comparison: "above" | "below";
    /** Minutes the condition must hold; the spec's scaling triggers use 2 minutes. */
    readonly forMinutes: number;
    /** Spec line the threshold comes from. */
    readonly spec: string;
    readonly cloudwatch?: CloudWatchSource;
    /** PromQL producing the value compared with the threshold (the comparison is appended). */
    readonly prometheus?: string;
    /**
     * For a share or a quantile of events (5xx %, failed payments %, p95 latency): the least event
     * rate at which the alert may fire. Below it a quiet but healthy system (night traffic) would fire
     * on a single failure or a single slow request; an idle standby has no rate and never fires.
     */
    readonly prometheusMinRate?: MinRateGuard;
    /** Set when another stack names the alarm (its name carries the class): why its class may not be overridden. */
    readonly classFixedBecause?: string;
}

export interface MinRateGuard {
    /** PromQL of the events per second the value is a share or quantile of. */
    readonly expr: string;
    readonly perSecond: number;
    /** The window of the value's rate(), in minutes. */
    readonly windowMinutes: number;
    /** Labels the value is grouped by (its `by`), so the guard matches each series. Default none. */
    readonly on?: readonly string[];
}

const ALB = "AWS/ApplicationELB";
const RDS = "AWS/RDS";
const CACHE = "AWS/ElastiCache";
// Istio's standard metrics: every request through the mesh, measured at the server side.
const REQ = `istio_requests_total{reporter="destination",destination_workload_namespace="${APP_NAMESPACE}"}`;
const REQ_5XX = `istio_requests_total{reporter="destination",destination_workload_namespace="${APP_NAMESPACE}",response_code=~"5.."}`;
const LATENCY = (q: number) =>
    `histogram_quantile(${q}, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload_namespace="${APP_NAMESPACE}"}[5m])))`;
const NODE_CPU = '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])))';
const NODE_MEM = "100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)";
/**
 * The API's 5xx share and latency quantiles page only above 1 request/s (300 per 5-minute window):
 * one 5xx is then 0.33%, under both error thresholds, and p99 rests on at least 3 requests.
 */
const API_TRAFFIC: MinRateGuard = { expr: `sum(rate(${REQ}[5m]))`, perSecond: 1, windowMinutes: 5 };
/** Spec "Disaster Recovery Strategy": RPO Target: 30 seconds (ShardedDatabase's SPEC_RPO_SECONDS). */
export const RPO_LAG_ALARM_MS = SPEC_RPO_SECONDS * 1000;
/**
 * AWS: Aurora Global Database replicates "with typical latency of under a second"; healthy
 * cross-region lag averages tens to hundreds of ms and peaks near 1 s (test/upstream/aws-metrics).
 * The spec's "replication lag <100ms" is the in-region replica target (aurora-replica-lag).
 */
export const GLOBAL_REPLICATION_LAG_ALARM_MS = 1000;

/**
 * Every alert the platform raises, with its class. Thresholds are the spec's
 * ("Performance Requirements", "Scaling Thresholds", "Alerting Strategy").
 */
export const ALERT_DEFINITIONS: readonly AlertDefinition[] = [
    // ---- P0: service down, database writer failure, payments (security findings come through EventBridge) ----
    {
        id: "healthy-hosts-zero",
        class: "P0",
        threshold: 1,
        unit: "count",
        comparison: "below",
        forMinutes: 2,
        description: "No healthy target behind the region's load balancer: the region's service is down",
        spec: "P0: Service down in any region",
        cloudwatch: { kind: "metric", target: "targetGroup", namespace: ALB, metricName: "HealthyHostCount", statistic: "Minimum" },
    },
    {
        id: "api-unavailable",
        class: "P0",
        threshold: 1,
        unit: "count",
        comparison: "below",
        forMinutes: 2,
        // The API runs as an Argo Rollout (components/regional-cluster/rollout.ts), which kube-state-metrics does not
        // see as a Deployment: the controller's own gauge counts its available pods (docs/delivery.md).
        description: "No available replica of the API (the backend Rollout)",
        spec: "P0: Service down in any region",
        prometheus: `min by (name) (rollout_info_replicas_available{namespace="${APP_NAMESPACE}"})`,
    },
    {
        id: "payment-failure-rate",
        class: "P0",
        threshold: 1,
        unit: "percent",
        comparison: "above",
        forMinutes: 5,
        // The spec gives payments no number of their own; the P1 error-rate threshold (1%) applies, raised to P0 because they are payments.
        description: "More than 1% of payment attempts failing",
        spec: "P0: Payment processing failure",
        prometheus: '100 * sum(rate(bookedbarber_payment_attempts_total{outcome="failure"}[5m])) / sum(rate(bookedbarber_payment_attempts_total[5m]))',
        // 150 attempts in 5 minutes at least, so one failed payment (0.67%) cannot page on its own.
        prometheusMinRate: { expr: "sum(rate(bookedbarber_payment_attempts_total[5m]))", perSecond: 0.5, windowMinutes: 5 },
    },
    // ---- P1 ----
    {
        id: "api-5xx-rate-high",
        class: "P1",
        threshold: 1,
        unit: "percent",
        comparison: "above",
        forMinutes: 5,
        description: "5xx responses above 1% of requests",
        spec: "P1: High error rate (>1%)",
        cloudwatch: { kind: "ratio", target: "loadBalancer", namespace: ALB, numerator: "HTTPCode_Target_5XX_Count", denominator: "RequestCount" },
        prometheus: `100 * sum(rate(${REQ_5XX}[5m])) / sum(rate(${REQ}[5m]))`,
        prometheusMinRate: API_TRAFFIC,
    },
    {
        id: "api-latency-p95-degraded",
        class: "P1",
        threshold: 2000,
        unit: "ms",
        comparison: "above",
        forMinutes: 5,
        description: "API p95 response time above 2 s",
        spec: "P1: Response time degradation (>2s p95)",
        cloudwatch: { kind: "metric", target: "loadBalancer", namespace: ALB, metricName: "TargetResponseTime", extendedStatistic: "p95", scale: 0.001 },
        prometheus: LATENCY(0.95),
        prometheusMinRate: API_TRAFFIC,
    },
    {
        id: "node-cpu-exhausted",
        class: "P1",
        threshold: 90,
        unit: "percent",
        comparison: "above",
        forMinutes: 5,
        description: "Node CPU above 90%",
        spec: "P1: Resource exhaustion (>90%)",
        prometheus: NODE_CPU,
    },
    {
        id: "node-memory-exhausted",
        class: "P1",
        threshold: 90,
        unit: "percent",
        comparison: "above",
        forMinutes: 5,
        description: "Node memory above 90%",
        spec: "P1: Resource exhaustion (>90%)",
        prometheus: NODE_MEM,
    },
    {
        id: "deployment-rollout-stuck",
        class: "P1",
        threshold: 0,
        unit: "count",
        comparison: "above",
        forMinutes: 15,
        // Deployments (the worker) report a Progressing=False condition; a Rollout (the backend) goes Degraded when its
        // analysis aborts it or it passes its progress deadline (argo-rollouts controller/metrics/prommetrics.go, rollout_info).
        description: "A deployment or Rollout stopped progressing (a rollout aborted, or its rollback failed)",
        spec: "P1: Failed deployment rollback",
        prometheus:
            'sum by (namespace, deployment) (kube_deployment_status_condition{condition="Progressing",status="false"}) or sum by (namespace, name) (rollout_info{phase="Degraded"})',
    },
    // ---- P2 ----
    {
        id: "api-5xx-rate-elevated",
        class: "P2",
        threshold: 0.5,
        unit: "percent",
        comparison: "above",
        forMinutes: 5,
        description: "5xx responses above 0.5% of requests",
        spec: "P2: Moderate error rate (>0.5%)",
        cloudwatch: { kind: "ratio", target: "loadBalancer", namespace: ALB, numerator: "HTTPCode_Target_5XX_Count", denominator: "RequestCount" },
        prometheus: `100 * sum(rate(${REQ_5XX}[5m])) / sum(rate(${REQ}[5m]))`,
        prometheusMinRate: API_TRAFFIC,
    },
    {
        // The scale-out trigger's number and window (components/scaling-triggers.ts): the alert fires when the HPA should be adding pods.
        id: "api-latency-p95",
        class: "P2",
        threshold: SCALING_TRIGGERS.latencyP95.out.above,
        unit: SCALING_TRIGGERS.latencyP95.unit,
        comparison: "above",
        forMinutes: SCALING_TRIGGERS.latencyP95.out.forMinutes,
        description: "API p95 response time above the 200 ms target",
        spec: "Performance Requirements: API p95 <200ms; Scaling Thresholds: response time >200ms p95",
        cloudwatch: { kind: "metric", target: "loadBalancer", namespace: ALB, metricName: "TargetResponseTime", extendedStatistic: "p95", scale: 0.001 },
        prometheus: LATENCY(0.95),
        prometheusMinRate: API_TRAFFIC,
    },
    {
        id: "api-latency-p99",
        class: "P2",
        threshold: 500,
        unit: "ms",
        comparison: "above",
        forMinutes: 5,
        description: "API p99 response time above the 500 ms target",
        spec: "Performance Requirements: API p99 <500ms",
        cloudwatch: { kind: "metric", target: "loadBalancer", namespace: ALB, metricName: "TargetResponseTime", extendedStatistic: "p99", scale: 0.001 },
        prometheus: LATENCY(0.99),
        prometheusMinRate: API_TRAFFIC,
    },
    {
        // AuroraReplicaLagMaximum is published by the writer; a global secondary has none, so only writer clusters get it.
        id: "aurora-replica-lag",
        class: "P2",
        threshold: 100,
        unit: "ms",
        comparison: "above",
        forMinutes: 5,
        description: "Aurora reader lag behind the writer above 100 ms",
        spec: "Performance Requirements: replication lag <100ms",
        cloudwatch: { kind: "metric", target: "auroraWriterCluster", namespace: RDS, metricName: "AuroraReplicaLagMaximum", statistic: "Maximum" },
    },
    {
        // Departs from the spec's 100 ms on purpose: cross-region lag peaks near 1 s on a healthy global database,
        // so 100 ms on the per-minute maximum sat in ALARM; the average above AWS's "under a second" is a real backlog.
        id: "aurora-global-replication-lag",
        class: "P2",
        threshold: GLOBAL_REPLICATION_LAG_ALARM_MS,
        unit: "ms",
        comparison: "above",
        forMinutes: 5,
        description: "Aurora Global Database replication lag to this secondary above 1 s on average",
        spec: "AWS: global database replication 'typical latency of under a second' (the spec's <100ms is the in-region replica target)",
        cloudwatch: { kind: "metric", target: "auroraGlobalCluster", namespace: RDS, metricName: "AuroraGlobalDBReplicationLag", statistic: "Average" },
    },
    {
        // The RPO as a watched objective (docs/decisions/rpo.md): the standby publishes how far behind it is in user
        // transactions; above the RPO, a failover now would lose more than the spec allows. P1: act before the primary fails.
        id: "aurora-rpo-lag",
        class: "P1",
        threshold: RPO_LAG_ALARM_MS,
        unit: "ms",
        comparison: "above",
        forMinutes: 2,
        description: "Aurora Global Database RPO lag above the 30 s RPO: a regional failover now would lose more than 30 s of commits",
        spec: "Disaster Recovery Strategy: RPO Target: 30 seconds",
        cloudwatch: { kind: "metric", target: "auroraGlobalCluster", namespace: RDS, metricName: "AuroraGlobalDBRPOLag", statistic: "Maximum" },
        classFixedBecause: "the zone's DR plan (global stack) associates this alarm by its name, which carries the class",
    },
    {
        id: "aurora-cpu",
        class: "P2",
        threshold: 70,
        unit: "percent",
        comparison: "above",
        forMinutes: 2,
        description: "Aurora CPU above 70%",
        spec: "Infrastructure: CPU utilization <70% average; Scaling Thresholds: CPU >70% for 2 minutes",
        cloudwatch: { kind: "metric", target: "auroraCluster", namespace: RDS, metricName: "CPUUtilization", statistic: "Average" },
    },
    {
        id: "aurora-cpu-exhausted",
        class: "P1",
        threshold: 90,
        unit: "percent",
        comparison: "above",
        forMinutes: 5,
        description: "Aurora CPU above 90%",
        spec: "P1: Resource exhaustion (>90%)",
        cloudwatch: { kind: "metric", target: "auroraCluster", namespace: RDS, metricName: "CPUUtilization", statistic: "Average" },
    },
    {
        id: "cache-cpu",
        class: "P2",
        threshold: 70,
        unit: "percent",
        comparison: "above",
        forMinutes: 2,
        description: "ElastiCache engine CPU above 70% on any node",
        spec: "Infrastructure: CPU utilization <70% average",
        cloudwatch: { kind: "nodes", target: "cacheNodes", namespace: CACHE, metricName: "EngineCPUUtilization", statistic: "Average", reduce: "MAX" },
    },
    {
        id: "cache-memory",
        class: "P2",
        threshold: 80,
        unit: "percent",
        comparison: "above",
        forMinutes: 2,
        description: "ElastiCache memory above 80% on any node",
        spec: "Cache Performance: memory utilization <80%; P2: Resource pressure (>80%)",
        cloudwatch: { kind: "nodes", target: "cacheNodes", namespace: CACHE, metricName: "DatabaseMemoryUsagePercentage", statistic: "Average", reduce: "MAX" },
    },
    {
        id: "cache-memory-exhausted",
        class: "P1",
        threshold: 90,
        unit: "percent",
        comparison: "above",
        forMinutes: 5,
        description: "ElastiCache memory above 90% on any node",
        spec: "P1: Resource exhaustion (>90%)",
        cloudwatch: { kind: "nodes", target: "cacheNodes", namespace: CACHE, metricName: "DatabaseMemoryUsagePercentage", statistic: "Average", reduce: "MAX" },
    },
    {
        id: "node-cpu",
        class: "P2",
        threshold: SCALING_TRIGGERS.cpu.out.above,
        unit: SCALING_TRIGGERS.cpu.unit,
        comparison: "above",
        forMinutes: SCALING_TRIGGERS.cpu.out.forMinutes,
        description: "Node CPU above 70%",
        spec: "Scaling Thresholds: CPU >70% for 2 minutes",
        prometheus: NODE_CPU,
    },
    {
        id: "node-memory",
        class: "P2",
        threshold: SCALING_TRIGGERS.memory.out.above,
        unit: SCALING_TRIGGERS.memory.unit,
        comparison: "above",
        forMinutes: SCALING_TRIGGERS.memory.out.forMinutes,
        description: "Node memory above 80%",
        spec: "Scaling Thresholds: memory >80% for 2 minutes; P2: Resource pressure (>80%)",
        prometheus: NODE_MEM,
    },
    {
        // The queue-depth trigger is per worker (KEDA's queueLength); the alert fires where scaling can no longer help:
        // more than the trigger's 100 per worker with every worker running, for the trigger's window.
        id: "job-queue-backlog",
        class: "P2",
        threshold: SCALING_TRIGGERS.queueDepth.out.above * WORKER_REPLICAS.max,
        unit: SCALING_TRIGGERS.queueDepth.unit,
        comparison: "above",
        forMinutes: SCALING_TRIGGERS.queueDepth.out.forMinutes,
        description: "Background-job backlog above 100 per worker with every worker running: jobs arrive faster than the workers at their maximum drain them",
        spec: "Scaling Thresholds: Queue depth: >100 pending jobs",
        cloudwatch: { kind: "metric", target: "jobQueue", namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", statistic: "Maximum" },
    },
    {
        id: "third-party-error-rate",
        class: "P2",
        threshold: 0.5,
        unit: "percent",
        comparison: "above",
        forMinutes: 10,
        description: "Calls to a third-party API (Stripe, SendGrid, Twilio) failing above 0.5%",
        spec: "P2: Third-party service degradation (moderate error rate >0.5%)",
        prometheus:
            '100 * sum by (provider) (rate(bookedbarber_third_party_requests_total{outcome="error"}[10m])) / sum by (provider) (rate(bookedbarber_third_party_requests_total[10m]))',
        prometheusMinRate: {
            expr: "sum by (provider) (rate(bookedbarber_third_party_requests_total[10m]))",
            perSecond: 0.5,
            windowMinutes: 10,
            on: ["provider"],
        },
    },
    // ---- P3 ----
    {
        // From hits and misses per shard, not CacheHitRate averaged over nodes: replicas and a standby's idle cache
        // serve no lookups and would pull the average under 95% on a healthy system.
        id: "cache-hit-rate",
        class: "P3",
        threshold: 95,
        unit: "percent",
        comparison: "below",
        forMinutes: 15,
        description: "Redis hit rate of a shard below the 95% target while it serves lookups",
        spec: "Cache Performance: Redis hit rate >95%",
        cloudwatch: { kind: "hitRate", target: "cacheShards", namespace: CACHE, hits: "CacheHits", misses: "CacheMisses", minLookupsPerMinute: 600 },
    },
    {
        id: "volume-full-in-4-days",
        class: "P3",
        threshold: 0,
        unit: "count",
        comparison: "below",
        forMinutes: 60,
        description: "A persistent volume will fill within 4 days at the current rate",
        spec: "P3: Capacity planning alerts",
        prometheus: "min by (namespace, persistentvolumeclaim) (predict_linear(kubelet_volume_stats_available_bytes[6h], 4 * 24 * 3600))",
    },
];

export interface AlertOverride {
    threshold?: number;
    class?: string;
}

/** One problem with an alert definition or override: the field, its value and what is allowed. */
export interface AlertProblem {
    field: string;
    value: unknown;
    allowed: string;
}

/** Problems with a table of definitions (and overrides of it); empty when sound. */
export function alertProblems(defs: readonly AlertDefinition[], overrides: Readonly<Record<string, AlertOverride>> = {}): AlertProblem[] {
    const problems: AlertProblem[] = [];
    const ids = new Set<string>();
    for (const d of defs) {
        const where = `alerts[${d.id}]`;
        if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(d.id)) problems.push({ field: `${where}.id`, value: d.id, allowed: "must be kebab-case" });
        if (ids.has(d.id)) problems.push({ field: `${where}.id`, value: d.id, allowed: "must be unique" });
        ids.add(d.id);
        problems.push(...classProblems(`${where}.class`, d.class));
        problems.push(...thresholdProblems(`${where}.threshold`, d.threshold, d.unit));
        if (!d.cloudwatch && !d.prometheus) problems.push({ field: where, value: d.id, allowed: "needs a cloudwatch or a prometheus source" });
        if (!(Number.isInteger(d.forMinutes) && d.forMinutes >= 1))
            problems.push({ field: `${where}.forMinutes`, value: d.forMinutes, allowed: "must be a whole number of minutes, at least 1" });
        problems.push(...quietTrafficProblems(where, d, d.threshold));
    }
    for (const [id, o] of Object.entries(overrides)) {
        const def = defs.find((d) => d.id === id);
        if (!def) {
            problems.push({ field: `alertOverrides.${id}`, value: o, allowed: `is not a known alert; known alerts are ${defs.map((d) => d.id).join(", ")}` });
            continue;
        }
        if (o.class !== undefined) problems.push(...classProblems(`alertOverrides.${id}.class`, o.class));
        if (o.class !== undefined && def.classFixedBecause && o.class !== def.class) {
            problems.push({ field: `alertOverrides.${id}.class`, value: o.class, allowed: `must stay ${def.class}: ${def.classFixedBecause}` });
        }
        if (o.threshold !== undefined) {
            problems.push(...thresholdProblems(`alertOverrides.${id}.threshold`, o.threshold, def.unit));
            problems.push(...quietTrafficProblems(`alertOverrides.${id}`, def, o.threshold));
        }
    }
    return problems;
}

const RATIO_OF_RATES = /\/\s*sum(\s+by\s*\([^)]*\))?\s*\(\s*rate\(/;
const QUANTILE = /histogram_quantile\(\s*(0?\.\d+)/;

/**
 * A share or quantile of events must not fire on a quiet healthy system: it needs a minimum
 * event rate at which a single failure stays under the threshold, and a quantile rests on
 * at least 3 events above it.
 */
function quietTrafficProblems(where: string, d: AlertDefinition, threshold: number): AlertProblem[] {
    if (!d.prometheus) return [];
    const quantile = QUANTILE.exec(d.prometheus);
    const ratio = RATIO_OF_RATES.test(d.prometheus) && d.unit === "percent";
    if (!ratio && !quantile) return [];
    const g = d.prometheusMinRate;
    if (!g)
        return [
            {
                field: `${where}.prometheusMinRate`,
                value: undefined,
                allowed: `is required: ${d.id} is a ${ratio ? "share" : "quantile"} of events, which a quiet healthy system pushes past the threshold with one event`,
            },
        ];
    const events = g.perSecond * 60 * g.windowMinutes;
    if (ratio && threshold > 0 && (events * threshold) / 100 < 1) {
        return [
            {
                field: `${where}.prometheusMinRate.perSecond`,
                value: g.perSecond,
                allowed: `lets one event in ${events} (${(100 / events).toFixed(2)}%) pass the ${threshold}% threshold; needs at least ${(100 / threshold / 60 / g.windowMinutes).toFixed(2)}/s`,
            },
        ];
    }
    if (quantile && events * (1 - Number(quantile[1])) < 3) {
        return [
            {
                field: `${where}.prometheusMinRate.perSecond`,
                value: g.perSecond,
                allowed: `leaves fewer than 3 of ${events} events above the ${quantile[1]} quantile`,
            },
        ];
    }
    return [];
}

function classProblems(field: string, value: string): AlertProblem[] {
    return ALERT_CLASSES.includes(value as AlertClass) ? [] : [{ field, value, allowed: `must be one of ${ALERT_CLASSES.join(", ")}` }];
}

function thresholdProblems(field: string, value: number, unit: AlertUnit): AlertProblem[] {
    if (typeof value !== "number" || !Number.isFinite(value)) return [{ field, value, allowed: "must be a number" }];
    if (unit === "percent" && (value < 0 || value > 100)) return [{ field, value, allowed: "is a percentage, must be from 0 to 100" }];
    if (value < 0) return [{ field, value, allowed: "must not be negative" }];
    return [];
}

/** The table with overrides applied. Call `alertProblems` first. */
export function applyOverrides(defs: readonly AlertDefinition[], overrides: Readonly<Record<string, AlertOverride>> = {}): AlertDefinition[] {
    return defs.map((d) => {
        const o = overrides[d.id];
        return o ? { ...d, threshold: o.threshold ?? d.threshold, class: (o.class as AlertClass | undefined) ?? d.class } : d;
    });
}

/**
 * The alerts whose thresholds gate a release of the backend (its canary or blue-green analysis,
 * components/regional-cluster/analysis.ts): a canary may not be promoted while it would raise one.
 * - errorRate: the P1 "High error rate (>1%)".
 * - latencyP95: the spec's performance target "API p95 <200ms" (P2 here), not the P1 "Response time
 *   degradation (>2s p95)": a release ten times slower than the target would pass a 2 s gate.
 * docs/delivery.md ("Progressive delivery") explains the choice. The table is the one home of the numbers.
 */
export const DELIVERY_GATE_ALERTS = { errorRate: "api-5xx-rate-high", latencyP95: "api-latency-p95" } as const;
export type DeliveryGate = keyof typeof DELIVERY_GATE_ALERTS;

/** The definition with this id; throws naming the id when the table has none. */
export function alertDefinition(id: string, defs: readonly AlertDefinition[] = ALERT_DEFINITIONS): AlertDefinition {
    const d = defs.find((x) => x.id === id);
    if (!d) throw new Error(`alert table has no definition "${id}" (components/observability/alerts.ts)`);
    return d;
}

/** The PromQL alert expression of a definition: its value compared with its threshold. */
export function promExpr(d: AlertDefinition): string {
    if (!d.prometheus) throw new Error(`alert ${d.id} has no prometheus source`);
    const value = `${d.prometheus} ${d.comparison === "above" ? ">" : "<"} ${d.threshold}`;
    const g = d.prometheusMinRate;
    return g ? `(${value}) and on(${(g.on ?? []).join(", ")}) (${g.expr} >= ${g.perSecond})` : value;
}

/** PascalCase alert name for Prometheus: "api-latency-p95" -> "ApiLatencyP95". */
export function promAlertName(d: AlertDefinition): string {
    return d.id
        .split("-")
        .map((p) => p[0].toUpperCase() + p.slice(1))
        .join("");
}
