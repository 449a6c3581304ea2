import { expect } from "chai";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GRAFANA_ADMIN_PASSWORD_LENGTH, grafanaAdminRotationCode } from "../../../components/observability/grafana-admin-rotation";
import {
    GRAFANA_PASSWORD_FILE,
    GRAFANA_PASSWORD_SYNC,
    GRAFANA_PASSWORD_SYNC_SCRIPT,
    GRAFANA_PREVIOUS_PASSWORD_FILE,
    grafanaPasswordSyncEnv,
} from "../../../components/observability/grafana-password-sync";
import { GRAFANA_ADMIN_USER } from "../../../components/observability/kubernetes";
import { fake, load, removeLoaded, rotateSecret } from "../../support/fake-secrets-manager";
import { FakeGrafana } from "../../support/fake-grafana";

const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/global/observability/eu-west-1/grafana-admin-AbCdEf";
/** The program's first value (RandomPassword, letters and digits). */
const FIRST = JSON.stringify({ username: GRAFANA_ADMIN_USER, password: "First0password0First0password0Fi" });

/**
 * The Grafana admin rotation function's code (components/observability/grafana-admin-rotation.ts) run against an
 * in-memory Secrets Manager, and then the grafana-password-sync sidecar applying its result to a stand-in Grafana.
 */
describe("the Grafana admin rotation function (its four steps, against an in-memory Secrets Manager)", () => {
    let handler: (event?: unknown) => Promise<unknown>;
    before(async () => {
        handler = await load(grafanaAdminRotationCode([ARN], GRAFANA_ADMIN_USER));
    });
    after(removeLoaded);
    beforeEach(() => {
        fake.__fakeAws = {
            arn: ARN,
            versions: new Map([["v0", { stages: ["AWSCURRENT"], value: FIRST, created: new Date() }]]),
            published: [],
            calls: [],
            randomPasswordInputs: [],
        };
    });
    const valueOf = (stage: string) => JSON.parse([...fake.__fakeAws.versions.values()].find((v) => v.stages.includes(stage))!.value!);

    it("a rotation puts a new random password (letters and digits) in AWSCURRENT and leaves the program's first one as AWSPREVIOUS; setSecret calls nothing", async () => {
        await rotateSecret(handler, ARN);
        const current = valueOf("AWSCURRENT");
        expect(current.username).to.equal(GRAFANA_ADMIN_USER);
        expect(current.password).to.match(new RegExp(`^[A-Za-z0-9]{${GRAFANA_ADMIN_PASSWORD_LENGTH}}$`));
        expect(valueOf("AWSPREVIOUS")).to.deep.equal(JSON.parse(FIRST));
        expect(fake.__fakeAws.randomPasswordInputs).to.deep.equal([
            { PasswordLength: GRAFANA_ADMIN_PASSWORD_LENGTH, ExcludePunctuation: true, IncludeSpace: false, RequireEachIncludedType: true },
        ]);
        // createSecret: describe, look for a pending value, random password, put; setSecret: describe only; testSecret: describe, read; finishSecret: describe, move.
        expect(fake.__fakeAws.calls).to.deep.equal([
            "DescribeSecretCommand",
            "GetSecretValueCommand",
            "GetRandomPasswordCommand",
            "PutSecretValueCommand",
            "DescribeSecretCommand",
            "DescribeSecretCommand",
            "GetSecretValueCommand",
            "DescribeSecretCommand",
            "UpdateSecretVersionStageCommand",
        ]);
        const before = current.password;
        await rotateSecret(handler, ARN);
        expect(valueOf("AWSPREVIOUS").password).to.equal(before);
        expect(valueOf("AWSCURRENT").password).to.not.equal(before);
    });

    it("a retried createSecret keeps the pending password; testSecret rejects a pending value for another user or with punctuation; other secrets are refused", async () => {
        const token = randomUUID();
        fake.__fakeAws.versions.set(token, { stages: ["AWSPENDING"], created: new Date() });
        await handler({ SecretId: ARN, ClientRequestToken: token, Step: "createSecret" });
        const once = fake.__fakeAws.versions.get(token)!.value;
        await handler({ SecretId: ARN, ClientRequestToken: token, Step: "createSecret" });
        expect(fake.__fakeAws.versions.get(token)!.value).to.equal(once);
        const failure = async (value: object) => {
            fake.__fakeAws.versions.get(token)!.value = JSON.stringify(value);
            return String(await handler({ SecretId: ARN, ClientRequestToken: token, Step: "testSecret" }).catch((e) => e));
        };
        expect(await failure({ username: "root", password: JSON.parse(once!).password })).to.contain("pending value names user root, not admin");
        expect(await failure({ username: GRAFANA_ADMIN_USER, password: `"${"a".repeat(GRAFANA_ADMIN_PASSWORD_LENGTH - 1)}` })).to.contain(
            `pending password is not ${GRAFANA_ADMIN_PASSWORD_LENGTH} letters and digits`,
        );
        const refused = await handler({ SecretId: ARN.replace("grafana", "other"), ClientRequestToken: token, Step: "createSecret" }).catch((e) => e);
        expect(String(refused)).to.contain("rotates only");
    });

    it("end to end: rotation, then the CSI driver's files, then one sidecar pass: Grafana's admin logs in with the new AWSCURRENT", async () => {
        const grafana = new FakeGrafana(JSON.parse(FIRST).password);
        await grafana.start();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grafana-admin-mount-"));
        try {
            await rotateSecret(handler, ARN);
            fs.writeFileSync(path.join(dir, GRAFANA_PASSWORD_FILE), valueOf("AWSCURRENT").password);
            fs.writeFileSync(path.join(dir, GRAFANA_PREVIOUS_PASSWORD_FILE), valueOf("AWSPREVIOUS").password);
            const env = { PATH: process.env.PATH!, ...grafanaPasswordSyncEnv(dir, GRAFANA_ADMIN_USER), GRAFANA_URL: `http://127.0.0.1:${grafana.port}` };
            const code = await new Promise<number>((resolve) =>
                execFile("sh", ["-c", GRAFANA_PASSWORD_SYNC_SCRIPT, GRAFANA_PASSWORD_SYNC, "--once"], { env }, (e) => resolve(e ? Number(e.code) : 0)),
            );
            expect(code).to.equal(0);
            expect(grafana.password).to.equal(valueOf("AWSCURRENT").password);
        } finally {
            await grafana.stop();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
