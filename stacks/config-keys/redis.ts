// Stack config keys of RedisGlobal (issue 5). Merged into CONFIG_SCHEMA (stacks/config-schema.ts);
// decoded values reach the stacks as `config.values.<key>`. Define keys with `key<T>()`
// from ./define, with a spec-derived default and the roles that read them.
import { DEFAULT_NODE_TYPE, ENGINE_VERSIONS, NODE_TYPE_RE, SPEC_NODE_TYPE } from "../../components/redis-global/validation";
import { REDIS_DEFAULTS, REDIS_LIMITS } from "../../components/redis-global";
import { argsOf, key, oneOf, REGIONAL_ROLES } from "./define";

const redisArg = argsOf("RedisGlobal", REDIS_DEFAULTS, REDIS_LIMITS);

const ALL_VERSIONS = [...new Set(Object.values(ENGINE_VERSIONS).flat())];

export const REDIS_KEYS = {
    redisEngine: key<string>({
        type: "string",
        description:
            "Cache engine of the zone's Global Datastore (spec: Redis Global Clustering): valkey (Redis OSS's open-source continuation) or redis (Redis OSS 7). Primary only: a standby inherits it.",
        ...redisArg("engine"),
        roles: ["primary"],
    }),
    redisEngineVersion: key<string>({
        type: "string",
        description: `Pinned engine version (Global Datastore needs Valkey 7.2+ or Redis OSS 5.0.6+; IAM authentication of the app user Valkey 7.2+ or Redis OSS 7.0+): valkey ${ENGINE_VERSIONS.valkey.join("/")}, redis ${ENGINE_VERSIONS.redis.join("/")}. Primary only.`,
        ...redisArg("engineVersion"),
        roles: ["primary"],
        check: oneOf(ALL_VERSIONS),
    }),
    redisNodeType: key<string>({
        type: "string",
        description: `Cache node type. Default ${DEFAULT_NODE_TYPE}, sized by the cost model for the key classes (docs/cost-model.md; spec: ${SPEC_NODE_TYPE.replace("cache.", "")}, 8 vCPU, 64 GB). Global Datastore families: m5, m6g, m7g, r5, r6g, r7g, c7gn, large and up. Primary only: a standby inherits it.`,
        ...redisArg("nodeType"),
        roles: ["primary"],
        check: (v) => (NODE_TYPE_RE.test(v) ? [] : ["must be a Global Datastore node type: cache.{m5,m6g,m7g,r5,r6g,r7g,c7gn}.{large,xlarge,Nxlarge}"]),
    }),
    redisShards: key<number>({
        type: "integer",
        description:
            "Shards of the cluster-mode replication group (spec: 6 nodes = 3 primary + 3 replica). A standby inherits the primary's and uses this for its alarms, so keep both equal.",
        ...redisArg("shards"),
        roles: REGIONAL_ROLES,
    }),
    redisReplicasPerShard: key<number>({
        type: "integer",
        description: `Replicas per shard (spec: 3 primary + 3 replica). At least ${REDIS_LIMITS.replicasPerShard.min} for Multi-AZ failover; AWS allows ${REDIS_LIMITS.replicasPerShard.max}.`,
        ...redisArg("replicasPerShard"),
        roles: REGIONAL_ROLES,
    }),
    redisSnapshotRetentionDays: key<number>({
        type: "integer",
        description: `Days of daily cache snapshots kept (no spec figure: a week covers a bad deploy noticed after a weekend). ${REDIS_LIMITS.snapshotRetentionDays.min} to ${REDIS_LIMITS.snapshotRetentionDays.max}.`,
        ...redisArg("snapshotRetentionDays"),
        roles: REGIONAL_ROLES,
    }),
    redisSnapshotWindow: key<string>({
        type: "string",
        description:
            "Daily snapshot window, UTC hh:mm-hh:mm, at least 60 minutes, clear of the maintenance window. Default suits Europe's night; stacks in other zones set their own.",
        ...redisArg("snapshotWindow"),
        roles: REGIONAL_ROLES,
        check: (v) => (/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/.test(v) ? [] : ['must be a UTC window "hh:mm-hh:mm"']),
    }),
    redisMaintenanceWindow: key<string>({
        type: "string",
        description:
            "Weekly maintenance window, UTC ddd:hh:mm-ddd:hh:mm, at least 60 minutes. Default suits Europe's night; stacks in other zones set their own.",
        ...redisArg("maintenanceWindow"),
        roles: REGIONAL_ROLES,
        check: (v) =>
            /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/.test(v)
                ? []
                : ['must be a UTC window "ddd:hh:mm-ddd:hh:mm"'],
    }),
    redisLogRetentionDays: key<number>({
        type: "integer",
        description: "Retention of the cache's slow-log and engine-log groups in days (PCI DSS 10.7: a year).",
        ...redisArg("logRetentionDays"),
        roles: REGIONAL_ROLES,
    }),
    redisCacheHoldsNoPersonalData: key<boolean>({
        type: "boolean",
        description:
            "Standby only: declares that the cache holds no personal data. Required before it may join another zone's Global Datastore (docs/design.md#d2-nothing-personal-replicates-across-zones: cross-zone replication only for non-personal data); the cache policy's classes all hold personal data, so leave false.",
        ...redisArg("cacheHoldsNoPersonalData"),
        roles: ["standby"],
    }),
} as const;
