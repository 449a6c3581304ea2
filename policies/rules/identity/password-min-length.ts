import { resourceRule } from "../../lib/rule";

export const passwordMinLength = resourceRule({
    name: "password-min-length",
    description: "An account password policy, where the program sets one, must require at least 14 characters.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "cis"],
    topics: ["passwords", "iam"],
    resourceTypes: ["aws:iam/accountPasswordPolicy:AccountPasswordPolicy"],
    peers: { checkov: ["CKV_AWS_10"], compliancePolicies: ["aws-iam-password-policy-minimum-password-length"] },
    remediation: "set minimumPasswordLength to 14 or more (CIS 1.8).",
    check: ({ props }, report) => {
        if (!(Number(props.minimumPasswordLength) >= 14)) report(`minimumPasswordLength is ${props.minimumPasswordLength ?? "unset"}.`);
    },
});
