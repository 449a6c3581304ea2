import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { ArgsError } from "../../../components/args";
import { EdgeNetwork, EdgeNetworkArgs } from "../../../components/edge-network";
import { ZonePeering, rangesOverlap } from "../../../components/zone-peering";
import { ZoneRecoveryPlan } from "../../../components/zone-recovery-plan";
import { ConfigError, parseStackConfig } from "../../../stacks/config";
import { readStackConfig, siblingStacks } from "../../../stacks/stack-files";
import { runStack } from "../../../tools/offline/stack-runner";
import { registeredBesidesStack } from "../../support/fixtures";

const goodEdge = (): EdgeNetworkArgs => ({
    domainName: "bookedbarber.com",
    hostedZoneName: "bookedbarber.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
    accountId: "123456789012",
    zones: [
        {
            zone: "us",
            primary: { region: "us-east-1", ingressDnsName: "a.elb.us-east-1.amazonaws.com", ingressZoneId: "Z26RNL4JYFTOTI" },
            standby: { region: "us-west-2", ingressDnsName: "b.elb.us-west-2.amazonaws.com", ingressZoneId: "Z18D5FSROUN65G" },
        },
    ],
});

/** Runs a program that must throw before registering anything, and returns its error. */
async function failure(program: () => void): Promise<Error> {
    const run = await runStack({
        stack: "global",
        program: async () => {
            program();
            return {};
        },
    });
    expect(
        run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:")),
        "nothing may be registered",
    ).to.deep.equal([]);
    expect(run.error).to.be.instanceOf(ArgsError);
    return run.error!;
}

describe("edge components refuse bad args", () => {
    it("EdgeNetwork refuses a name outside its zone, a region other than us-east-1, an API cache key without Authorization and a bad health check", async () => {
        const err = await failure(
            () =>
                new EdgeNetwork("e", {
                    ...goodEdge(),
                    domainName: "bookedbarber.io",
                    hostedZoneId: "",
                    region: "eu-west-1",
                    apiCacheVaryHeaders: ["Accept"],
                    healthCheckIntervalSeconds: 15,
                    defaultZone: "eu",
                }),
        );
        expect(err.message).to.contain('domainName = "bookedbarber.io": must be a DNS name inside the hosted zone bookedbarber.com');
        expect(err.message).to.contain('region = "eu-west-1": must be us-east-1');
        expect(err.message).to.contain('hostedZoneId = "": must be the public hosted zone');
        expect(err.message).to.contain('apiCacheVaryHeaders = ["Accept"]: must include Authorization');
        expect(err.message).to.contain("healthCheckIntervalSeconds = 15: must be one of 10, 30");
        expect(err.message).to.contain('defaultZone = "eu": must be one of us');
    });

    it("ZonePeering refuses overlapping VPCs and data subnets outside the VPC", async () => {
        const provider = undefined as unknown as aws.Provider;
        const side = (region: string, vpcCidr: string, data: string[]) => ({
            region,
            vpcId: "vpc-1",
            vpcCidr,
            dataSubnetCidrs: data,
            dataRouteTableIds: ["rtb-1"],
            provider,
        });
        const err = await failure(
            () =>
                new ZonePeering("p", {
                    zone: "us",
                    primary: side("us-east-1", "10.10.0.0/16", ["10.10.136.0/22"]),
                    standby: side("us-west-2", "10.10.128.0/17", ["10.99.0.0/22"]),
                }),
        );
        expect(err.message).to.contain('standby.vpcCidr = "10.10.128.0/17": overlaps the primary\'s VPC 10.10.0.0/16 (us-east-1)');
        expect(err.message).to.contain('standby.dataSubnetCidrs = ["10.99.0.0/22"]: must be CIDRs inside the VPC 10.10.128.0/17');
        expect(rangesOverlap("10.10.0.0/16", "10.11.0.0/16")).to.equal(false);
        expect(rangesOverlap("10.0.0.0/8", "10.200.0.0/16")).to.equal(true);
    });

    it("ZoneRecoveryPlan refuses a zone without shards and members in the wrong region", async () => {
        const provider = undefined as unknown as aws.Provider;
        const base = {
            zone: "eu",
            primaryRegion: "eu-west-1",
            standbyRegion: "eu-central-1",
            primaryClusterName: "a",
            standbyClusterName: "b",
            hostedZoneId: "Z1",
            recordName: "eu.api.bookedbarber.com",
            primarySetIdentifier: "eu-primary",
            standbySetIdentifier: "eu-standby",
            accountId: "123456789012",
            primaryProvider: provider,
            standbyProvider: provider,
            alarmProvider: provider,
            cache: { globalReplicationGroupId: "ldgnf-g", primaryReplicationGroupId: "p", standbyReplicationGroupId: "s" },
            primaryHealthCheckId: "hc-1",
            standbyHealthCheckId: "hc-2",
            logKeyArns: { "eu-west-1": "arn:aws:kms:eu-west-1:123456789012:key/a", "eu-central-1": "arn:aws:kms:eu-central-1:123456789012:key/b" },
        };
        const empty = await failure(() => new ZoneRecoveryPlan("dr", { ...base, shards: [] }));
        expect(empty.message).to.contain("shards = []: must be a non-empty list");
        const wrong = await failure(
            () =>
                new ZoneRecoveryPlan("dr", {
                    ...base,
                    recoveryTimeObjectiveMinutes: 0,
                    shards: [
                        {
                            globalClusterId: "g1",
                            primaryClusterArn: "arn:aws:rds:us-east-1:123456789012:cluster:x",
                            standbyClusterArn: "arn:aws:rds:eu-central-1:123456789012:cluster:y",
                        },
                    ],
                }),
        );
        expect(wrong.message).to.contain("shards[].primaryClusterArn");
        expect(wrong.message).to.contain("must be RDS cluster ARNs in eu-west-1");
        expect(wrong.message).to.contain("recoveryTimeObjectiveMinutes = 0: must be an integer from 1 to 60");
        const shard = {
            globalClusterId: "g1",
            primaryClusterArn: "arn:aws:rds:eu-west-1:123456789012:cluster:x",
            standbyClusterArn: "arn:aws:rds:eu-central-1:123456789012:cluster:y",
        };
        const start = await failure(
            () =>
                new ZoneRecoveryPlan("dr", {
                    ...base,
                    shards: [shard],
                    cache: { globalReplicationGroupId: "", primaryReplicationGroupId: "p", standbyReplicationGroupId: "s" },
                    logKeyArns: { "eu-west-1": "arn:aws:kms:eu-west-1:123456789012:key/a" },
                    failoverGuardMinutes: 0,
                    minMinutesBetweenFailovers: 5,
                }),
        );
        expect(start.message).to.contain("cache = ");
        expect(start.message).to.contain("must name the Global Datastore and its primary and standby replication groups");
        expect(start.message).to.contain("logKeyArns = ");
        expect(start.message).to.contain("must hold a KMS key ARN for eu-west-1 and eu-central-1");
        expect(start.message).to.contain("failoverGuardMinutes = 0: must be an integer from 1 to 10");
        expect(start.message).to.contain("minMinutesBetweenFailovers = 5: must be an integer from 30 to 1440");
    });
});

describe("edge config", () => {
    const problems = (overrides: Record<string, string>, stack = "global") => {
        try {
            parseStackConfig({ ...readStackConfig(stack), ...overrides }, stack, "bookedbarber", siblingStacks());
        } catch (err) {
            if (err instanceof ConfigError) return err.problems.join("\n");
            throw err;
        }
        return "";
    };

    // The interval departs from the spec's 30 s for the RTO (docs/capacity-and-recovery.md).
    it("has spec defaults for the global stack", () => {
        const cfg = parseStackConfig(readStackConfig("global"), "global", "bookedbarber", siblingStacks());
        expect(cfg.values).to.include({
            healthCheckPath: "/health",
            healthCheckIntervalSeconds: 10,
            healthCheckFailureThreshold: 3,
            recoveryTimeObjectiveMinutes: 5,
            edgeLogRetentionDays: 365,
        });
        expect(cfg.values.apiCacheVaryHeaders).to.include("Authorization");
    });

    it("refuses bad edge values, naming the key", () => {
        const p = problems({
            "bookedbarber:apiCacheVaryHeaders": '["Accept"]',
            "bookedbarber:healthCheckIntervalSeconds": "20",
        });
        expect(p).to.contain('bookedbarber:apiCacheVaryHeaders = ["Accept"]: must include Authorization');
        expect(p).to.contain("bookedbarber:healthCheckIntervalSeconds = 20: must be one of 10, 30");
        const boot = problems({ "bookedbarber:domainName": "Not A Name" }, "bootstrap");
        expect(boot).to.contain('bookedbarber:domainName = "Not A Name": must be a lower-case DNS name such as bookedbarber.com');
        expect(problems({ "bookedbarber:drScaledDeployments": '["backend"]' })).to.contain("each entry must be namespace/name");
    });

    it("refuses a public hostname outside the hosted zone (bootstrap stack) before registering anything", async () => {
        const run = await runStack({
            stack: "bootstrap",
            configOverrides: { "bookedbarber:domainName": "app.bookedbarber.io" },
        });
        expect(run.error?.message).to.contain('bookedbarber:domainName = "app.bookedbarber.io": must be inside bookedbarber:hostedZoneName "bookedbarber.com"');
        expect(registeredBesidesStack(run)).to.deep.equal([]);
    });

    it("refuses the removed canaryWeights key instead of ignoring it", () => {
        expect(problems({ "bookedbarber:canaryWeights": '{"stable": 95, "canary": 5}' })).to.contain("bookedbarber:canaryWeights");
    });
});
