import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { APP_ROTATION_APPLICATION, APP_ROTATION_DAYS, MASTER_ROTATION_DAYS, ROTATION_APPLICATION } from "../../../components/sharded-database/rotation";
import { APP_LOGIN_USER } from "../../../components/sharded-database/migrations";
import { appSecretValue } from "../../../components/sharded-database/app-credentials";
import { UNROTATED_SECRETS } from "../../../policies/rules/identity/secret-rotation-configured";
import { projectRoot } from "../../../stacks/stack-files";
import { CapturedResource } from "../../../tools/offline/mock-engine";
import { evaluatePolicies } from "../../../tools/offline/policy-runner";
import { RunResult } from "../../../tools/offline/stack-runner";
import { allStacks, ofType, PRIMARY_STACKS, REGIONAL_STACKS } from "../../support/fixtures";

const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const SAR = "aws:serverlessrepository/cloudFormationStack:CloudFormationStack";
const rotationOf = (run: RunResult, s: CapturedResource) => ofType(run, ROTATION).find((r) => r.options.dependencies.includes(s.urn));

describe("secrets lifecycle: rotation (issue 15)", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });

    it("every Secrets Manager secret of every stack rotates, or its name is listed as unrotated with a reason", () => {
        const missing: string[] = [];
        for (const [stack, run] of Object.entries(runs)) {
            for (const s of ofType(run, SECRET)) {
                const name = String(s.inputs.name ?? "");
                const listed = Object.entries(UNROTATED_SECRETS).find(([p]) => new RegExp(p).test(name));
                if (!rotationOf(run, s) && !(listed && listed[1].length > 40)) missing.push(`${stack} ${name}`);
            }
        }
        expect(missing).to.deep.equal([]);
    });

    it("each primary rotates every shard's master secret every 30 days with AWS's single-user PostgreSQL application, pinned", () => {
        const facts = JSON.parse(fs.readFileSync(path.join(projectRoot(), "test", "upstream", "secretsmanager", "rotation-application.json"), "utf8"));
        expect(ROTATION_APPLICATION.applicationId).to.equal(facts.applicationId);
        expect(ROTATION_APPLICATION.semanticVersion).to.equal(facts.semanticVersion);
        expect(ROTATION_APPLICATION.lambdaArnOutput).to.equal(facts.output);
        for (const stack of PRIMARY_STACKS) {
            const run = runs[stack];
            const apps = ofType(run, SAR).filter((a) => a.inputs.applicationId === facts.applicationId);
            expect(apps, stack).to.have.length(1);
            const app = apps[0];
            expect(app.inputs.applicationId).to.equal(facts.applicationId);
            expect(app.inputs.semanticVersion).to.equal(facts.semanticVersion);
            expect(Object.keys(app.inputs.parameters as object).sort()).to.deep.equal([...facts.parameters].sort());
            const params = app.inputs.parameters as Record<string, string>;
            expect(params.endpoint).to.equal(`https://secretsmanager.${stack}.amazonaws.com`);
            const dataSubnets = ofType(run, "aws:ec2/subnet:Subnet").filter((s) => (s.inputs.tags as Record<string, string>).tier === "data");
            expect(params.vpcSubnetIds.split(",")).to.have.length(dataSubnets.length);
            const masters = ofType(run, SECRET).filter((s) => /\/master$/.test(String(s.inputs.name)));
            expect(masters.length, stack).to.be.greaterThan(0);
            for (const s of masters) {
                const r = rotationOf(run, s)!;
                expect(r, `${stack} ${s.inputs.name}`).to.not.equal(undefined);
                expect(r.inputs.rotationRules).to.deep.equal({ automaticallyAfterDays: MASTER_ROTATION_DAYS });
                expect(String(r.inputs.rotationLambdaArn)).to.equal(`arn:aws:lambda:${stack}:123456789012:function:${params.functionName}`);
            }
        }
    });

    it("each primary rotates every shard's app role secret every 30 days with AWS's alternating-users application, after the Job that creates the user", () => {
        const facts = JSON.parse(
            fs.readFileSync(path.join(projectRoot(), "test", "upstream", "secretsmanager", "rotation-application-multi-user.json"), "utf8"),
        );
        expect(APP_ROTATION_APPLICATION).to.deep.equal({
            applicationId: facts.applicationId,
            semanticVersion: facts.semanticVersion,
            lambdaArnOutput: facts.output,
        });
        for (const stack of PRIMARY_STACKS) {
            const run = runs[stack];
            const masterSg = ofType(run, SAR).find((a) => a.inputs.applicationId === ROTATION_APPLICATION.applicationId)!.inputs.parameters as Record<
                string,
                string
            >;
            const apps = ofType(run, SAR).filter((a) => a.inputs.applicationId === facts.applicationId);
            const appSecrets = ofType(run, SECRET).filter((s) => /^bookedbarber\/database\/.*\/app$/.test(String(s.inputs.name)));
            expect(appSecrets, stack).to.have.length(4);
            expect(apps, "one application per shard: its IAM policy reads one master secret").to.have.length(4);
            for (const s of appSecrets) {
                const r = rotationOf(run, s)!;
                expect(r, `${stack} ${s.inputs.name}`).to.not.equal(undefined);
                expect(r.inputs.rotationRules).to.deep.equal({ automaticallyAfterDays: APP_ROTATION_DAYS });
                const app = apps.find((a) =>
                    String(r.inputs.rotationLambdaArn).endsWith(`:function:${(a.inputs.parameters as Record<string, string>).functionName}`),
                )!;
                expect(app, String(r.inputs.rotationLambdaArn)).to.not.equal(undefined);
                expect(app.inputs.semanticVersion).to.equal(facts.semanticVersion);
                const params = app.inputs.parameters as Record<string, string>;
                expect(Object.keys(params).sort()).to.deep.equal([...facts.parameters].sort());
                // The master secret the function logs in with is this shard's, the one the secret's masterarn names.
                const master = ofType(run, SECRET).find((m) => String(m.inputs.name) === String(s.inputs.name).replace(/\/app$/, "/master"))!;
                expect(params.masterSecretArn).to.equal(master.identity!.arn);
                expect(params.masterSecretKmsKeyArn).to.equal(s.inputs.kmsKeyId);
                expect(params.vpcSecurityGroupIds, "the same function security group and data subnets as the master rotation").to.equal(
                    masterSg.vpcSecurityGroupIds,
                );
                expect(params.vpcSubnetIds).to.equal(masterSg.vpcSubnetIds);
                // The first rotation copies the login user's memberships, so the Job that creates the user runs first.
                const deps = r.options.dependencies.map((u) => run.resources.find((x) => x.urn === u)!);
                expect(
                    deps.filter((d) => d?.type === "kubernetes:batch/v1:Job"),
                    s.inputs.name as string,
                ).to.have.length(1);
                // The value holds every field the function reads; the user is the app role's login.
                const value = ofType(run, "aws:secretsmanager/secretVersion:SecretVersion").find(
                    (v) => v.options.dependencies.includes(s.urn) || v.parent === s.urn,
                )!;
                expect(value.options.ignoreChanges).to.include("secretString");
                expect(value.inputs.secretString).to.equal("[secret]");
            }
            // What the function reads from the secret (the value itself is a Pulumi secret in the plan).
            const value = appSecretValue({ writerEndpoint: "w", masterSecretArn: "m", password: "p" });
            expect(Object.keys(value).sort()).to.deep.equal([...facts.secretFields].sort());
            expect(APP_LOGIN_USER).to.equal("bookedbarber_app_user");
        }
    });

    it("after rotation, a later `up` leaves the password alone: the cluster ignores masterPassword and the first secret version ignores its value", () => {
        for (const stack of PRIMARY_STACKS) {
            for (const c of ofType(runs[stack], "aws:rds/cluster:Cluster")) expect(c.options.ignoreChanges, c.name).to.include("masterPassword");
            for (const v of ofType(runs[stack], "aws:secretsmanager/secretVersion:SecretVersion").filter((x) => /-master-value$/.test(x.name)))
                expect(v.options.ignoreChanges, v.name).to.include("secretString");
        }
    });

    it("the rotation function reaches Secrets Manager through an interface endpoint in the data subnets (no route out) and the shards on 5432 only", () => {
        for (const stack of PRIMARY_STACKS) {
            const run = runs[stack];
            const ep = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => e.inputs.serviceName === `com.amazonaws.${stack}.secretsmanager`)!;
            expect(ep, stack).to.not.equal(undefined);
            expect([ep.inputs.vpcEndpointType, ep.inputs.privateDnsEnabled]).to.deep.equal(["Interface", true]);
            const egress = ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => /-rotation-to-/.test(r.name));
            expect(egress.map((r) => [r.inputs.fromPort, r.inputs.toPort]).sort()).to.deep.equal([
                [443, 443],
                [5432, 5432],
            ]);
            for (const r of egress) expect(r.inputs, r.name).to.not.have.property("cidrIpv4");
        }
    });

    it("standbys create no rotation: the password lives in the global cluster and rotates on the primary", () => {
        for (const stack of REGIONAL_STACKS.filter((s) => !PRIMARY_STACKS.includes(s))) expect(ofType(runs[stack], SAR), stack).to.deep.equal([]);
    });

    it("the pack fails a master secret whose rotation is removed (mutation of us-east-1's plan)", async () => {
        const rs = JSON.parse(JSON.stringify(runs["us-east-1"].resources)) as CapturedResource[];
        const victim = rs.findIndex((r) => r.type === ROTATION);
        rs.splice(victim, 1);
        const { violations } = await evaluatePolicies(rs);
        expect(violations.filter((v) => v.policy === "secret-rotation-configured" && v.level === "mandatory")).to.have.length(1);
    });
});
