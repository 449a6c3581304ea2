import { BACKEND_REQUESTS } from "../../../components/regional-cluster/rollout";
import type { PodRequests } from "./facts/daemonsets";

/**
 * What the model assumes about the application where the plan does not say. The backend is the
 * application team's Deployment (or Rollout) `bookedbarber-backend`; when a plan carries it, its
 * requests are read from the plan instead of these.
 */
export const BACKEND_ASSUMPTIONS = {
    /** Requests of the backend container (the Rollout's, components/regional-cluster/rollout.ts): 500m CPU, 512 MiB for the FastAPI workers. */
    requests: BACKEND_REQUESTS satisfies PodRequests,
    /**
     * CPU one request costs the backend, in milliseconds (so rps x this = millicores in use). At 3.5 ms,
     * 100 rps uses 350m, 70% of the 500m request: the HPA's CPU target and its rps target bind together.
     */
    cpuMsPerRequest: 3.5,
    /** Server-side database connections each backend pod holds per shard (the application's pool, pool_size 5 with no overflow). */
    dbPoolPerShard: 5,
    /** The node group the backend runs on: the spec's compute-optimized group (label bookedbarber.com/workload-class=compute). */
    workloadClass: "compute",
} as const;

/**
 * Size of each cache key class at the zone's peak, for the cache memory check. Counts follow the
 * spec's figures (1M concurrent users, 100,000 franchises) and the load profile; bytes per key are
 * the application's budget per entry (value, key and Redis overhead).
 */
export const CACHE_KEY_SIZING = {
    userSessions: { bytesPerKey: 2048, keys: "one per concurrent user" },
    franchiseData: { bytesPerKey: 32768, keys: "one per franchise (spec: 100,000 franchises)" },
    apiResponses: { bytesPerKey: 8192, keys: "cacheable requests within the TTL, 10% of them distinct" },
    rateLimiting: { bytesPerKey: 128, keys: "one per concurrent user (client)" },
} as const;
export const FRANCHISES = 100_000;
export const DISTINCT_RESPONSE_SHARE = 0.1;
/** Spec (Performance Requirements): cache memory utilization under 80%. */
export const CACHE_MEMORY_TARGET = 0.8;
