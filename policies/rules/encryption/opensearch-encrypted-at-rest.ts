import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const opensearchEncryptedAtRest = resourceRule({
    name: "opensearch-encrypted-at-rest",
    description: "OpenSearch domains must encrypt their data at rest.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-at-rest", "search"],
    resourceTypes: ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"],
    peers: { checkov: ["CKV_AWS_5"] },
    remediation: "set encryptAtRest { enabled: true, kmsKeyId: the region's logs key }.",
    check: ({ props }, report) => {
        if (!isTrue(props.encryptAtRest?.enabled)) report("encryptAtRest.enabled is not true.");
    },
});
