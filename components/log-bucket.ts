import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface LogBucketArgs {
    /** KMS key ARN for SSE-KMS (with an S3 bucket key). Required: a customer-managed key that the writing service may use. */
    keyArn: pulumi.Input<string>;
    /**
     * The bucket's `log-class` tag (e.g. "security-audit", "edge-access"). Required: it marks the bucket as a
     * log bucket, which the s3-access-logging rule exempts (a log bucket logging its own access would loop).
     */
    logClass: string;
    /** Days objects are kept before they expire. Required (PCI DSS 10.7: at least 365 for audit logs). */
    retentionDays: number;
    /**
     * The statements that let the log-writing service in, given the bucket's ARN. Required.
     * A statement denying plain-HTTP access is always added in front of them.
     */
    writerStatements: (bucketArn: string) => pulumi.Input<object[]>;
    /** Days after which objects move to Glacier Instant Retrieval. Default: never (small buckets cost more to transition than to keep). */
    glacierAfterDays?: number;
    /** Prefix of the bucket's generated name. Default: the resource name plus "-". */
    bucketPrefix?: string;
    /** Tags beyond the provider's defaultTags and log-class (e.g. data-domain). */
    tags?: Record<string, string>;
    /** Protect the bucket from `pulumi destroy`. Default true (docs/design.md#conventions: log buckets are stateful). */
    protect?: boolean;
}

export interface LogBucket {
    bucket: aws.s3.Bucket;
    /** The bucket policy, created after encryption and the public access block: depend on it before a service starts writing. */
    policy: aws.s3.BucketPolicy;
}

/** Deny any request to the bucket that does not use TLS. */
export function denyInsecureTransport(bucketArn: string): object {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/**
 * A private bucket for service-delivered logs (load balancer, CloudFront,
 * CloudTrail): ACLs disabled, public access blocked, SSE-KMS with a bucket
 * key, versioned, expired after the retention period, TLS-only, and written
 * only by the statements the caller names. Children are named `${name}-<role>`
 * and parented to the bucket.
 */
export function logBucket(name: string, args: LogBucketArgs, parent: pulumi.Resource): LogBucket {
    const bucket = new aws.s3.Bucket(
        name,
        {
            bucketPrefix: args.bucketPrefix ?? `${name}-`,
            forceDestroy: false,
            tags: { ...args.tags, "log-class": args.logClass },
        },
        { parent, protect: args.protect ?? true },
    );
    const opts = { parent: bucket };
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        `${name}-public-access`,
        {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        opts,
    );
    const sse = new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-sse`,
        {
            bucket: bucket.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.keyArn }, bucketKeyEnabled: true }],
        },
        opts,
    );
    new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-lifecycle`,
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "retain-then-expire",
                    status: "Enabled",
                    filter: { prefix: "" },
                    ...(args.glacierAfterDays !== undefined ? { transitions: [{ days: args.glacierAfterDays, storageClass: "GLACIER_IR" }] } : {}),
                    expiration: { days: args.retentionDays },
                    noncurrentVersionExpiration: { noncurrentDays: 30 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
        },
        opts,
    );
    const policy = new aws.s3.BucketPolicy(
        `${name}-policy`,
        {
            bucket: bucket.id,
            policy: bucket.arn.apply((arn) =>
                pulumi
                    .output(args.writerStatements(arn))
                    .apply((writers) => JSON.stringify({ Version: "2012-10-17", Statement: [denyInsecureTransport(arn), ...writers] })),
            ),
        },
        { parent: bucket, dependsOn: [publicAccess, sse] },
    );
    return { bucket, policy };
}
