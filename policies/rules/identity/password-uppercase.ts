import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const passwordUppercase = resourceRule({
    name: "password-uppercase",
    description: "An account password policy, where the program sets one, must require an uppercase letter.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "cis"],
    topics: ["passwords", "iam"],
    resourceTypes: ["aws:iam/accountPasswordPolicy:AccountPasswordPolicy"],
    peers: { checkov: ["CKV_AWS_15"] },
    remediation: "set requireUppercaseCharacters: true.",
    check: ({ props }, report) => {
        if (!isTrue(props.requireUppercaseCharacters)) report("requireUppercaseCharacters is not true.");
    },
});
