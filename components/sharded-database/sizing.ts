/**
 * Instance classes and the connection budgets derived from them.
 *
 * The spec names db.r6g.16xlarge writers and db.r6g.8xlarge readers ("Database
 * Deployment Per Region"); newer memory-optimized families are allowed because
 * Aurora sells them at the same or better price per GiB. Only the memory-optimized
 * (r) families are allowed: the spec sizes the shards by RAM.
 */

/**
 * Aurora storage configurations: I/O-Optimized (no I/O charge, instances +30%, storage $0.225/GB)
 * or Standard (I/O at $0.20 per million, storage $0.10/GB). The default stands in for the spec's
 * io2 with 50,000 IOPS; docs/cost-model.md compares the two at the load profile.
 */
export const STORAGE_TYPES = ["aurora-iopt1", "aurora"] as const;
export type StorageType = (typeof STORAGE_TYPES)[number];
export const DEFAULT_STORAGE_TYPE: StorageType = "aurora-iopt1";

/** Allowed families and the sizes Aurora PostgreSQL offers in each. */
export const INSTANCE_FAMILIES: Readonly<Record<string, readonly string[]>> = {
    r6g: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"],
    r6i: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"],
    r7g: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"],
    r7i: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"],
    r8g: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"],
};

/** Memory of an r-family size in GiB (8 GiB per vCPU across these families). */
const SIZE_GIB: Readonly<Record<string, number>> = {
    large: 16,
    xlarge: 32,
    "2xlarge": 64,
    "4xlarge": 128,
    "8xlarge": 256,
    "12xlarge": 384,
    "16xlarge": 512,
    "24xlarge": 768,
    "32xlarge": 1024,
    "48xlarge": 1536,
};

/** Spec values ("Database Deployment Per Region"). */
export const SPEC_WRITER_CLASS = "db.r6g.16xlarge";
export const SPEC_READER_CLASS = "db.r6g.8xlarge";

/**
 * Default classes, sized by the cost model against the load profile (docs/cost-model.md,
 * docs/decisions/data-tier-sizing.md), not copied from the spec's list, which alone costs
 * about 4x the spec's whole budget:
 *
 *   data per shard     10 TB x zone share / 4 shards: us 1,280 GB, eu and apac 640 GB
 *   writes per shard   100,000 rps x 10% writes x zone share / 4: us 1,250/s at peak, eu and apac 625/s
 *   reads per shard    after CloudFront (30%) and the cache's 95% hit rate: about 2% of requests, us ~450/s at peak
 *   db.r6g.xlarge      4 vCPU, 32 GiB: a 2.5% hot set of the largest shard in the buffer cache,
 *                      max_connections 3,600 (enough for PgBouncer's pools), and ~$490/month I/O-Optimized in us-east-1
 *                      against ~$7,900 for the spec's db.r6g.16xlarge writer.
 * Readers take the writer's class: a reader is the in-region failover target, and the
 * readers Application Auto Scaling adds take the writer's class anyway (Aurora's rule).
 */
export const DEFAULT_WRITER_CLASS = "db.r6g.xlarge";
export const DEFAULT_READER_CLASS = "db.r6g.xlarge";

/** Why a class is not allowed, or undefined when it is. */
export function instanceClassProblem(cls: string): string | undefined {
    const m = /^db\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(cls ?? "");
    const allowed = `must be db.<family>.<size> with family one of ${Object.keys(INSTANCE_FAMILIES).join(", ")} (memory-optimized; spec: ${SPEC_WRITER_CLASS} writer, ${SPEC_READER_CLASS} readers)`;
    if (!m || !INSTANCE_FAMILIES[m[1]]) return allowed;
    if (!INSTANCE_FAMILIES[m[1]].includes(m[2])) return `must be a size Aurora offers for ${m[1]}: ${INSTANCE_FAMILIES[m[1]].join(", ")}`;
    return undefined;
}

/**
 * Aurora PostgreSQL's default max_connections: LEAST({DBInstanceClassMemory/9531392}, 5000).
 * DBInstanceClassMemory is the class's memory less what RDS reserves; using the
 * full memory overstates small classes by a few percent, so the budgets below
 * take only a share of it.
 */
export function maxConnections(cls: string): number {
    const problem = instanceClassProblem(cls);
    if (problem) throw new Error(`instance class ${cls}: ${problem}`);
    const size = cls.split(".")[2];
    return Math.min(Math.floor((SIZE_GIB[size] * 1024 ** 3) / 9531392), 5000);
}

export interface PoolSizing {
    /** pgbouncer default_pool_size per pod. */
    defaultPoolSize: number;
    /** pgbouncer reserve_pool_size per pod. */
    reservePoolSize: number;
    /** pgbouncer max_db_connections per pod: the hard cap of server connections. */
    maxDbConnections: number;
    /** pgbouncer max_client_conn per pod. */
    maxClientConn: number;
}

export interface PoolSizingInput {
    /** max_connections of each server behind the pool. */
    serverMaxConnections: number;
    /** Servers behind the endpoint (1 for the writer; the reader floor for the reader endpoint). */
    servers: number;
    /** Share of max_connections PgBouncer may use; the rest is left for admin, replication and migrations. */
    serverShare: number;
    /** PgBouncer pods of the shard. */
    replicas: number;
    /** Client connections this shard's pool must accept across its pods. */
    shardClientConnections: number;
}

/**
 * Splits the server connection budget over the pods so that all pods together
 * never exceed it, and sizes client slots so the shard still accepts its share
 * of clients with one pod down (the PDB allows one at a time).
 */
export function poolSizing(i: PoolSizingInput): PoolSizing {
    const budget = Math.floor(i.serverMaxConnections * i.serverShare) * i.servers;
    const perPod = Math.floor(budget / i.replicas);
    const reservePoolSize = Math.max(1, Math.floor(perPod / 10));
    const surviving = i.replicas > 1 ? i.replicas - 1 : 1;
    return {
        defaultPoolSize: perPod - reservePoolSize,
        reservePoolSize,
        maxDbConnections: perPod,
        maxClientConn: Math.ceil(i.shardClientConnections / surviving),
    };
}
