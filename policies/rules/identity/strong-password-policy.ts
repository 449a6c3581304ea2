import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const strongPasswordPolicy = resourceRule({
    name: "strong-password-policy",
    description: "An account password policy, where the program sets one, must require 14+ characters of all classes, block reuse of the last 24 and expire within 90 days.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "cis"],
    topics: ["passwords", "iam"],
    resourceTypes: ["aws:iam/accountPasswordPolicy:AccountPasswordPolicy"],
    peers: { checkov: ["CKV_AWS_9", "CKV_AWS_10", "CKV_AWS_11", "CKV_AWS_12", "CKV_AWS_13", "CKV_AWS_14", "CKV_AWS_15"], compliancePolicies: ["aws-iam-password-policy-minimum-password-length", "aws-iam-password-policy-prevent-reuse"] },
    remediation: "set minimumPasswordLength >= 14, requireLowercaseCharacters, requireUppercaseCharacters, requireNumbers and requireSymbols true, passwordReusePrevention 24 and maxPasswordAge <= 90 (CIS 1.8-1.9, PCI DSS 8.3.6-8.3.9).",
    check: ({ props }, report) => {
        if (!(Number(props.minimumPasswordLength) >= 14)) report(`minimumPasswordLength is ${props.minimumPasswordLength ?? "unset"}.`);
        for (const k of ["requireLowercaseCharacters", "requireUppercaseCharacters", "requireNumbers", "requireSymbols"]) if (!isTrue(props[k])) report(`${k} is not true.`);
        if (!(Number(props.passwordReusePrevention) >= 24)) report(`passwordReusePrevention is ${props.passwordReusePrevention ?? "unset"}.`);
        if (!(Number(props.maxPasswordAge) > 0 && Number(props.maxPasswordAge) <= 90)) report(`maxPasswordAge is ${props.maxPasswordAge ?? "unset"}.`);
    },
});
