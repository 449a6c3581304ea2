import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { APP_USER_AUTHENTICATION, CONNECT_ACTION, ENGINE_VERSIONS, REDIS_DEFAULTS } from "../../../components/redis-global";
import { ZONE_REGIONS } from "../../../stacks/regions";
import { projectRoot } from "../../../stacks/stack-files";
import { CapturedResource } from "../../../tools/offline/mock-engine";
import { RunResult } from "../../../tools/offline/stack-runner";
import { evaluatePolicies } from "../../../tools/offline/policy-runner";
import { elasticacheUserIamAuth } from "../../../policies/rules/identity/elasticache-user-iam-auth";
import { REPLACE_ON_CHANGE } from "../../../tools/offline/diff/plan-diff";
import { allStacks, ofType, REGIONAL_STACKS } from "../../support/fixtures";

/** AWS's facts on ElastiCache IAM authentication (dated, sourced). */
const FACTS = JSON.parse(fs.readFileSync(path.join(projectRoot(), "test", "upstream", "elasticache", "iam-auth.json"), "utf8"));

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const USER = "aws:elasticache/user:User";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

/** "7.2" >= "7.0": compares dotted versions numerically. */
function atLeast(version: string, minimum: string): boolean {
    const [a, b] = [version, minimum].map((v) => v.split(".").map(Number));
    for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
    return true;
}

/** Turns one of the facts' ARN templates into a pattern for one region and account. */
function arnPattern(template: string, region: string, id: string): RegExp {
    const escaped = template.replace(/[.*+?^()|[\]\\]/g, "\\$&");
    return new RegExp(
        `^${escaped
            .replace("${Partition}", "aws")
            .replace("${Region}", region)
            .replace("${Account}", "\\d{12}")
            .replace(/\$\{[A-Za-z]+\}$/, id)}$`,
    );
}

/**
 * What a stack's cache does that AWS's IAM authentication facts forbid. `primary` is the zone primary's run:
 * a Global Datastore secondary inherits engine, version and TLS from it.
 */
function contradictions(stack: string, run: RunResult, primary: RunResult): string[] {
    const problems: string[] = [];
    const rg = ofType(run, RG)[0];
    const owner = ofType(primary, RG)[0];
    const engine = String(owner.inputs.engine);
    const minimum = FACTS.minimumEngineVersion[engine];
    if (!minimum || !atLeast(String(owner.inputs.engineVersion), minimum))
        problems.push(`${stack}: ${engine} ${owner.inputs.engineVersion} is below IAM authentication's minimum ${minimum}`);
    if (FACTS.requiresInTransitEncryption && !(owner.inputs.transitEncryptionEnabled === true && owner.inputs.transitEncryptionMode === "required"))
        problems.push(`${stack}: in-transit encryption is not required`);
    const users = ofType(run, USER);
    const iamUsers = users.filter((u) => (u.inputs.authenticationMode as { type?: string } | undefined)?.type === FACTS.authenticationType);
    const app = users.filter((u) => u.inputs.userName !== FACTS.defaultUserName);
    if (app.length === 0) problems.push(`${stack}: no application user`);
    for (const u of app) if (!iamUsers.includes(u)) problems.push(`${stack}: user ${u.inputs.userName} does not authenticate with ${FACTS.authenticationType}`);
    for (const u of iamUsers)
        if (FACTS.userNameEqualsUserId && u.inputs.userId !== u.inputs.userName)
            problems.push(`${stack}: IAM user ${u.inputs.userName} has userId ${u.inputs.userId}`);
    for (const u of users.filter((x) => x.inputs.userName === FACTS.defaultUserName))
        if (u.inputs.userId === FACTS.builtInDefaultUserId) problems.push(`${stack}: the stand-in default user takes the built-in user's id`);
    // Every Connect grant names this member's replication group and one of its IAM users, in this region, with conditions IAM evaluates.
    const grants = ofType(run, ROLE_POLICY).filter((p) => String(p.inputs.policy).includes(FACTS.action));
    if (grants.length === 0) problems.push(`${stack}: no role may ${FACTS.action}`);
    for (const g of grants) {
        for (const s of JSON.parse(String(g.inputs.policy)).Statement as { Action: string[]; Resource: string[]; Condition?: Record<string, object> }[]) {
            const resources = [s.Resource].flat();
            if (!resources.some((r) => arnPattern(FACTS.resourceArns.replicationGroup, stack, String(rg.inputs.replicationGroupId)).test(r)))
                problems.push(`${stack}: ${g.name} does not name this member's replication group (${resources.join(", ")})`);
            if (!iamUsers.some((u) => resources.some((r) => arnPattern(FACTS.resourceArns.user, stack, String(u.inputs.userId)).test(r))))
                problems.push(`${stack}: ${g.name} names none of this region's IAM users (${resources.join(", ")})`);
            const keys = Object.values(s.Condition ?? {}).flatMap((c) => Object.keys(c));
            const supported = (k: string) =>
                (FACTS.supportedConditionKeys.replicationGroup as string[]).some((p) => (p.endsWith("${TagKey}") ? k.startsWith(p.split("$")[0]) : k === p));
            for (const k of keys.filter((x) => !supported(x)))
                problems.push(`${stack}: ${g.name} uses condition key ${k}, which IAM authentication ignores for replication groups`);
        }
    }
    return problems;
}

const zonePrimary = (stack: string) => Object.values(ZONE_REGIONS).find((z) => z.primary === stack || z.standby === stack)!.primary;

describe("RedisGlobal against AWS's IAM authentication facts (test/upstream/elasticache/iam-auth.json)", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });

    it("records its sources and date", () => {
        expect(FACTS.retrieved).to.match(/^\d{4}-\d{2}-\d{2}$/);
        expect(FACTS.sources.map((s: { url: string }) => s.url)).to.include("https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html");
    });

    it("offers only engine versions that support IAM authentication, the default among them", () => {
        for (const [engine, versions] of Object.entries(ENGINE_VERSIONS)) {
            const minimum = FACTS.minimumEngineVersion[engine];
            expect(minimum, engine).to.be.a("string");
            for (const v of versions) expect(atLeast(v, minimum), `${engine} ${v}`).to.equal(true);
        }
        expect(atLeast(REDIS_DEFAULTS.engineVersion, FACTS.minimumEngineVersion[REDIS_DEFAULTS.engine])).to.equal(true);
        expect(APP_USER_AUTHENTICATION).to.equal(FACTS.authenticationType);
        expect(FACTS.inputAuthenticationTypes).to.include(APP_USER_AUTHENTICATION);
        expect(CONNECT_ACTION).to.equal(FACTS.action);
    });

    it("every regional stack's cache agrees: version, TLS required, IAM app user with id = name, Connect on its own group and user", () => {
        expect(REGIONAL_STACKS.flatMap((s) => contradictions(s, runs[s], runs[zonePrimary(s)]))).to.deep.equal([]);
    });

    it("publishes auth: iam and TLS to the application, and the user and group it signs for", () => {
        for (const s of REGIONAL_STACKS) {
            const data = ofType(runs[s], "kubernetes:core/v1:ConfigMap").find((c) => (c.inputs.metadata as { name: string }).name === "cache-policy")!.inputs
                .data as Record<string, string>;
            const app = ofType(runs[s], USER).find((u) => u.inputs.userName !== FACTS.defaultUserName)!;
            expect(data, s).to.include({ auth: FACTS.authenticationType, tls: "required", user: app.inputs.userName, region: s });
            expect(data["replication-group-id"], s).to.equal(ofType(runs[s], RG)[0].inputs.replicationGroupId);
            expect(runs[s].outputs.redis, s).to.include({ auth: FACTS.authenticationType, tls: "required", userName: app.inputs.userName });
        }
    });

    it("switches the app user from password to IAM in place: the provider updates authenticationMode, only the id and name force a replacement", () => {
        // The README's "first pulumi up" note rests on this (replace-on-change.json, read from the provider's user.go).
        expect(REPLACE_ON_CHANGE[USER]).to.have.members(["userId", "userName"]);
        for (const s of REGIONAL_STACKS) {
            const app = ofType(runs[s], USER).find((u) => u.inputs.userName !== FACTS.defaultUserName)!;
            expect(app.inputs.userId, s).to.equal(`${ofType(runs[s], RG)[0].inputs.replicationGroupId}-app`);
        }
    });

    describe("fails on each contradiction (mutations of the us-east-1 plan)", () => {
        /** us-east-1's run with one resource's inputs changed. */
        function mutated(
            type: string,
            pick: (r: CapturedResource) => boolean,
            change: (inputs: Record<string, unknown>) => Record<string, unknown>,
        ): RunResult {
            const run = runs["us-east-1"];
            return { ...run, resources: run.resources.map((r) => (r.type === type && pick(r) ? { ...r, inputs: change({ ...r.inputs }) } : r)) };
        }
        const check = (run: RunResult) => contradictions("us-east-1", run, run);
        const appUser = (r: CapturedResource) => r.inputs.userName !== "default";

        it("an engine version below the minimum", () => {
            expect(
                check(
                    mutated(
                        RG,
                        () => true,
                        (i) => ({ ...i, engine: "redis", engineVersion: "6.2" }),
                    ),
                )[0],
            ).to.contain("below IAM authentication's minimum 7.0");
        });
        it("TLS not required", () => {
            expect(
                check(
                    mutated(
                        RG,
                        () => true,
                        (i) => ({ ...i, transitEncryptionMode: "preferred" }),
                    ),
                ),
            ).to.deep.equal(["us-east-1: in-transit encryption is not required"]);
        });
        it("an app user on a password", () => {
            expect(check(mutated(USER, appUser, (i) => ({ ...i, authenticationMode: { type: "password", passwords: ["[secret]"] } }))).join()).to.contain(
                "does not authenticate with iam",
            );
        });
        it("an IAM user whose id is not its name", () => {
            expect(check(mutated(USER, appUser, (i) => ({ ...i, userId: "other-id" }))).join()).to.contain("has userId other-id");
        });
        it("the pack's elasticache-user-iam-auth sees the same plan: clean as built, failing on an old engine or a password app user", async () => {
            const rule = async (run: RunResult) =>
                (await evaluatePolicies(run.resources, { rules: [elasticacheUserIamAuth] })).violations.map((v) => v.message);
            expect(await rule(runs["us-east-1"])).to.deep.equal([]);
            expect(
                (
                    await rule(
                        mutated(
                            RG,
                            () => true,
                            (i) => ({ ...i, engine: "redis", engineVersion: "6.2" }),
                        ),
                    )
                )[0],
            ).to.contain("its IAM users need redis 7.0");
            expect((await rule(mutated(USER, appUser, (i) => ({ ...i, authenticationMode: { type: "password" } }))))[0]).to.contain("not IAM");
        });
        it("a Connect grant on another region's group, or with a condition key IAM authentication ignores", () => {
            const elsewhere = mutated(
                ROLE_POLICY,
                (r) => String(r.inputs.policy).includes("elasticache:Connect"),
                (i) => ({
                    ...i,
                    policy: String(i.policy).replace(/:us-east-1:/g, ":eu-west-1:"),
                }),
            );
            expect(check(elsewhere).join()).to.contain("does not name this member's replication group");
            const vpc = mutated(
                ROLE_POLICY,
                (r) => String(r.inputs.policy).includes("elasticache:Connect"),
                (i) => {
                    const doc = JSON.parse(String(i.policy));
                    doc.Statement[0].Condition = { StringEquals: { "aws:SourceVpc": "vpc-1" } };
                    return { ...i, policy: JSON.stringify(doc) };
                },
            );
            expect(check(vpc).join()).to.contain("uses condition key aws:SourceVpc");
        });
    });
});
