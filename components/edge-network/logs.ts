import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountAdministersKey, cloudWatchLogsUsesKey } from "../kms-keys";
import { logBucket } from "../log-bucket";
import { bucketDeliveryStatements, DeliverySource, LOG_DELIVERY_SERVICE, serviceStatement } from "../log-delivery";
import { CMK_LIFECYCLE } from "../kms-keys";

/**
 * Encrypted destinations for the edge's logs, in the edge region (us-east-1,
 * where CloudFront and CLOUDFRONT-scope WAF deliver): a customer-managed key, a
 * CloudWatch log group for WAF (its name must start with aws-waf-logs-) and an
 * S3 bucket for CloudFront access logs.
 *
 * The bucket has ACLs disabled (BucketOwnerEnforced) and SSE-KMS, which legacy
 * CloudFront standard logging cannot write to (it needs ACLs and no SSE-KMS), so
 * the distribution logs through CloudWatch vended-log delivery (standard logging
 * v2), whose service principal delivery.logs.amazonaws.com is allowed below.
 */
export interface EdgeLogs {
    key: aws.kms.Key;
    wafLogGroup: aws.cloudwatch.LogGroup;
    bucket: aws.s3.Bucket;
}

export function edgeLogDestinations(
    name: string,
    args: { region: string; accountId: pulumi.Input<string>; retentionDays: number; protect: boolean },
    parent: pulumi.Resource,
): EdgeLogs {
    const { region } = args;
    // Vended-log delivery acts for this account's delivery sources (the distribution's) in the edge region.
    const deliverySources = (acct: string): DeliverySource => ({ account: acct, arnLike: `arn:aws:logs:${region}:${acct}:delivery-source:*` });
    const key = new aws.kms.Key(
        `${name}-logs-key`,
        {
            description: `BookedBarber edge logs (WAF, CloudFront) in ${region}`,
            ...CMK_LIFECYCLE,
            policy: pulumi.output(args.accountId).apply((acct) =>
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        accountAdministersKey(acct),
                        cloudWatchLogsUsesKey(region, acct),
                        serviceStatement({
                            sid: "VendedLogDeliveryWritesEncryptedObjects",
                            service: LOG_DELIVERY_SERVICE,
                            action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                            resource: "*",
                            source: deliverySources(acct),
                        }),
                    ],
                }),
            ),
            tags: { "data-domain": "logs" },
        },
        { parent, protect: args.protect },
    );
    new aws.kms.Alias(`${name}-logs-key-alias`, { name: `alias/bookedbarber/${name}-logs`, targetKeyId: key.keyId }, { parent: key });

    // WAF refuses a CloudWatch destination whose name does not start with aws-waf-logs-.
    const wafLogGroup = new aws.cloudwatch.LogGroup(
        `${name}-waf-logs`,
        {
            name: `aws-waf-logs-${name}`,
            retentionInDays: args.retentionDays,
            kmsKeyId: key.arn,
            tags: { "log-class": "edge-security" },
        },
        { parent, protect: args.protect },
    );

    const { bucket } = logBucket(
        `${name}-access-logs`,
        {
            keyArn: key.arn,
            retentionDays: args.retentionDays,
            logClass: "edge-access",
            protect: args.protect,
            writerStatements: (arn) =>
                pulumi.output(args.accountId).apply((acct) =>
                    bucketDeliveryStatements({
                        service: LOG_DELIVERY_SERVICE,
                        bucketArn: arn,
                        keyPrefix: `AWSLogs/${acct}/`,
                        source: deliverySources(acct),
                        sids: { write: "VendedLogDeliveryWritesCloudFrontLogs" },
                    }),
                ),
        },
        parent,
    );
    return { key, wafLogGroup, bucket };
}

/**
 * The viewer's address in CloudFront access logs: left out of every record (docs/decisions/edge-log-residency.md),
 * so no viewer IP, EU or not, is stored in the edge region. The viewer's country and network stay.
 */
export const VIEWER_ADDRESS_FIELDS = ["c-ip", "x-forwarded-for", "c-port"];

/** The access log fields delivered: CloudFront's standard log fields without the viewer's address, plus country and ASN. */
export const ACCESS_LOG_FIELDS = [
    "date",
    "time",
    "x-edge-location",
    "sc-bytes",
    "cs-method",
    "cs(Host)",
    "cs-uri-stem",
    "sc-status",
    "cs(Referer)",
    "cs(User-Agent)",
    "cs-uri-query",
    "x-edge-result-type",
    "x-edge-request-id",
    "x-host-header",
    "cs-protocol",
    "cs-bytes",
    "time-taken",
    "ssl-protocol",
    "ssl-cipher",
    "x-edge-response-result-type",
    "cs-protocol-version",
    "time-to-first-byte",
    "x-edge-detailed-result-type",
    "sc-content-type",
    "sc-content-len",
    "c-country",
    "asn",
];

/** CloudFront standard logging v2: the distribution's access logs delivered to the encrypted bucket as Parquet. */
export function distributionAccessLogs(
    name: string,
    distributionArn: pulumi.Input<string>,
    bucket: aws.s3.Bucket,
    parent: pulumi.Resource,
): aws.cloudwatch.LogDelivery {
    const source = new aws.cloudwatch.LogDeliverySource(
        `${name}-cdn-logs-source`,
        {
            name: `${name}-cdn-access`,
            logType: "ACCESS_LOGS",
            resourceArn: distributionArn,
        },
        { parent },
    );
    const destination = new aws.cloudwatch.LogDeliveryDestination(
        `${name}-cdn-logs-destination`,
        {
            name: `${name}-cdn-access-s3`,
            outputFormat: "parquet",
            deliveryDestinationConfiguration: { destinationResourceArn: bucket.arn },
        },
        { parent },
    );
    return new aws.cloudwatch.LogDelivery(
        `${name}-cdn-logs`,
        {
            deliverySourceName: source.name,
            deliveryDestinationArn: destination.arn,
            recordFields: ACCESS_LOG_FIELDS,
        },
        { parent },
    );
}
