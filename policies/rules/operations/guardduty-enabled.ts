import { resourceRule } from "../../lib/rule";
import { isFalse } from "../../lib/props";

export const guarddutyEnabled = resourceRule({
    name: "guardduty-enabled",
    description: "GuardDuty detectors must be enabled and publish findings at least every 15 minutes.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "operations",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["threat-detection", "monitoring"],
    resourceTypes: ["aws:guardduty/detector:Detector"],
    peers: { checkov: ["CKV_AWS_238"] },
    remediation: 'set enable: true and findingPublishingFrequency "FIFTEEN_MINUTES".',
    check: ({ props }, report) => {
        if (isFalse(props.enable)) report("The detector is disabled.");
        // AWS defaults to SIX_HOURS, too slow for the spec's P0 alerting.
        if ((props.findingPublishingFrequency ?? "SIX_HOURS") !== "FIFTEEN_MINUTES")
            report(`findingPublishingFrequency is ${props.findingPublishingFrequency ?? "unset (SIX_HOURS)"}.`);
    },
});
