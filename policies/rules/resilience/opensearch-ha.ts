import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const opensearchHa = resourceRule({
    name: "opensearch-ha",
    description: "OpenSearch domains must run three dedicated master nodes and spread data nodes across availability zones.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2"],
    topics: ["search", "availability"],
    resourceTypes: ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"],
    peers: { checkov: ["CKV_AWS_318", "CKV2_AWS_59"] },
    remediation: "set clusterConfig { dedicatedMasterEnabled: true, dedicatedMasterCount: 3, zoneAwarenessEnabled: true, zoneAwarenessConfig.availabilityZoneCount: 2 or 3 }.",
    check: ({ props }, report) => {
        const cc = props.clusterConfig ?? {};
        if (!isTrue(cc.dedicatedMasterEnabled)) report("clusterConfig.dedicatedMasterEnabled is not true.");
        else if (Number(cc.dedicatedMasterCount ?? 0) < 3) report(`clusterConfig.dedicatedMasterCount is ${cc.dedicatedMasterCount ?? "unset"}, fewer than 3 (no quorum after losing one).`);
        if (!isTrue(cc.zoneAwarenessEnabled)) report("clusterConfig.zoneAwarenessEnabled is not true.");
    },
});
