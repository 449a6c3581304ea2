import { resourceRule } from "../../lib/rule";
import { asArray, statements } from "../../lib/props";

export const iamNoUserPolicies = resourceRule({
    name: "iam-no-user-policies",
    description: "IAM permissions must be granted to groups or roles, never attached to individual users (a deny-only guard rail may be).",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "cis"],
    topics: ["iam", "least-privilege"],
    resourceTypes: ["aws:iam/userPolicy:UserPolicy", "aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment"],
    peers: {
        checkov: ["CKV_AWS_40"],
        compliancePolicies: ["aws-iam-policy-attachment-only-attachment-through-groups", "aws-iam-user-policy-attachment-only-attachment-through-groups"],
    },
    remediation: "attach the policy to a group the user belongs to, or better a role assumed through IAM Identity Center.",
    check: ({ type, props }, report) => {
        if (type === "aws:iam/policyAttachment:PolicyAttachment") {
            const users = asArray(props.users);
            if (users.length) report(`The attachment grants the policy to users directly (${users.join(", ")}).`);
            return;
        }
        // A deny-only user policy (the AWS force-MFA guard rail) grants nothing.
        if (type === "aws:iam/userPolicy:UserPolicy" && statements(props.policy).length > 0 && statements(props.policy).every((s) => s.Effect === "Deny"))
            return;
        report("The policy is granted to a user directly.");
    },
});
