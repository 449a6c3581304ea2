import {
    EBS_LIMIT_GIB,
    hotShare,
    hotStorageGib,
    OPENSEARCH_DEFAULTS,
    ULTRAWARM_STORAGE_GIB,
    warmStorageGib,
} from "../components/observability/opensearch-sizing";
import { CACHE_WATCH_MAX_NODES } from "../components/observability-stack";
import { ENGINE_VERSIONS, windowsOverlap } from "../components/redis-global/validation";
import { NODE_GROUP_NAMES, NodeGroupSpec, resolveNodeGroups } from "../components/regional-cluster/node-groups";
import { catalogLockProblem, catalogSpecProblems, FranchiseRange } from "../components/sharded-database/catalog";
import { SPEC_READERS_PER_REGION } from "../components/sharded-database";
import type { ConfigKey } from "./config-schema";
import { FRANCHISE_TOTAL } from "./config-keys/database";

/**
 * Checks that span several config keys and that a component would otherwise make
 * only once it is constructed, naming its own argument ("readerMin = 10") and only
 * after every other config problem is fixed. Run during config validation, they
 * report in the same pass as every other problem and name the config keys.
 *
 * Each rule restates a component's argument check with the component's own
 * exported figures and functions (numbers have one home there); the component
 * keeps its check for callers that do not come through config.
 * test/stacks/config-one-pass.spec.ts proves each fires, all in one run, and that
 * whatever config accepts at its extremes the components accept too.
 */
export interface CrossKeyRule {
    /** The keys the rule reads; it runs only when all of them have a value that passed its own check. */
    keys: readonly ConfigKey[];
    /** The component argument check it restates, for the reader. */
    component: string;
    /** Problems, each naming the keys it is about. */
    check(v: (k: ConfigKey) => unknown, name: (k: ConfigKey) => string): string[];
}

const n = (x: unknown) => x as number;

export const CROSS_KEY_RULES: readonly CrossKeyRule[] = [
    {
        keys: ["databaseReaderMin", "databaseReaderMax"],
        component: "ShardedDatabase readerMin <= readerMax",
        check: (v, name) =>
            n(v("databaseReaderMin")) <= n(v("databaseReaderMax"))
                ? []
                : [`${name("databaseReaderMin")} = ${n(v("databaseReaderMin"))}: must not exceed ${name("databaseReaderMax")} (${n(v("databaseReaderMax"))})`],
    },
    {
        keys: ["databaseShardCount", "databaseReaderMax"],
        component: "ShardedDatabase shardCount x readerMax >= SPEC_READERS_PER_REGION",
        check: (v, name) =>
            n(v("databaseShardCount")) * n(v("databaseReaderMax")) >= SPEC_READERS_PER_REGION
                ? []
                : [
                      `${name("databaseReaderMax")} = ${n(v("databaseReaderMax"))}: times ${name("databaseShardCount")} (${n(v("databaseShardCount"))}) must reach the spec's ${SPEC_READERS_PER_REGION} read replicas per region under load`,
                  ],
    },
    {
        keys: ["databaseShardCount", "databaseFranchiseZoneRanges", "databaseCatalogLock"],
        component: "ShardedDatabase catalog lock",
        check: (v, name) => {
            const spec = { shardCount: n(v("databaseShardCount")), zoneRanges: v("databaseFranchiseZoneRanges") as Record<string, FranchiseRange> };
            if (catalogSpecProblems(spec, FRANCHISE_TOTAL).length) return [];
            const p = catalogLockProblem(spec, String(v("databaseCatalogLock")), FRANCHISE_TOTAL);
            return p
                ? [`${name("databaseShardCount")} = ${spec.shardCount} with ${name("databaseCatalogLock")} = ${String(v("databaseCatalogLock"))}: ${p}`]
                : [];
        },
    },
    {
        keys: ["redisSnapshotWindow", "redisMaintenanceWindow"],
        component: "RedisGlobal snapshotWindow must not overlap maintenanceWindow",
        check: (v, name) =>
            windowsOverlap(String(v("redisSnapshotWindow")), String(v("redisMaintenanceWindow")))
                ? [
                      `${name("redisSnapshotWindow")} = ${String(v("redisSnapshotWindow"))}: must not overlap ${name("redisMaintenanceWindow")} (${String(v("redisMaintenanceWindow"))})`,
                  ]
                : [],
    },
    {
        keys: ["redisEngine", "redisEngineVersion"],
        component: "RedisGlobal engineVersion must be a version of engine",
        check: (v, name) => {
            const versions: readonly string[] = ENGINE_VERSIONS[String(v("redisEngine")) as keyof typeof ENGINE_VERSIONS] ?? [];
            return versions.includes(String(v("redisEngineVersion")))
                ? []
                : [
                      `${name("redisEngineVersion")} = ${String(v("redisEngineVersion"))}: must be one of ${versions.join(", ")} for ${name("redisEngine")} ${String(v("redisEngine"))}`,
                  ];
        },
    },
    {
        keys: ["redisShards", "redisReplicasPerShard"],
        component: "ObservabilityStack watch.cache must have at most CACHE_WATCH_MAX_NODES nodes",
        check: (v, name) => {
            const nodes = n(v("redisShards")) * (n(v("redisReplicasPerShard")) + 1);
            return nodes <= CACHE_WATCH_MAX_NODES
                ? []
                : [
                      `${name("redisShards")} = ${n(v("redisShards"))} with ${name("redisReplicasPerShard")} = ${n(v("redisReplicasPerShard"))}: ${nodes} cache nodes; the memory alarm watches at most ${CACHE_WATCH_MAX_NODES} (a CloudWatch alarm reads at most ${CACHE_WATCH_MAX_NODES} metrics)`,
                  ];
        },
    },
    {
        keys: ["nodeGroups", "clusterMaxNodes"],
        component: "RegionalCluster node group maximums <= maxNodes",
        check: (v, name) => {
            const groups = resolveNodeGroups(v("nodeGroups") as Record<string, Partial<NodeGroupSpec>>);
            const total = NODE_GROUP_NAMES.reduce((t, g) => t + groups[g].maxSize, 0);
            return total <= n(v("clusterMaxNodes"))
                ? []
                : [
                      `${name("nodeGroups")} maxSize values add up to ${total} (${NODE_GROUP_NAMES.map((g) => `${g} ${groups[g].maxSize}`).join(", ")}): must not exceed ${name("clusterMaxNodes")} (${n(v("clusterMaxNodes"))})`,
                  ];
        },
    },
    {
        keys: ["standbyNodeGroupMinSize", "nodeGroups"],
        component: "a standby's warm compute size <= the compute group's maxSize (stacks/regional.ts nodeGroupsFor)",
        check: (v, name) => {
            const max = resolveNodeGroups(v("nodeGroups") as Record<string, Partial<NodeGroupSpec>>).compute.maxSize;
            return n(v("standbyNodeGroupMinSize")) <= max
                ? []
                : [
                      `${name("standbyNodeGroupMinSize")} = ${n(v("standbyNodeGroupMinSize"))}: must not exceed the compute group's maxSize (${max}); raise ${name("nodeGroups")}.compute.maxSize or lower the warm size`,
                  ];
        },
    },
    {
        keys: ["openSearchVolumeSizeGib", "openSearchDataInstanceType"],
        component: "ObservabilityStack openSearch.volumeSizeGib <= the instance type's EBS limit",
        check: (v, name) => {
            const limit = EBS_LIMIT_GIB[String(v("openSearchDataInstanceType"))];
            return limit === undefined || n(v("openSearchVolumeSizeGib")) <= limit
                ? []
                : [
                      `${name("openSearchVolumeSizeGib")} = ${n(v("openSearchVolumeSizeGib"))}: must be at most ${limit} GiB on ${name("openSearchDataInstanceType")} ${String(v("openSearchDataInstanceType"))}`,
                  ];
        },
    },
    {
        keys: ["openSearchHotDays", "openSearchWarmInstanceCount", "logRetentionDays"],
        component: "ObservabilityStack openSearch.hotDays < logRetentionDays with UltraWarm nodes",
        check: (v, name) =>
            n(v("openSearchWarmInstanceCount")) === 0 || n(v("openSearchHotDays")) < n(v("logRetentionDays"))
                ? []
                : [
                      `${name("openSearchHotDays")} = ${n(v("openSearchHotDays"))}: must be below ${name("logRetentionDays")} (${n(v("logRetentionDays"))}) when ${name("openSearchWarmInstanceCount")} is above 0; set it to 0 to keep everything hot`,
                  ],
    },
    {
        keys: [
            "openSearchRetainedTb",
            "openSearchHotDays",
            "openSearchWarmInstanceCount",
            "openSearchWarmInstanceType",
            "openSearchVolumeSizeGib",
            "openSearchDataInstanceCount",
            "logRetentionDays",
        ],
        component: "ObservabilityStack hot and warm storage must hold the retained logs",
        check: (v, name) => {
            const tb = n(v("openSearchRetainedTb"));
            const hot = n(v("openSearchHotDays"));
            const days = n(v("logRetentionDays"));
            const warm = n(v("openSearchWarmInstanceCount"));
            if (warm !== 0 && hot >= days) return []; // the rule above reports it
            const share = hotShare(hot, days, warm);
            const need = hotStorageGib(tb, OPENSEARCH_DEFAULTS.replicas, share);
            const volume = n(v("openSearchVolumeSizeGib"));
            const count = n(v("openSearchDataInstanceCount"));
            const problems: string[] = [];
            if (volume * count < need) {
                problems.push(
                    `${name("openSearchVolumeSizeGib")} = ${volume}: x ${name("openSearchDataInstanceCount")} (${count}) must hold ${need} GiB (${name("openSearchRetainedTb")} ${tb} TB, ${share < 1 ? `${hot} of ${days} days hot, ` : ""}1 replica, 1.45 overhead)`,
                );
            }
            if (share < 1) {
                const warmNeed = warmStorageGib(tb, share);
                const perNode = ULTRAWARM_STORAGE_GIB[String(v("openSearchWarmInstanceType"))] ?? 0;
                if (warm * perNode < warmNeed) {
                    problems.push(
                        `${name("openSearchWarmInstanceCount")} = ${warm}: x ${perNode} GiB (${String(v("openSearchWarmInstanceType"))}) must hold ${warmNeed} GiB (the ${days - hot} warm days of ${name("openSearchRetainedTb")} ${tb} TB, 1.1 overhead)`,
                    );
                }
            }
            return problems;
        },
    },
];

/** Every cross-key problem among the values that passed their own checks. */
export function crossKeyProblems(values: Readonly<Partial<Record<ConfigKey, unknown>>>, name: (k: ConfigKey) => string): string[] {
    return CROSS_KEY_RULES.filter((r) => r.keys.every((k) => values[k] !== undefined)).flatMap((r) => r.check((k) => values[k], name));
}
