import { CapturedResource } from "../../../tools/offline/mock-engine";
import { res } from "../helpers";

/**
 * Compliant baselines, one per resource class: each passes the whole pack on its own
 * (test/policies/corpus.spec.ts checks it). Cases copy one and change what the peer's
 * failing example changes.
 */

export const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ACCOUNT = "123456789012";

export type Inputs = Record<string, any>;
export const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
/** One resource of `type` with `inputs` (stateful types protected, as our components do). */
export const one =
    (type: string, inputs: Inputs, protect = false) =>
    (): CapturedResource[] => [res(type, clone(inputs), { protect })];

export const distribution: Inputs = {
    enabled: true,
    webAclId: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/abc",
    defaultRootObject: "index.html",
    restrictions: { geoRestriction: { restrictionType: "blacklist", locations: ["KP"] } },
    defaultCacheBehavior: { targetOriginId: "group", viewerProtocolPolicy: "redirect-to-https" },
    viewerCertificate: {
        acmCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x",
        minimumProtocolVersion: "TLSv1.3_2025",
        sslSupportMethod: "sni-only",
    },
    origins: [
        {
            originId: "a",
            domainName: "a.example.com",
            customOriginConfig: { originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"], httpPort: 80, httpsPort: 443 },
        },
        {
            originId: "b",
            domainName: "b.example.com",
            customOriginConfig: { originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"], httpPort: 80, httpsPort: 443 },
        },
    ],
    originGroups: [{ originId: "group", failoverCriteria: { statusCodes: [502, 503] }, members: [{ originId: "a" }, { originId: "b" }] }],
    loggingConfig: { bucket: "logs.s3.amazonaws.com" },
};

export const securityGroup: Inputs = {
    description: "App tier: HTTPS from the load balancer only",
    vpcId: "vpc-1",
    ingress: [{ description: "HTTPS from the VPC", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }],
    egress: [{ description: "HTTPS out", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
};
export const ingressRule: Inputs = {
    securityGroupId: "sg-1",
    description: "PostgreSQL from the app tier",
    ipProtocol: "tcp",
    fromPort: 5432,
    toPort: 5432,
    referencedSecurityGroupId: "sg-2",
};
export const egressRule: Inputs = {
    securityGroupId: "sg-1",
    description: "HTTPS to the internet",
    ipProtocol: "tcp",
    fromPort: 443,
    toPort: 443,
    cidrIpv4: "0.0.0.0/0",
};
export const sgRule: Inputs = {
    type: "ingress",
    securityGroupId: "sg-1",
    description: "Redis from the app tier",
    protocol: "tcp",
    fromPort: 6379,
    toPort: 6379,
    cidrBlocks: ["10.0.0.0/16"],
};

export const albLb: Inputs = {
    loadBalancerType: "application",
    internal: true,
    enableDeletionProtection: true,
    dropInvalidHeaderFields: true,
    desyncMitigationMode: "defensive",
    accessLogs: { bucket: "lb-logs", enabled: true },
    subnets: ["a", "b", "c"],
    securityGroups: ["sg-1"],
};
export const nlb: Inputs = {
    loadBalancerType: "network",
    internal: true,
    enableDeletionProtection: true,
    enableCrossZoneLoadBalancing: true,
    accessLogs: { bucket: "lb-logs", enabled: true },
    subnets: ["a", "b", "c"],
    securityGroups: ["sg-1"],
};
export const listener: Inputs = {
    protocol: "HTTPS",
    port: 443,
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x",
    defaultActions: [{ type: "forward", targetGroupArn: "tg" }],
};

export const logGroup: Inputs = { kmsKeyId: KEY, retentionInDays: 365 };

const keyPolicyDoc = {
    Version: "2012-10-17",
    Statement: [
        { Sid: "Admin", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
        {
            Sid: "Logs",
            Effect: "Allow",
            Principal: { Service: "logs.eu-west-1.amazonaws.com" },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-1:${ACCOUNT}:*` } },
        },
    ],
};
export const kmsKey: Inputs = {
    description: "Log groups in eu-west-1",
    enableKeyRotation: true,
    rotationPeriodInDays: 365,
    deletionWindowInDays: 30,
    policy: JSON.stringify(keyPolicyDoc),
};
export const keyPolicy = keyPolicyDoc;

export const secret: Inputs = { description: "Master user of the orders database", kmsKeyId: KEY, recoveryWindowInDays: 30 };
export const ROTATION_LAMBDA = "arn:aws:lambda:eu-west-1:123456789012:function:rotate";
/** A secret with its rotation schedule (secret-rotation-configured), as the program builds them. */
export function rotatedSecret(
    inputs: Inputs = secret,
    rotation: Inputs | null = { rotationLambdaArn: ROTATION_LAMBDA, rotationRules: { automaticallyAfterDays: 30 } },
): () => CapturedResource[] {
    return () => {
        const s = res("aws:secretsmanager/secret:Secret", clone(inputs));
        return rotation
            ? [
                  s,
                  res(
                      "aws:secretsmanager/secretRotation:SecretRotation",
                      { secretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-AbCdEf", ...clone(rotation) },
                      { deps: [s] },
                  ),
              ]
            : [s];
    };
}

export const eksCluster: Inputs = {
    version: "1.33",
    encryptionConfigKeyArn: KEY,
    endpointPublicAccess: false,
    endpointPrivateAccess: true,
    skipDefaultNodeGroup: true,
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    deletionProtection: true,
};
export const nodeGroup: Inputs = {
    clusterName: "c",
    version: "1.33",
    subnetIds: ["a", "b", "c"],
    scalingConfig: { minSize: 3, maxSize: 6, desiredSize: 3 },
    launchTemplate: { id: "lt-1", version: "1" },
};

export const auroraCluster: Inputs = {
    engine: "aurora-postgresql",
    engineVersion: "16.6",
    storageEncrypted: true,
    kmsKeyId: KEY,
    dbClusterParameterGroupName: "pg",
    dbSubnetGroupName: "data",
    enabledCloudwatchLogsExports: ["postgresql"],
    backupRetentionPeriod: 7,
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "final",
    masterUsername: "postgres",
    manageMasterUserPassword: true,
    masterUserSecretKmsKeyId: KEY,
    iamDatabaseAuthenticationEnabled: true,
    copyTagsToSnapshot: true,
};
export const auroraMysqlCluster: Inputs = {
    ...auroraCluster,
    engine: "aurora-mysql",
    engineVersion: "8.0.mysql_aurora.3.08.0",
    enabledCloudwatchLogsExports: ["audit", "error", "slowquery"],
    backtrackWindow: 86400,
    dbClusterParameterGroupName: "mysql",
};
export const clusterInstance: Inputs = {
    engine: "aurora-postgresql",
    engineVersion: "16.6",
    instanceClass: "db.r6g.large",
    publiclyAccessible: false,
    autoMinorVersionUpgrade: true,
    caCertIdentifier: "rds-ca-rsa2048-g1",
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: KEY,
    monitoringInterval: 30,
    monitoringRoleArn: "arn:aws:iam::123456789012:role/rds-monitoring",
    copyTagsToSnapshot: true,
    dbSubnetGroupName: "data",
};
export const rdsInstance: Inputs = {
    engine: "postgres",
    engineVersion: "16.4",
    instanceClass: "db.r6g.large",
    storageEncrypted: true,
    kmsKeyId: KEY,
    multiAz: true,
    publiclyAccessible: false,
    iamDatabaseAuthenticationEnabled: true,
    backupRetentionPeriod: 7,
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "final",
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: KEY,
    monitoringInterval: 30,
    monitoringRoleArn: "arn:aws:iam::123456789012:role/rds-monitoring",
    copyTagsToSnapshot: true,
    autoMinorVersionUpgrade: true,
    caCertIdentifier: "rds-ca-rsa2048-g1",
    username: "postgres",
    manageMasterUserPassword: true,
    dbSubnetGroupName: "data",
    parameterGroupName: "pg",
};

export const backupVault: Inputs = { name: "aurora-eu-west-1", kmsKeyArn: KEY, forceDestroy: false };
export const vaultLock: Inputs = { backupVaultName: "aurora-eu-west-1", minRetentionDays: 7, maxRetentionDays: 365 };
export const STANDBY_VAULT = "arn:aws:backup:eu-central-1:123456789012:backup-vault:aurora-eu-central-1";
export const backupPlan: Inputs = {
    name: "aurora-eu-west-1",
    rules: [
        {
            ruleName: "daily",
            targetVaultName: "aurora-eu-west-1",
            schedule: "cron(0 5 * * ? *)",
            lifecycle: { deleteAfter: 35 },
            copyActions: [{ destinationVaultArn: STANDBY_VAULT, lifecycle: { deleteAfter: 35 } }],
        },
    ],
};

/**
 * AWS Backup for the clusters: a locked vault on a CMK, a plan copying to the zone's other region,
 * and a selection that depends on each cluster (it lists their ARNs, outputs of the clusters).
 */
export function backupsFor(
    clusters: CapturedResource[],
    plan: Inputs = backupPlan,
    vault: Inputs = backupVault,
    lock: Inputs | null = vaultLock,
): CapturedResource[] {
    const v = res("aws:backup/vault:Vault", clone(vault), { protect: true });
    const p = res("aws:backup/plan:Plan", clone(plan), { deps: [v] });
    const out = [
        v,
        p,
        res(
            "aws:backup/selection:Selection",
            {
                name: "aurora",
                planId: "plan-1",
                iamRoleArn: "arn:aws:iam::123456789012:role/backup",
                resources: clusters.map((_, n) => `arn:aws:rds:eu-west-1:123456789012:cluster:orders-${n}`),
            },
            { deps: [p, ...clusters] },
        ),
    ];
    return lock ? [...out, res("aws:backup/vaultLockConfiguration:VaultLockConfiguration", clone(lock), { deps: [v], protect: true })] : out;
}

/** An Aurora cluster with a writer and a reader that depend on it, and its AWS Backup cover, as a stack rule sees them. */
export function auroraStack(cluster: Inputs = auroraCluster, instance: Inputs = clusterInstance, backed = true): CapturedResource[] {
    const c = res("aws:rds/cluster:Cluster", clone(cluster), { protect: true });
    const i = { ...clone(instance), engine: cluster.engine, engineVersion: cluster.engineVersion };
    const members = [
        c,
        res("aws:rds/clusterInstance:ClusterInstance", { ...i, availabilityZone: "eu-west-1a" }, { deps: [c] }),
        res("aws:rds/clusterInstance:ClusterInstance", { ...i, availabilityZone: "eu-west-1b" }, { deps: [c] }),
    ];
    return backed ? [...members, ...backupsFor([c])] : members;
}

export const opensearchDomain: Inputs = {
    engineVersion: "OpenSearch_2.19",
    encryptAtRest: { enabled: true, kmsKeyId: KEY },
    domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
    nodeToNodeEncryption: { enabled: true },
    vpcOptions: { subnetIds: ["a", "b", "c"], securityGroupIds: ["sg-1"] },
    clusterConfig: {
        instanceCount: 3,
        zoneAwarenessEnabled: true,
        zoneAwarenessConfig: { availabilityZoneCount: 3 },
        dedicatedMasterEnabled: true,
        dedicatedMasterCount: 3,
    },
    advancedSecurityOptions: {
        enabled: true,
        anonymousAuthEnabled: false,
        internalUserDatabaseEnabled: false,
        masterUserOptions: { masterUserArn: "arn:aws:iam::123456789012:role/os-admin" },
    },
    logPublishingOptions: [
        { logType: "AUDIT_LOGS", enabled: true, cloudwatchLogGroupArn: "arn:aws:logs:eu-west-1:123456789012:log-group:/os/audit" },
        { logType: "ES_APPLICATION_LOGS", enabled: true, cloudwatchLogGroupArn: "arn:aws:logs:eu-west-1:123456789012:log-group:/os/app" },
    ],
};

export const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
export const scopedPolicy = doc({ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::orders-exports/*" });
export const serviceTrust = doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });
export const githubTrust = (condition?: object) =>
    doc({
        Effect: "Allow",
        Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
        Action: "sts:AssumeRoleWithWebIdentity",
        ...(condition ? { Condition: condition } : {}),
    });
export const githubPinned = {
    StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": "repo:bookedbarber/infra:ref:refs/heads/main",
    },
};

const visibility = (m: string) => ({ cloudwatchMetricsEnabled: true, metricName: m, sampledRequestsEnabled: true });
export const knownBadInputsRule = {
    name: "known-bad-inputs",
    priority: 1,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { name: "AWSManagedRulesKnownBadInputsRuleSet", vendorName: "AWS" } },
    visibilityConfig: visibility("kbi"),
};
export const webAcl: Inputs = {
    scope: "CLOUDFRONT",
    defaultAction: { allow: {} },
    visibilityConfig: visibility("acl"),
    rules: [
        {
            name: "rate-limit",
            priority: 0,
            action: { block: {} },
            statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } },
            visibilityConfig: visibility("rate"),
        },
        knownBadInputsRule,
    ],
};

export const launchTemplate: Inputs = {
    description: "EKS nodes",
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: KEY, volumeSize: 100, volumeType: "gp3" } }],
    networkInterfaces: [{ associatePublicIpAddress: "false", deviceIndex: 0 }],
    userData: Buffer.from("#!/bin/bash\n/etc/eks/bootstrap.sh orders\n").toString("base64"),
};

export const trail: Inputs = {
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    enableLogFileValidation: true,
    enableLogging: true,
    kmsKeyId: KEY,
    s3BucketName: "trail",
    snsTopicName: "arn:aws:sns:eu-west-1:123456789012:trail-files",
};

export const recorder: Inputs = { roleArn: "arn:aws:iam::123456789012:role/config", recordingGroup: { allSupported: true, includeGlobalResourceTypes: false } };
export const deliveryChannel: Inputs = {
    s3BucketName: "config-history",
    s3KmsKeyArn: KEY,
    snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
};
export const standards = [
    "arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0",
    "arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/3.0.0",
    "arn:aws:securityhub:eu-west-1::standards/pci-dss/v/4.0.1",
];

/** AWS Config and Security Hub for the test provider's region: what a stack with a VPC must also have. */
export function complianceBaseline(omit: string[] = []): CapturedResource[] {
    const out: CapturedResource[] = [];
    if (!omit.includes("recorder")) out.push(res("aws:cfg/recorder:Recorder", clone(recorder)));
    if (!omit.includes("status")) out.push(res("aws:cfg/recorderStatus:RecorderStatus", { name: "default", isEnabled: true }));
    if (!omit.includes("channel")) out.push(res("aws:cfg/deliveryChannel:DeliveryChannel", clone(deliveryChannel)));
    if (!omit.includes("hub")) out.push(res("aws:securityhub/account:Account", { enableDefaultStandards: false, autoEnableControls: true }));
    standards
        .filter((a) => !omit.some((o) => a.includes(o)))
        .forEach((a) => out.push(res("aws:securityhub/standardsSubscription:StandardsSubscription", { standardsArn: a })));
    return out;
}
