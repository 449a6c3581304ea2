import { resourceRule } from "../../lib/rule";
import { asArray, statements } from "../../lib/props";
import { label } from "../../lib/policy-documents";

/** Condition keys that narrow "*" to one account or organisation. */
const NARROWING = /^(aws:PrincipalAccount|aws:PrincipalOrgID|aws:PrincipalOrgPaths|aws:SourceAccount|aws:SourceArn|aws:PrincipalArn)$/i;

/** The OIDC provider host of a federated principal ARN (`.../oidc-provider/token.actions.githubusercontent.com`). */
function oidcHost(federated: string): string | undefined {
    return /oidc-provider\/(.+)$/.exec(federated)?.[1];
}

export const iamTrustScoped = resourceRule({
    name: "iam-trust-scoped",
    description: "Role trust policies must not admit everyone (\"*\") and must pin federated OIDC principals (GitHub Actions, EKS IRSA, any OIDC provider) to a subject.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["iam", "least-privilege", "authentication"],
    resourceTypes: ["aws:iam/role:Role"],
    peers: { checkov: ["CKV_AWS_60", "CKV_AWS_358", "CKV_AWS_393"] },
    remediation: "name the principals that may assume the role; for OIDC add a StringEquals (or StringLike without a bare \"*\") condition on <provider>:sub, e.g. token.actions.githubusercontent.com:sub = repo:<org>/<repo>:ref:refs/heads/main, plus :aud = sts.amazonaws.com.",
    check: ({ props }, report) => {
        statements(props.assumeRolePolicy).forEach((s, i) => {
            if (s.Effect !== "Allow") return;
            const cond = s.Condition ?? {};
            const keys = Object.values(cond).flatMap((o) => Object.keys(o ?? {}));
            const everyone = s.Principal === "*" || asArray(s.Principal?.AWS).includes("*");
            if (everyone && !keys.some((k) => NARROWING.test(k))) report(`${label(s, i)} lets any AWS principal assume the role.`);
            for (const fed of asArray<string>(s.Principal?.Federated)) {
                const host = oidcHost(String(fed));
                if (!host) continue;
                const subs = Object.entries(cond).flatMap(([op, o]) => Object.entries(o ?? {}).filter(([k]) => k.toLowerCase() === `${host}:sub`.toLowerCase()).map(([, v]) => ({ op, values: asArray<string>(v).map(String) })));
                if (!subs.length) report(`${label(s, i)} trusts ${host} with no ${host}:sub condition: any identity of that provider (any repository, any cluster's service account) can assume the role.`);
                else if (subs.some((c) => c.values.some((v) => v === "*" || /^repo:\*/.test(v) || (/Like/i.test(c.op) && /^[^:]*\*$/.test(v))))) report(`${label(s, i)} matches ${host}:sub with a wildcard that admits any subject.`);
            }
        });
    },
});
