import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountAdministersKey, cloudWatchLogsUsesKey } from "../kms-keys";
import { logBucket } from "../log-bucket";
import { bucketDeliveryStatements, serviceStatement } from "../log-delivery";
import { CMK_LIFECYCLE } from "../kms-keys";
import { serviceRoleTrust } from "../service-role";

const CLOUDTRAIL_SERVICE = "cloudtrail.amazonaws.com";

export interface AuditTrailArgs {
    /** Home region of the global stack, where the trail, bucket and log group live. */
    region: string;
    accountId: pulumi.Input<string>;
    /** Days the trail's CloudWatch log group keeps events. */
    logRetentionDays: number;
    /** Days the bucket keeps log files (and their noncurrent versions) before they expire. */
    bucketRetentionDays: number;
    protect: boolean;
}

export interface AuditTrail {
    trail: aws.cloudtrail.Trail;
    bucket: aws.s3.Bucket;
    key: aws.kms.Key;
    logGroup: aws.cloudwatch.LogGroup;
}

/** Key policy: CloudTrail encrypts log files for this account's trails; CloudWatch Logs encrypts the trail's group. */
export function trailKeyPolicy(region: string, accountId: string, trailArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            accountAdministersKey(accountId),
            serviceStatement({
                sid: "CloudTrailEncryptsLogFiles",
                service: CLOUDTRAIL_SERVICE,
                action: ["kms:GenerateDataKey*", "kms:DescribeKey"],
                resource: "*",
                source: { arn: trailArn },
                conditions: { StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${accountId}:trail/*` } },
            }),
            {
                Sid: "AccountPrincipalsReadLogFiles",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: ["kms:Decrypt", "kms:ReEncryptFrom"],
                Resource: "*",
                Condition: {
                    StringEquals: { "kms:CallerAccount": accountId },
                    StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${accountId}:trail/*` },
                },
            },
            cloudWatchLogsUsesKey(region, accountId),
        ],
    });
}

/** What CloudTrail needs of its bucket: an ACL check, and writes under AWSLogs/<account>/ by this trail only. */
export function trailWriterStatements(bucketArn: string, accountId: string, trailArn: string): object[] {
    return bucketDeliveryStatements({
        service: CLOUDTRAIL_SERVICE,
        bucketArn,
        keyPrefix: `AWSLogs/${accountId}/`,
        source: { arn: trailArn },
        sids: { aclCheck: "CloudTrailAclCheck", write: "CloudTrailWrite" },
    });
}

/**
 * The account's audit trail (global mode): a multi-region CloudTrail with
 * log-file validation, written to a KMS-encrypted, versioned, private bucket
 * and delivered to a KMS-encrypted CloudWatch log group. Management events
 * are account metadata, not customer data, so one trail for every zone does
 * not move personal data out of its zone.
 */
export function auditTrail(name: string, args: AuditTrailArgs, parent: pulumi.Resource): AuditTrail {
    const trailName = "bookedbarber-audit";
    const trailArn = pulumi.interpolate`arn:aws:cloudtrail:${args.region}:${args.accountId}:trail/${trailName}`;
    const key = new aws.kms.Key(
        `${name}-trail-key`,
        {
            description: "BookedBarber CloudTrail log files",
            ...CMK_LIFECYCLE,
            policy: pulumi.all([args.accountId, trailArn]).apply(([acct, arn]) => trailKeyPolicy(args.region, acct, arn)),
            tags: { "data-domain": "audit" },
        },
        { parent, protect: args.protect },
    );
    new aws.kms.Alias(`${name}-trail-key-alias`, { name: "alias/bookedbarber/audit", targetKeyId: key.keyId }, { parent: key });

    const { bucket, policy: bucketPolicy } = logBucket(
        `${name}-trail-bucket`,
        {
            keyArn: key.arn,
            retentionDays: args.bucketRetentionDays,
            logClass: "security-audit",
            bucketPrefix: "bookedbarber-audit-trail-",
            tags: { "data-domain": "audit" },
            protect: args.protect,
            writerStatements: (arn) => pulumi.all([args.accountId, trailArn]).apply(([acct, t]) => trailWriterStatements(arn, acct, t)),
        },
        parent,
    );

    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-trail-logs`,
        {
            name: "/bookedbarber/cloudtrail/audit",
            retentionInDays: args.logRetentionDays,
            kmsKeyId: key.arn,
            tags: { "log-class": "security-audit" },
        },
        { parent, protect: args.protect },
    );
    const role = new aws.iam.Role(
        `${name}-trail-logs-role`,
        {
            description: "Lets CloudTrail deliver the audit trail to its CloudWatch log group",
            assumeRolePolicy: pulumi.all([args.accountId, trailArn]).apply(([acct, arn]) => serviceRoleTrust(CLOUDTRAIL_SERVICE, { account: acct, arn: arn })),
        },
        { parent },
    );
    const rolePolicy = new aws.iam.RolePolicy(
        `${name}-trail-logs-policy`,
        {
            role: role.id,
            policy: logGroup.arn.apply((arn) =>
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${arn}:log-stream:*` }],
                }),
            ),
        },
        { parent: role },
    );

    const trail = new aws.cloudtrail.Trail(
        `${name}-trail`,
        {
            name: trailName,
            s3BucketName: bucket.id,
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            enableLogFileValidation: true,
            enableLogging: true,
            kmsKeyId: key.arn,
            cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
            cloudWatchLogsRoleArn: role.arn,
            insightSelectors: [{ insightType: "ApiCallRateInsight" }, { insightType: "ApiErrorRateInsight" }],
        },
        { parent, dependsOn: [bucketPolicy, rolePolicy] },
    );
    return { trail, bucket, key, logGroup };
}
