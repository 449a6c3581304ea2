import { resolveLoadProfile, type LoadProfile as ConfiguredLoadProfile } from "../../../stacks/config-keys/load";
import type { PlanFile } from "../plan-file";

/** The load figures the capacity and recovery models need, from the one typed home (stacks/config-keys/load.ts). */
export interface LoadProfile extends Pick<ConfiguredLoadProfile, "peakRps" | "zoneShare" | "concurrentUsers" | "cacheableShare"> {
    /** Where the figures came from. */
    from: "config bookedbarber:loadProfile" | "spec default";
}

const CONFIG_KEY = "bookedbarber:loadProfile";

/** The load profile of a plan: the stack's `loadProfile` config (defaults under the fields it leaves out), else the defaults. */
export function loadProfileOf(plan: Pick<PlanFile, "config">): LoadProfile {
    const raw = plan.config?.[CONFIG_KEY];
    const configured = raw !== null && typeof raw === "object" && !Array.isArray(raw);
    const p = resolveLoadProfile(configured ? (raw as Partial<ConfiguredLoadProfile>) : undefined);
    return {
        peakRps: p.peakRps,
        zoneShare: { ...p.zoneShare },
        concurrentUsers: p.concurrentUsers,
        cacheableShare: p.cacheableShare,
        from: configured ? "config bookedbarber:loadProfile" : "spec default",
    };
}
