// The load profile (issue 12): the traffic the cost model prices per-request lines from, and the
// capacity model sizes against. Merged into CONFIG_SCHEMA (stacks/config-schema.ts). Every stack
// carries it: the global stack prices the edge from the whole profile, a regional stack its zone's share.
import { ALL_ROLES, key } from "./define";

export const ZONES = ["us", "eu", "apac"] as const;

export interface LoadProfile {
    /** Requests per second at the daily peak, all zones together. */
    peakRps: number;
    /** Share of the peak each residency zone serves; the shares add up to 1. */
    zoneShare: Record<string, number>;
    /** Average rps over a month divided by peak rps. */
    averageToPeak: number;
    /** Share of requests CloudFront answers from its cache (never reach a region). */
    cacheableShare: number;
    /** Share of requests that write to the database. */
    writeShare: number;
    /** Mean bytes of a response sent to the viewer. */
    bytesPerResponse: number;
    /** Mean bytes a write changes in the database (and replicates to the standby). */
    bytesPerWrite: number;
    /** Mean bytes per origin request that pods send to the internet through NAT (payment, mail, SMS APIs). */
    egressBytesPerRequest: number;
    /** Database size in GB, all zones together; each zone holds its zoneShare, split evenly over its shards. */
    databaseGb: number;
    /** Users online at the peak, all zones together; the capacity model sizes the cache's session keys from it. */
    concurrentUsers: number;
}

/**
 * Spec figures where the spec gives one, otherwise stated assumptions (docs/cost-model.md):
 * - peakRps 100,000: spec "API Requests/Second: 100,000".
 * - zoneShare us 0.5 / eu 0.25 / apac 0.25: the spec's franchise ranges (us holds 1-50,000 of 100,000).
 * - averageToPeak 0.5: assumption; a daily curve whose off-peak half runs ~40% lower (spec: auto-scaling saves 40% off-peak).
 * - cacheableShare 0.3: assumption; static assets (1-year cache) and 5-minute API responses (spec: CDN Cache Behaviors).
 * - writeShare 0.1, bytesPerResponse 4 KiB, bytesPerWrite 2 KiB, egressBytesPerRequest 256: assumptions for a booking API.
 * - databaseGb 10,240: spec "Database Size: 10TB+".
 * - concurrentUsers 1,000,000: spec "Concurrent Users: 1,000,000".
 */
export const DEFAULT_LOAD_PROFILE: Readonly<LoadProfile> = {
    peakRps: 100_000,
    zoneShare: { us: 0.5, eu: 0.25, apac: 0.25 },
    averageToPeak: 0.5,
    cacheableShare: 0.3,
    writeShare: 0.1,
    bytesPerResponse: 4096,
    bytesPerWrite: 2048,
    egressBytesPerRequest: 256,
    databaseGb: 10_240,
    concurrentUsers: 1_000_000,
};

/** The profile with the defaults under the given fields. */
export function resolveLoadProfile(v: Partial<LoadProfile> | undefined): LoadProfile {
    return { ...DEFAULT_LOAD_PROFILE, ...(v ?? {}), zoneShare: { ...(v?.zoneShare ?? DEFAULT_LOAD_PROFILE.zoneShare) } };
}

const share = (v: unknown, lo: number, loOpen: boolean, hi: number, hiOpen: boolean) =>
    typeof v === "number" && Number.isFinite(v) && (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);

/** One problem per bad field, each starting with the field's path. */
export function loadProfileProblems(v: Partial<LoadProfile>): string[] {
    if (typeof v !== "object" || v === null || Array.isArray(v))
        return [
            "must be an object with peakRps, zoneShare, averageToPeak, cacheableShare, writeShare, bytesPerResponse, bytesPerWrite, egressBytesPerRequest, databaseGb, concurrentUsers",
        ];
    const problems: string[] = [];
    const known = Object.keys(DEFAULT_LOAD_PROFILE);
    for (const k of Object.keys(v)) if (!known.includes(k)) problems.push(`.${k}: unknown field; allowed: ${known.join(", ")}`);
    const p = resolveLoadProfile(v);
    if (!Number.isInteger(p.peakRps) || p.peakRps < 1 || p.peakRps > 10_000_000)
        problems.push(`.peakRps: must be an integer from 1 to 10,000,000 (got ${JSON.stringify(p.peakRps)})`);
    const zones = Object.keys(p.zoneShare ?? {});
    const badZones = zones.filter((z) => !(ZONES as readonly string[]).includes(z));
    if (badZones.length) problems.push(`.zoneShare: unknown zone ${badZones.join(", ")}; zones are ${ZONES.join(", ")}`);
    for (const z of ZONES)
        if (!share(p.zoneShare?.[z], 0, false, 1, false))
            problems.push(`.zoneShare.${z}: must be a share from 0 to 1 (got ${JSON.stringify(p.zoneShare?.[z])})`);
    const sum = ZONES.reduce((a, z) => a + (Number(p.zoneShare?.[z]) || 0), 0);
    if (Math.abs(sum - 1) > 1e-6) problems.push(`.zoneShare: the shares must add up to 1 (got ${+sum.toFixed(6)})`);
    if (!share(p.averageToPeak, 0, true, 1, false)) problems.push(`.averageToPeak: must be above 0 and at most 1 (got ${JSON.stringify(p.averageToPeak)})`);
    if (!share(p.cacheableShare, 0, false, 1, true)) problems.push(`.cacheableShare: must be from 0 to below 1 (got ${JSON.stringify(p.cacheableShare)})`);
    if (!share(p.writeShare, 0, false, 1, false)) problems.push(`.writeShare: must be from 0 to 1 (got ${JSON.stringify(p.writeShare)})`);
    for (const f of ["bytesPerResponse", "bytesPerWrite"] as const) {
        if (!Number.isInteger(p[f]) || p[f] < 1 || p[f] > 100 * 2 ** 20)
            problems.push(`.${f}: must be an integer number of bytes from 1 to 104,857,600 (got ${JSON.stringify(p[f])})`);
    }
    if (!Number.isInteger(p.egressBytesPerRequest) || p.egressBytesPerRequest < 0 || p.egressBytesPerRequest > 100 * 2 ** 20)
        problems.push(`.egressBytesPerRequest: must be an integer number of bytes from 0 to 104,857,600 (got ${JSON.stringify(p.egressBytesPerRequest)})`);
    if (!Number.isInteger(p.databaseGb) || p.databaseGb < 1 || p.databaseGb > 10_000_000)
        problems.push(`.databaseGb: must be an integer number of GB from 1 to 10,000,000 (got ${JSON.stringify(p.databaseGb)})`);
    if (!Number.isInteger(p.concurrentUsers) || p.concurrentUsers < 1 || p.concurrentUsers > 1_000_000_000)
        problems.push(`.concurrentUsers: must be an integer from 1 to 1,000,000,000 (got ${JSON.stringify(p.concurrentUsers)})`);
    return problems;
}

export const LOAD_KEYS = {
    loadProfile: key<Partial<LoadProfile>>({
        type: "object",
        description:
            "Traffic the cost and capacity models use (spec: 100,000 rps): { peakRps, zoneShare: {us, eu, apac}, averageToPeak, cacheableShare, writeShare, bytesPerResponse, bytesPerWrite, egressBytesPerRequest, databaseGb, concurrentUsers }. Fields left out take the defaults of docs/cost-model.md. Keep it the same in every stack.",
        default: { ...DEFAULT_LOAD_PROFILE, zoneShare: { ...DEFAULT_LOAD_PROFILE.zoneShare } },
        roles: ALL_ROLES,
        check: loadProfileProblems,
    }),
} as const;
