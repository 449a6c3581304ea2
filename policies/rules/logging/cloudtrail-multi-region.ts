import { resourceRule } from "../../lib/rule";
import { isFalse, isTrue } from "../../lib/props";

export const cloudtrailMultiRegion = resourceRule({
    name: "cloudtrail-multi-region",
    description: "CloudTrail trails must cover every region and include global service events.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "logging",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["audit-logging", "cloudtrail"],
    resourceTypes: ["aws:cloudtrail/trail:Trail"],
    peers: { checkov: ["CKV_AWS_67"] },
    remediation: "set isMultiRegionTrail: true and leave includeGlobalServiceEvents true.",
    check: ({ props }, report) => {
        if (!isTrue(props.isMultiRegionTrail)) report("isMultiRegionTrail is not true.");
        if (isFalse(props.includeGlobalServiceEvents)) report("includeGlobalServiceEvents is false.");
    },
});
