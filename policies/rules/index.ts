/**
 * Every rule of the pack, in one list. policies/index.ts builds the PolicyPack
 * from it; the policy runner (tools/offline/policy-runner.ts), the tests and the
 * compliance matrix read the same objects, so what they check is what the CLI runs.
 */
import type { Rule } from "../lib/rule";
import { auroraEncryptedWithCmk } from "./encryption/aurora-encrypted-with-cmk";
import { cloudtrailEncryptedWithCmk } from "./encryption/cloudtrail-encrypted-with-cmk";
import { cloudwatchLogsEncryptedWithCmk } from "./encryption/cloudwatch-logs-encrypted-with-cmk";
import { codebuildEncryptedWithCmk } from "./encryption/codebuild-encrypted-with-cmk";
import { registeredDomainLocked } from "./resilience/registered-domain-locked";
import { ebsEncrypted } from "./encryption/ebs-encrypted";
import { ebsEncryptedWithCmk } from "./encryption/ebs-encrypted-with-cmk";
import { eksSecretsEncryptedWithCmk } from "./encryption/eks-secrets-encrypted-with-cmk";
import { elasticacheEncryptedAtRest } from "./encryption/elasticache-encrypted-at-rest";
import { elasticacheEncryptedWithCmk } from "./encryption/elasticache-encrypted-with-cmk";
import { kmsKeyDescribed } from "./encryption/kms-key-described";
import { kmsKeyEnabled } from "./encryption/kms-key-enabled";
import { kmsKeyPolicyPresent } from "./encryption/kms-key-policy-present";
import { kmsKeyRotation } from "./encryption/kms-key-rotation";
import { kmsNoLockoutBypass } from "./encryption/kms-no-lockout-bypass";
import { kmsNoWildcardPrincipal } from "./encryption/kms-no-wildcard-principal";
import { opensearchEncryptedAtRest } from "./encryption/opensearch-encrypted-at-rest";
import { opensearchEncryptedWithCmk } from "./encryption/opensearch-encrypted-with-cmk";
import { performanceInsightsEncryptedWithCmk } from "./encryption/performance-insights-encrypted-with-cmk";
import { rdsStorageEncrypted } from "./encryption/rds-storage-encrypted";
import { s3SseKmsBucketKey } from "./encryption/s3-sse-kms-bucket-key";
import { secretsEncryptedWithCmk } from "./encryption/secrets-encrypted-with-cmk";
import { lambdaEnvEncryptedWithCmk } from "./encryption/lambda-env-encrypted-with-cmk";
import { snsEncryptedWithCmk } from "./encryption/sns-encrypted-with-cmk";
import { sqsEncryptedWithCmk } from "./encryption/sqs-encrypted-with-cmk";
import { ssmParameterEncryptedWithCmk } from "./encryption/ssm-parameter-encrypted-with-cmk";
import { storageClassEncryptedWithCmk } from "./encryption/storage-class-encrypted-with-cmk";
import { clusterAdminMfaOnly } from "./identity/cluster-admin-mfa-only";
import { elasticacheAuth } from "./identity/elasticache-auth";
import { elasticacheUserIamAuth } from "./identity/elasticache-user-iam-auth";
import { humanRolesRequireMfa } from "./identity/human-roles-require-mfa";
import { iamNoAdminManagedPolicy } from "./identity/iam-no-admin-managed-policy";
import { iamNoCredentialsExposure } from "./identity/iam-no-credentials-exposure";
import { iamNoDataExfiltration } from "./identity/iam-no-data-exfiltration";
import { iamNoPermissionsManagement } from "./identity/iam-no-permissions-management";
import { iamNoPrivilegeEscalation } from "./identity/iam-no-privilege-escalation";
import { iamNoUnconstrainedWrite } from "./identity/iam-no-unconstrained-write";
import { iamNoUserPolicies } from "./identity/iam-no-user-policies";
import { iamNoWildcardActions } from "./identity/iam-no-wildcard-actions";
import { iamNoWildcardOnAllResources } from "./identity/iam-no-wildcard-on-all-resources";
import { iamOidcSubjectPinned } from "./identity/iam-oidc-subject-pinned";
import { iamTrustNoWildcard } from "./identity/iam-trust-no-wildcard";
import { iamUsersMfaEnforced } from "./identity/iam-users-mfa-enforced";
import { imdsHopLimit } from "./identity/imds-hop-limit";
import { imdsv2Required } from "./identity/imdsv2-required";
import { k8sAdminBindings } from "./identity/k8s-admin-bindings";
import { k8sWorkloadHardened } from "./identity/k8s-workload-hardened";
import { noAdminOnWorkloadRoles } from "./identity/no-admin-on-workload-roles";
import { noCredentialsInUserData } from "./identity/no-credentials-in-user-data";
import { noLiteralCredentials } from "./identity/no-literal-credentials";
import { noSecretsInConfigmaps } from "./identity/no-secrets-in-configmaps";
import { opensearchFineGrainedAccess } from "./identity/opensearch-fine-grained-access";
import { passwordLowercase } from "./identity/password-lowercase";
import { passwordMaxAge } from "./identity/password-max-age";
import { passwordMinLength } from "./identity/password-min-length";
import { passwordNumbers } from "./identity/password-numbers";
import { passwordReuse } from "./identity/password-reuse";
import { passwordSymbols } from "./identity/password-symbols";
import { passwordUppercase } from "./identity/password-uppercase";
import { randomPasswordStrength } from "./identity/random-password-strength";
import { rdsIamAuth } from "./identity/rds-iam-auth";
import { secretDescribed } from "./identity/secret-described";
import { secretRotation } from "./identity/secret-rotation";
import { secretRotationConfigured } from "./identity/secret-rotation-configured";
import { lambdaPermissionScoped } from "./identity/lambda-permission-scoped";
import { lambdaNodejsRuntimeSupported } from "./operations/lambda-nodejs-runtime-supported";
import { cloudfrontAccessLogs } from "./logging/cloudfront-access-logs";
import { cloudtrailLogValidation } from "./logging/cloudtrail-log-validation";
import { cloudtrailLoggingOn } from "./logging/cloudtrail-logging-on";
import { cloudtrailMultiRegion } from "./logging/cloudtrail-multi-region";
import { cloudtrailNotifications } from "./logging/cloudtrail-notifications";
import { eksControlPlaneLogs } from "./logging/eks-control-plane-logs";
import { elasticacheLogDelivery } from "./logging/elasticache-log-delivery";
import { hipaaLogRetention } from "./logging/hipaa-log-retention";
import { lbAccessLogs } from "./logging/lb-access-logs";
import { logRetentionOneYear } from "./logging/log-retention-one-year";
import { logRetentionSet } from "./logging/log-retention-set";
import { opensearchApplicationLogs } from "./logging/opensearch-application-logs";
import { opensearchAuditLogs } from "./logging/opensearch-audit-logs";
import { pciLogRetention } from "./logging/pci-log-retention";
import { rdsLogExports } from "./logging/rds-log-exports";
import { s3AccessLogging } from "./logging/s3-access-logging";
import { wafLogging } from "./logging/waf-logging";
import { cloudfrontDefaultRootObject } from "./network/cloudfront-default-root-object";
import { cloudfrontWaf } from "./network/cloudfront-waf";
import { dataTierNoInternetRoute } from "./network/data-tier-no-internet-route";
import { eksEndpointPrivate } from "./network/eks-endpoint-private";
import { eksNodeGroupNoSsh } from "./network/eks-node-group-no-ssh";
import { k8sServicesInternal } from "./network/k8s-services-internal";
import { launchTemplateNoPublicIp } from "./network/launch-template-no-public-ip";
import { lbDesyncMitigation } from "./network/lb-desync-mitigation";
import { lbDropInvalidHeaders } from "./network/lb-drop-invalid-headers";
import { noPlaintextHttpIngress } from "./network/no-plaintext-http-ingress";
import { noPublicDatastores } from "./network/no-public-datastores";
import { noPublicIpInPrivateSubnets } from "./network/no-public-ip-in-private-subnets";
import { noUnrestrictedEgress } from "./network/no-unrestricted-egress";
import { noWorldIngress } from "./network/no-world-ingress";
import { opensearchInVpc } from "./network/opensearch-in-vpc";
import { s3AclsDisabled } from "./network/s3-acls-disabled";
import { s3NoPublicBucketPolicy } from "./network/s3-no-public-bucket-policy";
import { s3PublicAccessBlock } from "./network/s3-public-access-block";
import { securityGroupDescriptions } from "./network/security-group-descriptions";
import { snsTopicPolicyScoped } from "./network/sns-topic-policy-scoped";
import { sqsQueuePolicyScoped } from "./network/sqs-queue-policy-scoped";
import { sqsDeadLetterQueue } from "./resilience/sqs-dead-letter-queue";
import { vpcFlowLogs } from "./network/vpc-flow-logs";
import { vpcPeeringSameAccount } from "./network/vpc-peering-same-account";
import { wafHasRules } from "./network/waf-has-rules";
import { wafKnownBadInputs } from "./network/waf-known-bad-inputs";
import { wafRuleActions } from "./network/waf-rule-actions";
import { alertingWired } from "./operations/alerting-wired";
import { cloudfrontEnabled } from "./operations/cloudfront-enabled";
import { cloudfrontGeoRestriction } from "./operations/cloudfront-geo-restriction";
import { configRecorderSettings } from "./operations/config-recorder-settings";
import { continuousComplianceOn } from "./operations/continuous-compliance-on";
import { eksSupportedVersion } from "./operations/eks-supported-version";
import { guarddutyEnabled } from "./operations/guardduty-enabled";
import { inspectorScansImages } from "./operations/inspector-scans-images";
import { ecrImmutableTags } from "./operations/ecr-immutable-tags";
import { ecrScanOnPush } from "./operations/ecr-scan-on-push";
import { k8sImageAdmission } from "./operations/k8s-image-admission";
import { ecrEncryptedWithCmk } from "./encryption/ecr-encrypted-with-cmk";
import { ecrReplicationInZone } from "./residency/ecr-replication-in-zone";
import { helmReleasePinned } from "./operations/helm-release-pinned";
import { rdsAutoMinorUpgrade } from "./operations/rds-auto-minor-upgrade";
import { rdsEnginePatched } from "./operations/rds-engine-patched";
import { rdsEnhancedMonitoring } from "./operations/rds-enhanced-monitoring";
import { rdsPerformanceInsights } from "./operations/rds-performance-insights";
import { securityHubSettings } from "./operations/security-hub-settings";
import { dataResidency } from "./residency/data-residency";
import { backupCopyInZone } from "./residency/backup-copy-in-zone";
import { secretReplicaInZone } from "./residency/secret-replica-in-zone";
import { auroraBackupCoverage } from "./resilience/aurora-backup-coverage";
import { backupVaultLocked } from "./resilience/backup-vault-locked";
import { backupVaultEncryptedWithCmk } from "./encryption/backup-vault-encrypted-with-cmk";
import { auroraBacktrack } from "./resilience/aurora-backtrack";
import { backupRetention } from "./resilience/backup-retention";
import { cloudfrontOriginFailover } from "./resilience/cloudfront-origin-failover";
import { datastoreMultiAz } from "./resilience/datastore-multi-az";
import { deletionProtection } from "./resilience/deletion-protection";
import { failoverRecordsHealthChecked } from "./resilience/failover-records-health-checked";
import { finalSnapshot } from "./resilience/final-snapshot";
import { lbCrossZone } from "./resilience/lb-cross-zone";
import { lbDeletionProtection } from "./resilience/lb-deletion-protection";
import { nodeGroupsThreeAzs } from "./resilience/node-groups-three-azs";
import { opensearchDedicatedMasters } from "./resilience/opensearch-dedicated-masters";
import { opensearchZoneAwareness } from "./resilience/opensearch-zone-awareness";
import { rdsCopyTagsToSnapshot } from "./resilience/rds-copy-tags-to-snapshot";
import { regionSwitchPlan } from "./resilience/region-switch-plan";
import { s3Versioning } from "./resilience/s3-versioning";
import { requiredTags } from "./tagging/required-tags";
import { cloudfrontOriginHttpsOnly } from "./transit/cloudfront-origin-https-only";
import { cloudfrontResponseHeadersHsts } from "./transit/cloudfront-response-headers-hsts";
import { cloudfrontViewerHttps } from "./transit/cloudfront-viewer-https";
import { cloudfrontViewerTls } from "./transit/cloudfront-viewer-tls";
import { elasticacheInTransitEncryption } from "./transit/elasticache-in-transit-encryption";
import { lbListenerEncrypted } from "./transit/lb-listener-encrypted";
import { lbListenerTlsPolicy } from "./transit/lb-listener-tls-policy";
import { meshMtlsStrict } from "./transit/mesh-mtls-strict";
import { opensearchEnforceHttps } from "./transit/opensearch-enforce-https";
import { opensearchNodeToNodeEncryption } from "./transit/opensearch-node-to-node-encryption";
import { opensearchTlsPolicy } from "./transit/opensearch-tls-policy";
import { rdsCaCurrent } from "./transit/rds-ca-current";
import { rdsForceSsl } from "./transit/rds-force-ssl";
import { rdsTlsMinVersion } from "./transit/rds-tls-min-version";
import { snsSubscriptionHttps } from "./transit/sns-subscription-https";
import { syntheticsArtifactsEncryptedWithCmk } from "./encryption/synthetics-artifacts-encrypted-with-cmk";
import { chatbotReadOnlyGuardrails } from "./identity/chatbot-read-only-guardrails";
import { s3DenyInsecureTransport } from "./transit/s3-deny-insecure-transport";
import { sqsDenyInsecureTransport } from "./transit/sqs-deny-insecure-transport";
import { nodesEncryptInTransit } from "./transit/nodes-encrypt-in-transit";

export const RULES: readonly Rule[] = [
    auroraEncryptedWithCmk,
    cloudwatchLogsEncryptedWithCmk,
    codebuildEncryptedWithCmk,
    registeredDomainLocked,
    ebsEncryptedWithCmk,
    eksSecretsEncryptedWithCmk,
    elasticacheEncryptedWithCmk,
    kmsKeyRotation,
    opensearchEncryptedWithCmk,
    performanceInsightsEncryptedWithCmk,
    s3SseKmsBucketKey,
    secretsEncryptedWithCmk,
    snsEncryptedWithCmk,
    sqsEncryptedWithCmk,
    lambdaEnvEncryptedWithCmk,
    storageClassEncryptedWithCmk,
    clusterAdminMfaOnly,
    elasticacheAuth,
    elasticacheUserIamAuth,
    humanRolesRequireMfa,
    iamUsersMfaEnforced,
    k8sAdminBindings,
    k8sWorkloadHardened,
    noAdminOnWorkloadRoles,
    noSecretsInConfigmaps,
    randomPasswordStrength,
    cloudfrontAccessLogs,
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
    sqsQueuePolicyScoped,
    sqsDeadLetterQueue,
    vpcFlowLogs,
    vpcPeeringSameAccount,
    alertingWired,
    guarddutyEnabled,
    inspectorScansImages,
    ecrImmutableTags,
    ecrScanOnPush,
    k8sImageAdmission,
    ecrEncryptedWithCmk,
    ecrReplicationInZone,
    helmReleasePinned,
    dataResidency,
    backupCopyInZone,
    secretReplicaInZone,
    backupRetention,
    auroraBackupCoverage,
    backupVaultLocked,
    backupVaultEncryptedWithCmk,
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
    lbListenerEncrypted,
    meshMtlsStrict,
    opensearchEnforceHttps,
    rdsForceSsl,
    rdsTlsMinVersion,
    snsSubscriptionHttps,
    syntheticsArtifactsEncryptedWithCmk,
    chatbotReadOnlyGuardrails,
    s3DenyInsecureTransport,
    sqsDenyInsecureTransport,
    nodesEncryptInTransit,
    iamNoUserPolicies,
    iamNoWildcardActions,
    noCredentialsInUserData,
    opensearchFineGrainedAccess,
    rdsIamAuth,
    secretDescribed,
    secretRotation,
    secretRotationConfigured,
    lambdaPermissionScoped,
    lambdaNodejsRuntimeSupported,
    cloudtrailNotifications,
    logRetentionOneYear,
    cloudfrontGeoRestriction,
    cloudfrontWaf,
    eksNodeGroupNoSsh,
    launchTemplateNoPublicIp,
    noPlaintextHttpIngress,
    noUnrestrictedEgress,
    securityGroupDescriptions,
    configRecorderSettings,
    continuousComplianceOn,
    eksSupportedVersion,
    rdsEnginePatched,
    securityHubSettings,
    auroraBacktrack,
    noLiteralCredentials,
    cloudfrontResponseHeadersHsts,
    ssmParameterEncryptedWithCmk,
    cloudfrontDefaultRootObject,
    cloudfrontEnabled,
    cloudfrontOriginFailover,
    iamNoAdminManagedPolicy,
    iamNoCredentialsExposure,
    iamNoDataExfiltration,
    iamNoPermissionsManagement,
    iamNoPrivilegeEscalation,
    iamNoUnconstrainedWrite,
    iamOidcSubjectPinned,
    iamTrustNoWildcard,
    imdsHopLimit,
    imdsv2Required,
    kmsKeyDescribed,
    kmsKeyEnabled,
    kmsKeyPolicyPresent,
    kmsNoLockoutBypass,
    kmsNoWildcardPrincipal,
    lbCrossZone,
    lbDeletionProtection,
    lbDesyncMitigation,
    lbDropInvalidHeaders,
    opensearchApplicationLogs,
    opensearchAuditLogs,
    opensearchDedicatedMasters,
    opensearchInVpc,
    opensearchZoneAwareness,
    rdsAutoMinorUpgrade,
    rdsCaCurrent,
    rdsCopyTagsToSnapshot,
    rdsEnhancedMonitoring,
    rdsPerformanceInsights,
    wafHasRules,
    wafKnownBadInputs,
    wafRuleActions,
    cloudtrailEncryptedWithCmk,
    cloudtrailLogValidation,
    cloudtrailLoggingOn,
    cloudtrailMultiRegion,
    lbListenerTlsPolicy,
    opensearchNodeToNodeEncryption,
    opensearchTlsPolicy,
    cloudfrontViewerTls,
    passwordLowercase,
    passwordMaxAge,
    passwordMinLength,
    passwordNumbers,
    passwordReuse,
    passwordSymbols,
    passwordUppercase,
    rdsStorageEncrypted,
    elasticacheEncryptedAtRest,
    opensearchEncryptedAtRest,
    iamNoWildcardOnAllResources,
    logRetentionSet,
    ebsEncrypted,
];
