// OpenSearch sizing, kept free of Pulumi imports so the cost model and tools can read it cheaply.
import { integerLimit, oneOfLimit } from "../limits";

/**
 * Log-store sizing for the spec's "Elasticsearch: 30-day retention, 10TB capacity"
 * (Amazon OpenSearch Service stands in for Elasticsearch), with a hot tier for the
 * recent week and UltraWarm for the rest, sized by the cost model (docs/cost-model.md):
 * 30 days all hot on gp3 cost ~4x as much, and searches go mostly to recent logs.
 *
 * Hot, AWS's sizing guide (minimum storage = source x (1 + replicas) x 1.45, where 1.45
 * covers indexing overhead 10%, the 5% Linux reserve and the service's 20% reserve):
 *   retained source logs   10 TB over 30 days ~ 333 GB/day
 *   hot, 7 days            2.33 TB ~ 2,173 GiB x 2 (one replica) x 1.45 = 6,302 GiB minimum
 *   data nodes             3 x r6g.2xlarge.search (8 vCPU, 64 GiB; EBS limit 3 TiB each), one per AZ
 *   volume per node        2,200 GiB gp3 -> 6,600 GiB, ~5% headroom over the minimum
 *   dedicated masters      3 x m6g.large.search, one per AZ (AWS: enough for up to 10 data nodes;
 *                          UltraWarm needs dedicated masters)
 * Warm (UltraWarm keeps indices in S3: no replica and no service reserve, 10% index overhead):
 *   23 days                7.67 TB ~ 7,140 GiB x 1.1 = 7,855 GiB
 *   warm nodes             6 x ultrawarm1.medium.search (1.5 TiB each) = 9,216 GiB
 */
export const OPENSEARCH_DEFAULTS = {
    retainedTb: 10,
    replicas: 1,
    hotDays: 7,
    dataInstanceType: "r6g.2xlarge.search",
    dataInstanceCount: 3,
    volumeSizeGib: 2200,
    masterInstanceType: "m6g.large.search",
    masterInstanceCount: 3,
    warmInstanceType: "ultrawarm1.medium.search",
    warmInstanceCount: 6,
    engineVersion: "OpenSearch_2.19",
} as const;

/** Minimum storage in GiB for `retainedTb` of source logs with `replicas` (the arithmetic above). */
export function minimumStorageGib(retainedTb: number, replicas: number): number {
    return Math.ceil(((retainedTb * 1e12) / 2 ** 30) * (1 + replicas) * 1.45);
}

/** Share of the retained logs that stays hot: `hotDays` of `retentionDays` (all of it when no warm tier). */
export function hotShare(hotDays: number, retentionDays: number, warmNodes: number): number {
    return warmNodes > 0 ? Math.min(1, hotDays / retentionDays) : 1;
}

/** Hot-tier minimum storage in GiB. */
export function hotStorageGib(retainedTb: number, replicas: number, share: number): number {
    return minimumStorageGib(retainedTb * share, replicas);
}

/** UltraWarm storage in GiB for the logs past the hot days (10% index overhead, no replica). */
export function warmStorageGib(retainedTb: number, share: number): number {
    return Math.ceil(((retainedTb * (1 - share) * 1e12) / 2 ** 30) * 1.1);
}

/** Storage each UltraWarm node type can address, GiB (OpenSearch Service UltraWarm limits). */
export const ULTRAWARM_STORAGE_GIB: Readonly<Record<string, number>> = {
    "ultrawarm1.medium.search": 1536,
    "ultrawarm1.large.search": 20480,
};

/** Largest EBS volume per data node, GiB, for the instance types we size with (OpenSearch Service limits). */
export const EBS_LIMIT_GIB: Readonly<Record<string, number>> = {
    "r6g.large.search": 1024,
    "r6g.xlarge.search": 1536,
    "r6g.2xlarge.search": 3072,
    "r6g.4xlarge.search": 6144,
    "r6g.8xlarge.search": 12288,
    "r6g.12xlarge.search": 18432,
    "r7g.large.search": 1024,
    "r7g.xlarge.search": 1536,
    "r7g.2xlarge.search": 3072,
    "r7g.4xlarge.search": 6144,
    "r7g.8xlarge.search": 12288,
    "r7g.12xlarge.search": 18432,
    "im4gn.4xlarge.search": 7500,
};

/** The most data nodes the stack and the component accept: a multiple of 3 under OpenSearch's default 80 per domain. */
export const OPENSEARCH_MAX_DATA_NODES = 78;

/**
 * The compound rules the Limit type cannot express, written once for the component and its config keys:
 * data nodes in multiples of 3 (zone awareness over 3 AZs), and a warm tier of 0 or 2 to 150 UltraWarm nodes.
 */
export function dataInstanceCountProblem(v: number): string | undefined {
    return Number.isInteger(v) && v >= 3 && v <= OPENSEARCH_MAX_DATA_NODES && v % 3 === 0
        ? undefined
        : `must be a multiple of 3 from 3 to ${OPENSEARCH_MAX_DATA_NODES} (zone awareness over 3 AZs)`;
}

export function warmInstanceCountProblem(v: number): string | undefined {
    return v === 0 || (Number.isInteger(v) && v >= 2 && v <= 150) ? undefined : "must be 0 (no warm tier) or from 2 to 150 (UltraWarm's limits)";
}

/** The OpenSearch sizing args' valid ranges (ObservabilityStack `openSearch`); the compound rules are the two functions above. */
export const OPENSEARCH_LIMITS = {
    /** ISM min_index_age in days, below logRetentionDays when a warm tier exists. */
    hotDays: integerLimit(1, 3650),
    /** The types whose EBS limit we know: the volume check needs it. */
    dataInstanceType: oneOfLimit(Object.keys(EBS_LIMIT_GIB)),
    /** gp3 on OpenSearch: 10 GiB at least, up to the largest EBS limit of a listed type. */
    volumeSizeGib: integerLimit(10, Math.max(...Object.values(EBS_LIMIT_GIB))),
    /** Dedicated masters: one per AZ (3), or 5. */
    masterInstanceCount: oneOfLimit([3, 5]),
    warmInstanceType: oneOfLimit(Object.keys(ULTRAWARM_STORAGE_GIB)),
} as const;
