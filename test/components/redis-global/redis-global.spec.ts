import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ArgsError } from "../../../components/args";
import { DEFAULT_NODE_TYPE, RedisGlobal, RedisGlobalArgs, memberClusterIds, windowsOverlap } from "../../../components/redis-global";
import { CapturedResource } from "../../../tools/offline/mock-engine";
import { runStack, RunResult } from "../../../tools/offline/stack-runner";
import { allOutputs, allStacks, oneOfType, PRIMARY_STACKS, STANDBY_STACKS } from "../../support/fixtures";
import { validateManifest } from "../../support/k8s-schema";
import { ConfigError, parseStackConfig } from "../../../stacks/config";
import { readStackConfig } from "../../../stacks/stack-files";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const GRG = "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup";
const CACHE_KEY = "arn:aws:kms:us-east-1:123456789012:key/cache-key";
const LOGS_KEY = "arn:aws:kms:us-east-1:123456789012:key/logs-key";

/** Literal ids stand in for RegionalCluster's network and node security group. */
function baseArgs(over: Partial<RedisGlobalArgs> = {}): RedisGlobalArgs {
    return {
        zone: "us",
        membership: { role: "primary" },
        vpcId: "vpc-0abc",
        subnetIds: ["subnet-data-a", "subnet-data-b", "subnet-data-c"],
        clientSecurityGroupIds: ["sg-eksnodes"],
        keyRegions: ["us-east-1", "us-west-2"],
        cacheKeyArn: CACHE_KEY,
        logsKeyArn: LOGS_KEY,
        ...over,
    };
}

async function build(over: Partial<RedisGlobalArgs> = {}, name = "bb-use1-redis"): Promise<RunResult> {
    return runStack({
        stack: "us-east-1",
        program: async () => {
            const provider = new aws.Provider("aws-test", { region: "us-east-1" });
            const kubernetesProvider = new k8s.Provider("k8s-test", { kubeconfig: "{}" });
            // Stand-ins for the backend's and the worker's Pod Identity roles.
            const clientRoles = ["backend", "worker"].map((n) => ({ name: n, role: new aws.iam.Role(`${n}-role`, { assumeRolePolicy: "{}" }, { provider }) }));
            const redis = new RedisGlobal(name, { kubernetesProvider, clientRoles, ...baseArgs(over) }, { provider });
            return { replicationGroupId: redis.replicationGroupId, globalReplicationGroupId: redis.globalReplicationGroupId };
        },
    });
}

const ofType = (run: RunResult, type: string) => run.resources.filter((r) => r.type === type);
function one(run: RunResult, type: string): CapturedResource {
    const found = ofType(run, type);
    expect(found, type).to.have.length(1);
    return found[0];
}

describe("RedisGlobal", () => {
    describe("primary of the zone's Global Datastore", () => {
        let run: RunResult;
        before(async () => {
            run = await build();
            if (run.error) throw run.error;
        });

        it("is a cluster-mode replication group of 3 shards x 1 replica, encrypted with the cache CMK and TLS-only, Multi-AZ with failover", () => {
            const rg = one(run, RG);
            expect(rg.inputs).to.include({
                replicationGroupId: "bb-use1-redis",
                clusterMode: "enabled",
                numNodeGroups: 3,
                replicasPerNodeGroup: 1,
                nodeType: DEFAULT_NODE_TYPE,
                engine: "valkey",
                engineVersion: "7.2",
                atRestEncryptionEnabled: true,
                kmsKeyId: CACHE_KEY,
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                automaticFailoverEnabled: true,
                multiAzEnabled: true,
                snapshotRetentionLimit: 7,
                finalSnapshotIdentifier: "bb-use1-redis-final",
                port: 6379,
            });
            expect(rg.inputs.globalReplicationGroupId).to.equal(undefined);
            expect(rg.options.protect).to.equal(true);
            const params = one(run, "aws:elasticache/parameterGroup:ParameterGroup");
            expect(params.inputs.family).to.equal("valkey7");
            expect(params.inputs.parameters).to.deep.include({ name: "cluster-enabled", value: "yes" });
            expect(rg.inputs.parameterGroupName).to.equal(params.inputs.name);
        });

        it("creates the Global Datastore from its replication group, protected", () => {
            const grg = one(run, GRG);
            expect(grg.inputs.primaryReplicationGroupId).to.equal(one(run, RG).inputs.replicationGroupId);
            expect(grg.inputs.globalReplicationGroupIdSuffix).to.equal("bb-use1-redis");
            expect(grg.options.protect).to.equal(true);
            expect(run.outputs.globalReplicationGroupId).to.equal("ldgnf-bb-use1-redis");
        });

        it("authenticates with RBAC: a disabled default user with its own id, and an IAM app user (id = name) limited to the zone's franchise keys", () => {
            const users = ofType(run, "aws:elasticache/user:User");
            const def = users.find((u) => u.inputs.userName === "default")!;
            expect(def.inputs.userId).to.equal("bb-use1-redis-default");
            expect(def.inputs.accessString).to.match(/^off\b/);
            expect(def.inputs.authenticationMode).to.deep.equal({ type: "password", passwords: ["[secret]"] });
            const app = users.find((u) => u.inputs.userName !== "default")!;
            expect(app.inputs).to.include({
                userId: "bb-use1-redis-app",
                userName: "bb-use1-redis-app",
                accessString: "on ~us-east-1:* ~us-west-2:* +@all -@dangerous",
            });
            expect(app.inputs.authenticationMode).to.deep.equal({ type: "iam" });
            const group = one(run, "aws:elasticache/userGroup:UserGroup");
            expect(group.inputs.userIds).to.have.members(["bb-use1-redis-default", "bb-use1-redis-app"]);
            expect(one(run, RG).inputs.userGroupIds).to.deep.equal([group.inputs.userGroupId]);
            // Only the disabled default user has a password; the app's credentials are no secret anywhere.
            expect(ofType(run, "random:index/randomPassword:RandomPassword").map((p) => p.name)).to.deep.equal(["bb-use1-redis-default-password"]);
            expect(one(run, "random:index/randomPassword:RandomPassword").inputs.length).to.be.at.least(32);
            expect(ofType(run, "aws:secretsmanager/secret:Secret")).to.deep.equal([]);
            expect(ofType(run, "aws:secretsmanager/secretVersion:SecretVersion")).to.deep.equal([]);
        });

        it("grants each client role elasticache:Connect on this replication group and the app user, nothing else", () => {
            const policies = ofType(run, "aws:iam/rolePolicy:RolePolicy");
            expect(policies.map((p) => p.name)).to.have.members(["bb-use1-redis-backend-connect", "bb-use1-redis-worker-connect"]);
            const rgArn = "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:bb-use1-redis";
            const userArn = "arn:aws:elasticache:us-east-1:123456789012:user:bb-use1-redis-app";
            for (const p of policies) {
                const doc = JSON.parse(String(p.inputs.policy));
                expect(doc.Statement).to.deep.equal([
                    { Sid: "ConnectToTheCacheAsTheAppUser", Effect: "Allow", Action: ["elasticache:Connect"], Resource: [rgArn, userArn] },
                ]);
            }
            expect(run.resources.filter((r) => r.type === "aws:iam/role:Role").map((r) => r.name)).to.have.members(["backend-role", "worker-role"]);
        });

        it("sits in the data subnets behind a security group open only to the client security groups on the cache port, with no egress", () => {
            const subnets = one(run, "aws:elasticache/subnetGroup:SubnetGroup");
            expect(subnets.inputs.subnetIds).to.deep.equal(["subnet-data-a", "subnet-data-b", "subnet-data-c"]);
            expect(one(run, RG).inputs.subnetGroupName).to.equal(subnets.inputs.name);
            const sg = one(run, "aws:ec2/securityGroup:SecurityGroup");
            expect(sg.inputs.vpcId).to.equal("vpc-0abc");
            expect(sg.inputs.ingress).to.have.length(1);
            expect((sg.inputs.ingress as Record<string, unknown>[])[0]).to.deep.include({
                protocol: "tcp",
                fromPort: 6379,
                toPort: 6379,
                securityGroups: ["sg-eksnodes"],
            });
            expect((sg.inputs.ingress as Record<string, unknown>[])[0].cidrBlocks ?? []).to.deep.equal([]);
            expect(sg.inputs.egress).to.deep.equal([]);
            const attached = one(run, RG).inputs.securityGroupIds as string[];
            expect(attached).to.have.length(1);
            expect(attached[0]).to.match(/^sg-/);
        });

        it("delivers slow and engine logs as JSON to KMS-encrypted log groups", () => {
            const groups = ofType(run, "aws:cloudwatch/logGroup:LogGroup");
            expect(groups.map((g) => g.inputs.name)).to.have.members([
                "/bookedbarber/elasticache/bb-use1-redis/slow-log",
                "/bookedbarber/elasticache/bb-use1-redis/engine-log",
            ]);
            for (const g of groups) expect(g.inputs).to.include({ kmsKeyId: LOGS_KEY, retentionInDays: 365 });
            const deliveries = one(run, RG).inputs.logDeliveryConfigurations as Record<string, string>[];
            expect(deliveries.map((d) => [d.logType, d.destination, d.destinationType, d.logFormat])).to.have.deep.members([
                ["slow-log", "/bookedbarber/elasticache/bb-use1-redis/slow-log", "cloudwatch-logs", "json"],
                ["engine-log", "/bookedbarber/elasticache/bb-use1-redis/engine-log", "cloudwatch-logs", "json"],
            ]);
        });

        it("alarms per shard on memory above 80% and on any eviction, over every node of the shard", () => {
            const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
            expect(alarms).to.have.length(6);
            const nodes = memberClusterIds("bb-use1-redis", 3, 2);
            for (let s = 0; s < 3; s++) {
                const shard = String(s + 1).padStart(4, "0");
                const memory = alarms.find((a) => a.name === `bb-use1-redis-shard-${shard}-memory`)!;
                expect(memory.inputs).to.include({ threshold: 80, comparisonOperator: "GreaterThanThreshold" });
                const queries = memory.inputs.metricQueries as {
                    metric?: { metricName: string; dimensions: { CacheClusterId: string } };
                    expression?: string;
                }[];
                expect(queries.filter((q) => q.metric).map((q) => q.metric!.dimensions.CacheClusterId)).to.deep.equal(nodes[s]);
                expect(queries.filter((q) => q.metric).every((q) => q.metric!.metricName === "DatabaseMemoryUsagePercentage")).to.equal(true);
                expect(queries.find((q) => q.expression)!.expression).to.equal("MAX([m0, m1])");
                const evictions = alarms.find((a) => a.name === `bb-use1-redis-shard-${shard}-evictions`)!;
                expect(evictions.inputs).to.include({ threshold: 0, comparisonOperator: "GreaterThanThreshold" });
            }
            const body = JSON.parse(String(one(run, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody));
            const hitRate = body.widgets[0].properties.metrics.at(-1)[0].expression as string;
            expect(hitRate).to.match(/^100 \* SUM\(\[h0, .*h5\]\) \/ \(SUM\(\[h0, .*\]\) \+ SUM\(\[m0, .*m5\]\)\)$/);
        });

        it("publishes the cache policy as a ConfigMap that validates against the Kubernetes schema", async () => {
            const cm = one(run, "kubernetes:core/v1:ConfigMap");
            expect(cm.provider).to.match(/k8s-test$/);
            const data = cm.inputs.data as Record<string, string>;
            expect(data).to.include({
                zone: "us",
                writable: "true",
                tls: "required",
                "key-format": "${region}:${franchiseId}:${key}",
                "key-regions": "us-east-1,us-west-2",
            });
            expect(data["configuration-endpoint"]).to.match(/^clustercfg\.bb-use1-redis\./);
            expect(data).to.include({ auth: "iam", user: "bb-use1-redis-app", "replication-group-id": "bb-use1-redis", region: "us-east-1" });
            expect(Object.keys(data).filter((k) => /secret|pass/.test(k))).to.deep.equal([]);
            expect(JSON.stringify(data)).not.to.contain("offline-");
            const policy = JSON.parse(data["policy.json"]);
            expect(policy.userSessions).to.include({ ttlSeconds: 86400, replication: "zone" });
            await validateManifest("kubernetes-models/v1", "ConfigMap", { apiVersion: "v1", kind: "ConfigMap", metadata: cm.inputs.metadata, data });
            // The validator must be able to fail: ConfigMap values are strings only.
            let refused = false;
            await validateManifest("kubernetes-models/v1", "ConfigMap", {
                apiVersion: "v1",
                kind: "ConfigMap",
                metadata: cm.inputs.metadata,
                data: { port: 6379 },
            }).catch(() => (refused = true));
            expect(refused).to.equal(true);
        });
    });

    describe("secondary in a standby region", () => {
        it("joins its own zone's global group and sets none of the settings it inherits from it", async () => {
            const run = await build(
                { membership: { role: "secondary", globalReplicationGroupId: "ldgnf-bb-use1-redis", zone: pulumi.output("us") } },
                "bb-usw2-redis",
            );
            expect(run.error).to.equal(undefined);
            const rg = one(run, RG);
            expect(rg.inputs.globalReplicationGroupId).to.equal("ldgnf-bb-use1-redis");
            for (const inherited of [
                "numNodeGroups",
                "nodeType",
                "engine",
                "engineVersion",
                "parameterGroupName",
                "atRestEncryptionEnabled",
                "transitEncryptionEnabled",
                "transitEncryptionMode",
                "clusterMode",
            ]) {
                expect(rg.inputs, inherited).not.to.have.property(inherited);
            }
            expect(rg.inputs).to.include({ kmsKeyId: CACHE_KEY, replicasPerNodeGroup: 1, automaticFailoverEnabled: true, multiAzEnabled: true });
            expect(ofType(run, GRG)).to.deep.equal([]);
            expect(ofType(run, "aws:elasticache/parameterGroup:ParameterGroup")).to.deep.equal([]);
            expect((one(run, "kubernetes:core/v1:ConfigMap").inputs.data as Record<string, string>).writable).to.equal("false");
            expect(run.outputs.globalReplicationGroupId).to.equal("ldgnf-bb-use1-redis");
        });

        it("refuses another zone's global group when the zone is known up front, registering nothing", async () => {
            const run = await build({ membership: { role: "secondary", globalReplicationGroupId: "ldgnf-bb-euw1-redis", zone: "eu" } }, "bb-usw2-redis");
            expect(run.error).to.be.instanceOf(ArgsError);
            expect(run.error!.message).to.contain('membership.zone = "eu": this us zone cache may join only the us zone\'s Global Datastore');
            // The test's own stand-in client roles are registered before the component.
            const own = ["pulumi:providers:aws", "pulumi:providers:kubernetes", "aws:iam/role:Role"];
            expect(run.resources.filter((r) => r.custom && !own.includes(r.type))).to.deep.equal([]);
        });

        it("refuses another zone's global group read from outputs, and joins it only with the explicit no-personal-data opt-in", async () => {
            const foreign = { role: "secondary" as const, globalReplicationGroupId: pulumi.output("ldgnf-bb-euw1-redis"), zone: pulumi.output("eu") };
            const refused = await build({ membership: foreign }, "bb-usw2-redis");
            expect(refused.error?.message).to.contain("cacheHoldsNoPersonalData = true");
            expect(ofType(refused, RG).map((r) => r.inputs.globalReplicationGroupId)).to.not.include("ldgnf-bb-euw1-redis");

            const optedIn = await build({ membership: foreign, cacheHoldsNoPersonalData: true }, "bb-usw2-redis");
            expect(optedIn.error).to.equal(undefined);
            expect(one(optedIn, RG).inputs.globalReplicationGroupId).to.equal("ldgnf-bb-euw1-redis");
        });
    });

    describe("bad args", () => {
        async function failure(over: Partial<RedisGlobalArgs>): Promise<Error> {
            const run = await runStack({
                stack: "us-east-1",
                program: async () => {
                    new RedisGlobal("bb-use1-redis", baseArgs(over));
                    return {};
                },
            });
            expect(
                run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack"),
                "nothing may be registered",
            ).to.deep.equal([]);
            expect(run.error).to.be.instanceOf(ArgsError);
            return run.error!;
        }

        it("refuses zero shards", async () => {
            expect((await failure({ shards: 0 })).message).to.contain("shards = 0: must be an integer from 1 to 500");
        });
        it("refuses more than 5 replicas per shard, and none", async () => {
            expect((await failure({ replicasPerShard: 6 })).message).to.contain("replicasPerShard = 6: must be an integer from 1 to 5");
            expect((await failure({ replicasPerShard: 0 })).message).to.contain("replicasPerShard = 0: must be an integer from 1 to 5");
        });
        it("refuses an unknown engine and a version the engine does not have", async () => {
            expect((await failure({ engine: "memcached" })).message).to.contain('engine = "memcached": must be one of valkey, redis');
            expect((await failure({ engine: "redis", engineVersion: "6.2" })).message).to.contain('engineVersion = "6.2": must be one of 7.0, 7.1 for redis');
        });
        it("refuses a client role named twice or with a name that cannot be part of a resource name", async () => {
            const role = { id: pulumi.output("r") } as unknown as aws.iam.Role;
            const twice = await failure({
                clientRoles: [
                    { name: "backend", role },
                    { name: "backend", role },
                ],
            });
            expect(twice.message).to.contain('clientRoles = ["backend","backend"]: must name each workload once');
            expect((await failure({ clientRoles: [{ name: "Back End", role }] })).message).to.contain('clientRoles = ["Back End"]');
        });
        it("refuses transit encryption turned off", async () => {
            expect((await failure({ transitEncryption: false })).message).to.contain("transitEncryption = false: must be true");
        });
        it("refuses a snapshot window that overlaps the maintenance window, or shorter than an hour", async () => {
            expect((await failure({ snapshotWindow: "05:30-06:30" })).message).to.contain(
                'snapshotWindow = "05:30-06:30": must not overlap the maintenance window sun:05:00-sun:06:00',
            );
            expect((await failure({ snapshotWindow: "23:30-00:30", maintenanceWindow: "sat:23:45-sun:01:00" })).message).to.contain("must not overlap");
            expect((await failure({ snapshotWindow: "03:00-03:30" })).message).to.contain(
                'snapshotWindow = "03:00-03:30": must be a UTC window "hh:mm-hh:mm" of at least 60 minutes',
            );
            expect(windowsOverlap("03:00-04:00", "sun:05:00-sun:06:00")).to.equal(false);
        });
        it("refuses node types Global Datastore does not support, and reports every problem at once", async () => {
            const err = await failure({ nodeType: "cache.t3.micro", subnetIds: ["subnet-a"], clientSecurityGroupIds: [] });
            expect(err.message).to.contain('nodeType = "cache.t3.micro": must be a Global Datastore node type');
            expect(err.message).to.contain("subnetIds");
            expect(err.message).to.contain("clientSecurityGroupIds = []: must be a non-empty list");
        });
    });
});

describe("RedisGlobal in the regional stacks", () => {
    const ZONE_PRIMARY: Record<string, string> = { "us-west-2": "us-east-1", "eu-central-1": "eu-west-1", "ap-northeast-1": "ap-southeast-1" };

    for (const stack of PRIMARY_STACKS) {
        it(`${stack}: a 3 x 1 cluster-mode group, CMK and TLS encrypted, Multi-AZ with failover, RBAC, primary of a Global Datastore built from it`, async () => {
            const run = (await allStacks())[stack];
            const rg = oneOfType(run, RG);
            expect(rg.inputs).to.include({
                clusterMode: "enabled",
                numNodeGroups: 3,
                replicasPerNodeGroup: 1,
                atRestEncryptionEnabled: true,
                kmsKeyId: (run.outputs.kmsKeys as Record<string, string>).cache,
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                automaticFailoverEnabled: true,
                multiAzEnabled: true,
                nodeType: DEFAULT_NODE_TYPE,
            });
            expect(String(rg.inputs.kmsKeyId)).to.match(new RegExp(`^arn:aws:kms:${stack}:`));
            expect(rg.inputs.userGroupIds).to.deep.equal([oneOfType(run, "aws:elasticache/userGroup:UserGroup").inputs.userGroupId]);
            expect(rg.options.protect).to.equal(true);
            const grg = oneOfType(run, GRG);
            expect(grg.inputs.primaryReplicationGroupId).to.equal(rg.inputs.replicationGroupId);
            const redis = run.outputs.redis as Record<string, string>;
            expect(redis.replicationGroupId).to.equal(rg.inputs.replicationGroupId);
            expect(redis.globalReplicationGroupId).to.be.a("string").and.not.equal("");
            // Only the cluster's nodes reach the cache.
            const sg = run.resources.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && r.name.endsWith("-redis-sg"))!;
            const clients = (sg.inputs.ingress as { securityGroups: string[] }[])[0].securityGroups;
            const nodeGroupSgs = run.resources
                .filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")
                .flatMap((t) => t.inputs.vpcSecurityGroupIds as string[]);
            expect(nodeGroupSgs.length).to.be.greaterThan(0);
            expect(clients).to.have.length(1);
            for (const nodeSg of nodeGroupSgs) expect(clients).to.deep.equal([nodeSg]);
        });
    }

    for (const stack of STANDBY_STACKS) {
        it(`${stack}: joins its own zone's Global Datastore, read from ${ZONE_PRIMARY[stack]}'s outputs, and creates none`, async () => {
            const runs = await allStacks();
            const run = runs[stack];
            const rg = oneOfType(run, RG);
            const zonePrimary = (runs[ZONE_PRIMARY[stack]].outputs.redis as Record<string, string>).globalReplicationGroupId;
            expect(rg.inputs.globalReplicationGroupId).to.equal(zonePrimary);
            for (const other of PRIMARY_STACKS.filter((p) => p !== ZONE_PRIMARY[stack])) {
                expect(rg.inputs.globalReplicationGroupId).not.to.equal((runs[other].outputs.redis as Record<string, string>).globalReplicationGroupId);
            }
            expect(ofType(run, GRG)).to.deep.equal([]);
            expect(rg.inputs).not.to.have.property("numNodeGroups");
            expect(rg.inputs.kmsKeyId).to.equal((run.outputs.kmsKeys as Record<string, string>).cache);
            expect((run.outputs.redis as Record<string, string>).globalReplicationGroupId).to.equal(zonePrimary);
        });
    }

    it("takes the no-personal-data declaration only from standby stacks, and refuses cache numbers outside the spec's ranges", () => {
        const problems = (raw: Record<string, string>, stack: string): string[] => {
            try {
                parseStackConfig(raw, stack);
            } catch (err) {
                if (err instanceof ConfigError) return [...err.problems];
                throw err;
            }
            return [];
        };
        expect(problems({ ...readStackConfig("eu-west-1"), "bookedbarber:redisCacheHoldsNoPersonalData": "true" }, "eu-west-1")).to.deep.equal([
            "bookedbarber:redisCacheHoldsNoPersonalData does not apply to a primary stack (only standby); remove it",
        ]);
        const bad = problems(
            {
                ...readStackConfig("us-east-1"),
                "bookedbarber:redisShards": "0",
                "bookedbarber:redisReplicasPerShard": "6",
                "bookedbarber:redisEngine": "memcached",
                "bookedbarber:redisNodeType": "cache.t3.micro",
            },
            "us-east-1",
        );
        expect(bad).to.include.members([
            "bookedbarber:redisShards = 0: must be an integer from 1 to 500",
            "bookedbarber:redisReplicasPerShard = 6: must be an integer from 1 to 5",
            'bookedbarber:redisEngine = "memcached": must be one of valkey, redis',
        ]);
        expect(bad.find((p) => p.startsWith('bookedbarber:redisNodeType = "cache.t3.micro"'))).to.be.a("string");
        expect(problems(readStackConfig("us-west-2"), "us-west-2")).to.deep.equal([]);
    });

    it("refuses a standby whose primary is in another zone, unless the stack declares the cache free of personal data", async () => {
        const outputs = await allOutputs();
        // us-west-2's primaryStack (us-east-1) answers with eu-west-1's outputs: another zone's datastore.
        // The database shards stay the us primary's: ShardedDatabase refuses another zone's shards outright (its own spec), and this test is about the cache.
        const swapped = { ...outputs, "us-east-1": { ...outputs["eu-west-1"], shards: outputs["us-east-1"].shards } };
        const refused = await runStack({ stack: "us-west-2", stackReferences: swapped });
        expect(refused.error?.message).to.contain('membership.zone = "eu": this us zone cache may join only the us zone\'s Global Datastore');
        expect(ofType(refused, RG)).to.deep.equal([]);

        const optedIn = await runStack({
            stack: "us-west-2",
            stackReferences: swapped,
            configOverrides: { "bookedbarber:redisCacheHoldsNoPersonalData": "true" },
        });
        expect(optedIn.error).to.equal(undefined);
        expect(oneOfType(optedIn, RG).inputs.globalReplicationGroupId).to.equal(
            (outputs["eu-west-1"].redis as Record<string, string>).globalReplicationGroupId,
        );
    });
});
