import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const LOG_TYPES = ["slow-log", "engine-log"] as const;

/** One KMS-encrypted log group per ElastiCache log type. */
export function logGroups(
    name: string,
    logsKeyArn: pulumi.Input<string>,
    retentionInDays: number,
    parent: pulumi.Resource,
): Record<(typeof LOG_TYPES)[number], aws.cloudwatch.LogGroup> {
    const groups = {} as Record<(typeof LOG_TYPES)[number], aws.cloudwatch.LogGroup>;
    for (const type of LOG_TYPES) {
        groups[type] = new aws.cloudwatch.LogGroup(
            `${name}-${type}`,
            {
                name: `/bookedbarber/elasticache/${name}/${type}`,
                retentionInDays,
                kmsKeyId: logsKeyArn,
                tags: { "log-class": "cache" },
            },
            { parent },
        );
    }
    return groups;
}

/**
 * Member cluster ids of a cluster-mode replication group: ElastiCache names
 * each node `<group>-<shard 4 digits>-<node 3 digits>`, and publishes its
 * metrics under that CacheClusterId.
 */
export function memberClusterIds(replicationGroupId: string, shards: number, nodesPerShard: number): string[][] {
    return Array.from({ length: shards }, (_, s) =>
        Array.from({ length: nodesPerShard }, (_, n) => `${replicationGroupId}-${String(s + 1).padStart(4, "0")}-${String(n + 1).padStart(3, "0")}`),
    );
}

export interface CacheAlarmArgs {
    replicationGroupId: pulumi.Output<string>;
    shards: number;
    nodesPerShard: number;
    /** Spec: memory utilisation < 80%. */
    memoryPercent: number;
    alarmActions: pulumi.Input<string>[];
}

const metric = (id: string, metricName: string, clusterId: pulumi.Input<string>, stat: string) => ({
    id,
    metric: { namespace: "AWS/ElastiCache", metricName, dimensions: { CacheClusterId: clusterId }, period: 60, stat },
    returnData: false,
});

/**
 * Per shard (so the alarm names the hot shard): memory above the spec's 80%
 * on any of its nodes, and any eviction. Evictions only happen at maxmemory,
 * and every key class has a TTL, so an eviction means the cache is full and
 * the policy's TTLs no longer hold; it pages even if memory has since dropped.
 */
export function cacheAlarms(name: string, args: CacheAlarmArgs, parent: pulumi.Resource): aws.cloudwatch.MetricAlarm[] {
    const alarms: aws.cloudwatch.MetricAlarm[] = [];
    for (let shard = 0; shard < args.shards; shard++) {
        const shardId = String(shard + 1).padStart(4, "0");
        const nodes = args.replicationGroupId.apply((rg) => memberClusterIds(rg, args.shards, args.nodesPerShard)[shard]);
        const nodeIds = Array.from({ length: args.nodesPerShard }, (_, n) => nodes.apply((ids) => ids[n]));
        const ids = nodeIds.map((_, n) => `m${n}`);
        alarms.push(
            new aws.cloudwatch.MetricAlarm(
                `${name}-shard-${shardId}-memory`,
                {
                    name: pulumi.interpolate`${args.replicationGroupId}-shard-${shardId}-memory-above-${args.memoryPercent}pct`,
                    alarmDescription: `ElastiCache ${name} shard ${shardId}: a node's DatabaseMemoryUsagePercentage above ${args.memoryPercent}% (spec: Cache Performance, memory utilization < 80%). Scale out shards or node type before evictions start.`,
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: args.memoryPercent,
                    evaluationPeriods: 5,
                    datapointsToAlarm: 3,
                    treatMissingData: "missing",
                    metricQueries: [
                        ...nodeIds.map((id, n) => metric(ids[n], "DatabaseMemoryUsagePercentage", id, "Maximum")),
                        { id: "memory", expression: `MAX([${ids.join(", ")}])`, label: `shard ${shardId} max memory %`, returnData: true },
                    ],
                    alarmActions: args.alarmActions,
                    okActions: args.alarmActions,
                },
                { parent },
            ),
        );
        alarms.push(
            new aws.cloudwatch.MetricAlarm(
                `${name}-shard-${shardId}-evictions`,
                {
                    name: pulumi.interpolate`${args.replicationGroupId}-shard-${shardId}-evictions`,
                    alarmDescription: `ElastiCache ${name} shard ${shardId}: keys evicted before their TTL. The cache is at maxmemory; sessions may be dropped (users signed out).`,
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: 0,
                    evaluationPeriods: 5,
                    datapointsToAlarm: 1,
                    treatMissingData: "notBreaching",
                    metricQueries: [
                        ...nodeIds.map((id, n) => metric(ids[n], "Evictions", id, "Sum")),
                        { id: "evictions", expression: `SUM([${ids.join(", ")}])`, label: `shard ${shardId} evictions`, returnData: true },
                    ],
                    alarmActions: args.alarmActions,
                    okActions: args.alarmActions,
                },
                { parent },
            ),
        );
    }
    return alarms;
}

/**
 * Hit rate and latency are recorded, not paged: a cold cache after a failover
 * or a deploy lowers the hit rate for good reasons. The dashboard computes the
 * group's hit rate from hits and misses over every node (metric math), and
 * shows read and write latency against the spec's targets (hit rate > 95%,
 * response time < 5 ms), next to memory and evictions.
 */
export function cacheDashboard(
    name: string,
    region: pulumi.Input<string>,
    replicationGroupId: pulumi.Output<string>,
    shards: number,
    nodesPerShard: number,
    memoryPercent: number,
    parent: pulumi.Resource,
): aws.cloudwatch.Dashboard {
    const body = pulumi.all([replicationGroupId, region]).apply(([rg, r]) => JSON.stringify(dashboardBody(rg, r, shards, nodesPerShard, memoryPercent)));
    return new aws.cloudwatch.Dashboard(`${name}-dashboard`, { dashboardName: `${name}-cache`, dashboardBody: body }, { parent });
}

/** The dashboard's JSON (exported for tests). */
export function dashboardBody(rg: string, region: string, shards: number, nodesPerShard: number, memoryPercent: number): object {
    const nodes = memberClusterIds(rg, shards, nodesPerShard).flat();
    const perNode = (metricName: string, stat: string, prefix: string) =>
        nodes.map((n, i) => ["AWS/ElastiCache", metricName, "CacheClusterId", n, { id: `${prefix}${i}`, stat, visible: false }]);
    const ids = (prefix: string) => nodes.map((_, i) => `${prefix}${i}`).join(", ");
    const widget = (title: string, metrics: unknown[], y: number, x: number, annotations?: object) => ({
        type: "metric",
        x,
        y,
        width: 12,
        height: 6,
        properties: { title, region, view: "timeSeries", period: 60, metrics, ...(annotations ? { annotations } : {}) },
    });
    return {
        widgets: [
            widget(
                "Hit rate % (target > 95%)",
                [
                    ...perNode("CacheHits", "Sum", "h"),
                    ...perNode("CacheMisses", "Sum", "m"),
                    [{ expression: `100 * SUM([${ids("h")}]) / (SUM([${ids("h")}]) + SUM([${ids("m")}]))`, label: "hit rate %", id: "hitrate" }],
                ],
                0,
                0,
                { horizontal: [{ value: 95, label: "spec: hit rate > 95%" }] },
            ),
            widget(
                "Latency µs (target < 5 ms)",
                [
                    ...nodes.map((n) => ["AWS/ElastiCache", "SuccessfulReadRequestLatency", "CacheClusterId", n, { stat: "p99" }]),
                    ...nodes.map((n) => ["AWS/ElastiCache", "SuccessfulWriteRequestLatency", "CacheClusterId", n, { stat: "p99" }]),
                ],
                0,
                12,
                { horizontal: [{ value: 5000, label: "spec: response < 5 ms" }] },
            ),
            widget(
                `Memory % (alarm > ${memoryPercent}%)`,
                nodes.map((n) => ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "CacheClusterId", n, { stat: "Maximum" }]),
                6,
                0,
                {
                    horizontal: [{ value: memoryPercent, label: "spec: memory < 80%" }],
                },
            ),
            widget(
                "Evictions",
                nodes.map((n) => ["AWS/ElastiCache", "Evictions", "CacheClusterId", n, { stat: "Sum" }]),
                6,
                12,
            ),
        ],
    };
}
