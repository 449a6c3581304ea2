import { expect } from "chai";
import { ArgsError } from "../../../components/args";
import { RegionalCluster } from "../../../components/regional-cluster";
import { REGIONAL_OUTPUT_NAMES } from "../../../stacks/contract";
import { runStack } from "../../../tools/offline/stack-runner";
import { allOutputs, allStacks, oneOfType, REGIONAL_STACKS, TEST_CLUSTER_NETWORK } from "../../support/fixtures";

const CLUSTER = "bookedbarber:cluster:RegionalCluster";
const EKS = "eks:index:Cluster";

describe("RegionalCluster core", () => {
    for (const stack of REGIONAL_STACKS) {
        describe(stack, () => {
            it("runs EKS in the private subnets, its API public only to the bootstrap runner's egress addresses, with access entries, the eks CMK and every log type", async () => {
                const runs = await allStacks();
                const run = runs[stack];
                const eks = oneOfType(run, EKS);
                const kmsKeys = run.outputs.kmsKeys as Record<string, string>;
                expect(eks.inputs.encryptionConfigKeyArn)
                    .to.equal(kmsKeys.eks)
                    .and.to.match(/^arn:aws:kms:/);
                expect(eks.inputs).to.include({
                    endpointPublicAccess: true,
                    endpointPrivateAccess: true,
                    authenticationMode: "API",
                    skipDefaultNodeGroup: true,
                    nodeAssociatePublicIpAddress: false,
                    version: "1.35",
                    name: run.outputs.clusterName,
                    vpcId: run.outputs.vpcId,
                    deletionProtection: true,
                });
                // The path CI takes to the API from the first `up` on (docs/decisions/eks-api-access.md): exactly the runner's NAT addresses.
                const egress = (runs.bootstrap.outputs.runner as { egressCidrs: string[] }).egressCidrs;
                expect(egress).to.have.length(3);
                expect(eks.inputs.publicAccessCidrs).to.deep.equal(egress);
                for (const c of eks.inputs.publicAccessCidrs as string[]) expect(c).to.match(/^\d+\.\d+\.\d+\.\d+\/32$/);
                expect(eks.inputs.enabledClusterLogTypes).to.have.members(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
                expect(eks.inputs.privateSubnetIds).to.deep.equal(run.outputs.privateSubnetIds);
                expect(eks.inputs.publicSubnetIds).to.equal(undefined);
            });

            it("sends control-plane logs to a CMK-encrypted log group kept a year, created before the cluster", async () => {
                const run = (await allStacks())[stack];
                const eks = oneOfType(run, EKS);
                const group = run.resources.find(
                    (r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && r.inputs.name === `/aws/eks/${run.outputs.clusterName}/cluster`,
                )!;
                expect(group, "control-plane log group").to.not.equal(undefined);
                expect(group.inputs).to.include({ kmsKeyId: (run.outputs.kmsKeys as Record<string, string>).logs, retentionInDays: 365 });
                expect(eks.options.dependencies).to.include(group.urn);
            });

            it("runs in the stack's Network (not its own) and owns the Kubernetes provider, built from the cluster's kubeconfig", async () => {
                const run = (await allStacks())[stack];
                const component = oneOfType(run, CLUSTER);
                for (const type of [EKS, "pulumi:providers:kubernetes"]) {
                    expect(oneOfType(run, type).parent, type).to.equal(component.urn);
                }
                const network = oneOfType(run, "bookedbarber:network:Network");
                expect(network.parent, "the Network is a top-level component of the stack").to.equal(oneOfType(run, "pulumi:pulumi:Stack").urn);
                expect(oneOfType(run, EKS).inputs.vpcId).to.equal(oneOfType(run, "aws:ec2/vpc:Vpc").identity?.id);
                expect(oneOfType(run, "pulumi:providers:kubernetes").inputs.kubeconfig).to.equal("[secret]");
                // Subnet discovery tags name the cluster the component creates.
                const vpcSubnets = run.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet" && (r.inputs.tags as Record<string, string>).tier !== "data");
                for (const s of vpcSubnets) expect(s.inputs.tags).to.have.property(`kubernetes.io/cluster/${run.outputs.clusterName}`, "shared");
            });

            it("exports clusterName, a secret kubeconfig and the OIDC provider ARN", async () => {
                const run = (await allStacks())[stack];
                expect(REGIONAL_OUTPUT_NAMES).to.include.members(["clusterName", "kubeconfig", "oidcProviderArn"]);
                expect(run.outputs.clusterName).to.match(/^bb-[a-z]+\d-eks$/);
                expect(run.outputs.kubeconfig).to.equal("[secret]");
                expect(JSON.parse(String(run.rawOutputs.kubeconfig)).clusters[0].name).to.equal(run.outputs.clusterName);
                expect(run.outputs.oidcProviderArn).to.match(new RegExp(`^arn:aws:iam::\\d{12}:oidc-provider/oidc\\.eks\\.${stack}\\.`));
            });
        });
    }

    it("adds the configured single addresses to the runner's, and refuses a range", async () => {
        const runner = ((await allStacks()).bootstrap.outputs.runner as { egressCidrs: string[] }).egressCidrs;
        const run = await runStack({ stack: "eu-west-1", configOverrides: { "bookedbarber:clusterPublicAccessCidrs": JSON.stringify(["198.51.100.7/32"]) } });
        expect(run.error).to.equal(undefined);
        const eks = oneOfType(run, EKS);
        expect(eks.inputs).to.include({ endpointPublicAccess: true, endpointPrivateAccess: true });
        expect(eks.inputs.publicAccessCidrs).to.deep.equal([...runner, "198.51.100.7/32"]);
        const wide = await runStack({ stack: "eu-west-1", configOverrides: { "bookedbarber:clusterPublicAccessCidrs": JSON.stringify(["198.51.100.0/24"]) } });
        expect(wide.error?.message).to.contain(
            'bookedbarber:clusterPublicAccessCidrs = ["198.51.100.0/24"]: contains "198.51.100.0/24"; each entry must be a single address (/32)',
        );
    });

    it("fails naming the bootstrap stack and output when the runner's egress is missing, before building anything", async () => {
        const outputs = await allOutputs();
        const broken = { ...outputs, bootstrap: { ...outputs.bootstrap, runner: { projectName: "x", label: "x", egressCidrs: [] } } };
        const run = await runStack({ stack: "eu-west-1", stackReferences: broken });
        expect(run.error?.message).to.contain("stack 'bootstrap' output 'runner.egressCidrs' must be a non-empty list of /32 CIDRs");
        expect(run.resources.filter((r) => r.custom && r.type.startsWith("aws:"))).to.deep.equal([]);
    });

    it("refuses a world-open allowlist and an unsupported version in stack config, naming the keys", async () => {
        const run = await runStack({
            stack: "eu-west-1",
            configOverrides: { "bookedbarber:clusterPublicAccessCidrs": JSON.stringify(["0.0.0.0/0"]), "bookedbarber:kubernetesVersion": "1.27" },
        });
        expect(run.error?.message).to.contain("bookedbarber:clusterPublicAccessCidrs").and.to.contain("0.0.0.0/0");
        expect(run.error?.message).to.contain('bookedbarber:kubernetesVersion = "1.27": must be one of 1.34, 1.35');
        expect(run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
    });

    describe("bad component args", () => {
        async function failure(program: () => void): Promise<Error> {
            const run = await runStack({ stack: "us-east-1", program: async () => (program(), {}) });
            expect(
                run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack"),
                "nothing may be registered",
            ).to.deep.equal([]);
            expect(run.error).to.be.instanceOf(ArgsError);
            return run.error!;
        }
        const good = {
            network: TEST_CLUSTER_NETWORK,
            logsKeyArn: "arn:logs",
            eksKeyArn: "arn:eks",
            backendImage:
                "111122223333.dkr.ecr.us-east-1.amazonaws.com/bookedbarber/backend@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            ingressCertificate: { hostnames: ["us-east-1.api.bookedbarber.com"], hostedZoneId: "Z1" },
        };

        it("refuses a network of fewer than 3 AZs' subnets, naming the network fields", async () => {
            const two = {
                ...TEST_CLUSTER_NETWORK,
                azs: ["us-east-1a", "us-east-1b"],
                privateSubnetIds: ["subnet-a", "subnet-b"],
                publicSubnetIds: ["subnet-c", "subnet-d"],
            };
            const err = await failure(() => new RegionalCluster("c", { ...good, network: two }));
            expect(err.message).to.contain("RegionalCluster 'c'");
            expect(err.message).to.contain('network.azs = ["us-east-1a","us-east-1b"]: must list at least 3 distinct availability zones');
            expect(err.message).to.contain('network.privateSubnetIds = "2 subnets": must give one subnet per AZ, at least 3');
            expect(err.message).to.contain('network.publicSubnetIds = "2 subnets": must give one subnet per AZ, at least 3');
        });

        it("refuses subnets that do not match the AZs one to one, a missing VPC ID and a bad VPC CIDR", async () => {
            const err = await failure(
                () =>
                    new RegionalCluster("c", { ...good, network: { ...TEST_CLUSTER_NETWORK, vpcId: "", vpcCidr: "10.0.0/16", publicSubnetIds: ["subnet-a"] } }),
            );
            expect(err.message).to.contain(
                'network.publicSubnetIds = "1 subnet": must give one subnet per AZ, at least 3, in the order of network.azs (3: us-east-1a, us-east-1b, us-east-1c)',
            );
            expect(err.message).to.contain('network.vpcId = "": must be the ID of the VPC');
            expect(err.message).to.contain('network.vpcCidr = "10.0.0/16"');
            expect(err.message).not.to.contain("network.privateSubnetIds");
        });

        it("refuses a cluster given no network at all", async () => {
            const withoutNetwork: Partial<typeof good> = { ...good };
            delete withoutNetwork.network;
            const err = await failure(() => new RegionalCluster("c", withoutNetwork as typeof good));
            expect(err.message).to.contain("network = undefined: must give the VPC the cluster runs in");
        });

        it("refuses a Kubernetes version below the spec's 1.28 and a world-open public allowlist", async () => {
            const err = await failure(() => new RegionalCluster("c", { ...good, kubernetesVersion: "1.27", publicAccessCidrs: ["0.0.0.0/0"] }));
            expect(err.message).to.contain('kubernetesVersion = "1.27"');
            expect(err.message).to.contain('publicAccessCidrs = ["0.0.0.0/0"]');
        });
    });
});
