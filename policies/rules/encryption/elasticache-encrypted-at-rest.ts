import { resourceRule } from "../../lib/rule";
import { isFalse, isTrue } from "../../lib/props";

export const elasticacheEncryptedAtRest = resourceRule({
    name: "elasticache-encrypted-at-rest",
    description: "ElastiCache replication groups must encrypt their data at rest.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-at-rest", "cache"],
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    peers: { checkov: ["CKV_AWS_29"] },
    remediation: "set atRestEncryptionEnabled: true.",
    check: ({ props }, report) => {
        // A secondary member of a Global Datastore inherits at-rest encryption from the global group.
        const inherits = !!props.globalReplicationGroupId && !isFalse(props.atRestEncryptionEnabled);
        if (!isTrue(props.atRestEncryptionEnabled) && !inherits)
            report(`atRestEncryptionEnabled is ${JSON.stringify(props.atRestEncryptionEnabled)}; the cache would be unencrypted at rest.`);
    },
});
