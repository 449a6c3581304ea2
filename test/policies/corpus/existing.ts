import { CapturedResource } from "../../../tools/offline/mock-engine";
import { DESIGN_TAGS, provider, res } from "../helpers";
import {
    albLb,
    auroraCluster,
    auroraMysqlCluster as auroraMysql,
    auroraStack,
    clone,
    clusterInstance,
    complianceBaseline,
    distribution,
    doc,
    eksCluster,
    KEY,
    launchTemplate,
    listener,
    one,
    opensearchDomain,
    rdsInstance,
    rotatedSecret,
} from "./base";
import { CorpusCase } from "./types";

/** Cases for the peer checks that rules older than the corpus answer. */

const GLOBAL = provider("us-east-1", { ...DESIGN_TAGS, zone: "global", region: "us-east-1" }, "aws-global");
const edge = (inputs: Record<string, unknown>) => () => [GLOBAL, res("aws:cloudfront/distribution:Distribution", clone(inputs), { provider: GLOBAL })];
const CF_HTTP_ORIGIN = {
    ...distribution,
    origins: [
        { ...distribution.origins[0], customOriginConfig: { ...distribution.origins[0].customOriginConfig, originSslProtocols: ["TLSv1", "TLSv1.2"] } },
        distribution.origins[1],
    ],
};

const ownership = { rule: { objectOwnership: "BucketOwnerEnforced" } };
const pab = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
const sse = (bucketKey = true, algo = "aws:kms") => ({
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: algo, kmsMasterKeyId: KEY }, bucketKeyEnabled: bucketKey }],
});
const tlsOnly = doc({
    Sid: "TLS",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
});

/** A bucket with every companion a compliant bucket has; `drop` leaves one out, `change` replaces one's inputs. */
function bucket(drop?: string, change: Record<string, Record<string, unknown>> = {}): () => CapturedResource[] {
    return () => {
        const b = res("aws:s3/bucket:Bucket", { bucketPrefix: "orders-exports-" }, { protect: true });
        const parts: [string, string, Record<string, unknown>][] = [
            ["ownership", "aws:s3/bucketOwnershipControls:BucketOwnershipControls", ownership],
            ["public", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", pab],
            ["sse", "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", sse()],
            ["versioning", "aws:s3/bucketVersioning:BucketVersioning", { versioningConfiguration: { status: "Enabled" } }],
            ["logging", "aws:s3/bucketLogging:BucketLogging", { targetBucket: "access-logs", targetPrefix: "orders-exports/" }],
            ["policy", "aws:s3/bucketPolicy:BucketPolicy", { policy: tlsOnly }],
            [
                "lifecycle",
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                { rules: [{ id: "expire", status: "Enabled", expiration: { days: 400 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }] },
            ],
        ];
        return [b, ...parts.filter(([k]) => k !== drop).map(([k, t, i]) => res(t, { bucket: b.urn, ...clone(change[k] ?? i) }, { deps: [b] }))];
    };
}

const redis = {
    description: "Orders cache",
    engine: "valkey",
    atRestEncryptionEnabled: true,
    kmsKeyId: KEY,
    transitEncryptionEnabled: true,
    transitEncryptionMode: "required",
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    snapshotRetentionLimit: 7,
    finalSnapshotIdentifier: "final",
    subnetGroupName: "data",
    userGroupIds: ["ug"],
    autoMinorVersionUpgrade: true,
    logDeliveryConfigurations: [
        { logType: "engine-log", destinationType: "cloudwatch-logs", destination: "/cache/engine", logFormat: "json" },
        { logType: "slow-log", destinationType: "cloudwatch-logs", destination: "/cache/slow", logFormat: "json" },
    ],
};
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const topicPolicy = (statement: object) => one("aws:sns/topicPolicy:TopicPolicy", { arn: "arn:aws:sns:eu-west-1:123456789012:p0", policy: doc(statement) });
const publish = {
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: "sns:Publish",
    Resource: "arn:aws:sns:eu-west-1:123456789012:p0",
    Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
};
const passwordPolicy = {
    minimumPasswordLength: 14,
    requireLowercaseCharacters: true,
    requireUppercaseCharacters: true,
    requireNumbers: true,
    requireSymbols: true,
    passwordReusePrevention: 24,
    maxPasswordAge: 90,
};
const PP = "aws:iam/accountPasswordPolicy:AccountPasswordPolicy";
const LB = "aws:lb/loadBalancer:LoadBalancer";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const aurora =
    (c: Record<string, unknown> = auroraCluster, i: Record<string, unknown> = clusterInstance) =>
    () =>
        auroraStack(c, i);
const vpcWith = (flowLog: boolean) => () => {
    const v = res("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16" });
    const lg = res("aws:cloudwatch/logGroup:LogGroup", { kmsKeyId: KEY, retentionInDays: 365 });
    return [
        v,
        lg,
        ...(flowLog ? [res("aws:ec2/flowLog:FlowLog", { vpcId: v.urn, trafficType: "ALL", logDestination: lg.urn }, { deps: [v, lg] })] : []),
        ...complianceBaseline([]),
    ];
};
/** A region running a compliant EKS cluster, watched by the compliance baseline. */
const workloadWith = () => () => [...vpcWith(true)(), ...one("eks:index:Cluster", eksCluster)()];

const OS = "aws:opensearch/domain:Domain";
/** A SecureString parameter whose value comes from a RandomPassword, as a plan records it. */
const ssmParam = (extra: Record<string, unknown>) => () => {
    const pw = res("random:index/randomPassword:RandomPassword", { length: 40 });
    const p = res("aws:ssm/parameter:Parameter", { name: "/orders/api-key", type: "SecureString", value: "[secret]", ...extra }, { deps: [pw] });
    p.secretPaths = ["value"];
    p.options.propertyDependencies = { value: [pw.urn] };
    return [pw, p];
};
const imds = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 };
const instance = {
    ami: "ami-1",
    instanceType: "m6i.large",
    subnetId: "subnet-app",
    associatePublicIpAddress: false,
    metadataOptions: imds,
    monitoring: true,
    ebsOptimized: true,
    rootBlockDevice: { encrypted: true, kmsKeyId: KEY, volumeType: "gp3" },
};
const launchConfig = {
    imageId: "ami-1",
    instanceType: "m6i.large",
    associatePublicIpAddress: false,
    metadataOptions: imds,
    rootBlockDevice: { encrypted: true, volumeType: "gp3" },
};

export const EXISTING_CASES: CorpusCase[] = [
    {
        rule: "aurora-encrypted-with-cmk",
        peer: "CKV_AWS_327",
        what: "Aurora on the AWS-managed key",
        good: aurora(),
        bad: aurora({ ...auroraCluster, kmsKeyId: "alias/aws/rds" }),
    },
    {
        rule: "rds-storage-encrypted",
        peer: "aws-rds-cluster-disallow-unencrypted-storage",
        what: "storage not encrypted",
        good: aurora(),
        bad: aurora({ ...auroraCluster, storageEncrypted: false }),
    },
    {
        rule: "ebs-encrypted",
        peer: "CKV_AWS_8",
        what: "unencrypted data volume",
        good: one(LT, launchTemplate),
        bad: one(LT, { ...launchTemplate, blockDeviceMappings: [...launchTemplate.blockDeviceMappings, { deviceName: "/dev/xvdb", ebs: { volumeSize: 50 } }] }),
    },
    {
        rule: "ebs-encrypted-with-cmk",
        peer: "CKV_AWS_189",
        what: "EBS on the AWS-managed key",
        good: one(LT, launchTemplate),
        bad: one(LT, { ...launchTemplate, blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }] }),
    },
    {
        rule: "ebs-encrypted-with-cmk",
        peer: "aws-ec2-launchtemplate-configure-customer-managed-key",
        what: "no CMK on the root volume",
        good: one(LT, launchTemplate),
        bad: one(LT, { ...launchTemplate, blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: "alias/aws/ebs" } }] }),
    },
    {
        rule: "eks-secrets-encrypted-with-cmk",
        peer: "aws-eks-cluster-enable-cluster-encryption-config",
        what: "no encryption config",
        good: one("eks:index:Cluster", eksCluster),
        bad: one("eks:index:Cluster", { ...eksCluster, encryptionConfigKeyArn: undefined }),
    },
    {
        rule: "eks-endpoint-private",
        peer: "CKV_AWS_38",
        what: "public endpoint open to 0.0.0.0/0",
        good: one("eks:index:Cluster", eksCluster),
        bad: one("eks:index:Cluster", { ...eksCluster, endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] }),
    },
    {
        rule: "eks-endpoint-private",
        peer: "aws-eks-cluster-disallow-api-endpoint-public-access",
        what: "public endpoint",
        good: one("eks:index:Cluster", eksCluster),
        bad: one("eks:index:Cluster", { ...eksCluster, endpointPublicAccess: true }),
    },
    {
        rule: "elasticache-encrypted-at-rest",
        peer: "CKV_AWS_29",
        what: "no encryption at rest",
        good: one(RG, redis, true),
        bad: one(RG, { ...redis, atRestEncryptionEnabled: false }, true),
    },
    {
        rule: "elasticache-encrypted-with-cmk",
        peer: "CKV_AWS_191",
        what: "no CMK",
        good: one(RG, redis, true),
        bad: one(RG, { ...redis, kmsKeyId: undefined }, true),
    },
    {
        rule: "elasticache-in-transit-encryption",
        peer: "CKV_AWS_30",
        what: "no TLS",
        good: one(RG, redis, true),
        bad: one(RG, { ...redis, transitEncryptionEnabled: false, transitEncryptionMode: undefined }, true),
    },
    {
        rule: "elasticache-auth",
        peer: "CKV_AWS_31",
        what: "no AUTH and no user groups",
        good: one(RG, redis, true),
        bad: one(RG, { ...redis, userGroupIds: [] }, true),
    },
    {
        rule: "kms-key-rotation",
        peer: "aws-kms-key-enable-key-rotation",
        what: "rotation unset",
        good: one(
            "aws:kms/key:Key",
            {
                description: "k",
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }),
            },
            true,
        ),
        bad: one(
            "aws:kms/key:Key",
            { description: "k", policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }) },
            true,
        ),
    },
    {
        rule: "performance-insights-encrypted-with-cmk",
        peer: "aws-rds-clusterinstance-disallow-unencrypted-performance-insights",
        what: "Performance Insights on the default key",
        good: aurora(),
        bad: aurora(auroraCluster, { ...clusterInstance, performanceInsightsKmsKeyId: "alias/aws/rds" }),
    },
    {
        rule: "performance-insights-encrypted-with-cmk",
        peer: "aws-rds-instance-disallow-unencrypted-performance-insights",
        what: "instance PI without a CMK",
        good: one("aws:rds/instance:Instance", rdsInstance, true),
        bad: one("aws:rds/instance:Instance", { ...rdsInstance, performanceInsightsKmsKeyId: undefined }, true),
    },
    {
        rule: "rds-performance-insights",
        peer: "aws-rds-clusterinstance-enable-performance-insights",
        what: "cluster instance PI off",
        good: aurora(),
        bad: aurora(auroraCluster, { ...clusterInstance, performanceInsightsEnabled: undefined, performanceInsightsKmsKeyId: undefined }),
    },
    {
        rule: "rds-copy-tags-to-snapshot",
        peer: "CKV2_AWS_60",
        what: "instance does not copy tags",
        good: one("aws:rds/instance:Instance", rdsInstance, true),
        bad: one("aws:rds/instance:Instance", { ...rdsInstance, copyTagsToSnapshot: false }, true),
    },
    {
        rule: "rds-log-exports",
        peer: "CKV_AWS_129",
        what: "instance exports no logs",
        good: one("aws:rds/instance:Instance", rdsInstance, true),
        bad: one("aws:rds/instance:Instance", { ...rdsInstance, enabledCloudwatchLogsExports: [] }, true),
    },
    {
        rule: "no-public-datastores",
        peer: "aws-rds-instance-disallow-public-access",
        what: "public instance",
        good: one("aws:rds/instance:Instance", rdsInstance, true),
        bad: one("aws:rds/instance:Instance", { ...rdsInstance, publiclyAccessible: true }, true),
    },
    {
        rule: "no-public-datastores",
        peer: "aws-rds-clusterinstance-disallow-public-access",
        what: "public cluster instance",
        good: aurora(),
        bad: aurora(auroraCluster, { ...clusterInstance, publiclyAccessible: true }),
    },
    {
        rule: "backup-retention",
        peer: "CKV_AWS_133",
        what: "instance with no backups",
        good: one("aws:rds/instance:Instance", rdsInstance, true),
        bad: one("aws:rds/instance:Instance", { ...rdsInstance, backupRetentionPeriod: 0 }, true),
    },
    {
        rule: "backup-retention",
        peer: "aws-rds-cluster-enable-backup-retention",
        what: "cluster retention unset",
        good: aurora(),
        bad: aurora({ ...auroraCluster, backupRetentionPeriod: undefined }),
    },
    {
        rule: "backup-retention",
        peer: "aws-rds-instance-enable-backup-retention",
        what: "instance retention unset",
        good: one("aws:rds/instance:Instance", rdsInstance, true),
        bad: one("aws:rds/instance:Instance", { ...rdsInstance, backupRetentionPeriod: undefined }, true),
    },
    {
        rule: "backup-retention",
        peer: "aws-rds-instance-configure-backup-retention",
        what: "two days of backups",
        good: one("aws:rds/instance:Instance", rdsInstance, true),
        bad: one("aws:rds/instance:Instance", { ...rdsInstance, backupRetentionPeriod: 2 }, true),
    },
    {
        rule: "opensearch-encrypted-at-rest",
        peer: "CKV_AWS_5",
        what: "no encryption at rest",
        good: one(OS, opensearchDomain, true),
        bad: one(OS, { ...opensearchDomain, encryptAtRest: { enabled: false } }, true),
    },
    {
        rule: "opensearch-enforce-https",
        peer: "CKV_AWS_83",
        what: "HTTPS not enforced",
        good: one(OS, opensearchDomain, true),
        bad: one(OS, { ...opensearchDomain, domainEndpointOptions: { ...opensearchDomain.domainEndpointOptions, enforceHttps: false } }, true),
    },
    { rule: "s3-sse-kms-bucket-key", peer: "CKV_AWS_145", what: "SSE-S3 instead of KMS", good: bucket(), bad: bucket(undefined, { sse: sse(true, "AES256") }) },
    { rule: "s3-access-logging", peer: "CKV_AWS_18", what: "no access logging", good: bucket(), bad: bucket("logging") },
    { rule: "s3-public-access-block", peer: "CKV2_AWS_6", what: "no public access block", good: bucket(), bad: bucket("public") },
    {
        rule: "s3-versioning",
        peer: "CKV_AWS_21",
        what: "versioning suspended",
        good: bucket(),
        bad: bucket(undefined, { versioning: { versioningConfiguration: { status: "Suspended" } } }),
    },
    {
        rule: "s3-no-public-bucket-policy",
        peer: "CKV_AWS_70",
        what: "bucket policy allowing everyone",
        good: bucket(),
        bad: bucket(undefined, {
            policy: {
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [...JSON.parse(tlsOnly).Statement, { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }],
                }),
            },
        }),
    },
    {
        rule: "sns-encrypted-with-cmk",
        peer: "CKV_AWS_26",
        what: "topic on the AWS-managed key",
        good: one("aws:sns/topic:Topic", { kmsMasterKeyId: KEY }),
        bad: one("aws:sns/topic:Topic", { kmsMasterKeyId: "alias/aws/sns" }),
    },
    {
        rule: "sns-topic-policy-scoped",
        peer: "CKV_AWS_169",
        what: "topic open to every principal",
        good: topicPolicy(publish),
        bad: topicPolicy({ ...publish, Principal: "*", Condition: undefined }),
    },
    {
        rule: "sns-topic-policy-scoped",
        peer: "CKV_AWS_385",
        what: "a service grant with no source account",
        good: topicPolicy(publish),
        bad: topicPolicy({ ...publish, Condition: undefined }),
    },
    {
        rule: "secrets-encrypted-with-cmk",
        peer: "aws-secretsmanager-secret-configure-customer-managed-key",
        what: "secret on the default key",
        good: rotatedSecret({ description: "d", kmsKeyId: KEY }),
        bad: rotatedSecret({ description: "d", kmsKeyId: "alias/aws/secretsmanager" }),
    },
    ...(["CKV_AWS_9", "CKV_AWS_10", "CKV_AWS_11", "CKV_AWS_12", "CKV_AWS_13", "CKV_AWS_14", "CKV_AWS_15"] as const).map((peer, i) => {
        const weaken: Record<string, unknown>[] = [
            { maxPasswordAge: 365 },
            { minimumPasswordLength: 8 },
            { requireLowercaseCharacters: false },
            { requireNumbers: false },
            { passwordReusePrevention: undefined },
            { requireSymbols: false },
            { requireUppercaseCharacters: false },
        ];
        const rule = [
            "password-max-age",
            "password-min-length",
            "password-lowercase",
            "password-numbers",
            "password-reuse",
            "password-symbols",
            "password-uppercase",
        ][i];
        return {
            rule,
            peer,
            what: `password policy weakened: ${Object.keys(weaken[i])[0]}`,
            good: one(PP, passwordPolicy),
            bad: one(PP, { ...passwordPolicy, ...weaken[i] }),
        };
    }),
    {
        rule: "password-min-length",
        peer: "aws-iam-password-policy-minimum-password-length",
        what: "short passwords",
        good: one(PP, passwordPolicy),
        bad: one(PP, { ...passwordPolicy, minimumPasswordLength: 10 }),
    },
    {
        rule: "password-reuse",
        peer: "aws-iam-password-policy-prevent-reuse",
        what: "reuse allowed",
        good: one(PP, passwordPolicy),
        bad: one(PP, { ...passwordPolicy, passwordReusePrevention: 1 }),
    },
    {
        rule: "cloudfront-access-logs",
        peer: "aws-cloudfront-distribution-enable-access-logging",
        what: "no logging",
        good: edge(distribution),
        bad: edge({ ...distribution, loggingConfig: undefined }),
    },
    {
        rule: "cloudfront-access-logs",
        peer: "aws-cloudfront-distribution-configure-access-logging",
        what: "logging without a bucket",
        good: edge(distribution),
        bad: edge({ ...distribution, loggingConfig: { includeCookies: false } }),
    },
    {
        rule: "cloudfront-origin-https-only",
        peer: "aws-cloudfront-distribution-configure-secure-tls-to-origin",
        what: "TLS 1.0 to the origin",
        good: edge(distribution),
        bad: edge(CF_HTTP_ORIGIN),
    },
    {
        rule: "cloudfront-viewer-https",
        peer: "aws-cloudfront-distribution-disallow-unencrypted-traffic",
        what: "plain HTTP to viewers",
        good: edge(distribution),
        bad: edge({ ...distribution, defaultCacheBehavior: { ...distribution.defaultCacheBehavior, viewerProtocolPolicy: "allow-all" } }),
    },
    {
        rule: "cloudfront-viewer-tls",
        peer: "aws-cloudfront-distribution-configure-secure-tls",
        what: "TLS 1.1 to viewers",
        good: edge(distribution),
        bad: edge({ ...distribution, viewerCertificate: { ...distribution.viewerCertificate, minimumProtocolVersion: "TLSv1.1_2016" } }),
    },
    ...["aws-lb-loadbalancer-enable-access-logging", "aws-alb-loadbalancer-enable-access-logging"].map((peer) => ({
        rule: "lb-access-logs",
        peer,
        what: "access logs off",
        good: one(LB, albLb),
        bad: one(LB, { ...albLb, accessLogs: undefined }),
    })),
    ...["aws-lb-loadbalancer-configure-access-logging", "aws-alb-loadbalancer-configure-access-logging"].map((peer) => ({
        rule: "lb-access-logs",
        peer,
        what: "access logs with no bucket",
        good: one(LB, albLb),
        bad: one(LB, { ...albLb, accessLogs: { enabled: true, bucket: "" } }),
    })),
    {
        rule: "lb-listener-tls-policy",
        peer: "CKV_AWS_103",
        what: "TLS 1.0 policy",
        good: one("aws:lb/listener:Listener", listener),
        bad: one("aws:lb/listener:Listener", { ...listener, sslPolicy: "ELBSecurityPolicy-TLS-1-0-2015-04" }),
    },
    ...["aws-lb-listener-disallow-unencrypted-traffic", "aws-alb-listener-disallow-unencrypted-traffic"].map((peer) => ({
        rule: "lb-listener-encrypted",
        peer,
        what: "plain HTTP listener",
        good: one("aws:lb/listener:Listener", listener),
        bad: one("aws:lb/listener:Listener", { port: 8080, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: "tg" }] }),
    })),
    {
        rule: "lb-listener-tls-policy",
        peer: "aws-alb-listener-configure-secure-tls",
        what: "FS 1.1 policy",
        good: one("aws:alb/listener:Listener", listener),
        bad: one("aws:alb/listener:Listener", { ...listener, sslPolicy: "ELBSecurityPolicy-FS-1-1-2019-08" }),
    },
    {
        rule: "no-world-ingress",
        peer: "aws-ec2-securitygroup-disallow-public-internet-ingress",
        what: "PostgreSQL open to the internet",
        good: one("aws:ec2/securityGroup:SecurityGroup", {
            description: "db",
            ingress: [{ description: "pg", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"] }],
        }),
        bad: one("aws:ec2/securityGroup:SecurityGroup", {
            description: "db",
            ingress: [{ description: "pg", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] }],
        }),
    },
    {
        rule: "no-public-ip-in-private-subnets",
        peer: "CKV_AWS_130",
        what: "private subnet assigning public IPs",
        good: one("aws:ec2/subnet:Subnet", { cidrBlock: "10.0.1.0/24", mapPublicIpOnLaunch: false, tags: { tier: "app" } }),
        bad: one("aws:ec2/subnet:Subnet", { cidrBlock: "10.0.1.0/24", mapPublicIpOnLaunch: true, tags: { tier: "app" } }),
    },
    { rule: "vpc-flow-logs", peer: "CKV2_AWS_11", what: "VPC without flow logs", good: vpcWith(true), bad: vpcWith(false) },
    {
        rule: "guardduty-enabled",
        peer: "CKV_AWS_238",
        what: "detector disabled",
        good: one("aws:guardduty/detector:Detector", { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES" }),
        bad: one("aws:guardduty/detector:Detector", { enable: false, findingPublishingFrequency: "FIFTEEN_MINUTES" }),
    },
    {
        rule: "launch-template-no-public-ip",
        peer: "aws-ec2-launchtemplate-disallow-public-ip",
        what: "public IP on the interface",
        good: one(LT, launchTemplate),
        bad: one(LT, { ...launchTemplate, networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: true }] }),
    },
    {
        rule: "launch-template-no-public-ip",
        peer: "aws-ec2-instance-disallow-public-ip",
        what: "instance with a public IP",
        good: one("aws:ec2/instance:Instance", instance),
        bad: one("aws:ec2/instance:Instance", { ...instance, associatePublicIpAddress: true }),
    },
    {
        rule: "launch-template-no-public-ip",
        peer: "aws-ec2-launchconfiguration-disallow-public-ip",
        what: "launch configuration with a public IP",
        good: one("aws:ec2/launchConfiguration:LaunchConfiguration", launchConfig),
        bad: one("aws:ec2/launchConfiguration:LaunchConfiguration", { ...launchConfig, associatePublicIpAddress: true }),
    },
    {
        rule: "launch-template-no-public-ip",
        peer: "CKV_AWS_389",
        what: "Auto Scaling launch configuration with a public IP",
        good: one("aws:ec2/launchConfiguration:LaunchConfiguration", launchConfig),
        bad: one("aws:ec2/launchConfiguration:LaunchConfiguration", { ...launchConfig, associatePublicIpAddress: "true" }),
    },
    {
        rule: "iam-no-user-policies",
        peer: "aws-iam-user-policy-attachment-only-attachment-through-groups",
        what: "managed policy on a user",
        good: one("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", { group: "ops", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
        bad: one("aws:iam/userPolicyAttachment:UserPolicyAttachment", { user: "bob", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
    },
    {
        rule: "iam-no-wildcard-actions",
        peer: "CKV_AWS_1",
        what: '"*:*" on every resource',
        good: one("aws:iam/policy:Policy", { policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }) }),
        bad: one("aws:iam/policy:Policy", { policy: doc({ Effect: "Allow", Action: "*:*", Resource: "*" }) }),
    },
    ...(["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const).map((flag, i) => ({
        rule: "s3-public-access-block",
        peer: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"][i],
        what: `${flag} off`,
        good: bucket(),
        bad: bucket(undefined, { public: { ...pab, [flag]: false } }),
    })),
    {
        rule: "rds-storage-encrypted",
        peer: "CKV_AWS_16",
        what: "unencrypted RDS instance",
        good: one("aws:rds/instance:Instance", rdsInstance, true),
        bad: one("aws:rds/instance:Instance", { ...rdsInstance, storageEncrypted: false }, true),
    },
    {
        rule: "rds-storage-encrypted",
        peer: "aws-rds-instance-disallow-unencrypted-storage",
        what: "instance storage not encrypted",
        good: one("aws:rds/instance:Instance", rdsInstance, true),
        bad: one("aws:rds/instance:Instance", { ...rdsInstance, storageEncrypted: undefined }, true),
    },
    {
        rule: "aurora-encrypted-with-cmk",
        peer: "aws-rds-instance-configure-customer-managed-key",
        what: "instance without a CMK",
        good: one("aws:rds/instance:Instance", rdsInstance, true),
        bad: one("aws:rds/instance:Instance", { ...rdsInstance, kmsKeyId: undefined }, true),
    },
    {
        rule: "rds-log-exports",
        peer: "CKV_AWS_325",
        what: "Aurora MySQL without the audit log",
        good: aurora(auroraMysql),
        bad: aurora({ ...auroraMysql, enabledCloudwatchLogsExports: ["error", "slowquery"] }),
    },
    {
        rule: "ebs-encrypted",
        peer: "aws-ec2-instance-disallow-unencrypted-root-block-device",
        what: "instance root volume unencrypted",
        good: one("aws:ec2/instance:Instance", instance),
        bad: one("aws:ec2/instance:Instance", { ...instance, rootBlockDevice: { volumeType: "gp3" } }),
    },
    {
        rule: "ebs-encrypted",
        peer: "aws-ec2-instance-disallow-unencrypted-block-device",
        what: "instance data volume unencrypted",
        good: one("aws:ec2/instance:Instance", instance),
        bad: one("aws:ec2/instance:Instance", { ...instance, ebsBlockDevices: [{ deviceName: "/dev/xvdb", volumeSize: 50 }] }),
    },
    {
        rule: "ebs-encrypted",
        peer: "aws-ec2-launchconfiguration-disallow-unencrypted-root-block-device",
        what: "launch configuration root volume unencrypted",
        good: one("aws:ec2/launchConfiguration:LaunchConfiguration", launchConfig),
        bad: one("aws:ec2/launchConfiguration:LaunchConfiguration", { ...launchConfig, rootBlockDevice: { volumeType: "gp3" } }),
    },
    {
        rule: "ebs-encrypted",
        peer: "aws-ec2-launchconfiguration-disallow-unencrypted-block-device",
        what: "launch configuration data volume unencrypted",
        good: one("aws:ec2/launchConfiguration:LaunchConfiguration", launchConfig),
        bad: one("aws:ec2/launchConfiguration:LaunchConfiguration", { ...launchConfig, ebsBlockDevices: [{ deviceName: "/dev/xvdb", volumeSize: 10 }] }),
    },
    {
        rule: "ssm-parameter-encrypted-with-cmk",
        peer: "CKV_AWS_337",
        what: "SecureString on the AWS-managed key",
        good: ssmParam({ keyId: KEY }),
        bad: ssmParam({}),
    },
    {
        rule: "continuous-compliance-on",
        peer: "CKV_AWS_121",
        what: "a region with no Config at all",
        good: workloadWith(),
        bad: () => workloadWith()().filter((r) => !r.type.startsWith("aws:cfg/") && !r.type.startsWith("aws:securityhub/")),
    },
];
