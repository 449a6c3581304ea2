import { resourceRule } from "../../lib/rule";
import { asArray, statements } from "../../lib/props";
import { isAdminManagedPolicy } from "../../lib/iam";
import { identityDocuments, IDENTITY_POLICY_TYPES } from "../../lib/policy-documents";

const ATTACHMENTS = ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment"];

export const iamNoWildcardActions = resourceRule({
    name: "iam-no-wildcard-actions",
    description: "No IAM policy may allow every action (\"*\"), every IAM action (\"iam:*\") or attach an administrator policy (AdministratorAccess, IAMFullAccess, PowerUserAccess), whoever holds it.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["iam", "least-privilege"],
    resourceTypes: [...IDENTITY_POLICY_TYPES, ...ATTACHMENTS],
    peers: { checkov: ["CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_274", "CKV_AWS_1"] },
    remediation: "list the actions the principal needs; manage IAM only from the accounts' admin roles (Identity Center), never from a policy this program creates.",
    check: ({ type, props }, report) => {
        if (ATTACHMENTS.includes(type) || type === "aws:iam/role:Role") {
            for (const arn of [props.policyArn, ...asArray(props.managedPolicyArns)]) if (isAdminManagedPolicy(arn)) report(`${arn} is an administrator policy.`);
        }
        for (const doc of identityDocuments(type, props)) {
            statements(doc).forEach((s, i) => {
                if (s.Effect !== "Allow") return;
                const actions = asArray<string>(s.Action).map(String);
                if (actions.some((a) => a === "*" || a === "*:*")) report(`Statement ${i} allows Action "*".`);
                else if (s.NotAction !== undefined) report(`Statement ${i} allows with NotAction: everything not listed, including actions AWS adds later.`);
                if (actions.some((a) => /^iam:\*$/i.test(a))) report(`Statement ${i} allows "iam:*" (full IAM: whoever holds it can grant themselves anything).`);
            });
        }
    },
});
