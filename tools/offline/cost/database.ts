import type { CapturedResource } from "../mock-engine";
import { familyAndSize, GB, hourly, line, unpriced } from "./lines";
import { sizeFactor } from "./price-table";
import type { CostContext, CostFunction, DraftLine, UnpricedItem } from "./types";

const IOPT = "aurora-iopt1";
/** Aurora bills a write I/O per 4 KiB page written (Aurora pricing: "I/O ... up to 4 KB"). */
const IO_PAGE_BYTES = 4096;

function clusterOf(r: CapturedResource, ctx: CostContext): CapturedResource | undefined {
    const parent = r.parent ? ctx.byUrn.get(r.parent) : undefined;
    if (parent?.type === "aws:rds/cluster:Cluster") return parent;
    const id = r.inputs.clusterIdentifier;
    return ctx.plan.resources.find((c) => c.type === "aws:rds/cluster:Cluster" && (c.inputs.clusterIdentifier === id || c.urn === id));
}

/** An Aurora instance: its class's hourly price, 1.3x when the cluster is I/O-Optimized. */
export const auroraInstance: CostFunction = (r, ctx) => {
    const cls = String(r.inputs.instanceClass ?? "");
    const engine = String(r.inputs.engine ?? "aurora-postgresql");
    const fs = familyAndSize(cls);
    const factor = fs && sizeFactor(fs.size);
    const base = fs && factor ? ctx.prices.get(`rds.${engine}.${fs.family}`, ctx.region) : undefined;
    if (!base || !factor) return [unpriced(r, `no ${engine} price for ${cls} in ${ctx.region} (pricing/prices.json)`)];
    const iopt = clusterOf(r, ctx)?.inputs.storageType === IOPT;
    const uplift = iopt ? ctx.prices.get("rds.aurora.iopt-instance-factor", ctx.region) : undefined;
    if (iopt && !uplift) return [unpriced(r, "no I/O-Optimized factor in pricing/prices.json")];
    const usd = base.usd * factor * (uplift?.usd ?? 1);
    return [
        hourly(r, 1, {
            item: `${cls}${iopt ? " (I/O-Optimized)" : ""}`,
            kind: "fixed",
            category: "database",
            optimisation: "reserved",
            price: { usd, unit: "instance-hour", basis: iopt ? `${base.basis}; x ${uplift!.usd} I/O-Optimized` : base.basis },
        }),
    ];
};

/** Clusters of the zone in this stack, for splitting the zone's data and writes evenly over its shards. */
function clusters(ctx: CostContext): CapturedResource[] {
    return ctx.plan.resources.filter((c) => c.type === "aws:rds/cluster:Cluster");
}

/** Secondaries of a global cluster across the planned stacks (1 per zone when the run has no standby). */
function secondaries(globalId: unknown, ctx: CostContext): number {
    let n = 0;
    for (const p of ctx.all.values()) {
        if (p.stack === ctx.plan.stack) continue;
        n += p.resources.filter((c) => c.type === "aws:rds/cluster:Cluster" && c.inputs.globalClusterIdentifier === globalId).length;
    }
    return n || 1;
}

/**
 * An Aurora cluster: storage of its share of the zone's data (every region of a global
 * database stores a full copy), I/O on Aurora Standard, and on a global primary the
 * write I/Os replicated to each secondary with the bytes they carry across regions.
 */
export const auroraCluster: CostFunction = (r, ctx) => {
    const out: (DraftLine | UnpricedItem)[] = [];
    const iopt = r.inputs.storageType === IOPT;
    const shards = Math.max(1, clusters(ctx).length);
    const zoneShare = ctx.zone ? (ctx.load.zoneShare[ctx.zone] ?? 0) : 0;
    const gb = (ctx.load.databaseGb * zoneShare) / shards;
    const storage = ctx.prices.get(iopt ? "rds.aurora.storage-iopt" : "rds.aurora.storage-standard", ctx.region);
    if (storage) {
        out.push(
            line(r, {
                item: `storage, ${Math.round(gb)} GB (${iopt ? "I/O-Optimized" : "Aurora Standard"}; zone's ${ctx.load.databaseGb} GB x ${zoneShare} over ${shards} shards)`,
                kind: "fixed",
                category: "database",
                quantity: gb,
                unit: "GB-months",
                price: storage,
            }),
        );
    } else out.push(unpriced(r, `no Aurora storage price in ${ctx.region}`));

    // Writes reach the primary only; a standby serves nothing until failover.
    const writes = (ctx.requestsPerMonth * ctx.load.writeShare) / shards;
    if (writes <= 0) return out;
    const ios = writes * Math.ceil(ctx.load.bytesPerWrite / IO_PAGE_BYTES);
    if (!iopt) {
        const io = ctx.prices.get("rds.aurora.io", ctx.region);
        if (io)
            out.push(
                line(r, {
                    item: "write I/Os (Aurora Standard; reads assumed served from the buffer cache)",
                    kind: "per-request",
                    category: "database",
                    quantity: ios / 1e6,
                    unit: "million I/Os",
                    price: io,
                }),
            );
        else out.push(unpriced(r, `no Aurora I/O price in ${ctx.region}`));
    }
    if (r.inputs.globalClusterIdentifier && ctx.role === "primary") {
        const n = secondaries(r.inputs.globalClusterIdentifier, ctx);
        const replicated = ctx.prices.get("rds.aurora.replicated-write-io", ctx.region);
        const transfer = ctx.prices.get("transfer.inter-region", ctx.region);
        if (replicated)
            out.push(
                line(r, {
                    item: `replicated write I/Os to ${n} secondary region${n > 1 ? "s" : ""}`,
                    kind: "per-request",
                    category: "database",
                    quantity: (ios * n) / 1e6,
                    unit: "million replicated write I/Os",
                    price: replicated,
                }),
            );
        else out.push(unpriced(r, `no replicated write I/O price in ${ctx.region}`));
        if (transfer)
            out.push(
                line(r, {
                    item: "replicated bytes to the secondary region",
                    kind: "per-request",
                    category: "database",
                    quantity: (writes * ctx.load.bytesPerWrite * n) / GB,
                    unit: "GB",
                    price: transfer,
                }),
            );
        else out.push(unpriced(r, `no inter-region transfer price in ${ctx.region}`));
    }
    return out;
};
