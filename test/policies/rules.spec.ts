import { expect } from "chai";
import { RULES } from "../../policies/rules";
import { CapturedResource } from "../../tools/offline/mock-engine";
import { CORPUS } from "./corpus";
import { DESIGN_TAGS, provider, res, violationsOf } from "./helpers";

/**
 * One passing and one violating case per rule, run through the policy runner
 * with the rule's real object. Each violating case asserts the exact policy name.
 */

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const trust = (principal: object, condition?: object) =>
    JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }],
    });
const MFA = { Bool: { "aws:MultiFactorAuthPresent": "true" } };
const admin = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
const scoped = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }] });

const aurora = {
    engine: "aurora-postgresql",
    storageEncrypted: true,
    kmsKeyId: KEY,
    dbClusterParameterGroupName: "pg",
    dbSubnetGroupName: "data",
    enabledCloudwatchLogsExports: ["postgresql"],
    backupRetentionPeriod: 7,
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "final",
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: KEY,
    masterUsername: "postgres",
    manageMasterUserPassword: true,
};
const redis = {
    atRestEncryptionEnabled: true,
    kmsKeyId: KEY,
    transitEncryptionEnabled: true,
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    snapshotRetentionLimit: 7,
    finalSnapshotIdentifier: "final",
    subnetGroupName: "data",
    userGroupIds: ["ug"],
    logDeliveryConfigurations: [{ logType: "engine-log" }, { logType: "slow-log" }],
};
const eksCluster = {
    encryptionConfigKeyArn: KEY,
    endpointPublicAccess: false,
    endpointPrivateAccess: true,
    skipDefaultNodeGroup: true,
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
};
const domain = {
    encryptAtRest: { enabled: true, kmsKeyId: KEY },
    domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
    nodeToNodeEncryption: { enabled: true },
    vpcOptions: { subnetIds: ["a", "b", "c"] },
    clusterConfig: { zoneAwarenessEnabled: true, instanceCount: 3 },
};
const distribution = {
    defaultCacheBehavior: { viewerProtocolPolicy: "redirect-to-https" },
    viewerCertificate: {
        acmCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x",
        minimumProtocolVersion: "TLSv1.3_2025",
        sslSupportMethod: "sni-only",
    },
    origins: [
        { originId: "ingress", customOriginConfig: { originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"], httpPort: 80, httpsPort: 443 } },
    ],
    loggingConfig: { bucket: "logs.s3.amazonaws.com" },
};
const sse = (kms = true, bucketKey = true) => ({
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: kms ? "aws:kms" : "AES256", kmsMasterKeyId: KEY }, bucketKeyEnabled: bucketKey }],
});

const tlsOnly = JSON.stringify({
    Statement: [
        {
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
    ],
});
const logDelivery = JSON.stringify({
    Statement: [
        {
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::b/AWSLogs/*",
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
    ],
});
/** A data-tier subnet, its route table (with `routes` inline) and the association between them. */
const dataTier = (routes: object[]): CapturedResource[] => {
    const subnet = res("aws:ec2/subnet:Subnet", { tags: { tier: "data" } });
    const table = res("aws:ec2/routeTable:RouteTable", { routes });
    return [subnet, table, res("aws:ec2/routeTableAssociation:RouteTableAssociation", {}, { deps: [subnet, table] })];
};

const hardenedPod = {
    securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } },
    containers: [
        { name: "app", image: "x", securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } } },
    ],
};

interface Case {
    pass: () => CapturedResource[];
    fail: () => CapturedResource[];
}

const SQS = "aws:sqs/queue:Queue";
const QUEUE_ARN = "arn:aws:sqs:eu-west-1:123456789012:jobs";
/** A queue policy granting `principal` the worker's actions, with (or without) the TLS-only deny. */
const sqsPolicy = (principal: unknown, tlsOnly = true) =>
    JSON.stringify({
        Statement: [
            { Effect: "Allow", Principal: principal, Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage"], Resource: QUEUE_ARN },
            ...(tlsOnly
                ? [{ Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: QUEUE_ARN, Condition: { Bool: { "aws:SecureTransport": "false" } } }]
                : []),
        ],
    });
const one =
    (type: string, inputs: Record<string, unknown>, protect = false) =>
    () => [res(type, inputs, { protect })];
const bucketWith = (companions: (b: CapturedResource) => CapturedResource[]) => () => {
    const b = res("aws:s3/bucket:Bucket", {}, { protect: true });
    return [b, ...companions(b)];
};

const CASES: Record<string, Case> = {
    "aurora-encrypted-with-cmk": {
        pass: one("aws:rds/cluster:Cluster", aurora),
        fail: one("aws:rds/cluster:Cluster", { ...aurora, kmsKeyId: "alias/aws/rds" }),
    },
    "elasticache-encrypted-with-cmk": {
        pass: one("aws:elasticache/replicationGroup:ReplicationGroup", redis),
        fail: one("aws:elasticache/replicationGroup:ReplicationGroup", { ...redis, kmsKeyId: undefined }),
    },
    "eks-secrets-encrypted-with-cmk": {
        pass: one("eks:index:Cluster", eksCluster),
        fail: one("eks:index:Cluster", { ...eksCluster, encryptionConfigKeyArn: undefined }),
    },
    "ebs-encrypted-with-cmk": {
        pass: one("aws:ec2/launchTemplate:LaunchTemplate", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: KEY } }] }),
        fail: one("aws:ec2/launchTemplate:LaunchTemplate", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] }),
    },
    "s3-sse-kms-bucket-key": {
        pass: bucketWith((b) => [res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", sse(), { deps: [b] })]),
        fail: bucketWith((b) => [
            res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", sse(true, false), { deps: [b] }),
        ]),
    },
    "cloudwatch-logs-encrypted-with-cmk": {
        pass: one("aws:cloudwatch/logGroup:LogGroup", { kmsKeyId: KEY, retentionInDays: 365 }),
        fail: one("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 365 }),
    },
    "secrets-encrypted-with-cmk": {
        pass: one("aws:secretsmanager/secret:Secret", { kmsKeyId: KEY }),
        fail: one("aws:secretsmanager/secret:Secret", { kmsKeyId: "alias/aws/secretsmanager" }),
    },
    "lambda-env-encrypted-with-cmk": {
        pass: one("aws:lambda/function:Function", { runtime: "nodejs22.x", environment: { variables: { A: "1" } }, kmsKeyArn: KEY }),
        fail: one("aws:lambda/function:Function", { runtime: "nodejs22.x", environment: { variables: { A: "1" } } }),
    },
    "sns-encrypted-with-cmk": {
        pass: one("aws:sns/topic:Topic", { kmsMasterKeyId: KEY }),
        fail: one("aws:sns/topic:Topic", { kmsMasterKeyId: "alias/aws/sns" }),
    },
    "opensearch-encrypted-with-cmk": {
        pass: one("aws:opensearch/domain:Domain", domain),
        fail: one("aws:opensearch/domain:Domain", { ...domain, encryptAtRest: { enabled: true } }),
    },
    "performance-insights-encrypted-with-cmk": {
        pass: one("aws:rds/clusterInstance:ClusterInstance", { performanceInsightsEnabled: true, performanceInsightsKmsKeyId: KEY }),
        fail: one("aws:rds/clusterInstance:ClusterInstance", { performanceInsightsEnabled: true }),
    },
    "kms-key-rotation": {
        pass: one("aws:kms/key:Key", { enableKeyRotation: true, rotationPeriodInDays: 365 }),
        fail: one("aws:kms/key:Key", { enableKeyRotation: true, rotationPeriodInDays: 730 }),
    },
    "elasticache-in-transit-encryption": {
        pass: one("aws:elasticache/replicationGroup:ReplicationGroup", redis),
        fail: one("aws:elasticache/replicationGroup:ReplicationGroup", { ...redis, transitEncryptionMode: "preferred" }),
    },
    "rds-force-ssl": {
        pass: one("aws:rds/clusterParameterGroup:ClusterParameterGroup", {
            family: "aurora-postgresql16",
            parameters: [{ name: "rds.force_ssl", value: "1" }],
        }),
        fail: one("aws:rds/clusterParameterGroup:ClusterParameterGroup", {
            family: "aurora-postgresql16",
            parameters: [{ name: "rds.force_ssl", value: "0" }],
        }),
    },
    "rds-tls-min-version": {
        pass: one("aws:rds/clusterParameterGroup:ClusterParameterGroup", {
            family: "aurora-postgresql16",
            parameters: [
                { name: "rds.force_ssl", value: "1" },
                { name: "ssl_min_protocol_version", value: "TLSv1.3" },
            ],
        }),
        fail: one("aws:rds/clusterParameterGroup:ClusterParameterGroup", {
            family: "aurora-postgresql16",
            parameters: [
                { name: "rds.force_ssl", value: "1" },
                { name: "ssl_min_protocol_version", value: "TLSv1.2" },
            ],
        }),
    },
    "lb-listener-encrypted": {
        pass: one("aws:lb/listener:Listener", { protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }),
        fail: one("aws:lb/listener:Listener", { protocol: "HTTP", port: 8080, defaultActions: [{ type: "forward", targetGroupArn: "tg" }] }),
    },
    "cloudfront-viewer-https": {
        pass: one("aws:cloudfront/distribution:Distribution", distribution),
        fail: one("aws:cloudfront/distribution:Distribution", { ...distribution, defaultCacheBehavior: { viewerProtocolPolicy: "allow-all" } }),
    },
    "cloudfront-origin-https-only": {
        pass: one("aws:cloudfront/distribution:Distribution", distribution),
        fail: one("aws:cloudfront/distribution:Distribution", {
            ...distribution,
            origins: [{ originId: "o", customOriginConfig: { originProtocolPolicy: "match-viewer", originSslProtocols: ["TLSv1.2"] } }],
        }),
    },
    "opensearch-enforce-https": {
        pass: one("aws:opensearch/domain:Domain", domain),
        fail: one("aws:opensearch/domain:Domain", {
            ...domain,
            domainEndpointOptions: { enforceHttps: false, tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" },
        }),
    },
    "human-roles-require-mfa": {
        pass: one("aws:iam/role:Role", { assumeRolePolicy: trust({ AWS: "arn:aws:iam::123456789012:root" }, MFA) }),
        fail: one("aws:iam/role:Role", { assumeRolePolicy: trust({ AWS: "arn:aws:iam::123456789012:root" }) }),
    },
    "iam-users-mfa-enforced": {
        pass: () => {
            const u = res("aws:iam/user:User", {});
            const deny = JSON.stringify({
                Statement: [
                    { Effect: "Deny", NotAction: ["iam:*MFA*"], Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } },
                ],
            });
            return [
                u,
                res("aws:iam/userLoginProfile:UserLoginProfile", {}, { deps: [u] }),
                res("aws:iam/userPolicy:UserPolicy", { policy: deny }, { deps: [u] }),
            ];
        },
        fail: () => {
            const u = res("aws:iam/user:User", {});
            return [u, res("aws:iam/accessKey:AccessKey", {}, { deps: [u] })];
        },
    },
    "no-admin-on-workload-roles": {
        pass: one("aws:iam/rolePolicy:RolePolicy", { policy: scoped }),
        fail: one("aws:iam/rolePolicy:RolePolicy", { policy: admin }),
    },
    "password-min-length": {
        pass: one("aws:iam/accountPasswordPolicy:AccountPasswordPolicy", {
            minimumPasswordLength: 14,
            requireLowercaseCharacters: true,
            requireUppercaseCharacters: true,
            requireNumbers: true,
            requireSymbols: true,
            passwordReusePrevention: 24,
            maxPasswordAge: 90,
        }),
        fail: one("aws:iam/accountPasswordPolicy:AccountPasswordPolicy", { minimumPasswordLength: 8 }),
    },
    "cluster-admin-mfa-only": {
        pass: () => [
            res("aws:iam/role:Role", { assumeRolePolicy: trust({ AWS: "arn:aws:iam::123456789012:root" }, MFA) }, { name: "admins" }),
            res("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", {
                policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                principalArn: "arn:aws:iam::123456789012:role/admins-1a2b3c",
            }),
        ],
        fail: () => [
            res("aws:iam/role:Role", { assumeRolePolicy: trust({ AWS: "arn:aws:iam::123456789012:root" }) }, { name: "ops" }),
            res("eks:index:Cluster", {
                ...eksCluster,
                accessEntries: {
                    ops: {
                        principalArn: "arn:aws:iam::123456789012:role/ops-9f8e7d",
                        accessPolicies: { admin: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" } },
                    },
                },
            }),
        ],
    },
    "elasticache-auth": {
        pass: one("aws:elasticache/user:User", { authenticationMode: { type: "iam" }, accessString: "on ~app:* +@read" }),
        fail: one("aws:elasticache/user:User", { authenticationMode: { type: "no-password-required" }, accessString: "on ~* +@all" }),
    },
    "no-public-datastores": {
        pass: one("aws:rds/clusterInstance:ClusterInstance", { publiclyAccessible: false }),
        fail: one("aws:rds/clusterInstance:ClusterInstance", { publiclyAccessible: true }),
    },
    "eks-endpoint-private": { pass: one("eks:index:Cluster", eksCluster), fail: one("eks:index:Cluster", { ...eksCluster, endpointPublicAccess: true }) },
    "codebuild-encrypted-with-cmk": {
        pass: one("aws:codebuild/project:Project", { encryptionKey: KEY, environment: { privilegedMode: false } }),
        fail: one("aws:codebuild/project:Project", { encryptionKey: "alias/aws/s3", environment: { privilegedMode: true } }),
    },
    "registered-domain-locked": {
        pass: one("aws:route53domains/registeredDomain:RegisteredDomain", { domainName: "example.com", autoRenew: true, transferLock: true }),
        fail: one("aws:route53domains/registeredDomain:RegisteredDomain", { domainName: "example.com", autoRenew: true, transferLock: false }),
    },
    "no-world-ingress": {
        pass: () => {
            const sg = res("aws:ec2/securityGroup:SecurityGroup", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] });
            return [sg, res("aws:lb/loadBalancer:LoadBalancer", {}, { deps: [sg] })];
        },
        fail: () => {
            const sg = res("aws:ec2/securityGroup:SecurityGroup", {});
            return [
                sg,
                res(
                    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                    { cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 },
                    { deps: [sg] },
                ),
            ];
        },
    },
    "no-public-ip-in-private-subnets": {
        pass: one("aws:ec2/subnet:Subnet", { mapPublicIpOnLaunch: true, tags: { tier: "public" } }),
        fail: one("aws:ec2/subnet:Subnet", { mapPublicIpOnLaunch: true, tags: { tier: "app" } }),
    },
    "vpc-flow-logs": {
        pass: () => {
            const vpc = res("aws:ec2/vpc:Vpc", {});
            return [vpc, res("aws:ec2/flowLog:FlowLog", { trafficType: "ALL" }, { deps: [vpc] })];
        },
        fail: one("aws:ec2/vpc:Vpc", {}),
    },
    "vpc-peering-same-account": {
        pass: one("aws:ec2/vpcPeeringConnection:VpcPeeringConnection", { peerRegion: "eu-central-1" }),
        fail: one("aws:ec2/vpcPeeringConnection:VpcPeeringConnection", { peerOwnerId: "999999999999" }),
    },
    "s3-public-access-block": {
        pass: bucketWith((b) => [
            res(
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
                { deps: [b] },
            ),
        ]),
        fail: bucketWith(() => []),
    },
    "eks-control-plane-logs": {
        pass: one("eks:index:Cluster", eksCluster),
        fail: one("eks:index:Cluster", { ...eksCluster, enabledClusterLogTypes: ["api"] }),
    },
    "rds-log-exports": { pass: one("aws:rds/cluster:Cluster", aurora), fail: one("aws:rds/cluster:Cluster", { ...aurora, enabledCloudwatchLogsExports: [] }) },
    "lb-access-logs": {
        pass: one("aws:lb/loadBalancer:LoadBalancer", { accessLogs: { bucket: "logs", enabled: true } }),
        fail: one("aws:lb/loadBalancer:LoadBalancer", {}),
    },
    "cloudfront-access-logs": {
        pass: one("aws:cloudfront/distribution:Distribution", distribution),
        fail: one("aws:cloudfront/distribution:Distribution", { ...distribution, loggingConfig: undefined }),
    },
    "waf-logging": {
        pass: () => {
            const acl = res("aws:wafv2/webAcl:WebAcl", {});
            return [
                acl,
                res(
                    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
                    { logDestinationConfigs: ["arn:aws:logs:us-east-1:1:log-group:aws-waf-logs-x"] },
                    { deps: [acl] },
                ),
            ];
        },
        fail: one("aws:wafv2/webAcl:WebAcl", {}),
    },
    "cloudtrail-multi-region": {
        pass: one("aws:cloudtrail/trail:Trail", { isMultiRegionTrail: true, enableLogFileValidation: true, kmsKeyId: KEY }),
        fail: one("aws:cloudtrail/trail:Trail", { isMultiRegionTrail: false, enableLogFileValidation: true, kmsKeyId: KEY }),
    },
    "pci-log-retention": {
        pass: one("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 365 }),
        fail: one("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 90 }),
    },
    "hipaa-log-retention": {
        pass: one("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 2192, tags: { "compliance-scope": "hipaa" } }),
        fail: one("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 365, tags: { "compliance-scope": "soc2+hipaa" } }),
    },
    "elasticache-log-delivery": {
        pass: one("aws:elasticache/replicationGroup:ReplicationGroup", redis),
        fail: one("aws:elasticache/replicationGroup:ReplicationGroup", { ...redis, logDeliveryConfigurations: [] }),
    },
    "s3-access-logging": {
        pass: bucketWith((b) => [res("aws:s3/bucketLogging:BucketLogging", { targetBucket: "logs" }, { deps: [b] })]),
        fail: bucketWith(() => []),
    },
    "datastore-multi-az": {
        pass: () => {
            const c = res("aws:rds/cluster:Cluster", aurora);
            return [c, res("aws:rds/clusterInstance:ClusterInstance", {}, { deps: [c] }), res("aws:rds/clusterInstance:ClusterInstance", {}, { deps: [c] })];
        },
        fail: () => {
            const c = res("aws:rds/cluster:Cluster", aurora);
            return [c, res("aws:rds/clusterInstance:ClusterInstance", {}, { deps: [c] })];
        },
    },
    "backup-retention": { pass: one("aws:rds/cluster:Cluster", aurora), fail: one("aws:rds/cluster:Cluster", { ...aurora, backupRetentionPeriod: 1 }) },
    "deletion-protection": {
        pass: one("aws:rds/cluster:Cluster", aurora, true),
        fail: one("aws:rds/cluster:Cluster", { ...aurora, deletionProtection: false }, true),
    },
    "final-snapshot": { pass: one("aws:rds/cluster:Cluster", aurora), fail: one("aws:rds/cluster:Cluster", { ...aurora, skipFinalSnapshot: true }) },
    "nodes-encrypt-in-transit": {
        pass: () => [
            res("aws:eks/nodeGroup:NodeGroup", { instanceTypes: ["r7g.2xlarge", "r8g.2xlarge"], capacityType: "SPOT" }),
            res("aws:ec2/launchTemplate:LaunchTemplate", { instanceType: "c7i-flex.large" }),
            res("aws:ec2/launchTemplate:LaunchTemplate", { metadataOptions: { httpTokens: "required" } }),
            res("eks:index:ManagedNodeGroup", { instanceTypes: ["m7g.2xlarge"] }),
        ],
        fail: () => [
            res("aws:eks/nodeGroup:NodeGroup", { instanceTypes: ["r7g.2xlarge", "r6g.2xlarge"] }),
            res("aws:ec2/launchTemplate:LaunchTemplate", { instanceType: "t4g.large" }),
            res("eks:index:ManagedNodeGroup", {}),
        ],
    },
    "node-groups-three-azs": {
        pass: one("eks:index:ManagedNodeGroup", { subnetIds: ["a", "b", "c"] }),
        fail: one("eks:index:ManagedNodeGroup", { subnetIds: ["a", "b"] }),
    },
    "failover-records-health-checked": {
        pass: one("aws:route53/record:Record", { failoverRoutingPolicies: [{ type: "PRIMARY" }], healthCheckId: "hc-1" }),
        fail: one("aws:route53/record:Record", { failoverRoutingPolicies: [{ type: "PRIMARY" }] }),
    },
    "region-switch-plan": {
        pass: one("aws:arcregionswitch/plan:Plan", {
            regions: ["eu-west-1", "eu-central-1"],
            primaryRegion: "eu-west-1",
            executionRole: "arn:aws:iam::1:role/x",
            workflows: [{}],
            recoveryTimeObjectiveMinutes: 5,
        }),
        fail: one("aws:arcregionswitch/plan:Plan", {
            regions: ["eu-west-1"],
            primaryRegion: "eu-west-1",
            executionRole: "arn:aws:iam::1:role/x",
            workflows: [{}],
        }),
    },
    "s3-versioning": {
        pass: bucketWith((b) => [res("aws:s3/bucketVersioning:BucketVersioning", { versioningConfiguration: { status: "Enabled" } }, { deps: [b] })]),
        fail: bucketWith((b) => [res("aws:s3/bucketVersioning:BucketVersioning", { versioningConfiguration: { status: "Suspended" } }, { deps: [b] })]),
    },
    "data-residency": {
        pass: one("aws:secretsmanager/secret:Secret", { kmsKeyId: KEY, replicas: [{ region: "eu-central-1" }] }),
        fail: one("aws:secretsmanager/secret:Secret", { kmsKeyId: KEY, replicas: [{ region: "us-east-1" }] }),
    },
    "required-tags": {
        pass: one("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16" }),
        fail: () => {
            const bare = provider("eu-west-1", { app: "bookedbarber" }, "bare");
            return [bare, res("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16" }, { provider: bare })];
        },
    },
    "guardduty-enabled": {
        pass: one("aws:guardduty/detector:Detector", { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES" }),
        fail: one("aws:guardduty/detector:Detector", { enable: false }),
    },
    "alerting-wired": {
        pass: one("aws:cloudwatch/metricAlarm:MetricAlarm", { alarmActions: ["arn:aws:sns:eu-west-1:1:p0"] }),
        fail: one("aws:cloudwatch/eventRule:EventRule", { state: "DISABLED" }),
    },
    "s3-deny-insecure-transport": {
        pass: bucketWith((b) => [res("aws:s3/bucketPolicy:BucketPolicy", { policy: tlsOnly }, { deps: [b] })]),
        fail: bucketWith((b) => [res("aws:s3/bucketPolicy:BucketPolicy", { policy: logDelivery }, { deps: [b] })]),
    },
    "sqs-encrypted-with-cmk": { pass: one(SQS, { kmsMasterKeyId: KEY }, true), fail: one(SQS, { sqsManagedSseEnabled: true }, true) },
    "sqs-dead-letter-queue": {
        pass: () => {
            const dlq = res(SQS, { kmsMasterKeyId: KEY }, { protect: true });
            return [
                dlq,
                res("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", { redriveAllowPolicy: "{}" }, { deps: [dlq] }),
                res(
                    SQS,
                    {
                        kmsMasterKeyId: KEY,
                        redrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:eu-west-1:123456789012:dlq", maxReceiveCount: 5 }),
                    },
                    { protect: true },
                ),
            ];
        },
        fail: one(
            SQS,
            { kmsMasterKeyId: KEY, redrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:eu-west-1:123456789012:dlq", maxReceiveCount: 0 }) },
            true,
        ),
    },
    "sqs-queue-policy-scoped": {
        pass: one("aws:sqs/queuePolicy:QueuePolicy", { policy: sqsPolicy({ AWS: "arn:aws:iam::123456789012:role/worker" }) }),
        fail: one("aws:sqs/queuePolicy:QueuePolicy", { policy: sqsPolicy("*") }),
    },
    "sqs-deny-insecure-transport": {
        pass: () => {
            const q = res(SQS, { kmsMasterKeyId: KEY }, { protect: true });
            return [q, res("aws:sqs/queuePolicy:QueuePolicy", { policy: sqsPolicy({ AWS: "arn:aws:iam::123456789012:role/worker" }) }, { deps: [q] })];
        },
        fail: () => {
            const q = res(SQS, { kmsMasterKeyId: KEY }, { protect: true });
            return [q, res("aws:sqs/queuePolicy:QueuePolicy", { policy: sqsPolicy({ AWS: "arn:aws:iam::123456789012:role/worker" }, false) }, { deps: [q] })];
        },
    },
    "s3-no-public-bucket-policy": {
        pass: one("aws:s3/bucketPolicy:BucketPolicy", { policy: logDelivery }),
        fail: one("aws:s3/bucketPolicy:BucketPolicy", {
            policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] }),
        }),
    },
    "s3-acls-disabled": {
        pass: one("aws:s3/bucketOwnershipControls:BucketOwnershipControls", { bucket: "b", rule: { objectOwnership: "BucketOwnerEnforced" } }),
        fail: one("aws:s3/bucketOwnershipControls:BucketOwnershipControls", { bucket: "b", rule: { objectOwnership: "ObjectWriter" } }),
    },
    "mesh-mtls-strict": {
        pass: one("kubernetes:security.istio.io/v1:PeerAuthentication", {
            metadata: { name: "default", namespace: "istio-system" },
            spec: { mtls: { mode: "STRICT" } },
        }),
        fail: one("kubernetes:security.istio.io/v1:PeerAuthentication", {
            metadata: { name: "default", namespace: "istio-system" },
            spec: { mtls: { mode: "PERMISSIVE" } },
        }),
    },
    "k8s-admin-bindings": {
        pass: one("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", {
            roleRef: { kind: "ClusterRole", name: "view" },
            subjects: [{ kind: "Group", name: "bookedbarber:readonly" }],
        }),
        fail: one("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", {
            roleRef: { kind: "ClusterRole", name: "cluster-admin" },
            subjects: [{ kind: "Group", name: "bookedbarber:deployers" }],
        }),
    },
    "no-secrets-in-configmaps": {
        pass: one("kubernetes:core/v1:ConfigMap", {
            data: { "credentials-secret-arn": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-1a2b3c", "key-format": "${region}:${key}" },
        }),
        fail: one("kubernetes:core/v1:ConfigMap", { data: { "redis-password": "hunter2hunter2" } }),
    },
    "random-password-strength": {
        pass: one("random:index/randomPassword:RandomPassword", { length: 64, special: false }),
        fail: one("random:index/randomPassword:RandomPassword", { length: 16, special: true }),
    },
    "data-tier-no-internet-route": {
        pass: () => {
            const [subnet, table, assoc] = dataTier([]);
            return [
                subnet,
                table,
                assoc,
                res("aws:ec2/route:Route", { destinationCidrBlock: "10.1.32.0/20", vpcPeeringConnectionId: "pcx-1" }, { deps: [table] }),
            ];
        },
        fail: () => {
            const nat = res("aws:ec2/natGateway:NatGateway", {});
            const [subnet, table, assoc] = dataTier([]);
            return [
                nat,
                subnet,
                table,
                assoc,
                res("aws:ec2/route:Route", { destinationCidrBlock: "0.0.0.0/0", natGatewayId: "nat-1" }, { deps: [table, nat] }),
            ];
        },
    },
    "synthetics-artifacts-encrypted-with-cmk": {
        pass: one("aws:synthetics/canary:Canary", { name: "c", artifactConfig: { s3Encryption: { encryptionMode: "SSE_KMS", kmsKeyArn: KEY } } }),
        fail: one("aws:synthetics/canary:Canary", { name: "c", artifactConfig: { s3Encryption: { encryptionMode: "SSE_S3" } } }),
    },
    "sns-subscription-https": {
        pass: one("aws:sns/topicSubscription:TopicSubscription", {
            topic: "arn:aws:sns:eu-west-1:123456789012:p0",
            protocol: "https",
            endpoint: "https://hooks.example.com/sns",
        }),
        fail: one("aws:sns/topicSubscription:TopicSubscription", {
            topic: "arn:aws:sns:eu-west-1:123456789012:p0",
            protocol: "http",
            endpoint: "http://hooks.example.com/sns",
        }),
    },
    "chatbot-read-only-guardrails": {
        pass: one("aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration", {
            configurationName: "c",
            iamRoleArn: "arn:aws:iam::123456789012:role/chatbot",
            slackTeamId: "T0123456789",
            slackChannelId: "C0123456789",
            guardrailPolicyArns: ["arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess"],
        }),
        fail: one("aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration", {
            configurationName: "c",
            iamRoleArn: "arn:aws:iam::123456789012:role/chatbot",
            slackTeamId: "T0123456789",
            slackChannelId: "C0123456789",
        }),
    },
    "sns-topic-policy-scoped": {
        pass: one("aws:sns/topicPolicy:TopicPolicy", {
            policy: JSON.stringify({
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "cloudwatch.amazonaws.com" },
                        Action: "sns:Publish",
                        Resource: "arn:aws:sns:eu-west-1:123456789012:p0",
                        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
                    },
                ],
            }),
        }),
        fail: one("aws:sns/topicPolicy:TopicPolicy", {
            policy: JSON.stringify({
                Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sns:Publish", Resource: "arn:aws:sns:eu-west-1:123456789012:p0" }],
            }),
        }),
    },
    "storage-class-encrypted-with-cmk": {
        pass: one("kubernetes:storage.k8s.io/v1:StorageClass", {
            provisioner: "ebs.csi.aws.com",
            parameters: { type: "gp3", encrypted: "true", kmsKeyId: KEY },
        }),
        fail: one("kubernetes:storage.k8s.io/v1:StorageClass", { provisioner: "ebs.csi.aws.com", parameters: { type: "gp3" } }),
    },
    "k8s-workload-hardened": {
        pass: one("kubernetes:batch/v1:Job", { spec: { template: { spec: hardenedPod } } }),
        fail: one("kubernetes:apps/v1:Deployment", {
            spec: { template: { spec: { ...hardenedPod, containers: [{ name: "app", image: "x", securityContext: { privileged: true } }] } } },
        }),
    },
    "k8s-services-internal": {
        pass: one("kubernetes:core/v1:Service", { metadata: { name: "shard-0-rw" }, spec: { type: "ClusterIP", ports: [{ port: 5432 }] } }),
        fail: one("kubernetes:core/v1:Service", { metadata: { name: "db" }, spec: { type: "LoadBalancer", ports: [{ port: 5432 }] } }),
    },
    "helm-release-pinned": {
        pass: one("kubernetes:helm.sh/v3:Release", {
            chart: "istiod",
            version: "1.27.1",
            repositoryOpts: { repo: "https://istio-release.storage.googleapis.com/charts" },
        }),
        fail: one("kubernetes:helm.sh/v3:Release", { chart: "istiod", version: "^1.27", repositoryOpts: { repo: "http://example.com/charts" } }),
    },
};

/** Rules added with the parity corpus (test/policies/corpus/) take their first corpus case here. */
function caseOf(name: string): Case | undefined {
    if (CASES[name]) return CASES[name];
    const c = CORPUS.find((x) => x.rule === name);
    return c && { pass: c.good, fail: c.bad };
}

describe("policy rules: one passing and one violating case each", () => {
    it("has a case for every rule in the pack, and no case for a rule that does not exist", () => {
        expect(
            RULES.filter((r) => !caseOf(r.name)).map((r) => r.name),
            "rules with no case here or in the corpus",
        ).to.deep.equal([]);
        const names = new Set(RULES.map((r) => r.name));
        expect(Object.keys(CASES).filter((n) => !names.has(n))).to.deep.equal([]);
    });

    for (const rule of RULES) {
        describe(rule.name, () => {
            const c = caseOf(rule.name);
            it("passes a compliant resource", async () => {
                expect(c, `no test case for ${rule.name}`).to.not.equal(undefined);
                expect(await violationsOf(rule, c!.pass())).to.deep.equal([]);
            });
            it("reports a violation, under its own name, with a remediation hint", async () => {
                expect(c, `no test case for ${rule.name}`).to.not.equal(undefined);
                const v = await violationsOf(rule, c!.fail());
                expect(v.length).to.be.greaterThan(0);
                for (const x of v) {
                    expect(x.policy).to.equal(rule.name);
                    expect(x.level).to.equal(rule.enforcementLevel === "advisory" ? "advisory" : "mandatory");
                    expect(x.message).to.contain("Remediation: ");
                }
            });
        });
    }
});

describe("policy rule metadata", () => {
    it("gives every rule a unique name, a full-sentence description, frameworks, types and a remediation", () => {
        expect(new Set(RULES.map((r) => r.name)).size).to.equal(RULES.length);
        for (const r of RULES) {
            expect(r.description, r.name).to.match(/^[A-Z].+\.$/);
            expect(r.metadata.frameworks.length, r.name).to.be.greaterThan(0);
            expect(r.metadata.resourceTypes.length, r.name).to.be.greaterThan(0);
            expect(r.metadata.remediation.length, r.name).to.be.greaterThan(10);
            expect(["low", "medium", "high", "critical"]).to.include(r.severity);
        }
    });
    it("defaults encryption, MFA, exposure and residency rules to mandatory and HIPAA-only rules to advisory", () => {
        for (const r of RULES.filter(
            (x) => ["encryption", "transit", "network", "residency"].includes(x.metadata.domain) || x.metadata.topics.includes("mfa"),
        )) {
            expect(r.enforcementLevel, r.name).to.equal("mandatory");
        }
        const hipaaOnly = RULES.filter((r) => r.metadata.frameworks.length === 1 && r.metadata.frameworks[0] === "hipaa");
        expect(hipaaOnly.length).to.be.greaterThan(0);
        for (const r of hipaaOnly) expect(r.enforcementLevel, r.name).to.equal("advisory");
    });
    it("keeps tag keys in step with the design's tag set", () => {
        expect(Object.keys(DESIGN_TAGS).sort()).to.deep.equal(
            (RULES.find((r) => r.name === "required-tags")!.configSchema!.properties.requiredKeys as { default: string[] }).default.slice().sort(),
        );
    });
});
