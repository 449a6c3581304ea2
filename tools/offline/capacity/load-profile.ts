import type { PlanFile } from "../plan-file";

/** The load figures the capacity and recovery models need. */
export interface LoadProfile {
    /** Requests per second at the global peak (spec: "API Requests/Second ... 100,000"). */
    peakRps: number;
    /** Share of the peak each residency zone serves; adds up to 1. */
    zoneShare: Record<string, number>;
    /** Concurrent users at peak (spec: 1,000,000), for the cache's session keys. */
    concurrentUsers: number;
    /** Share of requests whose response is cacheable, for the cache's API-response keys. */
    cacheableShare: number;
    /** Where the figures came from. */
    from: "config bookedbarber:loadProfile" | "spec default";
}

/**
 * The spec's load. The zone split follows the spec's own compute projection (Cost Optimization:
 * us-east-1 100, eu-west-1 80, ap-southeast-1 70 average nodes): 40/32/28.
 * TODO(merge with h6-cost): h6 adds the typed `loadProfile` config key; loadProfileOf reads it.
 */
export const SPEC_LOAD_PROFILE: Omit<LoadProfile, "from"> = {
    peakRps: 100_000,
    zoneShare: { us: 0.4, eu: 0.32, apac: 0.28 },
    concurrentUsers: 1_000_000,
    cacheableShare: 0.3,
};

const CONFIG_KEY = "bookedbarber:loadProfile";

/** The load profile of a plan: the stack's `loadProfile` config where set, the spec's otherwise. */
export function loadProfileOf(plan: Pick<PlanFile, "config">): LoadProfile {
    const raw = plan.config?.[CONFIG_KEY];
    if (raw === undefined || raw === null || typeof raw !== "object") return { ...SPEC_LOAD_PROFILE, from: "spec default" };
    const c = raw as Partial<Record<keyof LoadProfile, unknown>>;
    const num = (v: unknown, d: number) => (typeof v === "number" && Number.isFinite(v) ? v : d);
    const share = c.zoneShare && typeof c.zoneShare === "object" ? (c.zoneShare as Record<string, number>) : SPEC_LOAD_PROFILE.zoneShare;
    return {
        peakRps: num(c.peakRps, SPEC_LOAD_PROFILE.peakRps),
        zoneShare: { ...share },
        concurrentUsers: num(c.concurrentUsers, SPEC_LOAD_PROFILE.concurrentUsers),
        cacheableShare: num(c.cacheableShare, SPEC_LOAD_PROFILE.cacheableShare),
        from: "config bookedbarber:loadProfile",
    };
}
