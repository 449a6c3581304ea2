import { resourceRule } from "../../lib/rule";

export const passwordReuse = resourceRule({
    name: "password-reuse",
    description: "An account password policy, where the program sets one, must block reuse of the last 24 passwords.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "cis"],
    topics: ["passwords", "iam"],
    resourceTypes: ["aws:iam/accountPasswordPolicy:AccountPasswordPolicy"],
    peers: { checkov: ["CKV_AWS_13"], compliancePolicies: ["aws-iam-password-policy-prevent-reuse"] },
    remediation: "set passwordReusePrevention to 24 (CIS 1.9).",
    check: ({ props }, report) => {
        if (!(Number(props.passwordReusePrevention) >= 24)) report(`passwordReusePrevention is ${props.passwordReusePrevention ?? "unset"}.`);
    },
});
