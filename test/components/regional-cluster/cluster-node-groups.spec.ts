import { expect } from "chai";
import { ArgsError } from "../../../components/args";
import { RegionalCluster } from "../../../components/regional-cluster";
import { amiTypeFor, DEFAULT_NODE_GROUPS, INSTANCE_FAMILIES, nodeGroupProblems } from "../../../components/regional-cluster/node-groups";
import { runStack } from "../../../tools/offline/stack-runner";
import { allStacks, ofType, PRIMARY_STACKS, STANDBY_STACKS, TEST_CLUSTER_NETWORK } from "../../support/fixtures";

const NG = "aws:eks/nodeGroup:NodeGroup";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
/** The defaults the capacity model sized (docs/capacity-and-recovery.md), written out so a change to them is a visible test change. */
const DEFAULTS = {
    general: [["m7g.2xlarge"], 3, 30, "ON_DEMAND"],
    compute: [["c7g.4xlarge"], 3, 40, "ON_DEMAND"],
    memory: [["r7g.2xlarge", "r8g.2xlarge"], 0, 10, "SPOT"],
} as const;

function group(run: Awaited<ReturnType<typeof allStacks>>[string], g: string) {
    const found = ofType(run, NG).filter((r) => (r.inputs.labels as Record<string, string>)["bookedbarber.com/node-group"] === g);
    expect(found, g).to.have.length(1);
    return found[0];
}

describe("RegionalCluster node groups", () => {
    for (const stack of PRIMARY_STACKS) {
        it(`${stack}: the spec's three groups at the modelled sizes (Graviton; memory on spot), across every private subnet`, async () => {
            const run = (await allStacks())[stack];
            expect(ofType(run, NG)).to.have.length(3);
            for (const [g, [types, min, max, capacity]] of Object.entries(DEFAULTS)) {
                const ng = group(run, g);
                expect(ng.inputs.instanceTypes, g).to.deep.equal(types);
                expect(DEFAULT_NODE_GROUPS[g as keyof typeof DEFAULTS].instanceTypes, g).to.deep.equal(types);
                expect(ng.inputs.scalingConfig, g).to.deep.equal({ minSize: min, maxSize: max, desiredSize: min });
                expect(ng.inputs.subnetIds, g).to.deep.equal(run.outputs.privateSubnetIds);
                expect(ng.inputs).to.include({
                    capacityType: capacity,
                    clusterName: run.outputs.clusterName,
                    amiType: "AL2023_ARM_64_STANDARD",
                    version: "1.35",
                });
                expect(ng.options.ignoreChanges, g).to.include("scalingConfig.desiredSize");
            }
        });
    }

    for (const stack of STANDBY_STACKS) {
        it(`${stack}: the same groups; compute warm at the configured standby size, the others at their minimum`, async () => {
            const run = (await allStacks())[stack];
            const warm = Number(run.config["bookedbarber:standbyNodeGroupMinSize"]);
            expect(warm, "each standby file sets its warm size").to.be.greaterThan(3);
            for (const [g, [types, min, max]] of Object.entries(DEFAULTS)) {
                const ng = group(run, g);
                expect(ng.inputs.instanceTypes).to.deep.equal(types);
                const expected = g === "compute" ? warm : min;
                expect(ng.inputs.scalingConfig, g).to.deep.equal({ minSize: expected, maxSize: max, desiredSize: expected });
            }
        });
    }

    it("gives each group its own labels and taints: general untainted, compute and memory tainted", async () => {
        const run = (await allStacks())["eu-west-1"];
        expect(group(run, "general").inputs.taints ?? []).to.deep.equal([]);
        const compute = group(run, "compute");
        expect(compute.inputs.labels).to.include({ "bookedbarber.com/workload-class": "compute", "bookedbarber.com/capacity": "on-demand" });
        expect(compute.inputs.taints).to.deep.equal([{ key: "bookedbarber.com/workload-class", value: "compute", effect: "NO_SCHEDULE" }]);
        const memory = group(run, "memory");
        expect(memory.inputs.labels).to.include({ "bookedbarber.com/workload-class": "memory", "bookedbarber.com/capacity": "spot" });
        expect(memory.inputs.taints).to.deep.equal([
            { key: "bookedbarber.com/workload-class", value: "memory", effect: "NO_SCHEDULE" },
            { key: "bookedbarber.com/capacity", value: "spot", effect: "NO_SCHEDULE" },
        ]);
    });

    it("launches from templates with CMK-encrypted EBS and IMDSv2 required at hop limit 1, in the node security group", async () => {
        const run = (await allStacks())["ap-southeast-1"];
        const eksKey = (run.outputs.kmsKeys as Record<string, string>).eks;
        const templates = ofType(run, LT);
        expect(templates).to.have.length(3);
        for (const lt of templates) {
            const ebs = (lt.inputs.blockDeviceMappings as { ebs: Record<string, unknown> }[])[0].ebs;
            expect(ebs).to.include({ encrypted: "true", kmsKeyId: eksKey, volumeType: "gp3" });
            expect(lt.inputs.metadataOptions).to.include({ httpTokens: "required", httpPutResponseHopLimit: 1, httpEndpoint: "enabled" });
            // Launched instances, volumes and ENIs carry the design's tags (cost-center, owner, ...).
            const specs = lt.inputs.tagSpecifications as { resourceType: string; tags: Record<string, string> }[];
            expect(specs.map((t) => t.resourceType)).to.have.members(["instance", "volume", "network-interface"]);
            for (const t of specs) expect(t.tags).to.include({ app: "bookedbarber", region: "ap-southeast-1", "cost-center": "infrastructure" });
            // The offline engine gives eks.Cluster's node security group ids ending in "n" and the cluster's in "c".
            expect(lt.inputs.vpcSecurityGroupIds).to.have.length(1);
            expect(String((lt.inputs.vpcSecurityGroupIds as string[])[0])).to.match(/^sg-[0-9a-f]+n$/);
        }
        for (const ng of ofType(run, NG)) {
            const id = (ng.inputs.launchTemplate as { id: string }).id;
            expect(
                templates.some((t) => id.startsWith("lt-") && t.name === `${ng.name}-lt`),
                ng.name,
            ).to.equal(true);
        }
    });

    it("gives nodes only the AWS node policies, no inline admin", async () => {
        const run = (await allStacks())["us-east-1"];
        const role = ofType(run, "aws:iam/role:Role").find((r) => r.name.endsWith("-node-role"))!;
        expect(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Principal).to.deep.equal({ Service: "ec2.amazonaws.com" });
        const attached = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
            .filter((a) => a.parent === role.urn)
            .map((a) => a.inputs.policyArn);
        expect(attached).to.have.members([
            "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
            "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
            "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
        ]);
    });

    it("runs a group on spot when configured, with diversified types and a spot taint", async () => {
        const run = await runStack({
            stack: "us-east-1",
            configOverrides: {
                "bookedbarber:nodeGroups": JSON.stringify({ compute: { capacityType: "SPOT", instanceTypes: ["c6i.4xlarge", "c6a.4xlarge", "c7i.4xlarge"] } }),
            },
        });
        expect(run.error).to.equal(undefined);
        const compute = group(run, "compute");
        expect(compute.inputs).to.include({ capacityType: "SPOT" });
        expect(compute.inputs.instanceTypes).to.deep.equal(["c6i.4xlarge", "c6a.4xlarge", "c7i.4xlarge"]);
        expect(compute.inputs.taints).to.deep.include({ key: "bookedbarber.com/capacity", value: "spot", effect: "NO_SCHEDULE" });
        // Untouched fields keep the defaults; x86_64 types get the x86_64 AMI.
        expect(compute.inputs.scalingConfig).to.deep.equal({ minSize: 3, maxSize: 40, desiredSize: 3 });
        expect(compute.inputs.amiType).to.equal("AL2023_x86_64_STANDARD");
        expect(group(run, "general").inputs.capacityType).to.equal("ON_DEMAND");
    });

    it("refuses a standby warm size above the compute group's maximum before registering anything", async () => {
        const run = await runStack({ stack: "eu-central-1", configOverrides: { "bookedbarber:standbyNodeGroupMinSize": "41" } });
        expect(run.error?.message).to.contain("bookedbarber:standbyNodeGroupMinSize = 41: must not exceed the compute group's maxSize (40)");
        expect(run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
    });

    it("refuses bad node-group config naming the key and field", async () => {
        const run = await runStack({
            stack: "us-east-1",
            configOverrides: { "bookedbarber:nodeGroups": JSON.stringify({ memory: { minSize: 60, maxSize: 50 }, gpu: { minSize: 1 } }) },
        });
        expect(run.error?.message).to.contain("bookedbarber:nodeGroups.memory.minSize must not exceed maxSize (50)");
        expect(run.error?.message).to.contain("bookedbarber:nodeGroups.gpu is not a node group");
        expect(run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
    });

    describe("bad component args", () => {
        const good = {
            network: TEST_CLUSTER_NETWORK,
            logsKeyArn: "arn:logs",
            eksKeyArn: "arn:eks",
            backendImage:
                "111122223333.dkr.ecr.us-east-1.amazonaws.com/bookedbarber/backend@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            ingressCertificate: { hostnames: ["us-east-1.api.bookedbarber.com"], hostedZoneId: "Z1" },
        };
        async function failure(program: () => void): Promise<Error> {
            const run = await runStack({ stack: "us-east-1", program: async () => (program(), {}) });
            expect(
                run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack"),
                "nothing may be registered",
            ).to.deep.equal([]);
            expect(run.error).to.be.instanceOf(ArgsError);
            return run.error!;
        }

        it("refuses min > max and an unknown instance family, naming the fields", async () => {
            const err = await failure(
                () =>
                    new RegionalCluster("c", { ...good, nodeGroups: { general: { minSize: 300, maxSize: 200 }, compute: { instanceTypes: ["p5.48xlarge"] } } }),
            );
            expect(err.message).to.contain("nodeGroups.general.minSize = 300: must not exceed maxSize (200)");
            expect(err.message).to.contain('nodeGroups.compute.instanceTypes = "p5.48xlarge": must be <family>.<size> with a family of');
        });

        it("refuses an instance family whose Nitro hardware does not encrypt in transit (r6g), naming the key, the value and the families allowed", async () => {
            const err = await failure(() => new RegionalCluster("c", { ...good, nodeGroups: { memory: { instanceTypes: ["r7g.2xlarge", "r6g.2xlarge"] } } }));
            expect(err.message).to.contain(
                'nodeGroups.memory.instanceTypes = "r6g.2xlarge": family r6g does not encrypt traffic between instances in transit (AWS Nitro, docs/encryption-in-transit.md); must be <family>.<size> with a family of m6i,',
            );
            expect(err.message).to.contain("r8g");
            expect(nodeGroupProblems({ general: { instanceTypes: ["m5.2xlarge"] } }, "")[0]).to.deep.equal([
                ".general.instanceTypes",
                "m5.2xlarge",
                `family m5 does not encrypt traffic between instances in transit (AWS Nitro, docs/encryption-in-transit.md); must be <family>.<size> with a family of ${INSTANCE_FAMILIES.join(", ")}`,
            ]);
            expect(nodeGroupProblems({ memory: { instanceTypes: ["r7gd.2xlarge", "r8g.2xlarge"] } })).to.deep.equal([]);
        });

        it("refuses node group maximums that add up past the autoscaler's cap", async () => {
            const err = await failure(() => new RegionalCluster("c", { ...good, nodeGroups: { general: { maxSize: 400 } } }));
            expect(err.message).to.contain("node group maximums add up to 450; must not exceed maxNodes (80)");
        });

        it("refuses a group that mixes Graviton and x86_64 types (one AMI type per group)", async () => {
            const err = await failure(() => new RegionalCluster("c", { ...good, nodeGroups: { compute: { instanceTypes: ["c7g.4xlarge", "c7i.4xlarge"] } } }));
            expect(err.message).to.contain("nodeGroups.compute.instanceTypes");
            expect(err.message).to.contain("must not mix Graviton (arm64) and x86_64 types in one group");
            expect(amiTypeFor(["c7g.4xlarge", "c6g.4xlarge"])).to.equal("AL2023_ARM_64_STANDARD");
            expect(amiTypeFor(["c7i.4xlarge"])).to.equal("AL2023_x86_64_STANDARD");
        });
    });
});
