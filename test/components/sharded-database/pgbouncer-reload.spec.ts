import { expect } from "chai";
import { Client } from "pg";
import { RUN_DIR, SECRETS_DIR } from "../../../components/sharded-database/pod-common";
import { USERLIST_REFRESH_SECONDS, userlistRefreshOnce } from "../../../components/sharded-database/kubernetes";
import { renderPgBouncerIni } from "../../../components/sharded-database/pgbouncer-config";
import { poolSizing } from "../../../components/sharded-database/sizing";
import { RunResult } from "../../../tools/offline/stack-runner";
import { allStacks, ofType } from "../../support/fixtures";
import { ensurePgBouncer, freePort, PgServer } from "../../support/pg-harness";

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
    /** The CSI driver's view of the secret, in the directory the sidecar reads. */
    const mount = (u: { user: string; password: string }) => {
        pg.writeFile("username", u.user);
        pg.writeFile("password", u.password);
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
        listenPort = await freePort();
        const ini = renderPgBouncerIni({
            database: "postgres",
            host: "127.0.0.1",
            port: pg.port,
            listenPort,
            listenAddr: "127.0.0.1",
            sizing: poolSizing({ serverMaxConnections: 100, servers: 1, serverShare: 0.8, replicas: 2, shardClientConnections: 100 }),
            authFile: `${pg.dir}/userlist.txt`,
            serverCaFile: "/nonexistent",
            serverTlsSslmode: "disable",
            runDir: pg.dir,
        });
        await pg.startPgBouncer(pg.writeFile("pgbouncer.ini", ini), listenPort);
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

            mount(second); // the rotation made the clone current; the driver re-read the secret
            expect(await loginResult(second), "pgbouncer still holds the userlist of its start").to.match(/password authentication failed|not allowed|SASL/);
            expect(refresh()).to.contain("pgbouncer reloaded");
            await until("pgbouncer's SIGHUP", () => sighups() === 1);

            expect(await loginResult(second), "the new credentials log in").to.equal("connected");
            expect(await loginResult(first), "the retired user is gone from the userlist").to.not.equal("connected");
            // The client connection opened before the reload is still there and still served.
            expect((await open.query("SELECT current_user AS u, 1 AS n")).rows).to.deep.equal([{ u: first.user, n: 1 }]);
            expect(refresh(), "the next pass finds nothing new").to.equal("");
            expect(sighups()).to.equal(1);
        } finally {
            await open.end();
        }
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
});
