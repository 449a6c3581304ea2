import { resourceRule } from "../../lib/rule";
import { isCustomerManagedKey, isTrue } from "../../lib/props";

export const performanceInsightsEncryptedWithCmk = resourceRule({
    name: "performance-insights-encrypted-with-cmk",
    description: "Performance Insights data, which contains SQL text, must be encrypted with a customer-managed KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-at-rest", "kms", "database"],
    resourceTypes: ["aws:rds/cluster:Cluster", "aws:rds/clusterInstance:ClusterInstance", "aws:rds/instance:Instance"],
    peers: {
        checkov: ["CKV_AWS_354"],
        compliancePolicies: ["aws-rds-clusterinstance-disallow-unencrypted-performance-insights", "aws-rds-instance-disallow-unencrypted-performance-insights"],
    },
    remediation: "when performanceInsightsEnabled is true, set performanceInsightsKmsKeyId to the region's db key.",
    check: ({ props }, report) => {
        if (isTrue(props.performanceInsightsEnabled) && !isCustomerManagedKey(props.performanceInsightsKmsKeyId)) {
            report("Performance Insights is on without performanceInsightsKmsKeyId; query text would be encrypted with AWS's default key.");
        }
    },
});
