import { resourceRule } from "../../lib/rule";

export const passwordMaxAge = resourceRule({
    name: "password-max-age",
    description: "An account password policy, where the program sets one, must expire passwords within 90 days.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "cis"],
    topics: ["passwords", "iam"],
    resourceTypes: ["aws:iam/accountPasswordPolicy:AccountPasswordPolicy"],
    peers: { checkov: ["CKV_AWS_9"] },
    remediation: "set maxPasswordAge to 90 or fewer (CIS 1.x, PCI DSS 8.3.9).",
    check: ({ props }, report) => {
        if (!(Number(props.maxPasswordAge) > 0 && Number(props.maxPasswordAge) <= 90)) report(`maxPasswordAge is ${props.maxPasswordAge ?? "unset"}.`);
    },
});
