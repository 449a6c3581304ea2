/**
 * Resource-policy statements that let an AWS service deliver logs into this account's resources (an S3
 * bucket, the KMS key that encrypts it, a CloudWatch Logs resource policy), written one way.
 *
 * Every statement names the service principal and carries the confused-deputy guard AWS recommends for
 * service principals: `aws:SourceAccount` and/or `aws:SourceArn` (IAM User Guide, "The confused deputy
 * problem"), so the service acts only for this account's resources, never for another customer's.
 */

/** CloudWatch vended-log delivery: ELB access logs, CloudFront standard logging v2, and other vended logs. */
export const LOG_DELIVERY_SERVICE = "delivery.logs.amazonaws.com";

/** The canned ACL the delivering services set on each object; with ACLs disabled (BucketOwnerEnforced) it is still accepted. */
const BUCKET_OWNER_FULL_CONTROL = { "s3:x-amz-acl": "bucket-owner-full-control" };

/** Which resources the service may act for. At least one is required. */
export interface DeliverySource {
    /** `aws:SourceAccount`: only for this account's resources. */
    account?: string;
    /** `aws:SourceArn` compared exactly (StringEquals): only for this one resource, e.g. a named trail. */
    arn?: string;
    /** `aws:SourceArn` as a pattern (ArnLike): for these resources, e.g. the account's delivery sources in a region. */
    arnLike?: string;
}

export interface ServiceStatementArgs {
    sid: string;
    /** The service principal, e.g. LOG_DELIVERY_SERVICE or "cloudtrail.amazonaws.com". */
    service: string;
    action: string | string[];
    resource: string | string[];
    source: DeliverySource;
    /** More conditions by operator (an encryption context, the ACL a write sets); StringEquals keys join the source's. */
    conditions?: Record<string, Record<string, string>>;
}

/** One Allow statement for a service principal, guarded by its source account and/or ARN. */
export function serviceStatement(a: ServiceStatementArgs): object {
    const { account, arn, arnLike } = a.source;
    if (account === undefined && arn === undefined && arnLike === undefined) {
        throw new Error(`${a.sid}: a statement for ${a.service} needs source.account, source.arn or source.arnLike (the confused-deputy guard)`);
    }
    if (arn !== undefined && arnLike !== undefined) throw new Error(`${a.sid}: give source.arn or source.arnLike, not both (both would set aws:SourceArn)`);
    const { StringEquals: moreEquals, ...others } = a.conditions ?? {};
    const stringEquals = {
        ...(account !== undefined ? { "aws:SourceAccount": account } : {}),
        ...(arn !== undefined ? { "aws:SourceArn": arn } : {}),
        ...moreEquals,
    };
    return {
        Sid: a.sid,
        Effect: "Allow",
        Principal: { Service: a.service },
        Action: a.action,
        Resource: a.resource,
        Condition: {
            ...(Object.keys(stringEquals).length > 0 ? { StringEquals: stringEquals } : {}),
            ...(arnLike !== undefined ? { ArnLike: { "aws:SourceArn": arnLike } } : {}),
            ...others,
        },
    };
}

export interface BucketDeliveryArgs {
    service: string;
    bucketArn: string;
    /** The key prefix the service writes under (ending in "/"), e.g. `AWSLogs/<account>/`. */
    keyPrefix: string;
    source: DeliverySource;
    /** Statement IDs; the bucket-ACL check is added only when it has an ID (services that check the bucket first). */
    sids: { aclCheck?: string; write: string };
    /** What the ACL check may do. Default: s3:GetBucketAcl. */
    aclCheckActions?: string | string[];
}

/** A service's access to a log bucket: an optional check of the bucket's ACL, and PutObject under one prefix only. */
export function bucketDeliveryStatements(a: BucketDeliveryArgs): object[] {
    if (!a.keyPrefix.endsWith("/")) throw new Error(`${a.sids.write}: keyPrefix ${JSON.stringify(a.keyPrefix)} must end with "/"`);
    const statements: object[] = [];
    if (a.sids.aclCheck !== undefined) {
        statements.push(
            serviceStatement({
                sid: a.sids.aclCheck,
                service: a.service,
                action: a.aclCheckActions ?? "s3:GetBucketAcl",
                resource: a.bucketArn,
                source: a.source,
            }),
        );
    }
    statements.push(
        serviceStatement({
            sid: a.sids.write,
            service: a.service,
            action: "s3:PutObject",
            resource: `${a.bucketArn}/${a.keyPrefix}*`,
            source: a.source,
            conditions: { StringEquals: BUCKET_OWNER_FULL_CONTROL },
        }),
    );
    return statements;
}
