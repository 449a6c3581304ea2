import { CACHE_POLICY } from "../../../components/redis-global/cache-policy";
import type { PlanFile } from "../plan-file";
import { CACHE_NODE_MEMORY_GIB, DEFAULT_RESERVED_MEMORY_PERCENT } from "./facts/cache-nodes";
import { reservedMemoryPercentOf } from "./database";
import type { LoadProfile } from "./load-profile";
import { ofType } from "./plan-reader";
import type { CapacityTarget } from "./types";
import { CACHE_KEY_SIZING, CACHE_MEMORY_TARGET, DISTINCT_RESPONSE_SHARE, FRANCHISES } from "./workload";

/** Bytes each key class needs at the zone's peak. */
export function keyClassBytes(profile: LoadProfile, share: number, zoneRps: number): Record<keyof typeof CACHE_KEY_SIZING, number> {
    const users = profile.concurrentUsers * share;
    const responses = zoneRps * profile.cacheableShare * CACHE_POLICY.apiResponses.ttlSeconds * DISTINCT_RESPONSE_SHARE;
    return {
        userSessions: users * CACHE_KEY_SIZING.userSessions.bytesPerKey,
        franchiseData: FRANCHISES * share * CACHE_KEY_SIZING.franchiseData.bytesPerKey,
        apiResponses: responses * CACHE_KEY_SIZING.apiResponses.bytesPerKey,
        rateLimiting: users * CACHE_KEY_SIZING.rateLimiting.bytesPerKey,
    };
}

/**
 * The zone's keyspace against the replication group's usable memory: every shard's node memory less
 * ElastiCache's reserved share, kept under the spec's 80% utilization. The Global Datastore copies
 * the whole keyspace, so a standby needs the same.
 */
export function cacheCapacity(plan: PlanFile, profile: LoadProfile, share: number, zoneRps: number, zonePrimary?: PlanFile): CapacityTarget[] {
    // A Global Datastore secondary takes its node type from the datastore: read the zone primary's.
    const primaryType = zonePrimary ? ofType(zonePrimary, "aws:elasticache/replicationGroup:ReplicationGroup")[0]?.inputs.nodeType : undefined;
    return ofType(plan, "aws:elasticache/replicationGroup:ReplicationGroup").map((rg) => {
        const nodeType = String(rg.inputs.nodeType ?? primaryType ?? "");
        const shards = Number(rg.inputs.numNodeGroups ?? 1);
        const nodeGiB = CACHE_NODE_MEMORY_GIB[nodeType];
        const params = ofType(plan, "aws:elasticache/parameterGroup:ParameterGroup").find((p) => p.inputs.name === rg.inputs.parameterGroupName);
        const reserved = reservedMemoryPercentOf(params?.inputs.parameters) ?? DEFAULT_RESERVED_MEMORY_PERCENT;
        const bytes = keyClassBytes(profile, share, zoneRps);
        const need = Object.values(bytes).reduce((a, b) => a + b, 0) / 2 ** 30;
        if (!nodeType) {
            return {
                target: `${rg.name}: cache memory`,
                met: false,
                limiting: `${rg.name} node type`,
                utilisation: Infinity,
                detail: "the replication group takes the zone primary's node type (Global Datastore secondary), not in this run",
            };
        }
        if (nodeGiB === undefined) {
            return {
                target: `${rg.name}: cache memory`,
                met: false,
                limiting: `${rg.name} node type`,
                utilisation: Infinity,
                detail: `no memory figure for ${nodeType} in tools/offline/capacity/facts/cache-nodes.ts`,
            };
        }
        const usable = shards * nodeGiB * (1 - reserved / 100) * CACHE_MEMORY_TARGET;
        const parts = Object.entries(bytes)
            .map(([k, b]) => `${k} ${(b / 2 ** 30).toFixed(1)}`)
            .join(", ");
        return {
            target: `${rg.name}: cache memory for the key classes`,
            met: need <= usable,
            limiting: `${rg.name} memory (${shards} x ${nodeType})`,
            utilisation: need / usable,
            detail: `${need.toFixed(1)} GiB (${parts}) of ${usable.toFixed(1)} GiB usable (${shards} x ${nodeGiB} GiB, ${reserved}% reserved, ${CACHE_MEMORY_TARGET * 100}% ceiling)`,
        };
    });
}
