import { expect } from "chai";
import { ChildProcess, execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GRAFANA_ADMIN_USER } from "../../../components/observability/kubernetes";
import { FakeGrafana, GRAFANA_FACTS } from "../../support/fake-grafana";
import { parse } from "yaml";
import { SECRETS_STORE_CSI_DRIVER } from "../../../components/observability/kubernetes";
import { plannedReleases } from "../../../tools/charts/releases";
import { allStacks } from "../../support/fixtures";
import {
    GRAFANA_HTTP_PORT,
    GRAFANA_PASSWORD_SYNC_BACKOFF_SECONDS,
    GRAFANA_PASSWORD_SYNC_SECONDS,
    grafanaAdminSecretProviderClass,
    GRAFANA_PASSWORD_FILE,
    GRAFANA_PASSWORD_SYNC,
    GRAFANA_PASSWORD_SYNC_SCRIPT,
    GRAFANA_PREVIOUS_PASSWORD_FILE,
    grafanaPasswordSyncEnv,
} from "../../../components/observability/grafana-password-sync";

/**
 * The grafana-password-sync sidecar's script, run with the machine's `sh` (dash, POSIX like the image's busybox
 * sh) and curl against a stand-in for Grafana's HTTP API: basic auth on `GET /api/user` and `PUT /api/user/password`
 * (`oldPassword`/`newPassword`, 401 on a wrong old password; Grafana 12.1 pkg/api/user.go, facts in
 * test/upstream/grafana/http-api.json), and Grafana's brute-force login protection (5 failed logins within
 * 5 minutes lock the user, whatever the password). The mount is a folder of files as the CSI driver writes them.
 */

const OLD = "Old0password0Old0password0Old0pa";
const NEW = "New1password1New1password1New1pa";
const OTHER = "Oth2password2Oth2password2Oth2pa";

describe("grafana-password-sync: the sidecar that applies a rotated Grafana admin password (against a stand-in for Grafana's API)", function () {
    this.timeout(60_000);
    let dir: string;
    let grafana: FakeGrafana;
    const loops: ChildProcess[] = [];

    /** What the CSI driver leaves in the mount: AWSCURRENT's and AWSPREVIOUS's passwords (no newline, as the provider writes values). */
    const mount = (current: string, previous?: string) => {
        fs.writeFileSync(path.join(dir, GRAFANA_PASSWORD_FILE), current);
        if (previous === undefined) fs.rmSync(path.join(dir, GRAFANA_PREVIOUS_PASSWORD_FILE), { force: true });
        else fs.writeFileSync(path.join(dir, GRAFANA_PREVIOUS_PASSWORD_FILE), previous);
    };
    /** The container's environment, with the test's mount, port and timings; no proxy variables of this machine. */
    const env = (port: number, interval = 1, backoff = 900) => ({
        PATH: process.env.PATH!,
        ...grafanaPasswordSyncEnv(dir, GRAFANA_ADMIN_USER),
        GRAFANA_URL: `http://127.0.0.1:${port}`,
        SYNC_INTERVAL_SECONDS: String(interval),
        SYNC_BACKOFF_SECONDS: String(backoff),
    });
    /** One pass (`--once`): its exit status and log. */
    const pass = (port = grafana.port) =>
        new Promise<{ code: number; log: string }>((resolve) => {
            execFile("sh", ["-c", GRAFANA_PASSWORD_SYNC_SCRIPT, GRAFANA_PASSWORD_SYNC, "--once"], { env: env(port) }, (error, stdout, stderr) =>
                resolve({ code: error ? Number(error.code) : 0, log: stdout + stderr }),
            );
        });
    /** The sidecar as it runs in the pod: the endless loop, its log collected. */
    const loop = (interval: number, backoff: number) => {
        const child = spawn("sh", ["-c", GRAFANA_PASSWORD_SYNC_SCRIPT, GRAFANA_PASSWORD_SYNC], { env: env(grafana.port, interval, backoff) });
        const out = { log: "", child };
        child.stdout.on("data", (d) => (out.log += d));
        child.stderr.on("data", (d) => (out.log += d));
        loops.push(child);
        return out;
    };
    const stopLoop = (child: ChildProcess) =>
        new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.on("exit", () => resolve());
            child.kill("SIGTERM");
        });
    const until = async (what: () => boolean, seconds: number) => {
        const end = Date.now() + seconds * 1000;
        while (!what()) {
            if (Date.now() > end) throw new Error(`not within ${seconds}s`);
            await new Promise((r) => setTimeout(r, 100));
        }
    };

    beforeEach(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "grafana-admin-mount-"));
        grafana = new FakeGrafana(OLD);
        await grafana.start();
    });
    afterEach(async () => {
        for (const c of loops.splice(0)) await stopLoop(c);
        await grafana.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("in sync: one login with the current password, nothing changed, nothing logged", async () => {
        mount(OLD);
        const r = await pass();
        expect(r).to.deep.equal({ code: 0, log: "" });
        expect(grafana.calls).to.deep.equal([{ method: "GET", path: "/api/user", authorised: true }]);
    });

    it("after a rotation: changes the admin password from AWSPREVIOUS to AWSCURRENT, once; the next pass finds it in sync", async () => {
        mount(NEW, OLD);
        const first = await pass();
        expect(first.code).to.equal(0);
        expect(first.log).to.match(/grafana-password-sync: changed the password of admin to the rotated one \(AWSCURRENT\)\n$/);
        expect(grafana.password).to.equal(NEW);
        expect(grafana.calls.map((c) => `${c.method} ${c.path} ${c.authorised}`)).to.deep.equal(["GET /api/user false", "PUT /api/user/password true"]);
        grafana.calls = [];
        expect(await pass()).to.deep.equal({ code: 0, log: "" });
        expect(grafana.calls).to.deep.equal([{ method: "GET", path: "/api/user", authorised: true }]);
        // No password in its log.
        expect(first.log).to.not.contain(NEW).and.not.contain(OLD);
    });

    it("mid-rotation (AWSPENDING not yet promoted, so the mount is unchanged) it does nothing; a restart after the change converges with no second change", async () => {
        mount(OLD, OTHER);
        expect(await pass()).to.deep.equal({ code: 0, log: "" });
        expect(grafana.password).to.equal(OLD);
        mount(NEW, OLD);
        const sidecar = loop(1, 900);
        await until(() => grafana.password === NEW, 10);
        await stopLoop(sidecar.child);
        // The restarted sidecar sees the same mount: the current password logs in, so no PUT.
        grafana.calls = [];
        const restarted = loop(1, 900);
        await until(() => grafana.calls.length >= 2, 10);
        await stopLoop(restarted.child);
        expect(grafana.calls.every((c) => c.method === "GET" && c.authorised)).to.equal(true);
        expect(sidecar.log.match(/changed the password/g)).to.have.length(1);
        expect(restarted.log).to.not.contain("changed the password");
    });

    it("started before Grafana answers: logs that it waits, keeps running, and applies the rotated password once Grafana is up", async () => {
        const port = grafana.port;
        await grafana.stop();
        mount(NEW, OLD);
        const down = await pass(port);
        expect(down.code).to.equal(1);
        expect(down.log).to.contain(`Grafana does not answer on http://127.0.0.1:${port} yet`);
        const sidecar = loop(1, 900);
        await until(() => sidecar.log.includes("does not answer"), 10);
        await grafana.start(port);
        await until(() => grafana.password === NEW, 10);
        expect(sidecar.child.exitCode).to.equal(null);
    });

    it("when neither password logs in: one clear log line, no crash, no retry storm that would lock the admin out, and it applies once the mount changes", async () => {
        grafana.password = OTHER;
        mount(NEW, OLD);
        const once = await pass();
        expect(once.code).to.equal(2);
        expect(once.log).to.contain(
            "neither the current (AWSCURRENT) nor the previous (AWSPREVIOUS) password logs in as admin: reset it by hand (docs/secrets.md, Grafana admin recovery)",
        );
        grafana.calls = [];
        grafana.failures = [];
        const sidecar = loop(1, 900);
        // Several intervals pass: still one attempt (two failed logins), Grafana's lockout threshold is never reached.
        await new Promise((r) => setTimeout(r, 2500));
        expect(sidecar.child.exitCode, "still running").to.equal(null);
        expect(grafana.calls).to.have.length(2);
        expect(grafana.locked).to.equal(false);
        expect(sidecar.log).to.contain("next attempt when the mounted secret changes, or in 900s");
        // A person resets Grafana's password to AWSPREVIOUS's value (or the secret moves on): the changed mount is tried at once.
        mount(NEW, OTHER);
        await until(() => grafana.password === NEW, 10);
        expect(sidecar.child.exitCode).to.equal(null);
    });

    it("the back-off ends: with the mount unchanged it tries again after it", async () => {
        grafana.password = OTHER;
        mount(NEW, OLD);
        const sidecar = loop(1, 2);
        await until(() => (sidecar.log.match(/neither the current/g) ?? []).length >= 2, 10);
        expect(grafana.calls.length).to.be.at.least(4);
    });

    it("refuses a password that is not letters and digits (it would need quoting) without calling Grafana, and a current one with no other previous one", async () => {
        mount('New"password', OLD);
        const quoted = await pass();
        expect(quoted.code).to.equal(2);
        expect(quoted.log).to.contain(`${dir}/password is empty or holds characters other than letters and digits: not applied`);
        expect(grafana.calls).to.have.length(0);
        mount(NEW);
        const lone = await pass();
        expect(lone.code).to.equal(2);
        expect(lone.log).to.contain("the current password (AWSCURRENT) does not log in as admin and there is no other previous one (AWSPREVIOUS)");
        expect(grafana.password).to.equal(OLD);
    });

    it("passes passwords to curl on its standard input only, never as an argument", () => {
        const curl = GRAFANA_PASSWORD_SYNC_SCRIPT.split("\n").filter((l) => /\bcurl\b/.test(l) && !l.trim().startsWith("#"));
        expect(curl).to.have.length(1);
        expect(curl[0]).to.contain("curl --config -");
        expect(curl[0]).to.not.match(/--user|\s-u\s/);
    });
});

const UPSTREAM = path.join(__dirname, "..", "..", "..", "..", "test", "upstream");
const chartValues = (chart: string, version: string) => parse(fs.readFileSync(path.join(UPSTREAM, "charts", chart, version, "values.yaml"), "utf8"));

describe("grafana-password-sync agrees with its sources (test/upstream/grafana/admin-password-sync.json, vendored charts)", () => {
    it("Grafana's port is the chart's service.targetPort; extraContainers is a string value in the chart", () => {
        const values = chartValues("grafana", GRAFANA_FACTS.grafanaChart.version);
        expect(values.service.targetPort).to.equal(GRAFANA_HTTP_PORT);
        expect(values.extraContainers, "the chart renders it with tpl").to.be.a("string");
        expect(GRAFANA_FACTS.grafana.changeOwnPassword.body).to.deep.equal(["oldPassword", "newPassword"]);
        expect(GRAFANA_PASSWORD_SYNC_SCRIPT).to.contain('{\\"oldPassword\\":').and.to.contain('\\",\\"newPassword\\":');
    });

    it("the back-off keeps a sidecar that cannot log in below Grafana's lockout: two failed logins per attempt, attempts at least the back-off apart", () => {
        const { maxAttempts, windowMinutes } = GRAFANA_FACTS.grafana.bruteForceLoginProtection;
        const attemptsPerWindow = Math.ceil((windowMinutes * 60) / GRAFANA_PASSWORD_SYNC_BACKOFF_SECONDS);
        expect(2 * attemptsPerWindow).to.be.below(maxAttempts);
        // Without the back-off a pass every interval would lock the admin out within the window.
        expect(2 * Math.ceil((windowMinutes * 60) / GRAFANA_PASSWORD_SYNC_SECONDS)).to.be.at.least(maxAttempts);
    });

    it("the mount's AWSPREVIOUS object uses the provider's objectVersionLabel, and the CSI driver re-reads mounts (rotation on, its poll interval set)", async () => {
        const spc = grafanaAdminSecretProviderClass("grafana-admin", "monitoring", "eu-west-1", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x");
        const objects = await new Promise<string>((resolve) => (spc.spec.parameters.objects as any).apply((o: string) => resolve(o)));
        const parsed = parse(objects) as { objectName: string; objectVersionLabel?: string; objectAlias: string; jmesPath: { objectAlias: string }[] }[];
        expect(parsed.map((o) => o.objectVersionLabel)).to.deep.equal([undefined, "AWSPREVIOUS"]);
        expect(new Set(parsed.map((o) => o.objectName)).size, "one secret, twice").to.equal(1);
        expect(new Set(parsed.map((o) => o.objectAlias)).size, "different aliases").to.equal(2);
        expect(parsed.flatMap((o) => [o.objectAlias, ...o.jmesPath.map((j) => j.objectAlias)]).filter((a) => a.includes("-"))).to.deep.equal([]);
        expect(GRAFANA_FACTS.secretsStoreCsiProviderAws.chartVersion).to.equal(
            JSON.parse(fs.readFileSync(path.join(UPSTREAM, "charts", "secrets-store-csi-driver-provider-aws", "3.1.1", "source.json"), "utf8")).version,
        );
        // The driver chart the provider chart packages (its Chart.lock), whose values are vendored.
        const providerSource = JSON.parse(
            fs.readFileSync(path.join(UPSTREAM, "charts", "secrets-store-csi-driver-provider-aws", "3.1.1", "source.json"), "utf8"),
        );
        expect(providerSource.subcharts["secrets-store-csi-driver"]).to.equal(`secrets-store-csi-driver/${GRAFANA_FACTS.secretsStoreCsiDriver.chartVersion}`);
        const driverValues = chartValues("secrets-store-csi-driver", GRAFANA_FACTS.secretsStoreCsiDriver.chartVersion);
        expect(driverValues).to.have.property("enableSecretRotation");
        expect(driverValues).to.have.property("rotationPollInterval");
        const runs = await allStacks();
        const csi = plannedReleases(runs["eu-west-1"].resources).find((r) => r.chart === "secrets-store-csi-driver-provider-aws")!;
        const driver = (csi.values as any)["secrets-store-csi-driver"];
        expect(driver).to.include({ enableSecretRotation: true });
        expect(driver.rotationPollInterval).to.match(/^\d+m$/);
        expect(SECRETS_STORE_CSI_DRIVER).to.equal("secrets-store.csi.k8s.io");
    });
});
