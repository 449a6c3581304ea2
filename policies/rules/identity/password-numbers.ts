import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const passwordNumbers = resourceRule({
    name: "password-numbers",
    description: "An account password policy, where the program sets one, must require a number.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "cis"],
    topics: ["passwords", "iam"],
    resourceTypes: ["aws:iam/accountPasswordPolicy:AccountPasswordPolicy"],
    peers: { checkov: ["CKV_AWS_12"] },
    remediation: "set requireNumbers: true.",
    check: ({ props }, report) => {
        if (!isTrue(props.requireNumbers)) report("requireNumbers is not true.");
    },
});
