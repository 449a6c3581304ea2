import { resourceRule } from "../../lib/rule";
import { isCustomerManagedKey } from "../../lib/props";

export const elasticacheEncryptedWithCmk = resourceRule({
    name: "elasticache-encrypted-with-cmk",
    description: "ElastiCache replication groups must encrypt at rest with a customer-managed KMS key.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-at-rest", "kms", "cache"],
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    peers: { checkov: ["CKV_AWS_191"] },
    remediation: "set kmsKeyId to the region's cache key (RegionalKeys arns.cache).",
    check: ({ props }, report) => {
        if (!isCustomerManagedKey(props.kmsKeyId)) report("kmsKeyId is not set to a customer-managed key.");
    },
});
