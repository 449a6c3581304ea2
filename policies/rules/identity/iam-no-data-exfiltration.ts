import { resourceRule } from "../../lib/rule";
import { identityDocuments, IDENTITY_POLICY_TYPES, unconstrainedActions } from "../../lib/policy-documents";
import { DATA_EXFILTRATION } from "../../lib/risky-actions";

export const iamNoDataExfiltration = resourceRule({
    name: "iam-no-data-exfiltration",
    description: "No IAM policy may grant, on every resource with no condition, actions that read data out (S3 objects, SSM parameters, secrets).",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["iam", "least-privilege"],
    resourceTypes: IDENTITY_POLICY_TYPES,
    peers: { checkov: ["CKV_AWS_288"] },
    remediation: "name the buckets, parameters and secrets the workload reads.",
    check: ({ type, props }, report) => {
        for (const doc of identityDocuments(type, props)) {
            const found = unconstrainedActions(doc, DATA_EXFILTRATION);
            if (found.length) report(`The policy allows ${found.join(", ")} on every resource: data exfiltration.`);
        }
    },
});
