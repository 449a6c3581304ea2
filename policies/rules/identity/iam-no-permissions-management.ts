import { resourceRule } from "../../lib/rule";
import { identityDocuments, IDENTITY_POLICY_TYPES, label, unconstrainedAllows } from "../../lib/policy-documents";
import { listedActions, PERMISSIONS_MANAGEMENT_VERBS } from "../../lib/risky-actions";

export const iamNoPermissionsManagement = resourceRule({
    name: "iam-no-permissions-management",
    description: "No IAM policy may grant permissions-management actions (policies, grants, ACLs, PassRole) on every resource with no condition.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["iam", "least-privilege"],
    resourceTypes: IDENTITY_POLICY_TYPES,
    peers: { checkov: ["CKV_AWS_289"] },
    remediation: "name the resources whose permissions the principal may change, or leave permissions management to the admin roles.",
    check: ({ type, props }, report) => {
        for (const doc of identityDocuments(type, props)) {
            unconstrainedAllows(doc).forEach((s, i) => {
                const perms = listedActions(s).filter(({ verb }) => PERMISSIONS_MANAGEMENT_VERBS.test(verb.replace(/\*$/, "")));
                if (perms.length) report(`${label(s, i)} allows permissions management (${perms.map((p) => p.action).join(", ")}) on every resource.`);
            });
        }
    },
});
