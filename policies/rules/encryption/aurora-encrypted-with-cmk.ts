import { resourceRule } from "../../lib/rule";
import { isCustomerManagedKey, isTrue } from "../../lib/props";

export const auroraEncryptedWithCmk = resourceRule({
    name: "aurora-encrypted-with-cmk",
    description: "Aurora and RDS clusters, global clusters and instances must encrypt storage with a customer-managed KMS key.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa", "cis"],
    topics: ["encryption-at-rest", "kms", "database"],
    resourceTypes: ["aws:rds/cluster:Cluster", "aws:rds/globalCluster:GlobalCluster", "aws:rds/instance:Instance"],
    peers: { checkov: ["CKV_AWS_96", "CKV_AWS_327", "CKV_AWS_16"], compliancePolicies: ["aws-rds-cluster-disallow-unencrypted-storage", "aws-rds-cluster-configure-customer-managed-key", "aws-rds-instance-configure-customer-managed-key", "aws-rds-instance-disallow-unencrypted-storage"] },
    remediation: "set storageEncrypted: true and kmsKeyId to the region's db key (RegionalKeys arns.db); a global cluster takes storageEncrypted: true or a sourceDbClusterIdentifier.",
    check: ({ type, props }, report) => {
        if (type === "aws:rds/globalCluster:GlobalCluster") {
            // A global cluster built from an existing cluster inherits that cluster's encryption.
            if (!isTrue(props.storageEncrypted) && !props.sourceDbClusterIdentifier) report("The global cluster does not set storageEncrypted, so its members could be unencrypted.");
            return;
        }
        if (!isTrue(props.storageEncrypted)) report(`storageEncrypted is ${JSON.stringify(props.storageEncrypted)}; storage would be unencrypted.`);
        if (!isCustomerManagedKey(props.kmsKeyId)) report("kmsKeyId is not a customer-managed key, so AWS would use its default key that we cannot audit or restrict.");
    },
});
