import type { PlanFile } from "../plan-file";
import { cacheCapacity } from "./cache";
import { computeCapacity } from "./compute";
import { databaseCapacity } from "./database";
import { loadProfileOf } from "./load-profile";
import { roleOf, zoneOf } from "./plan-reader";
import type { CapacitySection, CapacityTarget } from "./types";

export type { CapacitySection, CapacityTarget, NodeSizing } from "./types";
export { loadProfileOf } from "./load-profile";

/** The target that binds first: the first one not met, otherwise the one closest to its limit. */
function limitingOf(targets: readonly CapacityTarget[]): string | undefined {
    const failed = targets.find((t) => !t.met);
    if (failed) return failed.limiting;
    const tightest = targets.filter((t) => !t.consistency).sort((a, b) => b.utilisation - a.utilisation)[0];
    return tightest ? `${tightest.limiting} (${Math.round(tightest.utilisation * 100)}% used)` : undefined;
}

/**
 * The capacity model of one regional stack. A primary must serve its zone's share of the peak; a
 * standby the same share once its zone's primary is lost (active/passive: the standby takes all of
 * its primary's traffic). The global stack sums up the zones of the run.
 */
export function capacityOf(plan: PlanFile, all: ReadonlyMap<string, PlanFile>): CapacitySection {
    const profile = loadProfileOf(plan);
    const role = roleOf(plan);
    if (role === "global") return globalCapacity(plan, all, profile.peakRps, profile.from);
    const zone = zoneOf(plan);
    const share = profile.zoneShare[zone];
    if (share === undefined) {
        return {
            met: false,
            limiting: "load profile",
            scenario: `zone ${zone}`,
            loadProfile: { peakRps: profile.peakRps, zoneRps: 0, from: profile.from },
            targets: [
                {
                    target: "zone share",
                    met: false,
                    limiting: "load profile",
                    utilisation: Infinity,
                    detail: `loadProfile.zoneShare has no share for zone ${zone}`,
                },
            ],
        };
    }
    const zoneRps = Math.round(profile.peakRps * share);
    const compute = computeCapacity(plan, zoneRps);
    const targets = [
        ...compute.targets,
        ...(compute.pods ? databaseCapacity(plan, compute.pods.needed) : []),
        ...cacheCapacity(
            plan,
            profile,
            share,
            zoneRps,
            [...all.values()].find((p) => zoneOf(p) === zone && roleOf(p) === "primary"),
        ),
    ];
    return {
        met: targets.every((t) => t.met),
        limiting: limitingOf(targets),
        scenario: role === "standby" ? `zone ${zone} peak with its primary lost: ${zoneRps} rps on this standby` : `zone ${zone} peak: ${zoneRps} rps`,
        loadProfile: { peakRps: profile.peakRps, zoneRps, from: profile.from },
        pods: compute.pods,
        nodes: compute.nodes,
        targets,
    };
}

/** The global peak with any one zone's primary lost: every zone's primary and standby must each hold the zone's share. */
function globalCapacity(plan: PlanFile, all: ReadonlyMap<string, PlanFile>, peakRps: number, from: string): CapacitySection {
    const regional = [...all.values()].filter((p) => roleOf(p) === "primary" || roleOf(p) === "standby");
    const zones = [...new Set(regional.map(zoneOf))].sort().map((zone) => {
        const primary = regional.find((p) => zoneOf(p) === zone && roleOf(p) === "primary");
        const standby = regional.find((p) => zoneOf(p) === zone && roleOf(p) === "standby");
        const parts = [primary, standby].map((p) => (p ? (p.capacity ?? capacityOf(p, all)) : undefined));
        const failed = parts.find((c) => c && !c.met);
        return {
            zone,
            primary: primary?.stack ?? "(not planned)",
            standby: standby?.stack ?? "(not planned)",
            met: parts.every((c) => c?.met === true),
            limiting: failed?.limiting ?? (parts.some((c) => !c) ? "stack not planned in this run" : undefined),
        };
    });
    const targets: CapacityTarget[] = zones.map((z) => ({
        target: `zone ${z.zone}: peak on ${z.primary}, and on ${z.standby} with ${z.primary} lost`,
        met: z.met,
        limiting: z.limiting ?? `zone ${z.zone}`,
        utilisation: z.met ? 1 : Infinity,
        detail: z.met ? "met" : `not met: ${z.limiting}`,
    }));
    const met = zones.length > 0 && zones.every((z) => z.met);
    return {
        met,
        limiting: met ? undefined : zones.length === 0 ? "no regional stack in this run" : zones.find((z) => !z.met)?.limiting,
        scenario: `${peakRps} rps at peak with any one zone's primary lost`,
        loadProfile: { peakRps, zoneRps: peakRps, from },
        targets,
        zones,
    };
}
