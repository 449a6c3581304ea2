import { resourceRule } from "../../lib/rule";
import { isFalse, isUnknown } from "../../lib/props";
import { SECURITY_HUB, STANDARD } from "../../lib/compliance-types";

export const securityHubSettings = resourceRule({
    name: "security-hub-settings",
    description: "Security Hub must enable new controls automatically, and standards subscriptions must name a standard ARN in the stack's region.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "operations",
    frameworks: ["soc2", "pci-dss", "cis"],
    topics: ["monitoring", "threat-detection"],
    resourceTypes: [SECURITY_HUB, STANDARD],
    remediation: "leave autoEnableControls true; subscribe with arn:aws:securityhub:<region>::standards/<standard>/v/<version>.",
    check: ({ type, props }, report) => {
        if (type === SECURITY_HUB) {
            if (isFalse(props.autoEnableControls)) report("autoEnableControls is false: controls AWS adds to a standard stay off.");
            return;
        }
        const arn = props.standardsArn;
        if (isUnknown(arn)) return;
        if (typeof arn !== "string" || !/^arn:aws[a-z-]*:securityhub:([a-z]{2}(-[a-z]+)+-\d)?::(standards|ruleset)\/[a-z0-9-]+\/v\/[0-9.]+$/.test(arn))
            report(`standardsArn ${JSON.stringify(arn)} is not a Security Hub standard ARN.`);
    },
});
