import { expect } from "chai";
import { secretsReplicaAlias } from "../../../components/sharded-database/secret-replicas";
import { ZONE_REGIONS } from "../../../stacks/regions";
import { CapturedResource } from "../../../tools/offline/mock-engine";
import { evaluatePolicies } from "../../../tools/offline/policy-runner";
import { RunResult } from "../../../tools/offline/stack-runner";
import { allStacks, ofType, PRIMARY_STACKS, STANDBY_STACKS } from "../../support/fixtures";

const SECRET = "aws:secretsmanager/secret:Secret";
const KEY = "aws:kms/key:Key";
const zoneOf = (region: string) => Object.entries(ZONE_REGIONS).find(([, r]) => r.primary === region || r.standby === region)!;
const dbSecrets = (run: RunResult) => ofType(run, SECRET).filter((s) => String(s.inputs.name).startsWith("bookedbarber/database/"));
const providerRegion = (run: RunResult, r: CapturedResource) => run.resources.find((p) => p.urn === r.provider)?.inputs.region;

/** Issue 15: each secret a standby needs is replicated to that standby's region, and only there. */
describe("secrets lifecycle: standby replicas (issue 15)", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });

    it("each zone primary replicates every database secret (master and app, per shard) to its standby region only, on a CMK the primary creates there", () => {
        for (const stack of PRIMARY_STACKS) {
            const run = runs[stack];
            const [zone, { standby }] = zoneOf(stack);
            const replicaKeys = ofType(run, KEY).filter((k) => providerRegion(run, k) === standby);
            expect(replicaKeys, `${stack}: one key in ${standby}`).to.have.length(1);
            const key = replicaKeys[0];
            expect(key.inputs).to.include({ enableKeyRotation: true, deletionWindowInDays: 30 });
            expect(key.options.protect).to.equal(true);
            const policy = JSON.parse(String(key.inputs.policy));
            expect(policy.Statement[1].Condition.StringEquals["kms:ViaService"]).to.include(`secretsmanager.${standby}.amazonaws.com`);
            const alias = ofType(run, "aws:kms/alias:Alias").find((a) => a.inputs.name === secretsReplicaAlias(zone))!;
            expect(providerRegion(run, alias)).to.equal(standby);
            const secrets = dbSecrets(run);
            expect(secrets.map((s) => String(s.inputs.name).split("/").pop()).sort()).to.deep.equal([...Array(4).fill("app"), ...Array(4).fill("master")]);
            for (const s of secrets) expect(s.inputs.replicas, String(s.inputs.name)).to.deep.equal([{ region: standby, kmsKeyId: key.identity!.arn }]);
            // The app secret hierarchy (components/app-secrets) goes to the same region on the same key; nothing else replicates.
            const appSecrets = ofType(run, SECRET).filter((s) => String(s.inputs.name).startsWith(`bookedbarber/${zone}/app/`));
            expect(appSecrets, `${stack}: the app secret hierarchy`).to.have.length(4);
            for (const s of appSecrets) expect(s.inputs.replicas, String(s.inputs.name)).to.deep.equal([{ region: standby, kmsKeyId: key.identity!.arn }]);
            for (const s of ofType(run, SECRET).filter((x) => !secrets.includes(x) && !appSecrets.includes(x)))
                expect(s.inputs.replicas ?? [], String(s.inputs.name)).to.deep.equal([]);
        }
    });

    it("a standby's PgBouncer reads the replicas in its own region, decrypting through the zone's replica key by alias, never the primary region", () => {
        for (const stack of STANDBY_STACKS) {
            const run = runs[stack];
            const [zone, { primary }] = zoneOf(stack);
            // PgBouncer's and the migrations' (Grafana's admin login, in monitoring, is the region's own secret).
            const spcs = ofType(run, "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass").filter(
                (x) => (x.inputs.metadata as any).namespace === "database",
            );
            expect(spcs).to.have.length(4);
            const replicated = dbSecrets(runs[primary])
                .filter((s) => String(s.inputs.name).endsWith("/app"))
                .map((s) => String(s.inputs.name));
            for (const spc of spcs) {
                const params = (spc.inputs.spec as any).parameters;
                expect(params.region, "its own region").to.equal(stack);
                const name = /objectName: "([^"]+)"/.exec(params.objects)![1];
                expect(replicated, "a secret the primary replicates here").to.include(name);
            }
            const policy = JSON.parse(String(ofType(run, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name.endsWith("-db-pgbouncer-policy"))!.inputs.policy));
            for (const r of policy.Statement[0].Resource)
                expect(r).to.match(new RegExp(`^arn:aws:secretsmanager:${stack}:\\d+:secret:bookedbarber/database/[\\w-]+/app-\\?{6}$`));
            expect(policy.Statement[1].Resource).to.match(new RegExp(`^arn:aws:kms:${stack}:\\d+:key/\\*$`));
            expect(policy.Statement[1].Condition).to.deep.equal({
                StringEquals: { "kms:ViaService": `secretsmanager.${stack}.amazonaws.com` },
                "ForAnyValue:StringEquals": { "kms:ResourceAliases": secretsReplicaAlias(zone) },
            });
            expect(JSON.stringify(policy), "nothing in the primary region").to.not.contain(primary);
        }
    });

    it("the pack fails a real plan whose secret replica leaves the zone, and one whose replica falls back to the AWS-managed key (mutations of eu-west-1's plan)", async () => {
        const mutate = async (change: (replica: Record<string, unknown>) => void) => {
            const rs = JSON.parse(JSON.stringify(runs["eu-west-1"].resources)) as CapturedResource[];
            const victim = rs.find((r) => r.type === SECRET && /^bookedbarber\/database\/.*\/app$/.test(String(r.inputs.name)))!;
            change((victim.inputs.replicas as Record<string, unknown>[])[0]);
            const { violations } = await evaluatePolicies(rs);
            return violations.filter((v) => v.policy === "secret-replica-in-zone" && v.level === "mandatory");
        };
        expect(await mutate(() => undefined), "the plan as built passes").to.have.length(0);
        expect(
            await mutate((r) => {
                r.region = "us-east-1";
            }),
        ).to.have.length(1);
        expect(
            await mutate((r) => {
                delete r.kmsKeyId;
            }),
        ).to.have.length(1);
    });
});
