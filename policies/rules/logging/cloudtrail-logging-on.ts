import { resourceRule } from "../../lib/rule";
import { isFalse } from "../../lib/props";

export const cloudtrailLoggingOn = resourceRule({
    name: "cloudtrail-logging-on",
    description: "CloudTrail trails must be logging.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "logging",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["audit-logging", "cloudtrail"],
    resourceTypes: ["aws:cloudtrail/trail:Trail"],
    peers: { checkov: ["CKV_AWS_251"] },
    remediation: "leave enableLogging true.",
    check: ({ props }, report) => {
        if (isFalse(props.enableLogging)) report("enableLogging is false: the trail records nothing.");
    },
});
