/**
 * What RedisGlobal accepts: the engines, versions and node types Global
 * Datastore supports, and the window and residency rules, kept apart from the
 * resources so the config schema can share them.
 */

/**
 * Engines and versions that support Global Datastore (Valkey 7.2+, Redis OSS 5.0.6+), RBAC (Redis OSS 6+) and IAM
 * authentication of the application's user (Valkey 7.2+, Redis OSS 7.0+; test/upstream/elasticache/iam-auth.json).
 */
export const ENGINE_VERSIONS = {
    valkey: ["7.2", "8.0", "8.1", "8.2"],
    redis: ["7.0", "7.1"],
} as const;
export type Engine = keyof typeof ENGINE_VERSIONS;

/**
 * Node families Global Datastore supports (M5, M6g, M7g, R5, R6g, R7g, C7gn; size large and up).
 * R6gd is left out: it needs data tiering, which a pure cache does not want.
 */
export const NODE_TYPE_RE = /^cache\.(m5|m6g|m7g|r5|r6g|r7g|c7gn)\.(large|\d*xlarge)$/;

/** The spec's node type ("Instance Type: r6g.2xlarge"). */
export const SPEC_NODE_TYPE = "cache.r6g.2xlarge";

/**
 * Default node type, sized by the cost model (docs/cost-model.md), not copied from the spec:
 * the key classes of a zone come to about 6 GiB (us: 500k sessions x 2 KiB, 50k franchises x
 * 16 KiB, 5-minute API responses ~4 GiB); 3 shards of cache.r6g.large (13.07 GiB each, 25%
 * reserved) hold ~29 GiB, 4x that. At peak a us shard serves ~33k ops/s of ~4 KiB, split over
 * its primary and replica: ~0.55 Gbps a node against r6g.large's 0.75 Gbps baseline.
 */
export const DEFAULT_NODE_TYPE = "cache.r6g.large";

export const ID_RE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const DAILY_WINDOW_RE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const WEEKLY_WINDOW_RE = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$/;
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** Length of a daily window in minutes (it may wrap midnight). */
export function dailyMinutes(w: string): number {
    const m = DAILY_WINDOW_RE.exec(w);
    if (!m) return 0;
    const start = Number(m[1]) * 60 + Number(m[2]);
    const end = Number(m[3]) * 60 + Number(m[4]);
    return (end - start + 1440) % 1440;
}

export function weeklyMinutes(w: string): number {
    const m = WEEKLY_WINDOW_RE.exec(w);
    if (!m) return 0;
    const start = DAYS.indexOf(m[1]) * 1440 + Number(m[2]) * 60 + Number(m[3]);
    const end = DAYS.indexOf(m[4]) * 1440 + Number(m[5]) * 60 + Number(m[6]);
    return (end - start + 7 * 1440) % (7 * 1440);
}

/** What a secondary may join: its own zone's Global Datastore, unless the cache is declared free of personal data. */
/** Whether the daily snapshot window meets the weekly maintenance window on any day (AWS refuses that). */
export function windowsOverlap(snapshot: string, maintenance: string): boolean {
    const d = DAILY_WINDOW_RE.exec(snapshot);
    const w = WEEKLY_WINDOW_RE.exec(maintenance);
    if (!d || !w) return false;
    const week = 7 * 1440;
    const busy = new Array<boolean>(week).fill(false);
    const mStart = DAYS.indexOf(w[1]) * 1440 + Number(w[2]) * 60 + Number(w[3]);
    for (let i = 0; i < weeklyMinutes(maintenance); i++) busy[(mStart + i) % week] = true;
    const sStart = Number(d[1]) * 60 + Number(d[2]);
    for (let day = 0; day < 7; day++) {
        for (let i = 0; i < dailyMinutes(snapshot); i++) if (busy[(day * 1440 + sStart + i) % week]) return true;
    }
    return false;
}

export function crossZoneRule(own: string, other: string): string {
    return (
        `this ${own} zone cache may join only the ${own} zone's Global Datastore; joining zone ${other}'s would replicate ` +
        "data across residency zones (docs/design.md#d2-nothing-personal-replicates-across-zones). Allowed only when the stack declares cacheHoldsNoPersonalData = true"
    );
}
