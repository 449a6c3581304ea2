/**
 * ElastiCache node memory (GiB) by node type, and the share ElastiCache reserves for
 * replication buffers and fork: the default reserved-memory-percent of 25 applies when the
 * parameter group does not set it.
 */
export const CACHE_NODE_SOURCE = {
    source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html (Memory (GiB) column); https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-memory-management.html (reserved-memory-percent default 25)",
    retrieved: "2026-11-29",
} as const;

export const CACHE_NODE_MEMORY_GIB: Readonly<Record<string, number>> = {
    "cache.t4g.medium": 3.09,
    "cache.m6g.large": 6.38,
    "cache.m6g.xlarge": 12.93,
    "cache.m6g.2xlarge": 26.04,
    "cache.m6g.4xlarge": 52.26,
    "cache.m7g.large": 6.38,
    "cache.m7g.xlarge": 12.93,
    "cache.m7g.2xlarge": 26.04,
    "cache.m7g.4xlarge": 52.26,
    "cache.r6g.large": 13.07,
    "cache.r6g.xlarge": 26.32,
    "cache.r6g.2xlarge": 52.82,
    "cache.r6g.4xlarge": 105.81,
    "cache.r6g.8xlarge": 209.55,
    "cache.r7g.large": 13.07,
    "cache.r7g.xlarge": 26.32,
    "cache.r7g.2xlarge": 52.82,
    "cache.r7g.4xlarge": 105.81,
    "cache.r7g.8xlarge": 209.55,
};

export const DEFAULT_RESERVED_MEMORY_PERCENT = 25;
