import { resourceRule } from "../../lib/rule";
import { isFalse, isTrue, nonEmpty } from "../../lib/props";

export const elasticacheInTransitEncryption = resourceRule({
    name: "elasticache-in-transit-encryption",
    description: "ElastiCache replication groups must require TLS for every client connection.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-in-transit", "tls", "cache"],
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    peers: { checkov: ["CKV_AWS_30"] },
    remediation:
        'set transitEncryptionEnabled: true and leave transitEncryptionMode unset or "required" (a Global Datastore secondary sets neither: it inherits them from the primary member, which this rule checks).',
    check: ({ props }, report) => {
        // A secondary member of a Global Datastore inherits TLS from the global group (the provider
        // refuses the flag when globalReplicationGroupId is set); the primary member is judged in its own stack.
        const secondary = nonEmpty(props.globalReplicationGroupId);
        if (secondary) {
            if (isFalse(props.transitEncryptionEnabled))
                report("transitEncryptionEnabled is false on a Global Datastore secondary; clients could connect in clear text.");
        } else if (!isTrue(props.transitEncryptionEnabled)) {
            report(`transitEncryptionEnabled is ${JSON.stringify(props.transitEncryptionEnabled)}; clients could connect in clear text.`);
            return;
        }
        if (props.transitEncryptionMode === "preferred") report('transitEncryptionMode is "preferred", which still accepts clear-text connections.');
    },
});
