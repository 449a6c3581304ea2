import { resourceRule } from "../../lib/rule";
import { identityDocuments, IDENTITY_POLICY_TYPES, unconstrainedActions } from "../../lib/policy-documents";
import { CREDENTIALS_EXPOSURE } from "../../lib/risky-actions";

export const iamNoCredentialsExposure = resourceRule({
    name: "iam-no-credentials-exposure",
    description: "No IAM policy may grant, on every resource with no condition, actions that return credentials, passwords or tokens.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["iam", "credentials"],
    resourceTypes: IDENTITY_POLICY_TYPES,
    peers: { checkov: ["CKV_AWS_287"] },
    remediation: "name the roles, users or repositories the credential actions apply to.",
    check: ({ type, props }, report) => {
        for (const doc of identityDocuments(type, props)) {
            const found = unconstrainedActions(doc, CREDENTIALS_EXPOSURE);
            if (found.length) report(`The policy allows ${found.join(", ")} on every resource: credentials exposure.`);
        }
    },
});
