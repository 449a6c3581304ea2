import { expect } from "chai";
import {
    buildCatalog,
    catalogLock,
    catalogLockProblem,
    catalogMoves,
    catalogSpecProblems,
    CatalogEntry,
    FranchiseRange,
    parseCatalogLock,
    routeFranchise,
} from "../../../components/sharded-database/catalog";
import { renderPgBouncerIni } from "../../../components/sharded-database/pgbouncer-config";
import { instanceClassProblem, maxConnections, poolSizing } from "../../../components/sharded-database/sizing";
import { DEFAULT_ZONE_RANGES, FRANCHISE_TOTAL } from "../../../stacks/config-keys/database";

/** Mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Random zone ranges that tile 1..total: 1 to 5 zones cut at random points, each big enough for `shards`. */
function randomZones(next: () => number, total: number, shards: number): Record<string, FranchiseRange> {
    const zones = 1 + Math.floor(next() * 5);
    const cuts = new Set<number>();
    while (cuts.size < zones - 1) cuts.add(1 + shards + Math.floor(next() * (total - 2 * shards)));
    const bounds = [0, ...[...cuts].sort((a, b) => a - b), total];
    const out: Record<string, FranchiseRange> = {};
    for (let i = 0; i + 1 < bounds.length; i++) {
        if (bounds[i + 1] - bounds[i] < shards) return randomZones(next, total, shards);
        out[["us", "eu", "apac", "latam", "mea"][i]] = { first: bounds[i] + 1, last: bounds[i + 1] };
    }
    return out;
}

/** Every franchise 1..total appears in exactly one entry: checked by counting, not by trusting the builder. */
function coverage(catalog: readonly CatalogEntry[], total: number): Uint8Array {
    const seen = new Uint8Array(total + 2);
    for (const e of catalog) for (let n = e.franchiseRange[0]; n <= e.franchiseRange[1]; n++) seen[n] = Math.min(255, seen[n] + 1);
    return seen;
}

describe("shard catalog", () => {
    it("covers franchises 1..100,000 exactly once for the spec's default (4 shards, zone ranges)", () => {
        const catalog = buildCatalog({ shardCount: 4, zoneRanges: DEFAULT_ZONE_RANGES }, FRANCHISE_TOTAL);
        expect(catalog).to.have.length(12);
        expect(catalog.slice(0, 4).map((e) => e.franchiseRange)).to.deep.equal([
            [1, 12500],
            [12501, 25000],
            [25001, 37500],
            [37501, 50000],
        ]);
        expect(catalog.filter((e) => e.zone === "eu").map((e) => e.franchiseRange)).to.deep.equal([
            [50001, 56250],
            [56251, 62500],
            [62501, 68750],
            [68751, 75000],
        ]);
        const seen = coverage(catalog, FRANCHISE_TOTAL);
        for (let n = 1; n <= FRANCHISE_TOTAL; n++) if (seen[n] !== 1) expect.fail(`franchise ${n} appears ${seen[n]} times`);
        expect(seen[0] + seen[FRANCHISE_TOTAL + 1]).to.equal(0);
    });

    it("property: for 300 seeded random shard counts and zone tilings, every franchise is in exactly one contiguous shard and routes there", () => {
        for (let seed = 1; seed <= 300; seed++) {
            const next = rng(seed);
            const total = seed % 3 === 0 ? FRANCHISE_TOTAL : 1 + Math.floor(next() * 5000) + 16;
            const shards = 1 + Math.floor(next() * 16);
            const zoneRanges = randomZones(next, total, shards);
            const ctx = `seed ${seed}: ${shards} shards, ${JSON.stringify(zoneRanges)}, total ${total}`;
            expect(catalogSpecProblems({ shardCount: shards, zoneRanges }, total), ctx).to.deep.equal([]);
            const catalog = buildCatalog({ shardCount: shards, zoneRanges }, total);
            expect(catalog, ctx).to.have.length(shards * Object.keys(zoneRanges).length);
            const seen = coverage(catalog, total);
            for (let n = 1; n <= total; n++) if (seen[n] !== 1) expect.fail(`${ctx}: franchise ${n} appears ${seen[n]} times`);
            for (const [zone, r] of Object.entries(zoneRanges)) {
                const mine = catalog.filter((e) => e.zone === zone);
                expect(
                    mine.map((e) => e.shardId),
                    ctx,
                ).to.deep.equal([...Array(shards).keys()]);
                expect(mine[0].franchiseRange[0], ctx).to.equal(r.first);
                expect(mine[mine.length - 1].franchiseRange[1], ctx).to.equal(r.last);
                const sizes = mine.map((e) => e.franchiseRange[1] - e.franchiseRange[0] + 1);
                expect(Math.max(...sizes) - Math.min(...sizes), ctx).to.be.at.most(1);
            }
            for (let k = 0; k < 50; k++) {
                const n = 1 + Math.floor(next() * total);
                const hit = routeFranchise(catalog, n)!;
                expect(n >= hit.franchiseRange[0] && n <= hit.franchiseRange[1], `${ctx}: ${n}`).to.equal(true);
            }
            expect(routeFranchise(catalog, 0)).to.equal(undefined);
            expect(routeFranchise(catalog, total + 1)).to.equal(undefined);
            expect(buildCatalog({ shardCount: shards, zoneRanges }, total), `${ctx}: deterministic`).to.deep.equal(catalog);
            expect(parseCatalogLock(catalogLock({ shardCount: shards, zoneRanges })), ctx).to.deep.equal({
                shardCount: shards,
                zoneRanges: Object.fromEntries(Object.entries(zoneRanges).sort(([, a], [, b]) => a.first - b.first)),
            });
        }
    });

    it("rejects zone ranges with a gap, an overlap, or a shortfall, naming the franchises", () => {
        expect(
            catalogSpecProblems({ shardCount: 4, zoneRanges: { us: { first: 1, last: 50000 }, eu: { first: 50002, last: 100000 } } }, FRANCHISE_TOTAL),
        ).to.deep.equal(["zoneRanges leave franchises 50001-50001 unassigned (before zone eu)"]);
        expect(
            catalogSpecProblems({ shardCount: 4, zoneRanges: { us: { first: 1, last: 50000 }, eu: { first: 49000, last: 100000 } } }, FRANCHISE_TOTAL)[0],
        ).to.contain("zoneRanges.eu = 49000-100000 overlaps");
        expect(catalogSpecProblems({ shardCount: 4, zoneRanges: { us: { first: 1, last: 90000 } } }, FRANCHISE_TOTAL)[0]).to.contain("90001-100000 unassigned");
        expect(catalogSpecProblems({ shardCount: 0, zoneRanges: DEFAULT_ZONE_RANGES }, FRANCHISE_TOTAL)[0]).to.contain("shardCount = 0");
    });

    it("refuses a shard-count change that the lock does not pin, listing the franchises that would move", () => {
        const lock = catalogLock({ shardCount: 4, zoneRanges: DEFAULT_ZONE_RANGES });
        expect(lock).to.equal("4:us=1-50000,eu=50001-75000,apac=75001-100000");
        expect(catalogLockProblem({ shardCount: 4, zoneRanges: DEFAULT_ZONE_RANGES }, lock, FRANCHISE_TOTAL)).to.equal(undefined);
        const problem = catalogLockProblem({ shardCount: 5, zoneRanges: DEFAULT_ZONE_RANGES }, lock, FRANCHISE_TOTAL)!;
        expect(problem).to.contain("would move");
        expect(problem).to.contain("10001-12500 us/0 -> us/1");
        expect(problem).to.contain("databaseCatalogLock");
        const moves = catalogMoves(
            buildCatalog({ shardCount: 4, zoneRanges: DEFAULT_ZONE_RANGES }, FRANCHISE_TOTAL),
            buildCatalog({ shardCount: 5, zoneRanges: DEFAULT_ZONE_RANGES }, FRANCHISE_TOTAL),
        );
        // Brute force agrees with the run-length answer.
        const before = buildCatalog({ shardCount: 4, zoneRanges: DEFAULT_ZONE_RANGES }, FRANCHISE_TOTAL);
        const after = buildCatalog({ shardCount: 5, zoneRanges: DEFAULT_ZONE_RANGES }, FRANCHISE_TOTAL);
        let moved = 0;
        for (let n = 1; n <= FRANCHISE_TOTAL; n++) {
            const a = routeFranchise(before, n)!;
            const b = routeFranchise(after, n)!;
            if (a.zone !== b.zone || a.shardId !== b.shardId) moved++;
        }
        expect(moves.reduce((s, m) => s + m.last - m.first + 1, 0)).to.equal(moved);
        expect(catalogLockProblem({ shardCount: 4, zoneRanges: DEFAULT_ZONE_RANGES }, "garbage", FRANCHISE_TOTAL)).to.contain("malformed");
    });
});

describe("connection sizing and the PgBouncer config", () => {
    it("derives max_connections from the instance class (Aurora: LEAST(memory/9531392, 5000)) and allows only r families", () => {
        expect(maxConnections("db.r6g.large")).to.equal(1802);
        expect(maxConnections("db.r6g.8xlarge")).to.equal(5000);
        expect(maxConnections("db.r8g.2xlarge")).to.equal(5000);
        expect(maxConnections("db.r7g.xlarge")).to.equal(3604);
        expect(instanceClassProblem("db.r6g.16xlarge")).to.equal(undefined);
        expect(instanceClassProblem("db.m6g.large")).to.contain("family one of r6g, r6i, r7g, r7i, r8g");
        expect(instanceClassProblem("db.r6g.24xlarge")).to.contain("a size Aurora offers for r6g");
        expect(instanceClassProblem("r6g.large")).to.contain("db.<family>.<size>");
    });

    it("keeps the pods' server connections within the budget and client slots at the shard's share with a pod down", () => {
        for (const replicas of [2, 3, 5]) {
            const s = poolSizing({ serverMaxConnections: 5000, servers: 1, serverShare: 0.8, replicas, shardClientConnections: 2500 });
            expect(s.maxDbConnections * replicas).to.be.at.most(4000);
            expect(s.defaultPoolSize + s.reservePoolSize).to.equal(s.maxDbConnections);
            expect(s.maxClientConn * (replicas - 1)).to.be.at.least(2500);
        }
    });

    it("renders transaction pooling with verify-full TLS against the RDS CA bundle by default", () => {
        const ini = renderPgBouncerIni({
            database: "app",
            host: "w.cluster-x.us-east-1.rds.amazonaws.com",
            port: 5432,
            listenPort: 6432,
            sizing: poolSizing({ serverMaxConnections: 5000, servers: 1, serverShare: 0.8, replicas: 2, shardClientConnections: 2500 }),
            authFile: "/run/pgbouncer/userlist.txt",
            serverCaFile: "/run/rds-ca/bundle.pem",
        });
        const settings = Object.fromEntries(
            ini
                .split("\n")
                .filter((l) => / = /.test(l))
                .map((l) => l.split(" = ")),
        );
        expect(settings).to.include({
            pool_mode: "transaction",
            server_tls_sslmode: "verify-full",
            server_tls_ca_file: "/run/rds-ca/bundle.pem",
            max_client_conn: "2500",
            max_db_connections: "2000",
            auth_type: "scram-sha-256",
        });
        expect(settings.app).to.equal("host=w.cluster-x.us-east-1.rds.amazonaws.com port=5432 dbname=app");
    });
});
