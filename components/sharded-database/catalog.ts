/**
 * The shard catalog: which franchise numbers live on which (zone, shard).
 *
 * The spec's range scheme ("Shard 1: US-East Franchises (1-25,000)" ...) made
 * residency-aware: each zone owns one contiguous franchise range (typed config,
 * `databaseFranchiseZoneRanges`), and inside a zone each shard owns one
 * contiguous slice of it. Everything here is pure and deterministic so the same
 * config gives the same catalog in every stack, in the plan and in the database.
 *
 * Rebalancing is refused, not automatic: the catalog is pinned by
 * `databaseCatalogLock` (shard count and zone ranges written out). Changing the
 * shard count or a range without changing the lock fails with the list of
 * franchise ranges that would move; moving them is a data migration that has to
 * happen first (README, "Changing the shard count").
 */

export interface FranchiseRange {
    /** First franchise number, inclusive. */
    first: number;
    /** Last franchise number, inclusive. */
    last: number;
}

export interface CatalogEntry {
    zone: string;
    /** 0-based within the zone; shard 0 is the zone's directory database. */
    shardId: number;
    /** [first, last], inclusive. */
    franchiseRange: [number, number];
}

export interface CatalogSpec {
    /** Shards per zone. */
    shardCount: number;
    /** Each zone's contiguous franchise range. */
    zoneRanges: Readonly<Record<string, FranchiseRange>>;
}

/** Problems with a catalog spec, one string each; empty when the spec tiles 1..total exactly. */
export function catalogSpecProblems(spec: CatalogSpec, total: number): string[] {
    const problems: string[] = [];
    if (!Number.isInteger(spec.shardCount) || spec.shardCount < 1)
        problems.push(`shardCount = ${JSON.stringify(spec.shardCount)}: must be an integer of at least 1`);
    const zones = Object.entries(spec.zoneRanges ?? {});
    if (zones.length === 0) problems.push("zoneRanges: must give at least one zone a franchise range");
    for (const [zone, r] of zones) {
        if (!r || !Number.isInteger(r.first) || !Number.isInteger(r.last) || r.first < 1 || r.last < r.first) {
            problems.push(`zoneRanges.${zone} = ${JSON.stringify(r)}: must be {first, last} integers with 1 <= first <= last`);
        } else if (Number.isInteger(spec.shardCount) && spec.shardCount >= 1 && r.last - r.first + 1 < spec.shardCount) {
            problems.push(`zoneRanges.${zone} = ${r.first}-${r.last}: holds fewer franchises than the ${spec.shardCount} shards it is split into`);
        }
    }
    if (problems.length) return problems;
    const sorted = zones.map(([zone, r]) => ({ zone, ...r })).sort((a, b) => a.first - b.first);
    let next = 1;
    for (const r of sorted) {
        if (r.first > next) problems.push(`zoneRanges leave franchises ${next}-${r.first - 1} unassigned (before zone ${r.zone})`);
        if (r.first < next) problems.push(`zoneRanges.${r.zone} = ${r.first}-${r.last} overlaps the zone before it (which ends at ${next - 1})`);
        next = Math.max(next, r.last + 1);
    }
    if (next - 1 < total) problems.push(`zoneRanges leave franchises ${next}-${total} unassigned (the catalog must cover 1-${total})`);
    if (next - 1 > total) problems.push(`zoneRanges reach franchise ${next - 1}, beyond the ${total} franchises of the catalog`);
    return problems;
}

/** Splits [first, last] into `n` contiguous slices whose sizes differ by at most one, larger slices first. */
export function splitRange(range: FranchiseRange, n: number): FranchiseRange[] {
    const size = range.last - range.first + 1;
    const base = Math.floor(size / n);
    const extra = size % n;
    const out: FranchiseRange[] = [];
    let first = range.first;
    for (let i = 0; i < n; i++) {
        const len = base + (i < extra ? 1 : 0);
        out.push({ first, last: first + len - 1 });
        first += len;
    }
    return out;
}

/** The full catalog, every zone, ordered by franchise number. Throws on a spec that does not tile 1..total. */
export function buildCatalog(spec: CatalogSpec, total: number): CatalogEntry[] {
    const problems = catalogSpecProblems(spec, total);
    if (problems.length) throw new Error(`invalid shard catalog: ${problems.join("; ")}`);
    return Object.entries(spec.zoneRanges)
        .sort(([, a], [, b]) => a.first - b.first)
        .flatMap(([zone, r]) => splitRange(r, spec.shardCount).map((s, shardId) => ({ zone, shardId, franchiseRange: [s.first, s.last] as [number, number] })));
}

/** The (zone, shard) of one franchise number, or undefined outside the catalog. Binary search: the catalog is sorted. */
export function routeFranchise(catalog: readonly CatalogEntry[], franchise: number): CatalogEntry | undefined {
    let lo = 0;
    let hi = catalog.length - 1;
    while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const [first, last] = catalog[mid].franchiseRange;
        if (franchise < first) hi = mid - 1;
        else if (franchise > last) lo = mid + 1;
        else return catalog[mid];
    }
    return undefined;
}

/** The lock string that pins a catalog: "4:us=1-50000,eu=50001-75000,apac=75001-100000". */
export function catalogLock(spec: CatalogSpec): string {
    const zones = Object.entries(spec.zoneRanges).sort(([, a], [, b]) => a.first - b.first);
    return `${spec.shardCount}:${zones.map(([z, r]) => `${z}=${r.first}-${r.last}`).join(",")}`;
}

/** Parses a lock string back into a spec, or undefined when malformed. */
export function parseCatalogLock(lock: string): CatalogSpec | undefined {
    const m = /^(\d+):(.+)$/.exec(lock ?? "");
    if (!m) return undefined;
    const zoneRanges: Record<string, FranchiseRange> = {};
    for (const part of m[2].split(",")) {
        const z = /^([a-z]+)=(\d+)-(\d+)$/.exec(part);
        if (!z || zoneRanges[z[1]]) return undefined;
        zoneRanges[z[1]] = { first: Number(z[2]), last: Number(z[3]) };
    }
    return { shardCount: Number(m[1]), zoneRanges };
}

export interface Move {
    first: number;
    last: number;
    from: string;
    to: string;
}

/** Franchise ranges whose (zone, shard) differs between two catalogs over the same franchises, merged into runs. */
export function catalogMoves(before: readonly CatalogEntry[], after: readonly CatalogEntry[]): Move[] {
    const label = (e: CatalogEntry | undefined) => (e ? `${e.zone}/${e.shardId}` : "nowhere");
    // Walk the union of boundaries: inside each piece both catalogs are constant.
    const cuts = new Set<number>();
    for (const e of [...before, ...after]) {
        cuts.add(e.franchiseRange[0]);
        cuts.add(e.franchiseRange[1] + 1);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const moves: Move[] = [];
    for (let i = 0; i + 1 < points.length; i++) {
        const from = label(routeFranchise(before, points[i]));
        const to = label(routeFranchise(after, points[i]));
        if (from === to) continue;
        const last = moves[moves.length - 1];
        if (last && last.last + 1 === points[i] && last.from === from && last.to === to) last.last = points[i + 1] - 1;
        else moves.push({ first: points[i], last: points[i + 1] - 1, from, to });
    }
    return moves;
}

/**
 * Why `spec` may not replace the catalog pinned by `lock`, or undefined when
 * they agree. The message lists what would move, so the reader can see the
 * cost of the change before deciding to migrate data.
 */
export function catalogLockProblem(spec: CatalogSpec, lock: string, total: number): string | undefined {
    const want = catalogLock(spec);
    if (want === lock) return undefined;
    const pinned = parseCatalogLock(lock);
    if (!pinned || catalogSpecProblems(pinned, total).length)
        return `catalog lock ${JSON.stringify(lock)} is malformed; the configured catalog's lock is ${JSON.stringify(want)}`;
    const moves = catalogMoves(buildCatalog(pinned, total), buildCatalog(spec, total));
    if (moves.length === 0) return undefined;
    const moved = moves.reduce((n, m) => n + m.last - m.first + 1, 0);
    const shown = moves
        .slice(0, 6)
        .map((m) => `${m.first}-${m.last} ${m.from} -> ${m.to}`)
        .join(", ");
    return (
        `the configured catalog (${want}) would move ${moved} franchises away from the shards pinned by ${lock} ` +
        `(${shown}${moves.length > 6 ? `, and ${moves.length - 6} more ranges` : ""}). ` +
        "Franchises are never moved silently: migrate their rows first, then set databaseCatalogLock to the new lock (README, 'Changing the shard count')"
    );
}

/**
 * SQL that seeds the directory database's franchise_shard_ranges with the
 * catalog and then checks that the table matches it exactly. Rows that already
 * exist are left alone (ON CONFLICT DO NOTHING), so a catalog that disagrees
 * with the database fails loudly instead of rewriting it.
 */
export function renderCatalogSeedSql(catalog: readonly CatalogEntry[], regions: Readonly<Record<string, string>>): string {
    const rows = catalog.map(
        (e) => `    (${sqlText(e.zone)}, ${e.shardId}, int8range(${e.franchiseRange[0]}, ${e.franchiseRange[1]}, '[]'), ${sqlText(regions[e.zone] ?? "")})`,
    );
    return [
        "-- Generated from the shard catalog (components/sharded-database/catalog.ts). Do not edit.",
        "INSERT INTO franchise_shard_ranges (zone, shard_id, franchises, region) VALUES",
        rows.join(",\n"),
        "ON CONFLICT (zone, shard_id) DO NOTHING;",
        "",
        "DO $$",
        "DECLARE mismatch text;",
        "BEGIN",
        "    SELECT string_agg(format('%s/%s: database %s, catalog %s', coalesce(r.zone, w.zone), coalesce(r.shard_id, w.shard_id), r.franchises, w.franchises), '; ')",
        "      INTO mismatch",
        "      FROM franchise_shard_ranges r",
        "      FULL JOIN (VALUES",
        catalog.map((e) => `        (${sqlText(e.zone)}, ${e.shardId}, int8range(${e.franchiseRange[0]}, ${e.franchiseRange[1]}, '[]'))`).join(",\n"),
        "      ) AS w(zone, shard_id, franchises) ON r.zone = w.zone AND r.shard_id = w.shard_id",
        "     WHERE r.franchises IS DISTINCT FROM w.franchises;",
        "    IF mismatch IS NOT NULL THEN",
        "        RAISE EXCEPTION 'franchise_shard_ranges disagrees with the shard catalog: %', mismatch;",
        "    END IF;",
        "END $$;",
        "",
    ].join("\n");
}

function sqlText(s: string): string {
    return `'${s.replace(/'/g, "''")}'`;
}
