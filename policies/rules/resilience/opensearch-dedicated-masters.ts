import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const opensearchDedicatedMasters = resourceRule({
    name: "opensearch-dedicated-masters",
    description: "OpenSearch domains must run three dedicated master nodes.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2"],
    topics: ["search", "availability"],
    resourceTypes: ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"],
    peers: { checkov: ["CKV_AWS_318"] },
    remediation: "set clusterConfig { dedicatedMasterEnabled: true, dedicatedMasterCount: 3 }.",
    check: ({ props }, report) => {
        const cc = props.clusterConfig ?? {};
        if (!isTrue(cc.dedicatedMasterEnabled)) report("clusterConfig.dedicatedMasterEnabled is not true.");
        else if (Number(cc.dedicatedMasterCount ?? 0) < 3)
            report(`clusterConfig.dedicatedMasterCount is ${cc.dedicatedMasterCount ?? "unset"}, fewer than 3 (no quorum after losing one).`);
    },
});
