import { expect } from "chai";
import { createPrivateKey, createPublicKey, randomUUID, sign, verify } from "node:crypto";
import {
    APP_SECRETS,
    appSecretName,
    APP_SECRETS_FUNCTION_RUNTIME,
    JWT_ROTATION_DAYS,
    jwtRotationCode,
    VENDOR_KEY_MAX_AGE_DAYS,
    VENDOR_KEY_NOTICE_DAYS,
    vendorKeyAgeCode,
} from "../../../components/app-secrets";
import { secretsReplicaAlias } from "../../../components/sharded-database/secret-replicas";
import { UNROTATED_SECRETS } from "../../../policies/rules/identity/secret-rotation-configured";
import { ZONE_REGIONS } from "../../../stacks/regions";
import { CapturedResource } from "../../../tools/offline/mock-engine";
import { evaluatePolicies } from "../../../tools/offline/policy-runner";
import { RunResult } from "../../../tools/offline/stack-runner";
import { fake, load, removeLoaded, rotateSecret } from "../../support/fake-secrets-manager";
import { allStacks, ofType, PRIMARY_STACKS, STANDBY_STACKS } from "../../support/fixtures";

const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const FUNCTION = "aws:lambda/function:Function";
const PERMISSION = "aws:lambda/permission:Permission";
const RP = "aws:iam/rolePolicy:RolePolicy";
const zoneOf = (region: string) => Object.entries(ZONE_REGIONS).find(([, r]) => r.primary === region || r.standby === region)!;
const appSecrets = (run: RunResult, zone: string) => ofType(run, SECRET).filter((s) => String(s.inputs.name).startsWith(`bookedbarber/${zone}/app/`));
const byName = (run: RunResult, type: string, suffix: string) => ofType(run, type).find((r) => r.name.endsWith(suffix))!;

/** Issue 15: the app secret hierarchy (payment, email, SMS providers, JWT signing keys). */
describe("secrets lifecycle: the app secret hierarchy (issue 15)", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });

    it("each zone primary creates the hierarchy empty on its secrets CMK, replicated to its standby only", () => {
        for (const stack of PRIMARY_STACKS) {
            const run = runs[stack];
            const [zone, { standby }] = zoneOf(stack);
            const secrets = appSecrets(run, zone);
            expect(secrets.map((s) => s.inputs.name).sort()).to.deep.equal(APP_SECRETS.map((s) => appSecretName(zone, s.path)).sort());
            const master = ofType(run, SECRET).find((s) => /^bookedbarber\/database\/.*\/master$/.test(String(s.inputs.name)))!;
            for (const s of secrets) {
                expect(s.inputs.kmsKeyId, "the region's secrets CMK").to.equal(master.inputs.kmsKeyId);
                expect((s.inputs.replicas as { region: string }[]).map((r) => r.region)).to.deep.equal([standby]);
                expect(s.options.protect).to.equal(true);
                // Empty: no version of it in the program, so no value in the state.
                const versions = ofType(run, "aws:secretsmanager/secretVersion:SecretVersion").filter((v) => v.inputs.secretId === s.identity!.id);
                expect(versions, String(s.inputs.name)).to.have.length(0);
            }
        }
    });

    it("JWT signing keys rotate through our function; vendor keys are listed unrotated with the reason and watched by a daily P3 reminder", () => {
        for (const stack of PRIMARY_STACKS) {
            const run = runs[stack];
            const [zone] = zoneOf(stack);
            const jwt = appSecrets(run, zone).find((s) => String(s.inputs.name).endsWith("/jwt/signing-keys"))!;
            const fn = byName(run, FUNCTION, "-appsecrets-jwt-rotation");
            const rotations = ofType(run, ROTATION).filter((r) => r.inputs.secretId === jwt.identity!.id);
            expect(rotations).to.have.length(1);
            expect(rotations[0].inputs).to.deep.include({
                rotationLambdaArn: fn.identity!.arn,
                rotationRules: { automaticallyAfterDays: JWT_ROTATION_DAYS },
                rotateImmediately: true,
            });
            expect(fn.inputs).to.include({ runtime: APP_SECRETS_FUNCTION_RUNTIME, handler: "index.handler" });
            expect(fn.inputs.environment, "no environment: nothing to encrypt there").to.equal(undefined);
            expect(fn.inputs.vpcConfig, "calls only AWS APIs: outside the VPC").to.equal(undefined);
            const invoke = ofType(run, PERMISSION).find((p) => p.inputs.principal === "secretsmanager.amazonaws.com" && p.inputs.function === fn.inputs.name)!;
            expect(invoke.inputs).to.include({ function: fn.inputs.name, sourceArn: jwt.identity!.arn });
            const fnPolicy = JSON.parse(String(byName(run, RP, "-appsecrets-jwt-rotation-policy").inputs.policy));
            expect(fnPolicy.Statement[0].Resource, "rotates exactly the JWT secret").to.deep.equal([jwt.identity!.arn]);

            const vendor = appSecrets(run, zone).filter((s) => s !== jwt);
            expect(vendor).to.have.length(3);
            for (const s of vendor) {
                expect(ofType(run, ROTATION).filter((r) => r.inputs.secretId === s.identity!.id)).to.have.length(0);
                expect(
                    Object.keys(UNROTATED_SECRETS).filter((p) => new RegExp(p).test(String(s.inputs.name))),
                    String(s.inputs.name),
                ).to.have.length(1);
            }
            const reminder = byName(run, FUNCTION, "-appsecrets-vendor-key-reminder");
            const schedule = byName(run, "aws:cloudwatch/eventRule:EventRule", "-vendor-key-reminder-schedule");
            expect(schedule.inputs).to.include({ scheduleExpression: "rate(1 day)", state: "ENABLED" });
            const target = byName(run, "aws:cloudwatch/eventTarget:EventTarget", "-vendor-key-reminder-target");
            expect(target.inputs.arn).to.equal(reminder.identity!.arn);
            const reminderPolicy = JSON.parse(String(byName(run, RP, "-appsecrets-vendor-key-reminder-policy").inputs.policy));
            expect(reminderPolicy.Statement[0].Resource.sort()).to.deep.equal(vendor.map((s) => s.identity!.arn).sort());
            expect(reminderPolicy.Statement[1]).to.deep.include({
                Action: ["sns:Publish"],
                Resource: `arn:aws:sns:${stack}:123456789012:bookedbarber-alerts-p3`,
            });
        }
    });

    it("the backend's and worker's Pod Identity roles read exactly these secrets (a standby: the replicas in its own region, through the replica key)", () => {
        for (const stack of [...PRIMARY_STACKS, ...STANDBY_STACKS]) {
            const run = runs[stack];
            const [zone, regions] = zoneOf(stack);
            const primaryRun = runs[regions.primary];
            const names = APP_SECRETS.map((s) => appSecretName(zone, s.path));
            for (const [reader, role] of [
                ["backend", "-queue-producer-role"],
                ["worker", "-queue-consumer-role"],
            ]) {
                const rp = byName(run, RP, `-appsecrets-${reader}-read`);
                expect(rp.inputs.role, `${stack} ${reader}`).to.equal(byName(run, "aws:iam/role:Role", role).identity!.id);
                const policy = JSON.parse(String(rp.inputs.policy));
                expect(policy.Statement[0].Action).to.deep.equal(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]);
                if (stack === regions.primary) {
                    expect(policy.Statement[0].Resource).to.deep.equal(appSecrets(primaryRun, zone).map((s) => s.identity!.arn));
                    expect(policy.Statement[1].Condition).to.deep.equal({ StringEquals: { "kms:ViaService": `secretsmanager.${stack}.amazonaws.com` } });
                } else {
                    expect(policy.Statement[0].Resource).to.deep.equal(names.map((n) => `arn:aws:secretsmanager:${stack}:123456789012:secret:${n}-??????`));
                    expect(policy.Statement[1].Condition["ForAnyValue:StringEquals"]).to.deep.equal({ "kms:ResourceAliases": secretsReplicaAlias(zone) });
                    expect(appSecrets(run, zone), "a standby creates none").to.have.length(0);
                }
            }
        }
    });

    it("the pack fails a real plan without the JWT rotation, without the vendor keys' listing, with an unscoped invoke permission, or on a deprecated runtime (mutations of us-east-1's plan)", async () => {
        const base = runs["us-east-1"].resources;
        const check = async (rs: CapturedResource[], rule: string, config?: Parameters<typeof evaluatePolicies>[1]) =>
            (await evaluatePolicies(rs, config ?? {})).violations.filter((v) => v.policy === rule && v.level === "mandatory");
        expect(await check([...base], "secret-rotation-configured"), "as built").to.have.length(0);
        expect(await check([...base], "lambda-permission-scoped"), "as built").to.have.length(0);
        const noJwtRotation = base.filter((r) => !(r.type === ROTATION && r.name.includes("-appsecrets-jwt-")));
        const missing = await check(noJwtRotation, "secret-rotation-configured");
        expect(missing).to.have.length(1);
        expect(missing[0].message).to.match(/^Secret bookedbarber\/us\/app\/jwt\/signing-keys has no rotation schedule/);
        const withoutVendors = Object.fromEntries(Object.entries(UNROTATED_SECRETS).filter(([p]) => !p.includes("/app/")));
        expect(
            await check([...base], "secret-rotation-configured", { config: { "secret-rotation-configured": { unrotated: withoutVendors } } }),
        ).to.have.length(3);
        const unscoped = base.map((r) =>
            r.type === PERMISSION && r.name.includes("-appsecrets-") ? { ...r, inputs: { ...r.inputs, sourceArn: undefined, sourceAccount: undefined } } : r,
        );
        expect(await check(unscoped, "lambda-permission-scoped")).to.have.length(2);
        expect(await check([...base], "lambda-nodejs-runtime-supported"), "as built").to.have.length(0);
        const oldRuntime = base.map((r) =>
            r.type === FUNCTION && r.name.endsWith("-jwt-rotation") ? { ...r, inputs: { ...r.inputs, runtime: "nodejs20.x" } } : r,
        );
        expect(await check(oldRuntime, "lambda-nodejs-runtime-supported")).to.have.length(1);
    });
});

// ---- The functions' code, run on this machine against an in-memory Secrets Manager (test/support/fake-secrets-manager.ts) ----

const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:bookedbarber/us/app/jwt/signing-keys-AbCdEf";

describe("the JWT signing-key rotation function (its four steps, against an in-memory Secrets Manager)", () => {
    let handler: (event?: unknown) => Promise<unknown>;
    before(async () => {
        handler = await load(jwtRotationCode([ARN]));
    });
    after(removeLoaded);
    beforeEach(() => {
        fake.__fakeAws = { arn: ARN, versions: new Map(), published: [], calls: [], randomPasswordInputs: [] };
    });

    const rotate = (steps?: string[]) => rotateSecret(handler, ARN, steps);
    const valueOf = (stage: string) => JSON.parse([...fake.__fakeAws.versions.values()].find((v) => v.stages.includes(stage))!.value!);

    it("the first rotation of the empty secret creates a key pair and makes it AWSCURRENT", async () => {
        const token = await rotate();
        const current = valueOf("AWSCURRENT");
        expect(fake.__fakeAws.versions.get(token)!.stages).to.include("AWSCURRENT");
        expect(current).to.include({ alg: "EdDSA" });
        const probe = Buffer.from("booking");
        expect(verify(null, probe, createPublicKey(current.publicKey), sign(null, probe, createPrivateKey(current.privateKey)))).to.equal(true);
    });

    it("the next rotation promotes a new key and keeps the old one as AWSPREVIOUS, so tokens signed before still verify", async () => {
        await rotate();
        const first = valueOf("AWSCURRENT");
        const token = Buffer.from("header.payload");
        const signedBefore = sign(null, token, createPrivateKey(first.privateKey));
        await rotate();
        const current = valueOf("AWSCURRENT");
        const previous = valueOf("AWSPREVIOUS");
        expect(current.kid).to.not.equal(first.kid);
        expect(previous.kid).to.equal(first.kid);
        expect(verify(null, token, createPublicKey(current.publicKey), signedBefore), "not the new key").to.equal(false);
        expect(verify(null, token, createPublicKey(previous.publicKey), signedBefore), "the previous key").to.equal(true);
        // A third rotation starts: the finished one left no pending version behind.
        await rotate();
        expect(valueOf("AWSPREVIOUS").kid).to.equal(current.kid);
    });

    it("a retried createSecret keeps the pending key; testSecret rejects a pending value whose keys do not match; other secrets are refused", async () => {
        await rotate();
        const s = fake.__fakeAws;
        const token = randomUUID();
        s.versions.get([...s.versions.keys()][0])!.stages = ["AWSCURRENT"];
        s.versions.set(token, { stages: ["AWSPENDING"], created: new Date() });
        await handler({ SecretId: ARN, ClientRequestToken: token, Step: "createSecret" });
        const once = s.versions.get(token)!.value;
        await handler({ SecretId: ARN, ClientRequestToken: token, Step: "createSecret" });
        expect(s.versions.get(token)!.value).to.equal(once);
        const other = valueOf("AWSCURRENT");
        s.versions.get(token)!.value = JSON.stringify({ ...JSON.parse(once!), publicKey: other.publicKey });
        let failure: unknown;
        await handler({ SecretId: ARN, ClientRequestToken: token, Step: "testSecret" }).catch((e) => {
            failure = e;
        });
        expect(String(failure)).to.contain("does not verify");
        let refused: unknown;
        await handler({ SecretId: ARN.replace("jwt", "other"), ClientRequestToken: token, Step: "createSecret" }).catch((e) => {
            refused = e;
        });
        expect(String(refused)).to.contain("rotates only");
    });
});

describe("the vendor-key reminder (against an in-memory Secrets Manager and SNS)", () => {
    const VENDOR = "arn:aws:secretsmanager:us-east-1:123456789012:secret:bookedbarber/us/app/payment/stripe/live-secret-key-AbCdEf";
    let handler: (event?: unknown) => Promise<unknown>;
    before(async () => {
        handler = await load(
            vendorKeyAgeCode({
                secrets: [{ arn: VENDOR, name: "bookedbarber/us/app/payment/stripe/live-secret-key" }],
                topicArn: "arn:aws:sns:us-east-1:123456789012:bookedbarber-alerts-p3",
                maxAgeDays: VENDOR_KEY_MAX_AGE_DAYS,
                noticeDays: VENDOR_KEY_NOTICE_DAYS,
            }),
        );
    });
    after(removeLoaded);
    const withCurrentAged = (days?: number) => {
        fake.__fakeAws = { arn: VENDOR, versions: new Map(), published: [], calls: [], randomPasswordInputs: [] };
        if (days !== undefined) fake.__fakeAws.versions.set("v1", { stages: ["AWSCURRENT"], value: "{}", created: new Date(Date.now() - days * 86400000) });
    };

    it("publishes P3 for an unset key and for one within the notice period, not for a fresh one, and never writes", async () => {
        withCurrentAged(undefined);
        await handler();
        expect(fake.__fakeAws.published.map((p) => p.Message)).to.deep.equal([
            "bookedbarber/us/app/payment/stripe/live-secret-key has no value yet: issue a key in the vendor's console and set it with aws secretsmanager put-secret-value (docs/secrets.md).",
        ]);
        withCurrentAged(VENDOR_KEY_MAX_AGE_DAYS - VENDOR_KEY_NOTICE_DAYS - 1);
        await handler();
        expect(fake.__fakeAws.published).to.have.length(0);
        withCurrentAged(VENDOR_KEY_MAX_AGE_DAYS - VENDOR_KEY_NOTICE_DAYS);
        await handler();
        expect(fake.__fakeAws.published).to.have.length(1);
        expect(fake.__fakeAws.published[0].Subject).to.match(/^P3: /);
        expect(fake.__fakeAws.published[0].Message).to.contain(`set ${VENDOR_KEY_MAX_AGE_DAYS - VENDOR_KEY_NOTICE_DAYS} days ago`);
        expect(new Set(fake.__fakeAws.calls)).to.deep.equal(new Set(["ListSecretVersionIdsCommand", "Publish"]));
    });
});
