import { expect } from "chai";
import { execFileSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Client } from "pg";
import { buildCatalog, renderCatalogSeedSql } from "../../../components/sharded-database/catalog";
import { appSessionPsql } from "../../../components/sharded-database/migration-job";
import { APP_LOGIN_USER, APP_ROLE, loadMigrations, loadRoleSql } from "../../../components/sharded-database/migrations";
import { userlistLine } from "../../../components/sharded-database/pgbouncer-config";
import { DEFAULT_ZONE_RANGES, FRANCHISE_TOTAL } from "../../../stacks/config-keys/database";
import { ensurePgBouncer, ensurePsql, PgServer } from "../../support/pg-harness";
import { startLocalPgBouncer } from "../../support/local-pgbouncer";

/**
 * The application role on a real PostgreSQL: the files the migration Job applies, run with psql the way
 * the Job runs them (one transaction, the app secret read from mounted files), then what the role can
 * and cannot do, what the rotation's clone user gets, and PgBouncer logging in with it.
 */
describe("app role on a real PostgreSQL (issue 15: PgBouncer must not connect as the master user)", function () {
    this.timeout(90000);
    let pg: PgServer;
    let admin: Client;
    let work: string;
    const appPassword = 'app-Passw0rd-with-"quote"-and-%';
    const regions = { us: "us-east-1", eu: "eu-west-1", apac: "ap-southeast-1" };
    const catalog = buildCatalog({ shardCount: 4, zoneRanges: DEFAULT_ZONE_RANGES }, FRANCHISE_TOTAL);

    const connect = async (user: string, password: string, port = pg.port, database = "bookedbarber") => {
        const c = new Client({ host: "127.0.0.1", port, user, password, database });
        await c.connect();
        return c;
    };
    const refusal = (c: Client, sql: string) =>
        c.query(sql).then(
            () => "allowed",
            (e: Error) => e.message,
        );

    /** Runs files with psql as the Job does: ON_ERROR_STOP, one transaction, as the master user. */
    function runJob(files: [string, string][]): string {
        const paths = files.map(([name, text]) => {
            const p = join(work, name);
            writeFileSync(p, text);
            return p;
        });
        return execFileSync("psql", ["-v", "ON_ERROR_STOP=1", "--single-transaction", ...paths.flatMap((p) => ["-f", p])], {
            env: { ...process.env, PGHOST: "127.0.0.1", PGPORT: String(pg.port), PGUSER: pg.user, PGPASSWORD: pg.password, PGDATABASE: "bookedbarber" },
            stdio: ["ignore", "pipe", "pipe"],
        }).toString();
    }

    /** The app secret as the CSI driver mounts it: one file per key. */
    function mountAppSecret(username: string, password: string): string {
        const dir = mkdtempSync(join(work, "app-credentials-"));
        writeFileSync(join(dir, "username"), username);
        writeFileSync(join(dir, "password"), password);
        return dir;
    }

    function jobFiles(credentialsDir: string, withDirectory = true): [string, string][] {
        const roles = loadRoleSql();
        return [
            ...(withDirectory
                ? [
                      ...loadMigrations().map((m): [string, string] => [m.name, m.sql]),
                      ["Z999__catalog_seed.sql", renderCatalogSeedSql(catalog, regions)] as [string, string],
                  ]
                : []),
            ["Y001__app_role.sql", roles.appRole],
            ["Y002__app_session.psql", appSessionPsql(credentialsDir)],
            ["Y003__app_login.sql", roles.appLogin],
        ];
    }

    before(async function () {
        this.timeout(600000);
        ensurePgBouncer();
        ensurePsql();
        work = mkdtempSync(join(tmpdir(), "bb-app-role-"));
        pg = await PgServer.start();
        const postgres = await connect(pg.user, pg.password, pg.port, "postgres");
        await postgres.query("CREATE DATABASE bookedbarber");
        await postgres.end();
        const creds = mountAppSecret(APP_LOGIN_USER, appPassword);
        // Twice: a retried or re-run Job changes nothing and keeps the password.
        runJob(jobFiles(creds));
        runJob(jobFiles(creds));
        admin = await connect(pg.user, pg.password);
        // Another schema the app must not see, and a table a later migration adds to the app schema.
        await admin.query("CREATE SCHEMA billing; CREATE TABLE billing.cards (n text); INSERT INTO billing.cards VALUES ('4111')");
        await admin.query("CREATE TABLE public.bookings (id bigserial PRIMARY KEY, franchise_number bigint NOT NULL)");
    });

    after(async () => {
        await admin?.end().catch(() => undefined);
        await pg?.stop();
        if (work) rmSync(work, { recursive: true, force: true });
    });

    it("the Job creates the login user from the mounted secret, a member of the group role only, with no superuser-ish attribute", async () => {
        const roles = await admin.query(
            "SELECT rolname, rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolinherit FROM pg_roles WHERE rolname IN ($1, $2) ORDER BY rolname",
            [APP_ROLE, APP_LOGIN_USER],
        );
        expect(roles.rows).to.deep.equal([
            {
                rolname: APP_ROLE,
                rolcanlogin: false,
                rolsuper: false,
                rolcreatedb: false,
                rolcreaterole: false,
                rolreplication: false,
                rolbypassrls: false,
                rolinherit: true,
            },
            {
                rolname: APP_LOGIN_USER,
                rolcanlogin: true,
                rolsuper: false,
                rolcreatedb: false,
                rolcreaterole: false,
                rolreplication: false,
                rolbypassrls: false,
                rolinherit: true,
            },
        ]);
        const member = await admin.query(
            "SELECT b.rolname FROM pg_auth_members m JOIN pg_roles b ON m.roleid = b.oid JOIN pg_roles u ON m.member = u.oid WHERE u.rolname = $1",
            [APP_LOGIN_USER],
        );
        expect(member.rows.map((r) => r.rolname)).to.deep.equal([APP_ROLE]);
    });

    it("the app user does DML on the app schema's tables, including ones a later migration adds, and uses their sequences", async () => {
        const app = await connect(APP_LOGIN_USER, appPassword);
        try {
            expect((await app.query("SELECT * FROM franchise_shard(60000::bigint)")).rows).to.deep.equal([{ zone: "eu", shard_id: 1, region: "eu-west-1" }]);
            await app.query("INSERT INTO franchise_shard_map (franchise_id, franchise_number) VALUES ('11111111-1111-4111-8111-111111111111', 60000)");
            await app.query("UPDATE franchise_shard_map SET created_at = now() WHERE franchise_number = 60000");
            await app.query("DELETE FROM franchise_shard_map WHERE franchise_number = 60000");
            const id = await app.query("INSERT INTO bookings (franchise_number) VALUES (42) RETURNING id");
            expect(Number(id.rows[0].id)).to.equal(1);
            expect((await app.query("SELECT count(*)::int AS n FROM bookings")).rows[0].n).to.equal(1);
            await app.query("DELETE FROM bookings");
        } finally {
            await app.end();
        }
    });

    it("the app user cannot CREATE, DROP, ALTER or TRUNCATE, write the migration-owned tables, make temp tables, or read another schema", async () => {
        const app = await connect(APP_LOGIN_USER, appPassword);
        try {
            const refused: Record<string, RegExp> = {
                "CREATE TABLE public.x (n int)": /permission denied for schema public/,
                "CREATE SCHEMA mine": /permission denied for database bookedbarber/,
                "CREATE TEMP TABLE t (n int)": /permission denied to create temporary tables in database "bookedbarber"/,
                "DROP TABLE franchise_shard_map": /must be owner of table franchise_shard_map/,
                "ALTER TABLE franchise_shard_map ADD COLUMN x int": /must be owner of table franchise_shard_map/,
                "TRUNCATE franchise_shard_map": /permission denied for table franchise_shard_map/,
                "CREATE INDEX ON bookings (franchise_number)": /must be owner of table bookings/,
                "INSERT INTO franchise_shard_ranges (zone, shard_id, franchises, region) VALUES ('us', 9, int8range(200000, 200001), 'us-east-1')":
                    /permission denied for table franchise_shard_ranges/,
                "DELETE FROM schema_migrations": /permission denied for table schema_migrations/,
                "SELECT * FROM billing.cards": /permission denied for schema billing/,
                "CREATE ROLE other LOGIN": /permission denied to create role/,
            };
            for (const [sql, why] of Object.entries(refused)) expect(await refusal(app, sql), sql).to.match(why);
            expect((await app.query("SELECT count(*)::int AS n FROM franchise_shard_ranges")).rows[0].n, "reads the ranges").to.equal(catalog.length);
        } finally {
            await app.end();
        }
    });

    it("the rotation's clone user (created with the rotated user's memberships, as AWS's alternating-users function does) gets exactly the same rights", async () => {
        // What the function's first setSecret does, as the master user.
        await admin.query(`CREATE ROLE ${APP_LOGIN_USER}_clone LOGIN PASSWORD 'clone-Passw0rd'`);
        const memberships = await admin.query(
            "SELECT b.rolname FROM pg_auth_members m JOIN pg_roles b ON m.roleid = b.oid JOIN pg_roles u ON m.member = u.oid WHERE u.rolname = $1",
            [APP_LOGIN_USER],
        );
        for (const r of memberships.rows) await admin.query(`GRANT ${r.rolname} TO ${APP_LOGIN_USER}_clone`);
        const clone = await connect(`${APP_LOGIN_USER}_clone`, "clone-Passw0rd");
        try {
            await clone.query("INSERT INTO bookings (franchise_number) VALUES (7)");
            expect(await refusal(clone, "CREATE TABLE public.y (n int)")).to.match(/permission denied for schema public/);
            expect(await refusal(clone, "SELECT * FROM billing.cards")).to.match(/permission denied for schema billing/);
        } finally {
            await clone.end();
        }
        // The Job, re-run after a rotation made the clone AWSCURRENT, keeps both users and their passwords.
        const creds = mountAppSecret(`${APP_LOGIN_USER}_clone`, "some-other-value");
        runJob(jobFiles(creds));
        (await connect(`${APP_LOGIN_USER}_clone`, "clone-Passw0rd")).end();
        (await connect(APP_LOGIN_USER, appPassword)).end();
    });

    it("psql missing and not installable is a failure naming the package, never a skip", () => {
        expect(() => ensurePsql({ isRoot: false, aptGet: "/usr/bin/apt-get", env: { PATH: "/nonexistent" } })).to.throw(
            /apt-get install -y postgresql-client.*not running as root/,
        );
    });

    it("without the group role's grants a login user can do nothing: the checks above fail on the defect they name", async () => {
        await admin.query("CREATE ROLE bare_login LOGIN PASSWORD 'bare-Passw0rd'");
        const bare = await connect("bare_login", "bare-Passw0rd");
        try {
            expect(await refusal(bare, "INSERT INTO bookings (franchise_number) VALUES (1)")).to.match(/permission denied for table bookings/);
        } finally {
            await bare.end();
        }
    });

    it("the Job refuses a secret that names another user or holds no password, so PgBouncer never gets a user the role does not govern", async () => {
        for (const [user, password, why] of [
            ["bbadmin", "x", /names user bbadmin, not bookedbarber_app_user or its rotation clone/],
            [APP_LOGIN_USER, "", /gave no username or password/],
        ] as const) {
            const creds = mountAppSecret(user, password);
            let message = "";
            try {
                runJob(jobFiles(creds, false));
            } catch (e) {
                message = String((e as { stderr?: Buffer }).stderr ?? e);
            }
            expect(message, user).to.match(why);
        }
        const members = await admin.query("SELECT count(*)::int AS n FROM pg_auth_members m JOIN pg_roles b ON m.roleid = b.oid WHERE b.rolname = $1", [
            APP_ROLE,
        ]);
        expect(members.rows[0].n, "still only the login user and its clone").to.equal(2);
    });

    it("PgBouncer logs in to PostgreSQL as the app user from the userlist its init container builds, and the app reaches its tables through it", async () => {
        const listenPort = await startLocalPgBouncer(pg, {
            database: "bookedbarber",
            authFile: pg.writeFile("userlist-app.txt", userlistLine(APP_LOGIN_USER, appPassword)),
            iniName: "pgbouncer-app.ini",
        });
        const via = await connect(APP_LOGIN_USER, appPassword, listenPort);
        try {
            expect((await via.query("SELECT current_user AS u, count(*)::int AS n FROM franchise_shard_ranges")).rows).to.deep.equal([
                { u: APP_LOGIN_USER, n: catalog.length },
            ]);
            expect(await refusal(via, "CREATE TABLE public.z (n int)")).to.match(/permission denied for schema public/);
        } finally {
            await via.end();
        }
        // The master user is not in PgBouncer's userlist: nothing reaches the database as it through the pool.
        expect(
            await connect(pg.user, pg.password, listenPort).then(
                (c) => c.end().then(() => "connected"),
                (e: Error) => e.message,
            ),
        ).to.not.equal("connected");
    });
});
