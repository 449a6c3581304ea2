import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const cloudtrailLogValidation = resourceRule({
    name: "cloudtrail-log-validation",
    description: "CloudTrail trails must validate log files, so tampering with delivered logs is detectable.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "logging",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["audit-logging", "cloudtrail"],
    resourceTypes: ["aws:cloudtrail/trail:Trail"],
    peers: { checkov: ["CKV_AWS_36"] },
    remediation: "set enableLogFileValidation: true.",
    check: ({ props }, report) => {
        if (!isTrue(props.enableLogFileValidation)) report("enableLogFileValidation is not true.");
    },
});
