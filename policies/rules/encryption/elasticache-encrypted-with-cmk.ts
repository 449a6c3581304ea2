import { resourceRule } from "../../lib/rule";
import { isCustomerManagedKey, isFalse, isTrue } from "../../lib/props";

export const elasticacheEncryptedWithCmk = resourceRule({
    name: "elasticache-encrypted-with-cmk",
    description: "ElastiCache replication groups must encrypt data at rest with a customer-managed KMS key.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-at-rest", "kms", "cache"],
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    peers: { checkov: ["CKV_AWS_29", "CKV_AWS_191"] },
    remediation: "set atRestEncryptionEnabled: true and kmsKeyId to the region's cache key (RegionalKeys arns.cache).",
    check: ({ props }, report) => {
        // A secondary member of a Global Datastore inherits at-rest encryption from the global group.
        const inherits = !!props.globalReplicationGroupId && !isFalse(props.atRestEncryptionEnabled);
        if (!isTrue(props.atRestEncryptionEnabled) && !inherits) report(`atRestEncryptionEnabled is ${JSON.stringify(props.atRestEncryptionEnabled)}; the cache would be unencrypted at rest.`);
        if (!isCustomerManagedKey(props.kmsKeyId)) report("kmsKeyId is not set to a customer-managed key.");
    },
});
