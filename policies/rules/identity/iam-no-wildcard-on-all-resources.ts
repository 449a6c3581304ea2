import { resourceRule } from "../../lib/rule";
import { identityDocuments, IDENTITY_POLICY_TYPES, label, unconstrainedAllows } from "../../lib/policy-documents";
import { listedActions } from "../../lib/risky-actions";

export const iamNoWildcardOnAllResources = resourceRule({
    name: "iam-no-wildcard-on-all-resources",
    description:
        'No IAM policy may grant an action wildcard ("ec2:Describe*", "s3:*") on every resource with no condition: the wildcard takes in actions that can be scoped, and actions AWS adds later.',
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["iam", "least-privilege"],
    resourceTypes: IDENTITY_POLICY_TYPES,
    peers: { checkov: ["CKV_AWS_355"] },
    remediation: 'list the actions by name (an action AWS cannot scope, such as s3:ListAllMyBuckets, may stay on "*"), or name the resources.',
    check: ({ type, props }, report) => {
        for (const doc of identityDocuments(type, props)) {
            unconstrainedAllows(doc).forEach((s, i) => {
                // "*" alone is iam-no-wildcard-actions'.
                const wild = listedActions(s).filter(({ verb }) => verb.includes("*") || verb.includes("?"));
                if (wild.length) report(`${label(s, i)} allows ${wild.map((w) => w.action).join(", ")} on every resource.`);
            });
        }
    },
});
