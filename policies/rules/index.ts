/**
 * Every rule of the pack, in one list. policies/index.ts builds the PolicyPack
 * from it; the policy runner (tools/offline/policy-runner.ts), the tests and the
 * compliance matrix read the same objects, so what they check is what the CLI runs.
 */
import type { Rule } from "../lib/rule";
import { auroraEncryptedWithCmk } from "./encryption/aurora-encrypted-with-cmk";
import { cloudwatchLogsEncryptedWithCmk } from "./encryption/cloudwatch-logs-encrypted-with-cmk";
import { ebsEncryptedWithCmk } from "./encryption/ebs-encrypted-with-cmk";
import { eksSecretsEncryptedWithCmk } from "./encryption/eks-secrets-encrypted-with-cmk";
import { elasticacheEncryptedWithCmk } from "./encryption/elasticache-encrypted-with-cmk";
import { kmsKeyRotation } from "./encryption/kms-key-rotation";
import { opensearchEncryptedWithCmk } from "./encryption/opensearch-encrypted-with-cmk";
import { performanceInsightsEncryptedWithCmk } from "./encryption/performance-insights-encrypted-with-cmk";
import { s3SseKmsBucketKey } from "./encryption/s3-sse-kms-bucket-key";
import { secretsEncryptedWithCmk } from "./encryption/secrets-encrypted-with-cmk";
import { snsEncryptedWithCmk } from "./encryption/sns-encrypted-with-cmk";
import { ssmParameterEncryptedWithCmk } from "./encryption/ssm-parameter-encrypted-with-cmk";
import { storageClassEncryptedWithCmk } from "./encryption/storage-class-encrypted-with-cmk";
import { clusterAdminMfaOnly } from "./identity/cluster-admin-mfa-only";
import { elasticacheAuth } from "./identity/elasticache-auth";
import { humanRolesRequireMfa } from "./identity/human-roles-require-mfa";
import { iamUsersMfaEnforced } from "./identity/iam-users-mfa-enforced";
import { k8sAdminBindings } from "./identity/k8s-admin-bindings";
import { k8sWorkloadHardened } from "./identity/k8s-workload-hardened";
import { noAdminOnWorkloadRoles } from "./identity/no-admin-on-workload-roles";
import { noSecretsInConfigmaps } from "./identity/no-secrets-in-configmaps";
import { randomPasswordStrength } from "./identity/random-password-strength";
import { strongPasswordPolicy } from "./identity/strong-password-policy";
import { cloudfrontAccessLogs } from "./logging/cloudfront-access-logs";
import { cloudtrailSecure } from "./logging/cloudtrail-secure";
import { eksControlPlaneLogs } from "./logging/eks-control-plane-logs";
import { elasticacheLogDelivery } from "./logging/elasticache-log-delivery";
import { hipaaLogRetention } from "./logging/hipaa-log-retention";
import { lbAccessLogs } from "./logging/lb-access-logs";
import { pciLogRetention } from "./logging/pci-log-retention";
import { rdsLogExports } from "./logging/rds-log-exports";
import { s3AccessLogging } from "./logging/s3-access-logging";
import { wafLogging } from "./logging/waf-logging";
import { dataTierNoInternetRoute } from "./network/data-tier-no-internet-route";
import { eksEndpointPrivate } from "./network/eks-endpoint-private";
import { k8sServicesInternal } from "./network/k8s-services-internal";
import { noPublicDatastores } from "./network/no-public-datastores";
import { noPublicIpInPrivateSubnets } from "./network/no-public-ip-in-private-subnets";
import { noWorldIngress } from "./network/no-world-ingress";
import { s3AclsDisabled } from "./network/s3-acls-disabled";
import { s3NoPublicBucketPolicy } from "./network/s3-no-public-bucket-policy";
import { s3PublicAccessBlock } from "./network/s3-public-access-block";
import { snsTopicPolicyScoped } from "./network/sns-topic-policy-scoped";
import { vpcFlowLogs } from "./network/vpc-flow-logs";
import { vpcPeeringSameAccount } from "./network/vpc-peering-same-account";
import { alertingWired } from "./operations/alerting-wired";
import { guarddutyEnabled } from "./operations/guardduty-enabled";
import { helmReleasePinned } from "./operations/helm-release-pinned";
import { dataResidency } from "./residency/data-residency";
import { backupRetention } from "./resilience/backup-retention";
import { datastoreMultiAz } from "./resilience/datastore-multi-az";
import { deletionProtection } from "./resilience/deletion-protection";
import { failoverRecordsHealthChecked } from "./resilience/failover-records-health-checked";
import { finalSnapshot } from "./resilience/final-snapshot";
import { nodeGroupsThreeAzs } from "./resilience/node-groups-three-azs";
import { regionSwitchPlan } from "./resilience/region-switch-plan";
import { s3Versioning } from "./resilience/s3-versioning";
import { requiredTags } from "./tagging/required-tags";
import { cloudfrontOriginHttpsOnly } from "./transit/cloudfront-origin-https-only";
import { cloudfrontViewerHttps } from "./transit/cloudfront-viewer-https";
import { elasticacheInTransitEncryption } from "./transit/elasticache-in-transit-encryption";
import { lbListenerHttpsTls13 } from "./transit/lb-listener-https-tls13";
import { meshMtlsStrict } from "./transit/mesh-mtls-strict";
import { opensearchEnforceHttps } from "./transit/opensearch-enforce-https";
import { rdsForceSsl } from "./transit/rds-force-ssl";
import { s3DenyInsecureTransport } from "./transit/s3-deny-insecure-transport";
import { kmsKeyPolicy } from "./encryption/kms-key-policy";
import { kmsKeyUsable } from "./encryption/kms-key-usable";
import { iamNoUserPolicies } from "./identity/iam-no-user-policies";
import { iamNoWildcardActions } from "./identity/iam-no-wildcard-actions";
import { iamRiskyActions } from "./identity/iam-risky-actions";
import { iamTrustScoped } from "./identity/iam-trust-scoped";
import { instanceMetadataV2 } from "./identity/instance-metadata-v2";
import { noCredentialsInUserData } from "./identity/no-credentials-in-user-data";
import { opensearchFineGrainedAccess } from "./identity/opensearch-fine-grained-access";
import { rdsIamAuth } from "./identity/rds-iam-auth";
import { secretDescribed } from "./identity/secret-described";
import { secretRotation } from "./identity/secret-rotation";
import { cloudtrailNotifications } from "./logging/cloudtrail-notifications";
import { logRetentionOneYear } from "./logging/log-retention-one-year";
import { opensearchLogs } from "./logging/opensearch-logs";
import { cloudfrontDistributionSettings } from "./network/cloudfront-distribution-settings";
import { cloudfrontGeoRestriction } from "./operations/cloudfront-geo-restriction";
import { cloudfrontWaf } from "./network/cloudfront-waf";
import { eksNodeGroupNoSsh } from "./network/eks-node-group-no-ssh";
import { launchTemplateNoPublicIp } from "./network/launch-template-no-public-ip";
import { lbHardened } from "./network/lb-hardened";
import { noPlaintextHttpIngress } from "./network/no-plaintext-http-ingress";
import { noUnrestrictedEgress } from "./network/no-unrestricted-egress";
import { securityGroupDescriptions } from "./network/security-group-descriptions";
import { wafRulesEffective } from "./network/waf-rules-effective";
import { configRecorderSettings } from "./operations/config-recorder-settings";
import { continuousComplianceOn } from "./operations/continuous-compliance-on";
import { eksSupportedVersion } from "./operations/eks-supported-version";
import { rdsEnginePatched } from "./operations/rds-engine-patched";
import { rdsMonitoring } from "./operations/rds-monitoring";
import { securityHubSettings } from "./operations/security-hub-settings";
import { auroraBacktrack } from "./resilience/aurora-backtrack";
import { opensearchHa } from "./resilience/opensearch-ha";
import { rdsMaintenance } from "./resilience/rds-maintenance";
import { noLiteralCredentials } from "./identity/no-literal-credentials";
import { cloudfrontResponseHeadersHsts } from "./transit/cloudfront-response-headers-hsts";

export const RULES: readonly Rule[] = [
    auroraEncryptedWithCmk,
    cloudwatchLogsEncryptedWithCmk,
    ebsEncryptedWithCmk,
    eksSecretsEncryptedWithCmk,
    elasticacheEncryptedWithCmk,
    kmsKeyRotation,
    opensearchEncryptedWithCmk,
    performanceInsightsEncryptedWithCmk,
    s3SseKmsBucketKey,
    secretsEncryptedWithCmk,
    snsEncryptedWithCmk,
    storageClassEncryptedWithCmk,
    clusterAdminMfaOnly,
    elasticacheAuth,
    humanRolesRequireMfa,
    iamUsersMfaEnforced,
    k8sAdminBindings,
    k8sWorkloadHardened,
    noAdminOnWorkloadRoles,
    noSecretsInConfigmaps,
    randomPasswordStrength,
    strongPasswordPolicy,
    cloudfrontAccessLogs,
    cloudtrailSecure,
    eksControlPlaneLogs,
    elasticacheLogDelivery,
    hipaaLogRetention,
    lbAccessLogs,
    pciLogRetention,
    rdsLogExports,
    s3AccessLogging,
    wafLogging,
    dataTierNoInternetRoute,
    eksEndpointPrivate,
    k8sServicesInternal,
    noPublicDatastores,
    noPublicIpInPrivateSubnets,
    noWorldIngress,
    s3AclsDisabled,
    s3NoPublicBucketPolicy,
    s3PublicAccessBlock,
    snsTopicPolicyScoped,
    vpcFlowLogs,
    vpcPeeringSameAccount,
    alertingWired,
    guarddutyEnabled,
    helmReleasePinned,
    dataResidency,
    backupRetention,
    datastoreMultiAz,
    deletionProtection,
    failoverRecordsHealthChecked,
    finalSnapshot,
    nodeGroupsThreeAzs,
    regionSwitchPlan,
    s3Versioning,
    requiredTags,
    cloudfrontOriginHttpsOnly,
    cloudfrontViewerHttps,
    elasticacheInTransitEncryption,
    lbListenerHttpsTls13,
    meshMtlsStrict,
    opensearchEnforceHttps,
    rdsForceSsl,
    s3DenyInsecureTransport,
    kmsKeyPolicy,
    kmsKeyUsable,
    iamNoUserPolicies,
    iamNoWildcardActions,
    iamRiskyActions,
    iamTrustScoped,
    instanceMetadataV2,
    noCredentialsInUserData,
    opensearchFineGrainedAccess,
    rdsIamAuth,
    secretDescribed,
    secretRotation,
    cloudtrailNotifications,
    logRetentionOneYear,
    opensearchLogs,
    cloudfrontDistributionSettings,
    cloudfrontGeoRestriction,
    cloudfrontWaf,
    eksNodeGroupNoSsh,
    launchTemplateNoPublicIp,
    lbHardened,
    noPlaintextHttpIngress,
    noUnrestrictedEgress,
    securityGroupDescriptions,
    wafRulesEffective,
    configRecorderSettings,
    continuousComplianceOn,
    eksSupportedVersion,
    rdsEnginePatched,
    rdsMonitoring,
    securityHubSettings,
    auroraBacktrack,
    opensearchHa,
    rdsMaintenance,
    noLiteralCredentials,
    cloudfrontResponseHeadersHsts,
    ssmParameterEncryptedWithCmk,
];
