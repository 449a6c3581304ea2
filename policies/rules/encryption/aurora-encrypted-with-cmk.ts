import { resourceRule } from "../../lib/rule";
import { isCustomerManagedKey } from "../../lib/props";

export const auroraEncryptedWithCmk = resourceRule({
    name: "aurora-encrypted-with-cmk",
    description: "Aurora clusters and RDS instances must encrypt storage with a customer-managed KMS key.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa", "cis"],
    topics: ["encryption-at-rest", "kms", "database"],
    resourceTypes: ["aws:rds/cluster:Cluster", "aws:rds/instance:Instance"],
    peers: {
        checkov: ["CKV_AWS_327"],
        compliancePolicies: ["aws-rds-cluster-configure-customer-managed-key", "aws-rds-instance-configure-customer-managed-key"],
    },
    remediation: "set kmsKeyId to the region's db key (RegionalKeys arns.db).",
    check: ({ props }, report) => {
        if (!isCustomerManagedKey(props.kmsKeyId))
            report("kmsKeyId is not a customer-managed key, so AWS would use its default key that we cannot audit or restrict.");
    },
});
