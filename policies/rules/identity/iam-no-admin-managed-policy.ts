import { resourceRule } from "../../lib/rule";
import { isAdminManagedPolicy } from "../../lib/iam";
import { asArray } from "../../lib/props";

export const iamNoAdminManagedPolicy = resourceRule({
    name: "iam-no-admin-managed-policy",
    description: "No role, user or group may be given an AWS administrator managed policy (AdministratorAccess, IAMFullAccess, PowerUserAccess).",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["iam", "least-privilege"],
    resourceTypes: [
        "aws:iam/role:Role",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:iam/userPolicyAttachment:UserPolicyAttachment",
        "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
        "aws:iam/policyAttachment:PolicyAttachment",
    ],
    peers: { checkov: ["CKV_AWS_274"] },
    remediation: "attach a policy that lists what the principal needs; people get administrator access through IAM Identity Center with MFA.",
    check: ({ props }, report) => {
        for (const arn of [props.policyArn, ...asArray(props.managedPolicyArns)]) if (isAdminManagedPolicy(arn)) report(`${arn} is an administrator policy.`);
    },
});
