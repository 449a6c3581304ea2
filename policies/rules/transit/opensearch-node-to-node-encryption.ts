import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const opensearchNodeToNodeEncryption = resourceRule({
    name: "opensearch-node-to-node-encryption",
    description: "OpenSearch domains must encrypt traffic between their nodes.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-in-transit", "search"],
    resourceTypes: ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"],
    peers: { checkov: ["CKV_AWS_6"] },
    remediation: "set nodeToNodeEncryption { enabled: true }.",
    check: ({ props }, report) => {
        if (!isTrue(props.nodeToNodeEncryption?.enabled)) report("nodeToNodeEncryption is not enabled.");
    },
});
