import { expect } from "chai";
import { ArgsError } from "../../../components/args";
import { RPO_LAG_ALARM_MS } from "../../../components/observability/alerts";
import { SPEC_RPO_SECONDS } from "../../../components/sharded-database";
import { rpoParameters } from "../../../components/sharded-database/rpo";
import { ZONE_REGIONS } from "../../../stacks/regions";
import { loadCatalog } from "../../../tools/offline/alarm-check";
import { CapturedResource } from "../../../tools/offline/mock-engine";
import { RunResult, runStack } from "../../../tools/offline/stack-runner";
import { allOutputs, allStacks, ofType, PRIMARY_STACKS, REGIONAL_STACKS, STANDBY_STACKS } from "../../support/fixtures";

const PARAMS = "aws:rds/clusterParameterGroup:ClusterParameterGroup";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const params = (run: RunResult) =>
    ofType(run, PARAMS).map((pg) => Object.fromEntries((pg.inputs.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value])));
const rpoAlarms = (run: RunResult): CapturedResource[] =>
    ofType(run, ALARM).filter((a) => (a.inputs.tags as Record<string, string>)?.["alert-id"] === "aurora-rpo-lag");

describe("RPO: watched by default, enforced only on request (issue 11 §3)", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });

    it("by default no shard parameter group sets rds.global_db_rpo: a standby outage never blocks the primary's commits", () => {
        for (const stack of REGIONAL_STACKS) {
            const groups = params(runs[stack]);
            expect(groups, stack).to.have.length(1);
            expect(groups[0], stack).not.to.have.property("rds.global_db_rpo");
        }
    });

    it("each standby alarms on every shard's RPO lag above 30 s, on the sourced metric, dimensions and unit, to the P1 topic", () => {
        const facts = loadCatalog().metrics.find((m) => m.metricName === "AuroraGlobalDBRPOLag")!;
        expect(RPO_LAG_ALARM_MS).to.equal(SPEC_RPO_SECONDS * 1000);
        for (const stack of STANDBY_STACKS) {
            const zone = Object.values(ZONE_REGIONS).find((z) => z.standby === stack)!;
            const found = rpoAlarms(runs[stack]);
            expect(found, stack).to.have.length(4);
            for (const a of found) {
                const i = a.inputs as Record<string, unknown>;
                expect(i.namespace).to.equal(facts.namespace);
                expect(i.metricName).to.equal(facts.metricName);
                expect(facts.unit).to.equal("Milliseconds");
                expect(i.threshold).to.equal(30_000);
                expect(i.comparisonOperator).to.equal("GreaterThanThreshold");
                expect(Object.keys(i.dimensions as object).sort()).to.deep.equal([...facts.dimensionSets[0]].sort());
                expect((i.dimensions as Record<string, string>).SourceRegion).to.equal(zone.primary);
                expect((i.dimensions as Record<string, string>).DBClusterIdentifier).to.match(/^bb-\w+-db-shard-\d$/);
                expect(i.alarmActions).to.deep.equal([`arn:aws:sns:${stack}:123456789012:bookedbarber-alerts-p1`]);
                expect(i.treatMissingData).to.equal("notBreaching");
            }
        }
        for (const stack of PRIMARY_STACKS) expect(rpoAlarms(runs[stack]), stack).to.deep.equal([]);
    });

    it("the zone's DR plan carries the RPO: its tag and description, and the standby's RPO-lag alarms as application-health alarms", async () => {
        const plans = ofType(runs.global, "aws:arcregionswitch/plan:Plan");
        expect(plans).to.have.length(3);
        const standbyAlarmArns = new Set(
            STANDBY_STACKS.flatMap((s) => rpoAlarms(runs[s]).map((a) => `arn:aws:cloudwatch:${s}:123456789012:alarm:${a.inputs.name}`)),
        );
        for (const p of plans) {
            expect(p.inputs.tags).to.deep.include({ "recovery-point-objective-seconds": "30" });
            expect(String(p.inputs.description)).to.contain("RPO 30 s");
            const associated = (p.inputs.associatedAlarms as { alarmType: string; resourceIdentifier: string }[]).filter((a) => a.alarmType !== "trigger");
            expect(associated).to.have.length(4);
            for (const a of associated) {
                expect(a.alarmType).to.equal("applicationHealth");
                expect(standbyAlarmArns.has(a.resourceIdentifier), a.resourceIdentifier).to.equal(true);
            }
        }
        // The plan's role may read them.
        const policies = ofType(runs.global, "aws:iam/rolePolicy:RolePolicy").map(
            (r) => JSON.parse(String(r.inputs.policy)) as { Statement: { Sid: string; Action: string[] }[] },
        );
        expect(
            policies.filter((p) => p.Statement.some((s) => s.Sid === "ReadTheRpoLagAlarms" && s.Action.includes("cloudwatch:DescribeAlarms"))),
        ).to.have.length(3);
    });

    it("the alarm's class cannot be overridden, since the DR plan names the alarm by it; its threshold can", async () => {
        const { alertProblems, ALERT_DEFINITIONS } = await import("../../../components/observability/alerts");
        expect(alertProblems(ALERT_DEFINITIONS, { "aurora-rpo-lag": { class: "P2" } })[0]).to.deep.include({
            field: "alertOverrides.aurora-rpo-lag.class",
            value: "P2",
        });
        expect(alertProblems(ALERT_DEFINITIONS, { "aurora-rpo-lag": { class: "P1", threshold: 20_000 } })).to.deep.equal([]);
    });

    it("ZoneRecoveryPlan refuses an RPO that is not a whole number of seconds, registering nothing", async () => {
        const { ZoneRecoveryPlan } = await import("../../../components/zone-recovery-plan");
        const provider = undefined as never;
        const run = await runStack({
            stack: "global",
            program: async () => {
                new ZoneRecoveryPlan("dr", {
                    zone: "eu",
                    primaryRegion: "eu-west-1",
                    standbyRegion: "eu-central-1",
                    primaryClusterName: "a",
                    standbyClusterName: "b",
                    hostedZoneId: "Z1",
                    recordName: "eu.api.bookedbarber.com",
                    primarySetIdentifier: "eu-west-1",
                    standbySetIdentifier: "eu-central-1",
                    accountId: "123456789012",
                    primaryProvider: provider,
                    standbyProvider: provider,
                    recoveryPointObjectiveSeconds: 0.5,
                    cache: { globalReplicationGroupId: "g", primaryReplicationGroupId: "p", standbyReplicationGroupId: "s" },
                    logKeyArns: { "eu-west-1": "arn:aws:kms:eu-west-1:123456789012:key/a", "eu-central-1": "arn:aws:kms:eu-central-1:123456789012:key/b" },
                    primaryHealthCheckId: "hc-1",
                    standbyHealthCheckId: "hc-2",
                    alarmProvider: provider,
                    shards: [
                        {
                            globalClusterId: "g1",
                            primaryClusterArn: "arn:aws:rds:eu-west-1:123456789012:cluster:x",
                            standbyClusterArn: "arn:aws:rds:eu-central-1:123456789012:cluster:y",
                        },
                    ],
                });
                return {};
            },
        });
        expect(run.error).to.be.instanceOf(ArgsError);
        expect(run.error!.message).to.contain("recoveryPointObjectiveSeconds = 0.5: must be an integer from 1 to 3600");
        expect(run.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))).to.deep.equal([]);
    });

    describe("enforcement, opt-in", () => {
        it("databaseRpoEnforcement: enforced sets rds.global_db_rpo = 30 on the primary's group only", async () => {
            const run = await runStack({ stack: "us-east-1", configOverrides: { "bookedbarber:databaseRpoEnforcement": "enforced" } });
            expect(run.error).to.equal(undefined);
            expect(params(run)[0]).to.include({ "rds.global_db_rpo": "30" });
        });

        it("a standby never enforces (AWS: keep the secondary's parameter at its default with two Regions), nor may its stack file ask to", async () => {
            expect(rpoParameters("standby", "enforced", 30)).to.deep.equal([]);
            expect(rpoParameters("primary", "watched", 30)).to.deep.equal([]);
            const run = await runStack({
                stack: "us-west-2",
                configOverrides: { "bookedbarber:databaseRpoEnforcement": "enforced" },
                stackReferences: await allOutputs(),
            });
            expect(run.error?.message).to.match(/databaseRpoEnforcement/);
        });

        it("an unknown mode is refused before anything is registered, naming the key, the value and what is allowed", async () => {
            const run = await runStack({ stack: "us-east-1", configOverrides: { "bookedbarber:databaseRpoEnforcement": "strict" } });
            expect(run.error?.message).to.match(/databaseRpoEnforcement/);
            expect(run.error?.message).to.match(/strict/);
            expect(run.error?.message).to.match(/watched/);
            expect(run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
        });

        it("the component refuses a bad rpoEnforcement or an RPO below Aurora's 20 s", async () => {
            const { ShardedDatabase } = await import("../../../components/sharded-database");
            for (const bad of [{ rpoEnforcement: "strict" }, { rpoSeconds: 10 }]) {
                const run = await runStack({
                    stack: "us-east-1",
                    program: async () => {
                        new ShardedDatabase("db", {
                            role: "primary",
                            zone: "us",
                            region: "us-east-1",
                            azs: ["us-east-1a", "us-east-1b"],
                            vpcId: "vpc-1",
                            dataSubnetIds: ["s-1", "s-2"],
                            clientSecurityGroupIds: ["sg-1"],
                            dbKeyArn: "k",
                            secretsKeyArn: "k",
                            logsKeyArn: "k",
                            zoneRanges: { us: { first: 1, last: 50_000 }, eu: { first: 50_001, last: 75_000 }, apac: { first: 75_001, last: 100_000 } },
                            catalogLock: "4:us=1-50000,eu=50001-75000,apac=75001-100000",
                            zonePrimaryRegions: { us: "us-east-1", eu: "eu-west-1", apac: "ap-southeast-1" },
                            ...(bad as object),
                        });
                        return {};
                    },
                });
                expect(run.error, JSON.stringify(bad)).to.be.instanceOf(ArgsError);
                expect(run.error!.message).to.match(/rpoEnforcement|rpoSeconds/);
            }
        });
    });
});
