import { ZONE_REGIONS } from "../../stacks/regions";
import { expect } from "chai";
import { ArgsError } from "../../components/args";
import { planSubnets } from "../../components/cidr";
import { cidrsOverlap } from "../../stacks/config";
import { REGIONAL_OUTPUT_NAMES } from "../../stacks/contract";
import { runStack } from "../../tools/offline/stack-runner";
import { allStacks, oneOfType, ofType, REGIONAL_STACKS } from "../support/fixtures";
import * as pulumi from "@pulumi/pulumi";
import { Network } from "../../components/network";
import { RegionalKeys } from "../../components/kms-keys";

const TAG_KEYS = ["app", "environment", "zone", "region", "owner", "cost-center", "data-classification", "compliance-scope"];

describe("network baseline and keys", () => {
    for (const stack of REGIONAL_STACKS) {
        describe(stack, () => {
            it("has a VPC with 3 public, 3 application and 3 data subnets in 3 distinct AZs", async () => {
                const run = (await allStacks())[stack];
                const vpc = oneOfType(run, "aws:ec2/vpc:Vpc");
                expect(vpc.inputs).to.include({ cidrBlock: run.config["bookedbarber:vpcCidr"], enableDnsHostnames: true, enableDnsSupport: true });
                const subnets = ofType(run, "aws:ec2/subnet:Subnet");
                const tier = (t: string) => subnets.filter((s) => (s.inputs.tags as Record<string, string>).tier === t);
                for (const t of ["public", "app", "data"]) {
                    const ofTier = tier(t);
                    expect(ofTier, t).to.have.length(3);
                    expect(new Set(ofTier.map((s) => s.inputs.availabilityZone)).size, `${t} AZs`).to.equal(3);
                    for (const s of ofTier) expect(s.inputs.mapPublicIpOnLaunch, `${t} auto-assigns public IPs`).to.equal(false);
                }
                const all = subnets.map((s) => String(s.inputs.cidrBlock));
                for (const a of all) for (const b of all) if (a !== b) expect(cidrsOverlap(a, b), `${a} ${b}`).to.equal(false);
                for (const a of all) expect(cidrsOverlap(a, String(vpc.inputs.cidrBlock))).to.equal(true);
            });

            it("gives each AZ its own NAT gateway and the data tier no route out", async () => {
                const run = (await allStacks())[stack];
                const nats = ofType(run, "aws:ec2/natGateway:NatGateway");
                expect(nats).to.have.length(3);
                expect(new Set(nats.map((n) => n.inputs.subnetId)).size).to.equal(3);
                const tables = ofType(run, "aws:ec2/routeTable:RouteTable");
                const dataTables = tables.filter((t) => t.name.includes("-data-"));
                const appTables = tables.filter((t) => t.name.includes("-app-"));
                expect(dataTables).to.have.length(3);
                for (const t of dataTables) expect(t.inputs.routes ?? []).to.deep.equal([]);
                expect(new Set(appTables.map((t) => (t.inputs.routes as { natGatewayId: string }[])[0].natGatewayId)).size).to.equal(3);
            });

            it("logs all traffic to a KMS-encrypted log group kept a year, strips the default security group, and has S3 and DynamoDB endpoints", async () => {
                const run = (await allStacks())[stack];
                const flow = oneOfType(run, "aws:ec2/flowLog:FlowLog");
                // Other components (the cache's logs) add log groups; the flow-log group is the VPC's.
                const groups = ofType(run, "aws:cloudwatch/logGroup:LogGroup").filter((g) => String(g.inputs.name).startsWith("/bookedbarber/vpc/"));
                expect(groups).to.have.length(1);
                const group = groups[0];
                expect(flow.inputs).to.include({ trafficType: "ALL", logDestinationType: "cloud-watch-logs", vpcId: run.outputs.vpcId });
                expect(String(flow.inputs.logDestination)).to.match(/^arn:aws:logs:/);
                expect(group.inputs.retentionInDays).to.equal(365);
                expect(group.inputs.kmsKeyId).to.equal((run.outputs.kmsKeys as Record<string, string>).logs);
                const sg = oneOfType(run, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
                expect(sg.inputs.ingress ?? []).to.deep.equal([]);
                expect(sg.inputs.egress ?? []).to.deep.equal([]);
                // Gateway endpoints here; primaries also have a Secrets Manager interface endpoint (ShardedDatabase rotation, docs/secrets.md).
                const endpoints = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Gateway");
                expect(endpoints.map((e) => e.inputs.serviceName)).to.have.members([`com.amazonaws.${stack}.s3`, `com.amazonaws.${stack}.dynamodb`]);
                for (const e of endpoints) expect(e.inputs.routeTableIds).to.have.length(6);
            });

            it("has five protected customer-managed keys with rotation, one per data domain", async () => {
                const run = (await allStacks())[stack];
                // RegionalKeys' keys; ObservabilityStack's alert-topic key has its own policy (test/components/observability/observability.spec.ts);
                // a primary's key for its secrets' replicas lives in the standby region (test/components/sharded-database/secret-replicas.spec.ts).
                const own = run.resources.find((p) => p.type === "pulumi:providers:aws" && p.inputs.region === stack)!;
                const keys = ofType(run, "aws:kms/key:Key").filter(
                    (k) => (k.inputs.tags as Record<string, string>)["data-domain"] !== "alerts" && k.provider === own.urn,
                );
                expect(keys.map((k) => (k.inputs.tags as Record<string, string>)["data-domain"])).to.have.members([
                    "db",
                    "cache",
                    "logs",
                    "eks",
                    "secrets",
                    "queue",
                ]);
                for (const k of keys) {
                    expect(k.inputs).to.include({ enableKeyRotation: true, deletionWindowInDays: 30 });
                    expect(k.options.protect, k.name).to.equal(true);
                    const policy = JSON.parse(String(k.inputs.policy));
                    const via = policy.Statement.find((s: { Sid: string }) => s.Sid === "AccountPrincipalsUseKeyOnlyThroughNamedServices");
                    expect(via.Condition.StringEquals["kms:CallerAccount"]).to.equal("123456789012");
                    for (const svc of via.Condition.StringEquals["kms:ViaService"]) expect(svc).to.match(new RegExp(`\\.${stack}\\.amazonaws\\.com$`));
                }
            });

            it("tags everything through the provider's defaultTags and exports the contract", async () => {
                const run = (await allStacks())[stack];
                const providers = ofType(run, "pulumi:providers:aws");
                const provider = providers.find((p) => p.inputs.region === stack)!;
                expect(provider, stack).to.not.equal(undefined);
                const tags = JSON.parse(String(provider.inputs.defaultTags)).tags;
                expect(Object.keys(tags)).to.have.members(TAG_KEYS);
                expect(tags.region).to.equal(stack);
                // The only other region a regional stack touches: a zone primary's secrets-replica key (and its alias)
                // in the zone's standby region, tagged with that region.
                const standby = Object.values(ZONE_REGIONS).find((z) => z.primary === stack)?.standby;
                expect(providers.filter((p) => p !== provider).map((p) => p.inputs.region)).to.deep.equal(standby ? [standby] : []);
                for (const r of run.resources.filter((x) => x.type.startsWith("aws:"))) {
                    if (r.provider === provider.urn) continue;
                    expect(r.type, r.urn).to.be.oneOf(["aws:kms/key:Key", "aws:kms/alias:Alias"]);
                    if (r.type === "aws:kms/key:Key") expect((r.inputs.tags as Record<string, string>).region).to.equal(standby);
                }
                expect(Object.keys(run.outputs)).to.include.members([...REGIONAL_OUTPUT_NAMES]);
            });
        });
    }

    it("lays out subnets inside the VPC without overlap for every supported prefix and AZ count", () => {
        for (const prefix of [16, 17, 18, 19, 20]) {
            for (const azs of [3, 4]) {
                const vpc = `10.40.0.0/${prefix}`;
                const plan = planSubnets(vpc, azs);
                const all = [...plan.public, ...plan.app, ...plan.data];
                expect(all).to.have.length(azs * 3);
                for (const a of all) {
                    expect(cidrsOverlap(a, vpc), a).to.equal(true);
                    expect(Number(a.split("/")[1])).to.be.greaterThan(prefix);
                    for (const b of all) if (a !== b) expect(cidrsOverlap(a, b), `${a} ${b}`).to.equal(false);
                }
            }
        }
    });

    describe("bad component args", () => {
        async function failure(program: () => void): Promise<Error> {
            const run = await runStack({
                stack: "us-east-1",
                program: async () => {
                    program();
                    return {};
                },
            });
            expect(
                run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack"),
                "nothing may be registered",
            ).to.deep.equal([]);
            return run.error!;
        }

        it("Network refuses fewer than 3 AZs and short flow-log retention, naming the fields", async () => {
            const err = await failure(
                () => new Network("n", { cidr: "10.0.0.0/16", azs: ["us-east-1a", "us-east-1b"], logsKeyArn: "arn", flowLogRetentionDays: 30 }),
            );
            expect(err).to.be.instanceOf(ArgsError);
            expect(err.message).to.contain('azs = ["us-east-1a","us-east-1b"]: must list at least 3 distinct availability zones');
            expect(err.message).to.contain("flowLogRetentionDays = 30: must be a CloudWatch retention period of at least 365 days");
        });

        it("RegionalKeys refuses a malformed region and a deletion window outside 7-30 days", async () => {
            const err = await failure(
                () => new RegionalKeys("k", { region: "Europe", accountId: pulumi.output("1"), autoScalingRoleArn: "", deletionWindowInDays: 3 }),
            );
            expect(err.message).to.contain('region = "Europe": must be an AWS region name');
            expect(err.message).to.contain("deletionWindowInDays = 3: must be an integer from 7 to 30");
        });
    });
});
