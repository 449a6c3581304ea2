import { res } from "../helpers";
import {
    auroraCluster,
    auroraMysqlCluster,
    auroraStack,
    clusterInstance,
    kmsKey,
    keyPolicy,
    logGroup,
    one,
    opensearchDomain,
    rdsInstance,
    rotatedSecret,
    secret,
} from "./base";
import { CorpusCase } from "./types";

const RDS = "aws:rds/instance:Instance";
const OS = "aws:opensearch/domain:Domain";
const KMS = "aws:kms/key:Key";
const LOGS = "aws:cloudwatch/logGroup:LogGroup";
const aurora =
    (c: Record<string, unknown> = auroraCluster, i: Record<string, unknown> = clusterInstance) =>
    () =>
        auroraStack(c, i);
const rds = (i: Record<string, unknown> = rdsInstance) => one(RDS, i, true);
const os = (d: Record<string, unknown>) => one(OS, d, true);
const policyWith = (...extra: object[]) => JSON.stringify({ ...keyPolicy, Statement: [...keyPolicy.Statement, ...extra] });

export const DATA_CASES: CorpusCase[] = [
    // RDS and Aurora
    {
        rule: "rds-iam-auth",
        peer: "CKV_AWS_162",
        what: "Aurora cluster without IAM auth",
        good: aurora(),
        bad: aurora({ ...auroraCluster, iamDatabaseAuthenticationEnabled: false }),
    },
    {
        rule: "rds-iam-auth",
        peer: "CKV_AWS_161",
        what: "RDS instance without IAM auth",
        good: rds(),
        bad: rds({ ...rdsInstance, iamDatabaseAuthenticationEnabled: undefined }),
    },
    {
        rule: "rds-performance-insights",
        peer: "CKV_AWS_353",
        what: "cluster instance without Performance Insights",
        good: aurora(),
        bad: aurora(auroraCluster, { ...clusterInstance, performanceInsightsEnabled: false, performanceInsightsKmsKeyId: undefined }),
    },
    {
        rule: "rds-performance-insights",
        peer: "aws-rds-instance-enable-performance-insights",
        what: "instance without Performance Insights",
        good: rds(),
        bad: rds({ ...rdsInstance, performanceInsightsEnabled: undefined, performanceInsightsKmsKeyId: undefined }),
    },
    {
        rule: "rds-enhanced-monitoring",
        peer: "CKV_AWS_118",
        what: "no enhanced monitoring",
        good: aurora(),
        bad: aurora(auroraCluster, { ...clusterInstance, monitoringInterval: 0, monitoringRoleArn: undefined }),
    },
    {
        rule: "rds-copy-tags-to-snapshot",
        peer: "CKV_AWS_313",
        what: "cluster does not copy tags to snapshots",
        good: aurora(),
        bad: aurora({ ...auroraCluster, copyTagsToSnapshot: false }),
    },
    {
        rule: "rds-auto-minor-upgrade",
        peer: "CKV_AWS_226",
        what: "no automatic minor upgrades",
        good: aurora(),
        bad: aurora(auroraCluster, { ...clusterInstance, autoMinorVersionUpgrade: false }),
    },
    {
        rule: "rds-auto-minor-upgrade",
        peer: "CKV_AWS_226",
        what: "RDS instance without automatic minor upgrades",
        good: rds(),
        bad: rds({ ...rdsInstance, autoMinorVersionUpgrade: false }),
    },
    { rule: "rds-ca-current", peer: "CKV_AWS_211", what: "expired CA", good: rds(), bad: rds({ ...rdsInstance, caCertIdentifier: "rds-ca-2019" }) },
    { rule: "datastore-multi-az", peer: "CKV_AWS_157", what: "single-AZ RDS instance", good: rds(), bad: rds({ ...rdsInstance, multiAz: false }) },
    {
        rule: "datastore-multi-az",
        peer: "aws-rds-cluster-disallow-single-availability-zone",
        what: "cluster pinned to one zone",
        good: aurora(),
        bad: aurora({ ...auroraCluster, availabilityZones: ["eu-west-1a"] }),
    },
    {
        rule: "aurora-backtrack",
        peer: "CKV_AWS_326",
        what: "Aurora MySQL without backtrack",
        good: aurora(auroraMysqlCluster),
        bad: aurora({ ...auroraMysqlCluster, backtrackWindow: 0 }),
    },
    {
        rule: "aurora-backtrack",
        peer: "CKV_AWS_326",
        what: "engine left to its default (MySQL-compatible) without backtrack",
        good: aurora(auroraMysqlCluster),
        bad: aurora({ ...auroraMysqlCluster, engine: undefined, backtrackWindow: undefined }),
    },
    { rule: "rds-engine-patched", peer: "CKV_AWS_250", what: "PostgreSQL 12.5 (log_fdw)", good: rds(), bad: rds({ ...rdsInstance, engineVersion: "12.5" }) },
    {
        rule: "rds-engine-patched",
        peer: "CKV_AWS_250",
        what: "Aurora PostgreSQL 10.7",
        good: aurora(),
        bad: aurora({ ...auroraCluster, engineVersion: "10.7" }),
    },
    {
        rule: "rds-engine-patched",
        peer: "CKV_AWS_388",
        what: "Aurora PostgreSQL 11.7 instance",
        good: aurora(),
        bad: aurora({ ...auroraCluster, engineVersion: "11.7" }),
    },
    {
        rule: "rds-storage-encrypted",
        peer: "CKV_AWS_96",
        what: "unencrypted Aurora",
        good: aurora(),
        bad: aurora({ ...auroraCluster, storageEncrypted: false }),
    },
    {
        rule: "aurora-encrypted-with-cmk",
        peer: "aws-rds-cluster-configure-customer-managed-key",
        what: "Aurora without a CMK",
        good: aurora(),
        bad: aurora({ ...auroraCluster, kmsKeyId: undefined }),
    },
    {
        rule: "backup-retention",
        peer: "aws-rds-cluster-configure-backup-retention",
        what: "one day of backups",
        good: aurora(),
        bad: aurora({ ...auroraCluster, backupRetentionPeriod: 1 }),
    },
    {
        rule: "deletion-protection",
        peer: "CKV_AWS_139",
        what: "cluster without deletion protection",
        good: aurora(),
        bad: aurora({ ...auroraCluster, deletionProtection: false }),
    },
    {
        rule: "deletion-protection",
        peer: "CKV_AWS_293",
        what: "instance without deletion protection",
        good: rds(),
        bad: rds({ ...rdsInstance, deletionProtection: false }),
    },
    {
        rule: "no-public-datastores",
        peer: "CKV_AWS_17",
        what: "publicly accessible instance",
        good: rds(),
        bad: rds({ ...rdsInstance, publiclyAccessible: true }),
    },
    {
        rule: "performance-insights-encrypted-with-cmk",
        peer: "CKV_AWS_354",
        what: "Performance Insights without a CMK",
        good: aurora(),
        bad: aurora(auroraCluster, { ...clusterInstance, performanceInsightsKmsKeyId: undefined }),
    },
    {
        rule: "rds-log-exports",
        peer: "CKV_AWS_324",
        what: "no log exports",
        good: aurora(),
        bad: aurora({ ...auroraCluster, enabledCloudwatchLogsExports: [] }),
    },
    // OpenSearch
    {
        rule: "opensearch-fine-grained-access",
        peer: "CKV2_AWS_52",
        what: "no fine-grained access control",
        good: os(opensearchDomain),
        bad: os({ ...opensearchDomain, advancedSecurityOptions: { enabled: false } }),
    },
    {
        rule: "opensearch-in-vpc",
        peer: "CKV_AWS_137",
        what: "domain outside a VPC",
        good: os(opensearchDomain),
        bad: os({ ...opensearchDomain, vpcOptions: undefined }),
    },
    {
        rule: "opensearch-audit-logs",
        peer: "CKV_AWS_317",
        what: "no audit logs",
        good: os(opensearchDomain),
        bad: os({ ...opensearchDomain, logPublishingOptions: [opensearchDomain.logPublishingOptions[1]] }),
    },
    {
        rule: "opensearch-application-logs",
        peer: "CKV_AWS_84",
        what: "application logs disabled",
        good: os(opensearchDomain),
        bad: os({
            ...opensearchDomain,
            logPublishingOptions: [opensearchDomain.logPublishingOptions[0], { ...opensearchDomain.logPublishingOptions[1], enabled: false }],
        }),
    },
    {
        rule: "opensearch-dedicated-masters",
        peer: "CKV_AWS_318",
        what: "two dedicated masters",
        good: os(opensearchDomain),
        bad: os({ ...opensearchDomain, clusterConfig: { ...opensearchDomain.clusterConfig, dedicatedMasterCount: 2 } }),
    },
    {
        rule: "opensearch-zone-awareness",
        peer: "CKV2_AWS_59",
        what: "no zone awareness",
        good: os(opensearchDomain),
        bad: os({ ...opensearchDomain, clusterConfig: { ...opensearchDomain.clusterConfig, zoneAwarenessEnabled: false, zoneAwarenessConfig: undefined } }),
    },
    {
        rule: "opensearch-tls-policy",
        peer: "CKV_AWS_228",
        what: "old TLS policy",
        good: os(opensearchDomain),
        bad: os({ ...opensearchDomain, domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" } }),
    },
    {
        rule: "opensearch-node-to-node-encryption",
        peer: "CKV_AWS_6",
        what: "no node-to-node encryption",
        good: os(opensearchDomain),
        bad: os({ ...opensearchDomain, nodeToNodeEncryption: { enabled: false } }),
    },
    {
        rule: "opensearch-encrypted-with-cmk",
        peer: "CKV_AWS_247",
        what: "domain without a CMK",
        good: os(opensearchDomain),
        bad: os({ ...opensearchDomain, encryptAtRest: { enabled: true } }),
    },
    // KMS
    {
        rule: "kms-key-described",
        peer: "aws-kms-key-missing-description",
        what: "key without a description",
        good: one(KMS, kmsKey, true),
        bad: one(KMS, { ...kmsKey, description: undefined }, true),
    },
    { rule: "kms-key-enabled", peer: "CKV_AWS_227", what: "disabled key", good: one(KMS, kmsKey, true), bad: one(KMS, { ...kmsKey, isEnabled: false }, true) },
    {
        rule: "kms-key-policy-present",
        peer: "issue-14",
        what: "key without a key policy",
        good: one(KMS, kmsKey, true),
        bad: one(KMS, { ...kmsKey, policy: undefined }, true),
    },
    {
        rule: "kms-no-wildcard-principal",
        peer: "CKV_AWS_33",
        what: "wildcard principal",
        good: one(KMS, kmsKey, true),
        bad: one(KMS, { ...kmsKey, policy: policyWith({ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }) }, true),
    },
    {
        rule: "kms-no-wildcard-principal",
        peer: "CKV_AWS_33",
        what: "wildcard principal narrowed to the account passes",
        good: one(
            KMS,
            {
                ...kmsKey,
                policy: policyWith({
                    Effect: "Allow",
                    Principal: "*",
                    Action: "kms:Decrypt",
                    Resource: "*",
                    Condition: { StringEquals: { "kms:CallerAccount": "123456789012" } },
                }),
            },
            true,
        ),
        bad: one(KMS, { ...kmsKey, policy: policyWith({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }) }, true),
    },
    {
        rule: "kms-no-lockout-bypass",
        peer: "aws-kms-key-disallow-bypass-policy-lockout-safety-check",
        what: "lockout check bypassed",
        good: one(KMS, kmsKey, true),
        bad: one(KMS, { ...kmsKey, bypassPolicyLockoutSafetyCheck: true }, true),
    },
    {
        rule: "kms-key-rotation",
        peer: "CKV_AWS_7",
        what: "rotation off",
        good: one(KMS, kmsKey, true),
        bad: one(KMS, { ...kmsKey, enableKeyRotation: false }, true),
    },
    // Secrets Manager
    {
        rule: "secret-described",
        peer: "aws-secretsmanager-secret-missing-description",
        what: "secret without a description",
        good: rotatedSecret(),
        bad: rotatedSecret({ ...secret, description: undefined }),
    },
    {
        rule: "secrets-encrypted-with-cmk",
        peer: "CKV_AWS_149",
        what: "secret on the AWS-managed key",
        good: rotatedSecret(),
        bad: rotatedSecret({ ...secret, kmsKeyId: undefined }),
    },
    {
        rule: "secret-rotation",
        peer: "CKV_AWS_304",
        what: "rotation every 180 days",
        good: one("aws:secretsmanager/secretRotation:SecretRotation", {
            secretId: "s",
            rotationLambdaArn: "arn:aws:lambda:eu-west-1:123456789012:function:rotate",
            rotationRules: { automaticallyAfterDays: 30 },
        }),
        bad: one("aws:secretsmanager/secretRotation:SecretRotation", {
            secretId: "s",
            rotationLambdaArn: "arn:aws:lambda:eu-west-1:123456789012:function:rotate",
            rotationRules: { automaticallyAfterDays: 180 },
        }),
    },
    // Logs
    {
        rule: "log-retention-set",
        peer: "CKV_AWS_66",
        what: "retention unset",
        good: one(LOGS, logGroup),
        bad: one(LOGS, { ...logGroup, retentionInDays: undefined }),
    },
    {
        rule: "log-retention-one-year",
        peer: "CKV_AWS_338",
        what: "90 days of retention",
        good: one(LOGS, logGroup),
        bad: one(LOGS, { ...logGroup, retentionInDays: 90 }),
    },
    {
        rule: "cloudwatch-logs-encrypted-with-cmk",
        peer: "CKV_AWS_158",
        what: "log group without a key",
        good: one(LOGS, logGroup),
        bad: one(LOGS, { ...logGroup, kmsKeyId: undefined }),
    },
    {
        rule: "no-literal-credentials",
        peer: "issue-14",
        what: "Aurora cluster with a literal master password",
        good: aurora(),
        bad: aurora({ ...auroraCluster, manageMasterUserPassword: undefined, masterUserSecretKmsKeyId: undefined, masterPassword: "Winter2026!" }),
    },
    {
        rule: "no-literal-credentials",
        peer: "issue-14",
        what: "a password derived from a RandomPassword passes; the same field typed in does not",
        good: () => {
            const pw = res("random:index/randomPassword:RandomPassword", { length: 40, special: false });
            const [c, ...rest] = auroraStack({
                ...auroraCluster,
                manageMasterUserPassword: undefined,
                masterUserSecretKmsKeyId: undefined,
                masterPassword: "[secret]",
            });
            c.secretPaths = ["masterPassword"];
            c.options.propertyDependencies = { masterPassword: [pw.urn] };
            c.options.dependencies.push(pw.urn);
            return [pw, c, ...rest];
        },
        bad: () => {
            const [c, ...rest] = auroraStack({
                ...auroraCluster,
                manageMasterUserPassword: undefined,
                masterUserSecretKmsKeyId: undefined,
                masterPassword: "[secret]",
            });
            c.secretPaths = ["masterPassword"];
            return [c, ...rest];
        },
    },
    {
        rule: "no-literal-credentials",
        peer: "issue-14",
        what: "a cache user password written as a literal",
        good: () => [
            res("aws:elasticache/user:User", {
                userId: "app",
                userName: "app",
                engine: "valkey",
                accessString: "on ~* +@all",
                authenticationMode: { type: "iam" },
            }),
        ],
        bad: () => [
            res("aws:elasticache/user:User", {
                userId: "app",
                userName: "app",
                engine: "valkey",
                accessString: "on ~* +@all",
                authenticationMode: { type: "password", passwords: ["hunter2hunter2hunter2"] },
            }),
        ],
    },
];
