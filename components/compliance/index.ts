import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logBucket } from "../log-bucket";
import { bucketDeliveryStatements } from "../log-delivery";
import type { AlertClass } from "../observability/alerts";
import { FINDING_ROUTES, SECURITY_HUB_STANDARDS, StandardName, standardsArn } from "./standards";
import { withTags } from "../tags";
import { serviceRoleTrust } from "../service-role";

export { FINDING_ROUTES, SECURITY_HUB_STANDARDS, standardsArn } from "./standards";

/** Days the configuration history is kept (PCI DSS 10.5.1: audit history for at least 12 months). */
export const CONFIG_HISTORY_RETENTION_DAYS = 365;
/** How often AWS Config writes a full configuration snapshot to the bucket. */
export const CONFIG_SNAPSHOT_FREQUENCY = "TwentyFour_Hours";
/** The AWS managed policy that lets AWS Config read resource configurations. */
export const CONFIG_ROLE_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole";

export interface ContinuousComplianceArgs {
    /** The stack's region. Required. */
    region: string;
    /** Account the recorder and Security Hub run in. Required. */
    accountId: pulumi.Input<string>;
    /** Customer-managed key the configuration history is encrypted with (the regional logs key). Required. */
    logsKeyArn: pulumi.Input<string>;
    /** The P0-P3 alert topics findings are routed to. Required. */
    alertTopicArns: Record<AlertClass, pulumi.Input<string>>;
    /**
     * Record IAM and other global resource types here. Default false: exactly one region
     * of the account should (AWS Config "Selecting which resources to record"), or every
     * region records the same IAM changes.
     */
    recordGlobalResources?: boolean;
    /** Security Hub standards to subscribe to. Default: all three of SECURITY_HUB_STANDARDS. */
    standards?: readonly StandardName[];
    /** Protect the history bucket from `pulumi destroy`. Default true. */
    protect?: boolean;
    /** Tags added to every AWS resource this component creates, under each resource's own tags (build the design's set with `defaultTags()`). Default none: the provider's defaultTags carry them, as in the stacks. */
    tags?: Record<string, string>;
}

/**
 * Continuous compliance in one region (spec: "continuous monitoring"): an AWS Config
 * recorder for every supported resource type with its history in a KMS-encrypted log
 * bucket, Security Hub with the FSBP, CIS and PCI DSS standards, and its findings routed
 * by severity to the alert topics. See components/compliance/README.md.
 */
export class ContinuousCompliance extends pulumi.ComponentResource {
    /** The AWS Config configuration recorder. */
    readonly recorder: aws.cfg.Recorder;
    /** The S3 bucket of the Config delivery channel (configuration history and snapshots). */
    readonly historyBucket: aws.s3.Bucket;
    /** The Security Hub account enablement. */
    readonly securityHub: aws.securityhub.Account;
    /** ARNs of the Security Hub standards subscribed to. */
    readonly standardsArns: pulumi.Output<string>[];

    constructor(name: string, args: ContinuousComplianceArgs, opts?: pulumi.ComponentResourceOptions) {
        const standards = args.standards ?? (Object.keys(SECURITY_HUB_STANDARDS) as StandardName[]);
        for (const s of standards) {
            if (!(s in SECURITY_HUB_STANDARDS))
                throw new Error(`ContinuousCompliance ${name}: standards has ${JSON.stringify(s)}; allowed: ${Object.keys(SECURITY_HUB_STANDARDS).join(", ")}`);
        }
        if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(args.region))
            throw new Error(`ContinuousCompliance ${name}: region ${JSON.stringify(args.region)} is not an AWS region name`);
        super("bookedbarber:compliance:ContinuousCompliance", name, {}, withTags("ContinuousCompliance", name, args.tags, opts));

        const history = logBucket(
            `${name}-config-history`,
            {
                keyArn: args.logsKeyArn,
                logClass: "config-history",
                retentionDays: CONFIG_HISTORY_RETENTION_DAYS,
                protect: args.protect,
                // AWS Config's bucket policy (AWS Config Developer Guide, "Permissions for the Amazon S3 bucket"), tied to this account.
                writerStatements: (arn) =>
                    pulumi.output(args.accountId).apply((acct) =>
                        bucketDeliveryStatements({
                            service: "config.amazonaws.com",
                            bucketArn: arn,
                            keyPrefix: `AWSLogs/${acct}/Config/`,
                            source: { account: acct },
                            sids: { aclCheck: "ConfigCheckAcl", write: "ConfigWrite" },
                            aclCheckActions: ["s3:GetBucketAcl", "s3:ListBucket"],
                        }),
                    ),
            },
            this,
        );
        this.historyBucket = history.bucket;

        const role = new aws.iam.Role(
            `${name}-config-role`,
            {
                description: "AWS Config recorder: reads resource configurations and writes the history bucket",
                assumeRolePolicy: pulumi.output(args.accountId).apply((acct) => serviceRoleTrust("config.amazonaws.com", { account: acct })),
            },
            { parent: this },
        );
        new aws.iam.RolePolicyAttachment(`${name}-config-role-managed`, { role: role.name, policyArn: CONFIG_ROLE_POLICY_ARN }, { parent: role });
        new aws.iam.RolePolicy(
            `${name}-config-role-delivery`,
            {
                role: role.id,
                policy: pulumi.all([history.bucket.arn, args.logsKeyArn, args.accountId]).apply(([bucket, key, acct]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Sid: "WriteHistory", Effect: "Allow", Action: "s3:PutObject", Resource: `${bucket}/AWSLogs/${acct}/Config/*` },
                            { Sid: "CheckBucket", Effect: "Allow", Action: ["s3:GetBucketAcl", "s3:ListBucket"], Resource: bucket },
                            { Sid: "EncryptHistory", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: key },
                        ],
                    }),
                ),
            },
            { parent: role },
        );

        this.recorder = new aws.cfg.Recorder(
            `${name}-recorder`,
            {
                roleArn: role.arn,
                recordingGroup: {
                    allSupported: true,
                    includeGlobalResourceTypes: args.recordGlobalResources ?? false,
                },
                recordingMode: { recordingFrequency: "CONTINUOUS" },
            },
            { parent: this },
        );
        const channel = new aws.cfg.DeliveryChannel(
            `${name}-delivery`,
            {
                s3BucketName: history.bucket.bucket,
                s3KmsKeyArn: args.logsKeyArn,
                snapshotDeliveryProperties: { deliveryFrequency: CONFIG_SNAPSHOT_FREQUENCY },
            },
            { parent: this, dependsOn: [this.recorder, history.policy] },
        );
        new aws.cfg.RecorderStatus(`${name}-recorder-status`, { name: this.recorder.name, isEnabled: true }, { parent: this, dependsOn: [channel] });

        // Security Hub evaluates its controls from AWS Config's recordings, so it follows the recorder.
        this.securityHub = new aws.securityhub.Account(
            `${name}-securityhub`,
            {
                // The standards are subscribed explicitly below, so the set is visible in the plan.
                enableDefaultStandards: false,
                autoEnableControls: true,
                controlFindingGenerator: "SECURITY_CONTROL",
            },
            { parent: this, dependsOn: [this.recorder] },
        );
        this.standardsArns = standards.map(
            (s) =>
                new aws.securityhub.StandardsSubscription(
                    `${name}-standard-${s.toLowerCase()}`,
                    {
                        standardsArn: standardsArn(args.region, s),
                    },
                    { parent: this.securityHub, dependsOn: [this.securityHub] },
                ).standardsArn,
        );

        for (const { label, cls } of FINDING_ROUTES) {
            const rule = new aws.cloudwatch.EventRule(
                `${name}-findings-${label.toLowerCase()}`,
                {
                    description: `New ${label} Security Hub findings (${cls})`,
                    eventPattern: JSON.stringify({
                        source: ["aws.securityhub"],
                        "detail-type": ["Security Hub Findings - Imported"],
                        detail: {
                            findings: {
                                Severity: { Label: [label] },
                                Workflow: { Status: ["NEW"] },
                                RecordState: ["ACTIVE"],
                                // GuardDuty findings reach the topics directly (ObservabilityStack); do not page twice.
                                ProductName: [{ "anything-but": "GuardDuty" }],
                            },
                        },
                    }),
                    tags: { "alert-class": cls },
                },
                { parent: this.securityHub },
            );
            new aws.cloudwatch.EventTarget(
                `${name}-findings-${label.toLowerCase()}-to-${cls.toLowerCase()}`,
                { rule: rule.name, arn: args.alertTopicArns[cls] },
                { parent: rule },
            );
        }
        this.registerOutputs({ recorderName: this.recorder.name, historyBucket: history.bucket.bucket, standardsArns: this.standardsArns });
    }
}
