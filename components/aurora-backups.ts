import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgsCheck } from "./args";
import { integerLimit, oneOfLimit } from "./limits";
import { REGIONS } from "../stacks/regions";
import { withTags } from "./tags";
import { serviceRoleTrust } from "./service-role";

/**
 * AWS Backup for a region's Aurora shard clusters, on top of the clusters' own automated
 * backups (point-in-time restore inside the region): a vault on the region's db CMK, a plan
 * whose rules copy every recovery point to the vault of the zone's other region and nowhere
 * else (residency), vault lock, job failures to the P2 topic, and a restore testing plan.
 * The spec's backup strategy ("Database: real-time streaming replication", "Backup:
 * cross-region automated backups", P2 "Backup failure") names no retention figure: the
 * choices below are ours and docs/backups.md gives the reasoning.
 */

/** Daily recovery points: kept as long as Aurora's automated backups (35 days, the Aurora maximum). */
export const DAILY_RETENTION_DAYS = 35;
/** Monthly recovery points: a year, so a year of month-end states survives (audit evidence, slow corruption found late). */
export const MONTHLY_RETENTION_DAYS = 365;
/** The shortest retention vault lock accepts for a recovery point: no rule may keep one for less. */
export const LOCK_MIN_RETENTION_DAYS = 7;
/** Compliance mode: days the lock can still be removed before it becomes immutable (AWS minimum 3). */
export const COMPLIANCE_GRACE_DAYS = 3;
/** Daily at 05:00 UTC, outside the shards' maintenance window; monthly on the 1st at 06:00 UTC, apart from the daily job. */
export const DAILY_SCHEDULE = "cron(0 5 * * ? *)";
export const MONTHLY_SCHEDULE = "cron(0 6 1 * ? *)";
/** Minutes AWS Backup may wait to start a job, and to finish it (an Aurora snapshot of a large shard takes hours). */
export const START_WINDOW_MINUTES = 60;
export const COMPLETION_WINDOW_MINUTES = 480;
/** Weekly restore test: Mondays 07:00 UTC, the latest recovery point of the last 7 days, kept 24 h for validation. */
export const RESTORE_TEST_SCHEDULE = "cron(0 7 ? * MON *)";
export const RESTORE_TEST_WINDOW_DAYS = 7;
export const RESTORE_TEST_VALIDATION_HOURS = 24;

/** Job states that mean a recovery point was not made, copied or restored (AWS Backup EventBridge events). */
export const FAILED_JOB_STATES = ["FAILED", "ABORTED", "EXPIRED"] as const;
export const FAILED_RESTORE_STATUSES = ["FAILED"] as const;

/**
 * governance: the lock stops deletions and shorter retention, but a principal granted
 * backup:DeleteBackupVaultLockConfiguration can remove it (reversible; the default).
 * compliance: after COMPLIANCE_GRACE_DAYS nobody, not even the root user or AWS, can remove the
 * lock, delete the vault or a recovery point before its retention ends (irreversible).
 */
export type VaultLockMode = "governance" | "compliance";

/** AuroraBackups' defaults: the value each optional arg takes when left out. */
export const AURORA_BACKUPS_DEFAULTS = {
    dailyRetentionDays: DAILY_RETENTION_DAYS,
    /** Governance: an administrator can still lift the lock; compliance is a deliberate, irreversible choice. */
    vaultLockMode: "governance" as VaultLockMode,
} as const;

/** AuroraBackups' valid ranges. */
export const AURORA_BACKUPS_LIMITS = {
    /** Vault lock's shortest retention, up to the monthly points' year. */
    dailyRetentionDays: integerLimit(LOCK_MIN_RETENTION_DAYS, MONTHLY_RETENTION_DAYS),
    vaultLockMode: oneOfLimit<VaultLockMode>(["governance", "compliance"]),
} as const;

export interface AuroraBackupsArgs {
    /** The region the vault and plan live in. Required. */
    region: string;
    /** The zone's other region, whose vault receives every copy. Required; must be in the same residency zone. */
    copyRegion: string;
    /** Account that owns the vault and the plan. Required. */
    accountId: pulumi.Input<string>;
    /** The region's db CMK: the vault's key (and the key AWS Backup encrypts copies arriving here with). Required. */
    keyArn: pulumi.Input<string>;
    /** ARNs of the Aurora clusters to back up (selection by ARN, not by tag: a tag typo cannot drop a shard). Required, non-empty. */
    clusterArns: pulumi.Input<string>[];
    /** The region's P2 alert topic ("Backup failure"). Required. */
    alertTopicArn: pulumi.Input<string>;
    /** For the restore test's scratch cluster: the data subnet group and the database security group. Required. */
    restoreSubnetGroupName: pulumi.Input<string>;
    /** Security group of the restore test's scratch cluster (the database security group). Required. */
    restoreSecurityGroupId: pulumi.Input<string>;
    /** Daily recovery point retention. Default DAILY_RETENTION_DAYS. */
    dailyRetentionDays?: number;
    /** Default governance (see VaultLockMode). */
    vaultLockMode?: VaultLockMode;
    /** Protect the vault and its lock from `pulumi destroy`. Default true. */
    protect?: boolean;
    /** Tags added to every AWS resource this component creates, under each resource's own tags (build the design's set with `defaultTags()`). Default none: the provider's defaultTags carry them, as in the stacks. */
    tags?: Record<string, string>;
}

/** The vault's name in a region: fixed, so the other region's plan names its copy target before this stack exists. */
export function backupVaultName(region: string): string {
    return `bookedbarber-aurora-${region}`;
}

export function backupVaultArn(region: string, accountId: string): string {
    return `arn:aws:backup:${region}:${accountId}:backup-vault:${backupVaultName(region)}`;
}

export class AuroraBackups extends pulumi.ComponentResource {
    /** The region's backup vault, encrypted with the db CMK. */
    readonly vault: aws.backup.Vault;
    /** The backup plan: daily recovery points, copied to `copyRegion`. */
    readonly plan: aws.backup.Plan;
    /** ARN of the region's backup vault. */
    readonly vaultArn: pulumi.Output<string>;

    constructor(name: string, args: AuroraBackupsArgs, opts?: pulumi.ComponentResourceOptions) {
        const daily = args.dailyRetentionDays ?? AURORA_BACKUPS_DEFAULTS.dailyRetentionDays;
        const mode = args.vaultLockMode ?? AURORA_BACKUPS_DEFAULTS.vaultLockMode;
        const zone = REGIONS[args.region]?.zone;
        const copyZone = REGIONS[args.copyRegion]?.zone;
        new ArgsCheck("AuroraBackups", name)
            .that(zone !== undefined, "region", args.region, `must be one of ${Object.keys(REGIONS).join(", ")}`)
            .that(
                copyZone !== undefined && args.copyRegion !== args.region,
                "copyRegion",
                args.copyRegion,
                "must be another region of the platform (the zone's other region)",
            )
            .that(
                zone === undefined || copyZone === undefined || zone === copyZone,
                "copyRegion",
                args.copyRegion,
                `is in the ${copyZone} zone, but ${args.region}'s backups must stay in the ${zone} zone (residency): copy to ${Object.entries(REGIONS)
                    .filter(([r, i]) => i.zone === zone && r !== args.region)
                    .map(([r]) => r)
                    .join(", ")}`,
            )
            .nonEmpty("clusterArns", args.clusterArns)
            .within("dailyRetentionDays", daily, AURORA_BACKUPS_LIMITS.dailyRetentionDays)
            .within("vaultLockMode", mode, AURORA_BACKUPS_LIMITS.vaultLockMode)
            .done();
        super("bookedbarber:backup:AuroraBackups", name, {}, withTags("AuroraBackups", name, args.tags, opts));
        const protect = args.protect ?? true;

        this.vault = new aws.backup.Vault(
            `${name}-vault`,
            {
                name: backupVaultName(args.region),
                kmsKeyArn: args.keyArn,
                forceDestroy: false,
            },
            { parent: this, protect },
        );
        this.vaultArn = this.vault.arn;
        // Without changeableForDays the lock is in governance mode; with it, compliance mode after the grace days.
        new aws.backup.VaultLockConfiguration(
            `${name}-lock`,
            {
                backupVaultName: this.vault.name,
                minRetentionDays: LOCK_MIN_RETENTION_DAYS,
                maxRetentionDays: MONTHLY_RETENTION_DAYS,
                ...(mode === "compliance" ? { changeableForDays: COMPLIANCE_GRACE_DAYS } : {}),
            },
            { parent: this.vault, protect },
        );

        const copyTo = pulumi.output(args.accountId).apply((acct) => backupVaultArn(args.copyRegion, acct));
        const rule = (ruleName: string, schedule: string, days: number): aws.types.input.backup.PlanRule => ({
            ruleName,
            targetVaultName: this.vault.name,
            schedule,
            startWindow: START_WINDOW_MINUTES,
            completionWindow: COMPLETION_WINDOW_MINUTES,
            lifecycle: { deleteAfter: days },
            copyActions: [{ destinationVaultArn: copyTo, lifecycle: { deleteAfter: days } }],
            recoveryPointTags: { "backup-rule": ruleName },
        });
        this.plan = new aws.backup.Plan(
            `${name}-plan`,
            {
                name: `bookedbarber-aurora-${args.region}`,
                rules: [rule("daily", DAILY_SCHEDULE, daily), rule("monthly", MONTHLY_SCHEDULE, MONTHLY_RETENTION_DAYS)],
            },
            { parent: this },
        );

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `AWS Backup: back up and test-restore the Aurora shards in ${args.region}`,
                assumeRolePolicy: serviceRoleTrust("backup.amazonaws.com"),
            },
            { parent: this },
        );
        // AWS's managed policies for the service role: the backup side and the restore side (restore tests).
        for (const [suffix, policy] of [
            ["backup", "AWSBackupServiceRolePolicyForBackup"],
            ["restore", "AWSBackupServiceRolePolicyForRestores"],
        ]) {
            new aws.iam.RolePolicyAttachment(
                `${name}-role-${suffix}`,
                { role: role.name, policyArn: `arn:aws:iam::aws:policy/service-role/${policy}` },
                { parent: role },
            );
        }
        new aws.backup.Selection(
            `${name}-selection`,
            {
                name: "aurora-shards",
                planId: this.plan.id,
                iamRoleArn: role.arn,
                resources: args.clusterArns,
            },
            { parent: this.plan },
        );

        // "Backup failure" is P2 in the spec's alert classes: failed backup and copy jobs, and failed restores.
        const routes = [
            {
                suffix: "jobs",
                what: "AWS Backup backup and copy jobs that failed, aborted or expired (P2: Backup failure)",
                pattern: { "detail-type": ["Backup Job State Change", "Copy Job State Change"], detail: { state: [...FAILED_JOB_STATES] } },
            },
            {
                suffix: "restores",
                what: "AWS Backup restore jobs that failed, restore tests included (P2: Backup failure)",
                pattern: { "detail-type": ["Restore Job State Change"], detail: { status: [...FAILED_RESTORE_STATUSES] } },
            },
        ];
        for (const r of routes) {
            const eventRule = new aws.cloudwatch.EventRule(
                `${name}-failed-${r.suffix}`,
                {
                    description: r.what,
                    eventPattern: JSON.stringify({ source: ["aws.backup"], ...r.pattern }),
                    tags: { "alert-class": "P2" },
                },
                { parent: this },
            );
            new aws.cloudwatch.EventTarget(`${name}-failed-${r.suffix}-to-p2`, { rule: eventRule.name, arn: args.alertTopicArn }, { parent: eventRule });
        }

        // Weekly: AWS Backup restores the latest recovery point of each shard into a scratch cluster in the data
        // subnets, keeps it for the validation window, then deletes it; a failed restore alerts P2 (above).
        const testPlan = new aws.backup.RestoreTestingPlan(
            `${name}-restore-test`,
            {
                name: `bookedbarber_aurora_${args.region.replace(/-/g, "_")}`,
                scheduleExpression: RESTORE_TEST_SCHEDULE,
                startWindowHours: 24,
                recoveryPointSelection: {
                    algorithm: "LATEST_WITHIN_WINDOW",
                    includeVaults: [this.vault.arn],
                    recoveryPointTypes: ["SNAPSHOT"],
                    selectionWindowDays: RESTORE_TEST_WINDOW_DAYS,
                },
            },
            { parent: this },
        );
        new aws.backup.RestoreTestingSelection(
            `${name}-restore-test-shards`,
            {
                name: "aurora_shards",
                restoreTestingPlanName: testPlan.name,
                protectedResourceType: "Aurora",
                protectedResourceArns: args.clusterArns,
                iamRoleArn: role.arn,
                validationWindowHours: RESTORE_TEST_VALIDATION_HOURS,
                restoreMetadataOverrides: pulumi.all([args.restoreSubnetGroupName, args.restoreSecurityGroupId]).apply(([subnetGroup, sg]) => ({
                    dbSubnetGroupName: subnetGroup,
                    vpcSecurityGroupIds: JSON.stringify([sg]),
                })),
            },
            { parent: testPlan },
        );

        this.registerOutputs({ vaultArn: this.vaultArn, planId: this.plan.id });
    }
}
