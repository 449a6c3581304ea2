import { resourceRule } from "../../lib/rule";
import { asArray, statements } from "../../lib/props";
import { identityDocuments, IDENTITY_POLICY_TYPES } from "../../lib/policy-documents";

export const iamNoWildcardActions = resourceRule({
    name: "iam-no-wildcard-actions",
    description: 'No IAM policy may allow every action ("*" or NotAction) or every IAM action ("iam:*"), whoever holds it.',
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["iam", "least-privilege"],
    resourceTypes: IDENTITY_POLICY_TYPES,
    peers: { checkov: ["CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_1"] },
    remediation:
        "list the actions the principal needs; manage IAM only from the accounts' admin roles (Identity Center), never from a policy this program creates.",
    check: ({ type, props }, report) => {
        for (const doc of identityDocuments(type, props)) {
            statements(doc).forEach((s, i) => {
                if (s.Effect !== "Allow") return;
                const actions = asArray<string>(s.Action).map(String);
                if (actions.some((a) => a === "*" || a === "*:*")) report(`Statement ${i} allows Action "*".`);
                else if (s.NotAction !== undefined) report(`Statement ${i} allows with NotAction: everything not listed, including actions AWS adds later.`);
                if (actions.some((a) => /^iam:\*$/i.test(a)))
                    report(`Statement ${i} allows "iam:*" (full IAM: whoever holds it can grant themselves anything).`);
            });
        }
    },
});
