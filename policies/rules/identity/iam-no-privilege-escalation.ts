import { resourceRule } from "../../lib/rule";
import { identityDocuments, IDENTITY_POLICY_TYPES, unconstrainedActions } from "../../lib/policy-documents";
import { PRIVILEGE_ESCALATION } from "../../lib/risky-actions";

export const iamNoPrivilegeEscalation = resourceRule({
    name: "iam-no-privilege-escalation",
    description: "No IAM policy may grant, on every resource with no condition, a set of actions that lets the holder escalate its own privileges.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["iam", "least-privilege"],
    resourceTypes: IDENTITY_POLICY_TYPES,
    peers: { checkov: ["CKV_AWS_286"] },
    remediation: "scope iam:*Policy*, iam:PassRole, iam:CreateAccessKey and the like to named resources, or leave them to the account's admin roles.",
    check: ({ type, props }, report) => {
        for (const doc of identityDocuments(type, props)) {
            for (const set of PRIVILEGE_ESCALATION) {
                if (unconstrainedActions(doc, set).length === set.length)
                    report(`The policy allows ${set.join(" + ")} on every resource: privilege escalation.`);
            }
        }
    },
});
