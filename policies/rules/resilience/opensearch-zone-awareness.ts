import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const opensearchZoneAwareness = resourceRule({
    name: "opensearch-zone-awareness",
    description: "OpenSearch domains must spread their data nodes across availability zones.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2"],
    topics: ["search", "availability"],
    resourceTypes: ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"],
    peers: { checkov: ["CKV2_AWS_59"] },
    remediation: "set clusterConfig { zoneAwarenessEnabled: true, zoneAwarenessConfig.availabilityZoneCount: 2 or 3 }.",
    check: ({ props }, report) => {
        if (!isTrue(props.clusterConfig?.zoneAwarenessEnabled)) report("clusterConfig.zoneAwarenessEnabled is not true.");
    },
});
