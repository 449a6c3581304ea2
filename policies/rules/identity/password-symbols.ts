import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const passwordSymbols = resourceRule({
    name: "password-symbols",
    description: "An account password policy, where the program sets one, must require a symbol.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "cis"],
    topics: ["passwords", "iam"],
    resourceTypes: ["aws:iam/accountPasswordPolicy:AccountPasswordPolicy"],
    peers: { checkov: ["CKV_AWS_14"] },
    remediation: "set requireSymbols: true.",
    check: ({ props }, report) => {
        if (!isTrue(props.requireSymbols)) report("requireSymbols is not true.");
    },
});
