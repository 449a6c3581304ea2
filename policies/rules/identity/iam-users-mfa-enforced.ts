import type { PolicyResource } from "@pulumi/policy";
import { stackRule } from "../../lib/rule";
import { deniesWithoutMfa } from "../../lib/iam";
import { dependents, ofType } from "../../lib/props";

const USER = "aws:iam/user:User";
const CREDENTIALS = ["aws:iam/userLoginProfile:UserLoginProfile", "aws:iam/accessKey:AccessKey"];
const POLICY_LINKS = ["aws:iam/userPolicy:UserPolicy", "aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment"];

export const iamUsersMfaEnforced = stackRule({
    name: "iam-users-mfa-enforced",
    description: "IAM users with console passwords or access keys must be covered by a policy that denies everything without MFA.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["mfa", "iam"],
    resourceTypes: [USER, ...CREDENTIALS, ...POLICY_LINKS, "aws:iam/policy:Policy"],
    remediation:
        "give people IAM Identity Center access instead of IAM users; if a user must exist, attach a policy that denies all actions when aws:MultiFactorAuthPresent is false (BoolIfExists).",
    check: (resources, _c, report) => {
        const policyDoc = (link: PolicyResource): unknown[] => {
            if (link.type === "aws:iam/userPolicy:UserPolicy") return [link.props.policy];
            return link.dependencies.filter((d) => d.type === "aws:iam/policy:Policy").map((d) => d.props.policy);
        };
        for (const user of ofType(resources, USER)) {
            const creds = dependents(resources, user, ...CREDENTIALS);
            if (!creds.length) continue;
            const enforced = dependents(resources, user, ...POLICY_LINKS).some((l) => policyDoc(l).some(deniesWithoutMfa));
            if (!enforced)
                report(`The IAM user has ${creds.map((c) => c.type.split(":").pop()).join(" and ")} but no policy that denies access without MFA.`, user.urn);
        }
    },
});
