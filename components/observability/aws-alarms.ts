import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ALERT_CLASS_INFO, AlertClass, AlertDefinition, CloudWatchSource, CloudWatchTarget } from "./alerts";

/** What the alarms watch. Each part is optional: alarms exist for what is given. */
export interface WatchedResources {
    /** The region's ingress Application Load Balancer. */
    loadBalancer?: {
        /**
         * `application` (default) or `network`. An NLB (the Istio ingress) publishes no response times or HTTP
         * codes, so only the healthy-host alarm applies; latency and 5xx then come from the PrometheusRules (Istio).
         */
        kind?: "application" | "network";
        /** `arnSuffix` of the load balancer (app/<name>/<id> or net/<name>/<id>), the CloudWatch `LoadBalancer` dimension. */
        arnSuffix: pulumi.Input<string>;
        /** `arnSuffix` of the API target groups, for the healthy-host alarm (one alarm each). */
        targetGroupArnSuffixes?: pulumi.Input<string>[];
    };
    /** Aurora clusters (one per shard). */
    auroraClusters?: {
        /** Short label used in alarm names, such as "shard-0". */
        label: string;
        clusterIdentifier: pulumi.Input<string>;
        /**
         * A secondary member of an Aurora Global Database (the standby's shards): it publishes the global
         * replication and RPO lag, and has no writer, so it gets those alarms instead of the in-region replica lag.
         */
        inGlobalCluster?: boolean;
        /** With inGlobalCluster: the primary's region, CloudWatch's `SourceRegion` dimension of the global lag metrics. Required then. */
        sourceRegion?: string;
    }[];
    /** The region's background-job queue: the `QueueName` dimension of its SQS metrics. */
    jobQueue?: { queueName: pulumi.Input<string> };
    /** The region's ElastiCache replication group in cluster mode. */
    cache?: {
        replicationGroupId: pulumi.Input<string>;
        /** Node groups (spec: 3). */
        shards: number;
        /** Replicas per node group (spec: 1). */
        replicasPerShard: number;
    };
}

/** ElastiCache's member cluster ids in cluster mode: <group>-<shard 0001..>-<node 001..>. */
export function cacheNodeIds(groupId: string, shards: number, replicasPerShard: number): string[] {
    const ids: string[] = [];
    for (let s = 1; s <= shards; s++) {
        for (let n = 1; n <= replicasPerShard + 1; n++) ids.push(`${groupId}-${String(s).padStart(4, "0")}-${String(n).padStart(3, "0")}`);
    }
    return ids;
}

interface Instance {
    /** Suffix of the alarm's name, when a definition watches several things (shards, target groups). */
    label?: string;
    dimensions: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** cacheNodes only: one dimension set per node. */
    nodes?: pulumi.Input<string[]>;
}

function instances(target: CloudWatchTarget, w: WatchedResources): Instance[] {
    switch (target) {
        case "loadBalancer":
            return w.loadBalancer && (w.loadBalancer.kind ?? "application") === "application"
                ? [{ dimensions: { LoadBalancer: w.loadBalancer.arnSuffix } }]
                : [];
        case "targetGroup":
            return w.loadBalancer
                ? (w.loadBalancer.targetGroupArnSuffixes ?? []).map((tg, i) => ({
                      label: `tg${i}`,
                      dimensions: { LoadBalancer: w.loadBalancer!.arnSuffix, TargetGroup: tg },
                  }))
                : [];
        case "auroraCluster":
            return (w.auroraClusters ?? []).map((c) => ({ label: c.label, dimensions: { DBClusterIdentifier: c.clusterIdentifier } }));
        case "auroraWriterCluster":
            return (w.auroraClusters ?? [])
                .filter((c) => !c.inGlobalCluster)
                .map((c) => ({ label: c.label, dimensions: { DBClusterIdentifier: c.clusterIdentifier } }));
        case "auroraGlobalCluster":
            return (w.auroraClusters ?? [])
                .filter((c) => c.inGlobalCluster)
                .map((c) => {
                    if (!c.sourceRegion)
                        throw new Error(
                            `watch.auroraClusters[${c.label}]: a global secondary needs sourceRegion (the primary's region), the SourceRegion dimension of its lag metrics`,
                        );
                    return { label: c.label, dimensions: { DBClusterIdentifier: c.clusterIdentifier, SourceRegion: c.sourceRegion } };
                });
        case "jobQueue":
            return w.jobQueue ? [{ dimensions: { QueueName: w.jobQueue.queueName } }] : [];
        case "cacheNodes": {
            const c = w.cache;
            if (!c) return [];
            return [{ dimensions: {}, nodes: pulumi.output(c.replicationGroupId).apply((id) => cacheNodeIds(id, c.shards, c.replicasPerShard)) }];
        }
        case "cacheShards": {
            const c = w.cache;
            if (!c) return [];
            const perShard = c.replicasPerShard + 1;
            return Array.from({ length: c.shards }, (_, s) => ({
                label: `shard-${String(s + 1).padStart(4, "0")}`,
                dimensions: {},
                nodes: pulumi
                    .output(c.replicationGroupId)
                    .apply((id) => cacheNodeIds(id, c.shards, c.replicasPerShard).slice(s * perShard, (s + 1) * perShard)),
            }));
        }
    }
}

const PERIOD = 60;

/** The name of a definition's alarm in a region: fixed, so another stack (the DR plan) can name it before it exists. */
export function cloudWatchAlarmName(cls: AlertClass, region: string, id: string, label?: string): string {
    return `${cls}-bookedbarber-${region}-${id}${label ? `-${label}` : ""}`;
}

/** The ARN of that alarm. */
export function cloudWatchAlarmArn(region: string, accountId: string, name: string): string {
    return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
}

/** The alarm's metric inputs: a single metric or metric-math queries. */
function metricInputs(src: CloudWatchSource, inst: Instance, threshold: number): Partial<aws.cloudwatch.MetricAlarmArgs> {
    switch (src.kind) {
        case "metric":
            return {
                namespace: src.namespace,
                metricName: src.metricName,
                dimensions: inst.dimensions,
                period: PERIOD,
                ...(src.extendedStatistic ? { extendedStatistic: src.extendedStatistic } : { statistic: src.statistic ?? "Average" }),
                threshold: threshold * (src.scale ?? 1),
            };
        case "ratio":
            return {
                threshold,
                metricQueries: [
                    {
                        id: "numerator",
                        returnData: false,
                        metric: { namespace: src.namespace, metricName: src.numerator, dimensions: inst.dimensions, period: PERIOD, stat: "Sum" },
                    },
                    {
                        id: "denominator",
                        returnData: false,
                        metric: { namespace: src.namespace, metricName: src.denominator, dimensions: inst.dimensions, period: PERIOD, stat: "Sum" },
                    },
                    {
                        id: "percent",
                        returnData: true,
                        label: `${src.numerator} as % of ${src.denominator}`,
                        expression: "100 * FILL(numerator, 0) / denominator",
                    },
                ],
            };
        case "nodes":
            return {
                threshold,
                metricQueries: pulumi.output(inst.nodes!).apply((nodes) => [
                    ...nodes.map((node, i) => ({
                        id: `node${i}`,
                        returnData: false,
                        metric: {
                            namespace: src.namespace,
                            metricName: src.metricName,
                            dimensions: { CacheClusterId: node },
                            period: PERIOD,
                            stat: src.statistic,
                        },
                    })),
                    {
                        id: "reduced",
                        returnData: true,
                        label: `${src.reduce} ${src.metricName} over ${nodes.length} nodes`,
                        expression: `${src.reduce}(METRICS())`,
                    },
                ]),
            };
        case "hitRate":
            return {
                threshold,
                metricQueries: pulumi.output(inst.nodes!).apply((nodes) => {
                    const node = (prefix: string, metricName: string) =>
                        nodes.map((n, i) => ({
                            id: `${prefix}${i}`,
                            returnData: false,
                            metric: { namespace: src.namespace, metricName, dimensions: { CacheClusterId: n }, period: PERIOD, stat: "Sum" },
                        }));
                    const sum = (prefix: string) => `SUM([${nodes.map((_, i) => `${prefix}${i}`).join(", ")}])`;
                    return [
                        ...node("hits", src.hits),
                        ...node("misses", src.misses),
                        { id: "lookups", returnData: false, expression: `${sum("hits")} + ${sum("misses")}` },
                        {
                            id: "hitrate",
                            returnData: true,
                            label: `hit rate % (100 below ${src.minLookupsPerMinute} lookups/min)`,
                            expression: `IF(lookups >= ${src.minLookupsPerMinute}, 100 * ${sum("hits")} / lookups, 100)`,
                        },
                    ];
                }),
            };
    }
}

/**
 * One CloudWatch alarm per (definition with a CloudWatch source) x (watched
 * resource), notifying the topic of the definition's class on alarm and on recovery.
 */
export function cloudWatchAlarms(
    name: string,
    region: string,
    defs: readonly AlertDefinition[],
    watched: WatchedResources,
    topicArns: Record<AlertClass, pulumi.Input<string>>,
    parent: pulumi.Resource,
): aws.cloudwatch.MetricAlarm[] {
    const alarms: aws.cloudwatch.MetricAlarm[] = [];
    for (const d of defs) {
        if (!d.cloudwatch) continue;
        for (const inst of instances(d.cloudwatch.target, watched)) {
            const suffix = inst.label ? `-${inst.label}` : "";
            // Target-group metrics of a Network Load Balancer live in their own namespace.
            const src: CloudWatchSource =
                d.cloudwatch.target === "targetGroup" && watched.loadBalancer?.kind === "network" && d.cloudwatch.kind === "metric"
                    ? { ...d.cloudwatch, namespace: "AWS/NetworkELB" }
                    : d.cloudwatch;
            const info = ALERT_CLASS_INFO[d.class];
            alarms.push(
                new aws.cloudwatch.MetricAlarm(
                    `${name}-${d.id}${suffix}`,
                    {
                        name: cloudWatchAlarmName(d.class, region, d.id, inst.label),
                        alarmDescription: `[${d.class} ${info.title}, respond within ${info.responseMinutes} min] ${d.description}. Spec: ${d.spec}.`,
                        comparisonOperator: d.comparison === "above" ? "GreaterThanThreshold" : "LessThanThreshold",
                        evaluationPeriods: d.forMinutes,
                        datapointsToAlarm: d.forMinutes,
                        // No data from a load balancer's hosts means none is healthy; for everything else silence is not an incident.
                        treatMissingData: d.id === "healthy-hosts-zero" ? "breaching" : "notBreaching",
                        alarmActions: [topicArns[d.class]],
                        okActions: [topicArns[d.class]],
                        tags: { "alert-class": d.class, "alert-id": d.id },
                        ...metricInputs(src, inst, d.threshold),
                    },
                    { parent },
                ),
            );
        }
    }
    return alarms;
}
