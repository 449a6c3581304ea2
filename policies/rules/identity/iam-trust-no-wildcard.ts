import { resourceRule } from "../../lib/rule";
import { asArray, statements } from "../../lib/props";
import { label } from "../../lib/policy-documents";

/** Condition keys that narrow "*" to one account or organisation. */
const NARROWING = /^(aws:PrincipalAccount|aws:PrincipalOrgID|aws:PrincipalOrgPaths|aws:SourceAccount|aws:SourceArn|aws:PrincipalArn)$/i;

export const iamTrustNoWildcard = resourceRule({
    name: "iam-trust-no-wildcard",
    description: 'Role trust policies must not let every AWS principal ("*") assume the role.',
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["iam", "least-privilege"],
    resourceTypes: ["aws:iam/role:Role"],
    peers: { checkov: ["CKV_AWS_60"] },
    remediation: 'name the accounts, roles or services that may assume the role, or narrow "*" with aws:PrincipalOrgID / aws:PrincipalAccount.',
    check: ({ props }, report) => {
        statements(props.assumeRolePolicy).forEach((s, i) => {
            if (s.Effect !== "Allow") return;
            const everyone = s.Principal === "*" || asArray(s.Principal?.AWS).includes("*");
            const keys = Object.values(s.Condition ?? {}).flatMap((o) => Object.keys(o ?? {}));
            if (everyone && !keys.some((k) => NARROWING.test(k))) report(`${label(s, i)} lets any AWS principal assume the role.`);
        });
    },
});
