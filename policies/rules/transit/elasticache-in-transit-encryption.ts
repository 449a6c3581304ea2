import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const elasticacheInTransitEncryption = resourceRule({
    name: "elasticache-in-transit-encryption",
    description: "ElastiCache replication groups must require TLS for every client connection.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-in-transit", "tls", "cache"],
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    remediation: "set transitEncryptionEnabled: true and leave transitEncryptionMode unset or \"required\".",
    check: ({ props }, report) => {
        if (!isTrue(props.transitEncryptionEnabled)) report(`transitEncryptionEnabled is ${JSON.stringify(props.transitEncryptionEnabled)}; clients could connect in clear text.`);
        else if (props.transitEncryptionMode === "preferred") report("transitEncryptionMode is \"preferred\", which still accepts clear-text connections.");
    },
});
