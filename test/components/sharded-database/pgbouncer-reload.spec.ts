import { expect } from "chai";
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { Client } from "pg";
import { RUN_DIR, SECRETS_DIR } from "../../../components/sharded-database/pod-common";
import { mountsPreviousLogin, PREVIOUS_LOGIN_FILES, USERLIST_REFRESH_SECONDS, userlistRefreshOnce } from "../../../components/sharded-database/kubernetes";
import { RunResult } from "../../../tools/offline/stack-runner";
import { allStacks, ofType, PRIMARY_STACKS, REGIONAL_STACKS } from "../../support/fixtures";
import { spcObjects } from "../../../tools/offline/readiness/database-logins";
import { ensurePgBouncer, PgServer } from "../../support/pg-harness";
import { startLocalPgBouncer } from "../../support/local-pgbouncer";

/**
 * Issue 15: a running PgBouncer picks up rotated credentials. The refresh sidecar's pass
 * (userlistRefreshOnce) runs here with sh against a real pgbouncer and PostgreSQL: the CSI mount is a
 * directory with `username` and `password`, as the driver writes them after its rotation poll.
 */
describe("PgBouncer picks up rotated credentials without dropping connections (issue 15, real pgbouncer)", function () {
    this.timeout(90000);
    let pg: PgServer;
    let listenPort: number;
    const first = { user: "bookedbarber_app_user", password: 'first-Passw0rd-"q"' };
    const second = { user: "bookedbarber_app_user_clone", password: "second-Passw0rd-%" };
    const connect = async (user: string, password: string) => {
        const c = new Client({ host: "127.0.0.1", port: listenPort, user, password, database: "postgres" });
        await c.connect();
        return c;
    };
    const loginResult = (u: { user: string; password: string }) =>
        connect(u.user, u.password).then(
            (c) => c.end().then(() => "connected"),
            (e: Error) => e.message,
        );
    /** The CSI driver's view of the secret (AWSCURRENT, and AWSPREVIOUS once there is one), in the directory the sidecar reads. */
    const mount = (u: { user: string; password: string }, previous?: { user: string; password: string }) => {
        pg.writeFile("username", u.user);
        pg.writeFile("password", u.password);
        pg.writeFile(PREVIOUS_LOGIN_FILES.username, previous?.user ?? "");
        pg.writeFile(PREVIOUS_LOGIN_FILES.password, previous?.password ?? "");
    };
    const refresh = () => pg.run("/bin/sh", ["-c", userlistRefreshOnce(pg.dir, pg.dir, pg.dir)]);
    const sighups = () => (pg.bouncerLogs.get(listenPort) ?? "").split("got SIGHUP").length - 1;
    async function until(what: string, ok: () => boolean): Promise<void> {
        const deadline = Date.now() + 10000;
        while (!ok()) {
            if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${pg.bouncerLogs.get(listenPort)}`);
            await new Promise((r) => setTimeout(r, 50));
        }
    }

    before(async function () {
        this.timeout(600000);
        ensurePgBouncer();
        pg = await PgServer.start();
        const admin = new Client({ host: "127.0.0.1", port: pg.port, user: pg.user, password: pg.password, database: "postgres" });
        await admin.connect();
        // The alternating users: both exist in PostgreSQL, as after the first rotation.
        for (const u of [first, second]) await admin.query(`CREATE ROLE ${u.user} LOGIN PASSWORD '${u.password.replace(/'/g, "''")}'`);
        await admin.end();
        mount(first);
        refresh(); // what the init container does at pod start
        listenPort = await startLocalPgBouncer(pg, { database: "postgres", authFile: `${pg.dir}/userlist.txt` });
    });
    after(async () => {
        await pg?.stop();
    });

    it("a rotated secret reaches pgbouncer only through the sidecar's reload; open connections keep working; an unchanged secret sends no signal", async () => {
        const open = await connect(first.user, first.password);
        try {
            expect((await open.query("SELECT current_user AS u")).rows).to.deep.equal([{ u: first.user }]);
            expect(refresh(), "nothing changed: nothing to do").to.equal("");
            expect(sighups()).to.equal(0);

            mount(second, first); // the rotation made the clone current and the first user previous; the driver re-read the secret
            expect(await loginResult(second), "pgbouncer still holds the userlist of its start").to.match(/password authentication failed|not allowed|SASL/);
            expect(refresh()).to.contain("pgbouncer reloaded");
            await until("pgbouncer's SIGHUP", () => sighups() === 1);

            expect(await loginResult(second), "the new credentials log in").to.equal("connected");
            expect(await loginResult(first), "the previous user is still accepted until the next rotation retires it").to.equal("connected");
            // The client connection opened before the reload is still there and still served.
            expect((await open.query("SELECT current_user AS u, 1 AS n")).rows).to.deep.equal([{ u: first.user, n: 1 }]);
            expect(refresh(), "the next pass finds nothing new").to.equal("");
            expect(sighups()).to.equal(1);
        } finally {
            await open.end();
        }
    });
});

/**
 * The client contract (README "Clients of PgBouncer", docs/secrets.md): a client logs in with the files of its CSI
 * mount and re-reads them when a login is refused. Two alternating-users rotations run here against a real pgbouncer
 * and PostgreSQL, the CSI mounts being directories the test rewrites as the driver would after its poll: a client that
 * re-reads keeps working through both; one that never re-reads keeps working through the first (PgBouncer still
 * accepts the previous user) and is refused only after the second, which retires the user it holds.
 */
describe("PgBouncer's clients keep working through rotations when they re-read the mounted login (issue 15, real pgbouncer)", function () {
    this.timeout(90000);
    let pg: PgServer;
    let listenPort: number;
    let clientMount: string;
    const user = "bookedbarber_app_user";
    const clone = `${user}_clone`;
    const sql = (s: string) => s.replace(/'/g, "''");
    const admin = async (q: string) => {
        const c = new Client({ host: "127.0.0.1", port: pg.port, user: pg.user, password: pg.password, database: "postgres" });
        await c.connect();
        try {
            await c.query(q);
        } finally {
            await c.end();
        }
    };
    /** What the CSI driver writes after its poll: the AWSCURRENT login for a client; AWSCURRENT and AWSPREVIOUS for PgBouncer. */
    const publish = (current: { user: string; password: string }, previous?: { user: string; password: string }) => {
        for (const [f, v] of [
            ["username", current.user],
            ["password", current.password],
            [PREVIOUS_LOGIN_FILES.username, previous?.user ?? ""],
            [PREVIOUS_LOGIN_FILES.password, previous?.password ?? ""],
        ])
            pg.writeFile(f, v);
        writeFileSync(join(clientMount, "shard-0-username"), current.user);
        writeFileSync(join(clientMount, "shard-0-password"), current.password);
    };
    const refresh = () => pg.run("/bin/sh", ["-c", userlistRefreshOnce(pg.dir, pg.dir, pg.dir)]);
    const sighups = () => (pg.bouncerLogs.get(listenPort) ?? "").split("got SIGHUP").length - 1;
    async function reloaded(n: number): Promise<void> {
        const deadline = Date.now() + 10000;
        while (sighups() < n) {
            if (Date.now() > deadline) throw new Error(`timed out waiting for SIGHUP ${n}:\n${pg.bouncerLogs.get(listenPort)}`);
            await new Promise((r) => setTimeout(r, 50));
        }
    }
    const readLogin = () => ({
        user: readFileSync(join(clientMount, "shard-0-username"), "utf8"),
        password: readFileSync(join(clientMount, "shard-0-password"), "utf8"),
    });
    const tryLogin = async (login: { user: string; password: string }): Promise<string> => {
        const c = new Client({ host: "127.0.0.1", port: listenPort, user: login.user, password: login.password, database: "postgres" });
        try {
            await c.connect();
            const { rows } = await c.query("SELECT current_user AS u");
            return `connected as ${rows[0].u}`;
        } catch (e) {
            return (e as Error).message;
        } finally {
            await c.end().catch(() => undefined);
        }
    };
    /** The contract: log in with the login held; when refused, re-read the mounted files once and try again. */
    class RereadingClient {
        login = readLogin();
        rereads = 0;
        async connect(): Promise<string> {
            const first = await tryLogin(this.login);
            if (first.startsWith("connected")) return first;
            this.login = readLogin();
            this.rereads++;
            return tryLogin(this.login);
        }
    }
    /** A client that read the files once, at start, and never again. */
    class StaleClient {
        readonly login = readLogin();
        connect = () => tryLogin(this.login);
    }

    before(async function () {
        this.timeout(600000);
        ensurePgBouncer();
        pg = await PgServer.start();
        clientMount = join(pg.dir, "client-mount");
        mkdirSync(clientMount);
        const initial = { user, password: "initial-Passw0rd" };
        // The migration Job created the login from the secret's first value; no rotation yet, so no AWSPREVIOUS.
        await admin(`CREATE ROLE ${user} LOGIN PASSWORD '${sql(initial.password)}'`);
        publish(initial);
        refresh();
        listenPort = await startLocalPgBouncer(pg, { database: "postgres", authFile: `${pg.dir}/userlist.txt` });
    });
    after(async () => {
        await pg?.stop();
    });

    it("a client that re-reads on a refused login keeps working; one that never re-reads is refused only once its user is retired", async () => {
        const rereading = new RereadingClient();
        const stale = new StaleClient();
        expect(await rereading.connect()).to.equal(`connected as ${user}`);
        expect(await stale.connect()).to.equal(`connected as ${user}`);

        // Rotation 1 (alternating users): the function creates the clone with the user's memberships and makes it
        // current; the first user becomes AWSPREVIOUS and keeps its password. The mounts and the sidecar follow.
        const clone1 = { user: clone, password: "clone-Passw0rd-1" };
        await admin(`CREATE ROLE ${clone} LOGIN PASSWORD '${sql(clone1.password)}'`);
        publish(clone1, { user, password: "initial-Passw0rd" });
        expect(refresh()).to.contain("pgbouncer reloaded");
        await reloaded(1);
        expect(await stale.connect(), "during the overlap the previous user is still accepted").to.equal(`connected as ${user}`);
        expect(await rereading.connect(), "nothing refused it, so it still holds the first user").to.equal(`connected as ${user}`);
        expect(await tryLogin(readLogin()), "the new login works too").to.equal(`connected as ${clone}`);
        expect(rereading.rereads).to.equal(0);

        // Rotation 2: the function changes the password of the user that is not current (the first one), then makes it
        // current; the clone becomes AWSPREVIOUS. The login the stale client holds is retired now.
        const user2 = { user, password: "user-Passw0rd-2" };
        await admin(`ALTER ROLE ${user} PASSWORD '${sql(user2.password)}'`);
        publish(user2, clone1);
        expect(refresh()).to.contain("pgbouncer reloaded");
        await reloaded(2);
        expect(await stale.connect(), "the retired login is refused").to.match(/password authentication failed|SASL|not allowed/);
        expect(await rereading.connect(), "refused once, it re-reads the files and logs in").to.equal(`connected as ${user}`);
        expect(rereading.rereads).to.equal(1);
        expect(await tryLogin(clone1), "the clone, now previous, is still accepted until rotation 3").to.equal(`connected as ${clone}`);
    });
});

describe("the PgBouncer pods run the refresh sidecar", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });

    it("every PgBouncer Deployment shares its process namespace with a restricted refresh container that reads the CSI mount and the pidfiles pgbouncer writes", () => {
        for (const stack of ["us-east-1", "us-west-2"]) {
            const deployments = ofType(runs[stack], "kubernetes:apps/v1:Deployment").filter((d) => String(d.name).includes("pgbouncer"));
            expect(deployments.length, stack).to.be.greaterThan(0);
            const inis = ofType(runs[stack], "kubernetes:core/v1:ConfigMap").filter((c) =>
                String((c.inputs.data as Record<string, string> | undefined)?.["rw.ini"] ?? "").includes("pidfile"),
            );
            expect(inis.length, stack).to.be.greaterThan(0);
            for (const cm of inis)
                for (const ini of Object.values(cm.inputs.data as Record<string, string>)) expect(ini).to.match(/^pidfile = \/tmp\/pgbouncer-\d+\.pid$/m);
            for (const d of deployments) {
                const pod = (d.inputs.spec as any).template.spec;
                expect(pod.shareProcessNamespace, d.name).to.equal(true);
                const sidecar = pod.containers.find((c: { name: string }) => c.name === "userlist-refresh");
                expect(sidecar.command[2])
                    .to.contain(userlistRefreshOnce(SECRETS_DIR, RUN_DIR, "/tmp"))
                    .and.contain(`sleep ${USERLIST_REFRESH_SECONDS}`);
                expect(sidecar.securityContext).to.include({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
                const mounts = Object.fromEntries(sidecar.volumeMounts.map((m: { name: string; mountPath: string }) => [m.mountPath, m.name]));
                expect(mounts).to.deep.equal({ [SECRETS_DIR]: "secrets", [RUN_DIR]: "run", "/tmp": "tmp" });
                // The same UID as pgbouncer: a signal needs it.
                for (const c of pod.containers) expect(c.securityContext.runAsUser, c.name).to.equal(sidecar.securityContext.runAsUser);
            }
        }
    });

    it("on a primary PgBouncer mounts the app secret's current and previous versions and its pods wait for the first rotation; a standby mounts only the current one", () => {
        // AWS documents that a rotated value reaches the replicas, not that their version stages do: a standby's mount
        // of AWSPREVIOUS could fail for good, so the standby reads AWSCURRENT only until the fact says otherwise.
        const replicaFacts = JSON.parse(
            readFileSync(join(__dirname, "..", "..", "..", "..", "test", "upstream", "secretsmanager", "replica-version-stages.json"), "utf8"),
        );
        expect(mountsPreviousLogin("standby")).to.equal(replicaFacts.replicaVersionStagesDocumented);
        expect(mountsPreviousLogin("primary")).to.equal(true);
        for (const stack of REGIONAL_STACKS) {
            const run = runs[stack];
            const rotations = ofType(run, "aws:secretsmanager/secretRotation:SecretRotation").filter((r) => /app-rotation-schedule$/.test(r.name));
            expect(rotations.length, stack).to.equal(PRIMARY_STACKS.includes(stack) ? 4 : 0);
            for (const r of rotations) expect(r.inputs.rotateImmediately, r.name).to.equal(true);
            for (let n = 0; n < 4; n++) {
                const spc = ofType(run, "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass").find(
                    (x) => (x.inputs.metadata as { name: string }).name === `shard-${n}-credentials`,
                )!;
                const objects = spcObjects((spc.inputs.spec as any).parameters.objects);
                expect(
                    objects.map((o) => [o.versionLabel, o.files]),
                    stack,
                ).to.deep.equal([
                    [undefined, { username: "username", password: "password" }],
                    ...(PRIMARY_STACKS.includes(stack)
                        ? [["AWSPREVIOUS", { username: PREVIOUS_LOGIN_FILES.username, password: PREVIOUS_LOGIN_FILES.password }]]
                        : []),
                ]);
                for (const o of objects) expect(o.name).to.equal(objects[0].name);
                const dep = ofType(run, "kubernetes:apps/v1:Deployment").find((d) => d.name.endsWith(`-db-shard-${n}-pgbouncer`))!;
                const waits = rotations.filter((r) => dep.options.dependencies.includes(r.urn)).map((r) => r.name);
                expect(waits, `${stack} shard ${n}`).to.deep.equal(
                    PRIMARY_STACKS.includes(stack) ? [rotations.find((r) => r.name.includes(`-shard-${n}-`))!.name] : [],
                );
            }
        }
    });
});
