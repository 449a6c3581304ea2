import { resourceRule } from "../../lib/rule";
import { identityDocuments, IDENTITY_POLICY_TYPES, label, unconstrainedAllows } from "../../lib/policy-documents";
import { CREDENTIALS_EXPOSURE, DATA_EXFILTRATION, listedActions, PERMISSIONS_MANAGEMENT_VERBS, READ_VERBS, UNSCOPABLE_WRITES } from "../../lib/risky-actions";

export const iamNoUnconstrainedWrite = resourceRule({
    name: "iam-no-unconstrained-write",
    description:
        "No IAM policy may grant write actions (or a service wildcard) on every resource with no condition; actions that can be scoped to a resource must be.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["iam", "least-privilege"],
    resourceTypes: IDENTITY_POLICY_TYPES,
    peers: { checkov: ["CKV_AWS_290"] },
    remediation:
        'name the resources (ARNs) each write action applies to, or narrow it with a condition (aws:ResourceTag, aws:RequestTag); actions AWS cannot scope (e.g. ec2:Describe*) are fine on "*".',
    check: ({ type, props }, report) => {
        const flagged = [...CREDENTIALS_EXPOSURE, ...DATA_EXFILTRATION, ...UNSCOPABLE_WRITES].map((a) => a.toLowerCase());
        for (const doc of identityDocuments(type, props)) {
            unconstrainedAllows(doc).forEach((s, i) => {
                const writes = listedActions(s).filter(
                    ({ verb, action }) =>
                        !READ_VERBS.test(verb) && !PERMISSIONS_MANAGEMENT_VERBS.test(verb.replace(/\*$/, "")) && !flagged.includes(action.toLowerCase()),
                );
                if (writes.length)
                    report(`${label(s, i)} allows write actions (${writes.map((w) => w.action).join(", ")}) on every resource with no condition.`);
            });
        }
    },
});
