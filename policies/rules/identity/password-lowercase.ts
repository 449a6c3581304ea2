import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const passwordLowercase = resourceRule({
    name: "password-lowercase",
    description: "An account password policy, where the program sets one, must require a lowercase letter.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "cis"],
    topics: ["passwords", "iam"],
    resourceTypes: ["aws:iam/accountPasswordPolicy:AccountPasswordPolicy"],
    peers: { checkov: ["CKV_AWS_11"] },
    remediation: "set requireLowercaseCharacters: true.",
    check: ({ props }, report) => {
        if (!isTrue(props.requireLowercaseCharacters)) report("requireLowercaseCharacters is not true.");
    },
});
