import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../stacks/stack-files";
import { ArgsError } from "../../components/args";
import {
    AuroraBackups,
    backupVaultArn,
    COMPLETION_WINDOW_MINUTES,
    COMPLIANCE_GRACE_DAYS,
    DAILY_RETENTION_DAYS,
    FAILED_JOB_STATES,
    LOCK_MIN_RETENTION_DAYS,
    MONTHLY_RETENTION_DAYS,
    RESTORE_TEST_VALIDATION_HOURS,
    START_WINDOW_MINUTES,
} from "../../components/aurora-backups";
import { REGIONS, ZONE_REGIONS } from "../../stacks/regions";
import { CapturedResource } from "../../tools/offline/mock-engine";
import { evaluatePolicies } from "../../tools/offline/policy-runner";
import { RunResult } from "../../tools/offline/stack-runner";
import { allStacks, ofType, oneOfType, PRIMARY_STACKS, REGIONAL_STACKS } from "../support/fixtures";

const ACCOUNT = "123456789012";
const CLUSTER = "aws:rds/cluster:Cluster";
const otherRegion = (region: string) =>
    Object.values(ZONE_REGIONS)
        .map((z) => (z.primary === region ? z.standby : z.standby === region ? z.primary : undefined))
        .find(Boolean)!;
const clone = (r: CapturedResource[]) => JSON.parse(JSON.stringify(r)) as CapturedResource[];

describe("AWS Backup for the Aurora shards (issue 15)", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });

    it("every regional stack has one vault, on its own db CMK, protected, named so the other region can address it", () => {
        for (const stack of REGIONAL_STACKS) {
            const vault = oneOfType(runs[stack], "aws:backup/vault:Vault");
            const dbKey = ofType(runs[stack], "aws:kms/key:Key").find((k) => (k.inputs.tags as Record<string, string>)["data-domain"] === "db")!;
            expect(vault.options.protect, stack).to.equal(true);
            expect(vault.inputs.forceDestroy, stack).to.equal(false);
            expect(String(vault.inputs.kmsKeyArn), stack).to.match(new RegExp(`^arn:aws:kms:${stack}:`));
            expect(vault.options.dependencies, stack).to.include(dbKey.urn);
            expect(backupVaultArn(stack, ACCOUNT), stack).to.equal(`arn:aws:backup:${stack}:${ACCOUNT}:backup-vault:${vault.inputs.name}`);
        }
    });

    it("every Aurora cluster of every regional stack is in the backup selection, which belongs to the plan", () => {
        for (const stack of REGIONAL_STACKS) {
            const clusters = ofType(runs[stack], CLUSTER);
            const selection = oneOfType(runs[stack], "aws:backup/selection:Selection");
            expect(clusters.length, stack).to.be.greaterThan(0);
            for (const c of clusters) expect(selection.options.dependencies, `${stack} ${c.name}`).to.include(c.urn);
            expect(selection.inputs.resources as string[], stack).to.have.length(clusters.length);
            for (const arn of selection.inputs.resources as string[]) expect(arn, stack).to.match(new RegExp(`^arn:aws:rds:${stack}:\\d{12}:cluster:`));
            expect(selection.options.dependencies, stack).to.include(oneOfType(runs[stack], "aws:backup/plan:Plan").urn);
        }
    });

    it("the plan keeps daily points as long as the automated backups and monthly points a year, each copied to the zone's other region's vault only", () => {
        for (const stack of REGIONAL_STACKS) {
            const plan = oneOfType(runs[stack], "aws:backup/plan:Plan");
            const rules = plan.inputs.rules as {
                ruleName: string;
                lifecycle: { deleteAfter: number };
                copyActions: { destinationVaultArn: string; lifecycle: { deleteAfter: number } }[];
                startWindow: number;
                completionWindow: number;
            }[];
            const automated = Number(runs[stack].config["bookedbarber:databaseBackupRetentionDays"] ?? DAILY_RETENTION_DAYS);
            expect(
                rules.map((r) => [r.ruleName, r.lifecycle.deleteAfter]),
                stack,
            ).to.deep.equal([
                ["daily", automated],
                ["monthly", MONTHLY_RETENTION_DAYS],
            ]);
            for (const r of rules) {
                expect(r.copyActions, `${stack} ${r.ruleName}`).to.deep.equal([
                    { destinationVaultArn: backupVaultArn(otherRegion(stack), ACCOUNT), lifecycle: { deleteAfter: r.lifecycle.deleteAfter } },
                ]);
                expect(REGIONS[otherRegion(stack)].zone).to.equal(REGIONS[stack].zone);
                expect([r.startWindow, r.completionWindow]).to.deep.equal([START_WINDOW_MINUTES, COMPLETION_WINDOW_MINUTES]);
            }
        }
    });

    it("each copy lands in a vault the other region's stack creates", () => {
        for (const stack of REGIONAL_STACKS) {
            const target = (oneOfType(runs[stack], "aws:backup/plan:Plan").inputs.rules as { copyActions: { destinationVaultArn: string }[] }[])[0]
                .copyActions[0].destinationVaultArn;
            const vault = oneOfType(runs[otherRegion(stack)], "aws:backup/vault:Vault");
            expect(target, stack).to.equal(backupVaultArn(otherRegion(stack), ACCOUNT));
            expect(target.endsWith(`:backup-vault:${vault.inputs.name}`), stack).to.equal(true);
        }
    });

    it("vault lock in governance mode by default: a minimum retention, the monthly retention as maximum, no grace period that would make it permanent", () => {
        for (const stack of REGIONAL_STACKS) {
            const lock = oneOfType(runs[stack], "aws:backup/vaultLockConfiguration:VaultLockConfiguration");
            expect(lock.inputs.minRetentionDays).to.equal(LOCK_MIN_RETENTION_DAYS);
            expect(lock.inputs.maxRetentionDays).to.equal(MONTHLY_RETENTION_DAYS);
            expect(lock.inputs, stack).not.to.have.property("changeableForDays");
        }
    });

    it("failed, aborted or expired backup and copy jobs and failed restores go to the region's P2 topic", () => {
        for (const stack of REGIONAL_STACKS) {
            const rules = ofType(runs[stack], "aws:cloudwatch/eventRule:EventRule").filter((r) => String(r.inputs.eventPattern).includes("aws.backup"));
            const patterns = rules.map((r) => JSON.parse(String(r.inputs.eventPattern)));
            expect(patterns.flatMap((p) => p["detail-type"]).sort(), stack).to.deep.equal([
                "Backup Job State Change",
                "Copy Job State Change",
                "Restore Job State Change",
            ]);
            expect(patterns.find((p) => p["detail-type"].includes("Backup Job State Change")).detail.state).to.deep.equal([...FAILED_JOB_STATES]);
            expect(patterns.find((p) => p["detail-type"].includes("Restore Job State Change")).detail.status).to.deep.equal(["FAILED"]);
            for (const r of rules) {
                const target = ofType(runs[stack], "aws:cloudwatch/eventTarget:EventTarget").find((t) => t.parent === r.urn)!;
                expect(String(target.inputs.arn), stack).to.match(new RegExp(`^arn:aws:sns:${stack}:\\d{12}:.*p2`, "i"));
            }
        }
    });

    it("a weekly restore test restores the latest point of every shard into the data subnets and the database security group", () => {
        for (const stack of REGIONAL_STACKS) {
            const plan = oneOfType(runs[stack], "aws:backup/restoreTestingPlan:RestoreTestingPlan");
            const sel = oneOfType(runs[stack], "aws:backup/restoreTestingSelection:RestoreTestingSelection");
            const clusterArns = oneOfType(runs[stack], "aws:backup/selection:Selection").inputs.resources;
            expect((plan.inputs.recoveryPointSelection as { algorithm: string }).algorithm).to.equal("LATEST_WITHIN_WINDOW");
            expect(String(plan.inputs.scheduleExpression)).to.match(/^cron\(/);
            expect(sel.inputs.protectedResourceType).to.equal("Aurora");
            expect(sel.inputs.protectedResourceArns, stack).to.deep.equal(clusterArns);
            expect(sel.inputs.validationWindowHours).to.equal(RESTORE_TEST_VALIDATION_HOURS);
            const overrides = sel.inputs.restoreMetadataOverrides as Record<string, string>;
            // The shards' own subnet group and security group: the scratch cluster sits where the shards do.
            const shard = ofType(runs[stack], CLUSTER)[0];
            expect(overrides.dbSubnetGroupName, stack).to.be.a("string").and.equal(shard.inputs.dbSubnetGroupName);
            expect(JSON.parse(overrides.vpcSecurityGroupIds), stack).to.deep.equal(shard.inputs.vpcSecurityGroupIds);
        }
    });

    describe("the pack refuses a copy out of the zone and a cluster left out (mutations of real plans)", () => {
        const violations = async (stack: string, change: (rs: CapturedResource[]) => void) => {
            const rs = clone(runs[stack].resources);
            change(rs);
            return (await evaluatePolicies(rs)).violations.filter((v) => v.level === "mandatory").map((v) => v.policy);
        };
        for (const stack of PRIMARY_STACKS) {
            it(`${stack}: the unmutated plan draws no backup violation`, async () => {
                expect((await violations(stack, () => undefined)).filter((p) => /backup/.test(p))).to.deep.equal([]);
            });
            it(`${stack}: the copy pointed at another zone's vault fails backup-copy-in-zone`, async () => {
                const foreign = Object.keys(REGIONS).find((r) => REGIONS[r].zone !== REGIONS[stack].zone)!;
                const found = await violations(stack, (rs) => {
                    const plan = rs.find((r) => r.type === "aws:backup/plan:Plan")!;
                    (plan.inputs.rules as { copyActions: { destinationVaultArn: string }[] }[])[0].copyActions[0].destinationVaultArn = backupVaultArn(
                        foreign,
                        ACCOUNT,
                    );
                });
                expect(found).to.include("backup-copy-in-zone");
            });
        }
        it("eu-west-1: a shard dropped from the selection fails aurora-backup-coverage", async () => {
            const found = await violations("eu-west-1", (rs) => {
                const sel = rs.find((r) => r.type === "aws:backup/selection:Selection")!;
                const shard = rs.find((r) => r.type === CLUSTER)!;
                sel.options.dependencies = sel.options.dependencies.filter((d) => d !== shard.urn);
                if (sel.options.propertyDependencies)
                    for (const k of Object.keys(sel.options.propertyDependencies))
                        sel.options.propertyDependencies[k] = sel.options.propertyDependencies[k].filter((d) => d !== shard.urn);
            });
            expect(found).to.include("aurora-backup-coverage");
        });
        it("us-west-2: the vault lock removed fails backup-vault-locked", async () => {
            const found = await violations("us-west-2", (rs) =>
                rs.splice(
                    rs.findIndex((r) => r.type === "aws:backup/vaultLockConfiguration:VaultLockConfiguration"),
                    1,
                ),
            );
            expect(found).to.include("backup-vault-locked");
        });
    });

    it("agrees with the AWS facts it relies on (test/upstream/backup/facts.json): event names and fields, lock grace, restore test keys", () => {
        const facts = JSON.parse(fs.readFileSync(path.join(projectRoot(), "test", "upstream", "backup", "facts.json"), "utf8"));
        expect(COMPLIANCE_GRACE_DAYS).to.be.at.least(facts.vaultLock.complianceModeMinChangeableForDays);
        for (const stack of REGIONAL_STACKS) {
            for (const r of ofType(runs[stack], "aws:cloudwatch/eventRule:EventRule").filter((x) => String(x.inputs.eventPattern).includes("aws.backup"))) {
                const p = JSON.parse(String(r.inputs.eventPattern));
                expect(p.source).to.deep.equal([facts.events.eventSource]);
                for (const t of p["detail-type"]) {
                    expect(facts.events.detailTypes).to.include(t);
                    expect(Object.keys(p.detail), `${t} is matched on its documented field`).to.deep.equal([facts.events.stateField[t]]);
                }
            }
            const sel = oneOfType(runs[stack], "aws:backup/restoreTestingSelection:RestoreTestingSelection");
            const plan = oneOfType(runs[stack], "aws:backup/restoreTestingPlan:RestoreTestingPlan");
            expect(sel.inputs.protectedResourceType).to.equal(facts.restoreTesting.protectedResourceType);
            expect(facts.restoreTesting.overridableClusterKeys).to.include.members(Object.keys(sel.inputs.restoreMetadataOverrides as object));
            expect(facts.restoreTesting.algorithms).to.include((plan.inputs.recoveryPointSelection as { algorithm: string }).algorithm);
        }
    });

    describe("arguments", () => {
        const base = {
            region: "eu-west-1",
            copyRegion: "eu-central-1",
            accountId: ACCOUNT,
            keyArn: "k",
            clusterArns: ["a"],
            alertTopicArn: "t",
            restoreSubnetGroupName: "g",
            restoreSecurityGroupId: "sg",
        };
        const error = (args: Partial<typeof base> & Record<string, unknown>) => {
            try {
                new AuroraBackups("b", { ...base, ...args } as never);
            } catch (e) {
                expect(e).to.be.instanceOf(ArgsError);
                return (e as Error).message;
            }
            throw new Error("no error");
        };
        it("refuses a copy region outside the zone, naming the zone's regions", () => {
            expect(error({ copyRegion: "us-east-1" })).to.match(/copyRegion = "us-east-1".*eu zone.*eu-central-1/);
        });
        it("refuses a copy to the vault's own region, no clusters, and a lock mode AWS does not have", () => {
            expect(error({ copyRegion: "eu-west-1" })).to.match(/copyRegion = "eu-west-1"/);
            expect(error({ clusterArns: [] })).to.match(/clusterArns/);
            expect(error({ vaultLockMode: "strict" })).to.match(/vaultLockMode = "strict": must be one of governance, compliance/);
            expect(error({ dailyRetentionDays: 3 })).to.match(/dailyRetentionDays = 3/);
        });
    });
});
