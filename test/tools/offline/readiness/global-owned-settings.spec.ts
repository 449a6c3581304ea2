import * as aws from "@pulumi/aws";
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { ArgsError } from "../../../../components/args";
import { GLOBAL_OWNED_ARGS, GLOBAL_OWNED_INPUTS, RedisGlobal } from "../../../../components/redis-global";
import { GLOBAL_OWNED_CLUSTER_INPUTS } from "../../../../components/sharded-database/shards";
import { projectRoot } from "../../../../stacks/stack-files";
import { CapturedResource } from "../../../../tools/offline/mock-engine";
import { globalOwnedItems, loadOwnedSettings, mirroredConfigItems, OwnedSettings } from "../../../../tools/offline/readiness/global-owned";
import { PlanFile } from "../../../../tools/offline/plan-file";
import { runStack, RunResult } from "../../../../tools/offline/stack-runner";
import { allStacks, ofType, PRIMARY_STACKS, REGIONAL_STACKS, STANDBY_STACKS } from "../../../support/fixtures";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const GRG = "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup";
const problemsOf = (resources: CapturedResource[], facts: OwnedSettings) => globalOwnedItems(resources, facts).filter((i) => i.problem);
const withOptions = (run: RunResult, type: string, change: (r: CapturedResource) => CapturedResource): CapturedResource[] =>
    run.resources.map((r) => (r.type === type ? change(JSON.parse(JSON.stringify(r)) as CapturedResource) : r));

describe("settings owned by a global group do not look editable (issue 11 §2)", () => {
    let runs: Record<string, RunResult>;
    let facts: OwnedSettings;
    before(async () => {
        runs = await allStacks();
        facts = loadOwnedSettings();
    });

    it("the sourced facts are dated and cite the provider source and AWS", () => {
        expect(facts.retrieved).to.match(/^\d{4}-\d{2}-\d{2}$/);
        for (const s of [...facts.elasticache.sources, ...facts.aurora.sources]) expect(s.url).to.match(/^https:\/\//);
        // What the components hold back is what the sources say the groups own.
        expect([...GLOBAL_OWNED_INPUTS].sort()).to.include.members(facts.elasticache.memberSuppressedInputs);
        expect([...GLOBAL_OWNED_INPUTS].sort()).to.include.members(Object.keys(facts.elasticache.globalGroupInputs));
        expect(facts.elasticache.secondaryRefusedInputs).to.include.members([...GLOBAL_OWNED_ARGS]);
        expect([...GLOBAL_OWNED_CLUSTER_INPUTS]).to.deep.equal(facts.aurora.memberOwnedInputs);
    });

    it("every regional plan: no member of a Global Datastore or an Aurora global database takes an owned setting as editable", () => {
        for (const stack of REGIONAL_STACKS) {
            const items = globalOwnedItems(runs[stack].resources, facts);
            // One item per member: the cache's replication group, every Aurora cluster and every instance.
            const members = 1 + ofType(runs[stack], "aws:rds/cluster:Cluster").length + ofType(runs[stack], "aws:rds/clusterInstance:ClusterInstance").length;
            expect(items.length, stack).to.equal(members);
            expect(
                items.filter((i) => i.problem),
                stack,
            ).to.deep.equal([]);
        }
    });

    it("a primary cache holds engine, version, node type and shards on its global group, and ignores them (and its parameter group) on the member", () => {
        for (const stack of PRIMARY_STACKS) {
            const rg = ofType(runs[stack], RG)[0];
            const global = ofType(runs[stack], GRG)[0];
            expect(rg.options.ignoreChanges).to.have.members([...GLOBAL_OWNED_INPUTS]);
            expect(global.inputs).to.include({
                engine: rg.inputs.engine,
                engineVersion: rg.inputs.engineVersion,
                cacheNodeType: rg.inputs.nodeType,
                numNodeGroups: rg.inputs.numNodeGroups,
            });
        }
        for (const stack of STANDBY_STACKS) {
            const rg = ofType(runs[stack], RG)[0];
            for (const k of facts.elasticache.secondaryRefusedInputs) expect(rg.inputs, `${stack} ${k}`).not.to.have.property(k);
        }
    });

    it("every Aurora member cluster and instance leaves engineVersion to the global cluster, which the primary carries", () => {
        for (const stack of REGIONAL_STACKS) {
            for (const type of ["aws:rds/cluster:Cluster", "aws:rds/clusterInstance:ClusterInstance"]) {
                for (const r of ofType(runs[stack], type)) expect(r.options.ignoreChanges, `${stack} ${r.name}`).to.include("engineVersion");
            }
        }
        for (const stack of PRIMARY_STACKS) {
            for (const g of ofType(runs[stack], "aws:rds/globalCluster:GlobalCluster"))
                expect(g.inputs.engineVersion).to.equal(runs[stack].config["bookedbarber:databaseEngineVersion"] ?? "16.6");
        }
    });

    describe("catches each defect it names (mutation tests)", () => {
        it("a primary cache whose owned inputs are editable again, or whose global group does not carry them", () => {
            const run = runs["us-east-1"];
            const editable = withOptions(run, RG, (r) => ({ ...r, options: { ...r.options, ignoreChanges: [] } }));
            expect(
                problemsOf(editable, facts)
                    .map((p) => p.problem)
                    .join(),
            ).to.match(/engine, engineVersion, parameterGroupName, nodeType, numNodeGroups would look editable/);
            const bare = withOptions(run, GRG, (r) => ({ ...r, inputs: { ...r.inputs, cacheNodeType: undefined, engineVersion: undefined } }));
            expect(
                problemsOf(bare, facts)
                    .map((p) => p.problem)
                    .join(),
            ).to.match(/the global group does not carry engineVersion, cacheNodeType/);
        });

        it("a secondary cache that sets an inherited setting", () => {
            const run = runs["us-west-2"];
            const bad = withOptions(run, RG, (r) => ({ ...r, inputs: { ...r.inputs, nodeType: "cache.r6g.4xlarge" } }));
            expect(problemsOf(bad, facts).map((p) => p.problem)).to.deep.equal([
                "sets nodeType, which a secondary takes from its Global Datastore (AWS refuses or ignores it here)",
            ]);
        });

        it("an Aurora member whose engineVersion is editable again", () => {
            const run = runs["us-west-2"];
            const bad = withOptions(run, "aws:rds/cluster:Cluster", (r) => ({
                ...r,
                options: { ...r.options, ignoreChanges: ["replicationSourceIdentifier"] },
            }));
            expect(problemsOf(bad, facts)).to.have.length(4);
        });
    });

    it("a standby's engine version and cache shard count must equal its zone primary's (read only at creation)", () => {
        const plan = (run: RunResult, over: Record<string, string> = {}) =>
            ({ stack: run.stack, config: { ...run.config, ...over }, resources: run.resources, outputs: run.outputs }) as unknown as PlanFile;
        const all = new Map(REGIONAL_STACKS.map((s) => [s, plan(runs[s])]));
        for (const stack of STANDBY_STACKS) {
            const items = mirroredConfigItems(all.get(stack)!, all);
            expect(items.map((i) => i.subject)).to.deep.equal(["config databaseEngineVersion", "config redisShards"]);
            expect(items.filter((i) => i.problem)).to.deep.equal([]);
        }
        expect(mirroredConfigItems(all.get("us-east-1")!, all)).to.deep.equal([]);
        const drifted = mirroredConfigItems(plan(runs["us-west-2"], { "bookedbarber:databaseEngineVersion": "16.8" }), all).filter((i) => i.problem);
        expect(drifted.map((i) => i.problem)).to.deep.equal([
            "16.8 here but 16.6 on us-east-1: the global group keeps the primary's, so this value would only look editable; set it on us-east-1",
        ]);
    });

    describe("RedisGlobal refuses, on a secondary, a setting the Global Datastore owns", () => {
        for (const [k, v] of [
            ["engineVersion", "8.0"],
            ["nodeType", "cache.r6g.4xlarge"],
            ["engine", "redis"],
        ] as const) {
            it(`${k}: a clear error naming it, before any resource is registered`, async () => {
                const run = await runStack({
                    stack: "us-west-2",
                    program: async () => {
                        new RedisGlobal(
                            "bb-usw2-redis",
                            {
                                zone: "us",
                                membership: { role: "secondary", globalReplicationGroupId: "ldgnf-bb-use1-redis", zone: "us" },
                                vpcId: "vpc-1",
                                subnetIds: ["s-a", "s-b"],
                                clientSecurityGroupIds: ["sg-1"],
                                keyRegions: ["us-east-1", "us-west-2"],
                                cacheKeyArn: "k",
                                logsKeyArn: "k",
                                [k]: v,
                            },
                            { provider: new aws.Provider("p", { region: "us-west-2" }) },
                        );
                        return {};
                    },
                });
                expect(run.error).to.be.instanceOf(ArgsError);
                expect(run.error!.message).to.contain(`${k} = "${v}": is owned by the zone's Global Datastore`);
                expect(run.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))).to.deep.equal([]);
            });
        }
    });

    it("the components' READMEs list what the global group owns", () => {
        const readme = (p: string) => fs.readFileSync(path.join(projectRoot(), p), "utf8");
        const cache = readme("components/redis-global/README.md");
        expect(cache).to.contain("## Settings owned by the global group");
        for (const k of [...GLOBAL_OWNED_INPUTS]) expect(cache, k).to.contain(`\`${k}\``);
        expect(cache).to.contain("global-datastore-");
        const db = readme("components/sharded-database/README.md");
        expect(db).to.contain("## Settings owned by the global group");
        expect(db).to.contain("`engineVersion`");
        expect(db).to.contain("rds.global_db_rpo");
    });
});
