import type { CapturedResource } from "../mock-engine";
import { familyAndSize, GB, hourly, line, num, unpriced } from "./lines";
import { sizeFactor } from "./price-table";
import type { CostContext, CostFunction, DraftLine, UnpricedItem } from "./types";

/** A standby's group inherits node type, shard count and engine from the primary of its Global Datastore. */
function primaryOf(r: CapturedResource, ctx: CostContext): CapturedResource | undefined {
    const globalId = String(r.inputs.globalReplicationGroupId ?? "");
    if (!globalId) return undefined;
    for (const p of ctx.all.values()) {
        const found = p.resources.find(
            (g) =>
                g.type === "aws:elasticache/replicationGroup:ReplicationGroup" &&
                !g.inputs.globalReplicationGroupId &&
                typeof g.inputs.replicationGroupId === "string" &&
                globalId.endsWith(g.inputs.replicationGroupId),
        );
        if (found) return found;
    }
    return undefined;
}

/**
 * A cluster-mode replication group: shards x (1 + replicas) nodes; Valkey at its
 * discount. On a Global Datastore primary, the writes replicated to the secondary
 * cross regions at the inter-region transfer price.
 */
export const replicationGroup: CostFunction = (r, ctx) => {
    const primary = primaryOf(r, ctx);
    const source = primary ?? r;
    const cfg = ctx.plan.config;
    const nodeType = String(source.inputs.nodeType ?? cfg["bookedbarber:redisNodeType"] ?? "");
    const engine = String(source.inputs.engine ?? cfg["bookedbarber:redisEngine"] ?? "redis");
    const shards = num(source.inputs.numNodeGroups, num(cfg["bookedbarber:redisShards"], 1));
    const replicas = num(r.inputs.replicasPerNodeGroup, 1);
    const nodes = shards * (1 + replicas);
    const inherited = r.inputs.globalReplicationGroupId
        ? primary
            ? `inherited from ${primary.name}`
            : "inherited; primary not in this run, read from the stack config"
        : "";
    const fs = familyAndSize(nodeType);
    const factor = fs && sizeFactor(fs.size);
    const price = fs && factor ? ctx.prices.get(`elasticache.${fs.family}`, ctx.region) : undefined;
    const valkey = engine === "valkey" ? ctx.prices.get("elasticache.valkey-factor", ctx.region) : undefined;
    const out: (DraftLine | UnpricedItem)[] = [];
    if (!price || !factor) out.push(unpriced(r, `no ElastiCache price for ${JSON.stringify(nodeType)} in ${ctx.region} (pricing/prices.json)`));
    else {
        out.push(
            hourly(r, nodes, {
                item: `${nodes} x ${nodeType} ${engine} (${shards} shards x ${1 + replicas})${inherited ? `, ${inherited}` : ""}`,
                kind: "fixed",
                category: "cache",
                optimisation: "reserved",
                price: {
                    usd: price.usd * factor * (valkey?.usd ?? 1),
                    unit: "node-hour",
                    basis: valkey ? `${price.basis}; x ${valkey.usd} for Valkey` : price.basis,
                },
            }),
        );
    }
    if (ctx.role === "primary" && ctx.plan.resources.some((g) => g.type === "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup")) {
        const transfer = ctx.prices.get("transfer.inter-region", ctx.region);
        // Every database write updates (or invalidates) the cached copy, and the Global Datastore replicates it.
        const gb = (ctx.requestsPerMonth * ctx.load.writeShare * ctx.load.bytesPerWrite) / GB;
        if (transfer && gb > 0)
            out.push(
                line(r, {
                    item: "Global Datastore replication to the secondary region",
                    kind: "per-request",
                    category: "cache",
                    quantity: gb,
                    unit: "GB",
                    price: transfer,
                }),
            );
    }
    return out;
};
