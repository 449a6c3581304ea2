import { resourceRule } from "../../lib/rule";
import { asArray, statements } from "../../lib/props";
import { label } from "../../lib/policy-documents";

export const iamOidcSubjectPinned = resourceRule({
    name: "iam-oidc-subject-pinned",
    description: "Role trust policies must pin federated OIDC principals (GitHub Actions, EKS IRSA, any OIDC provider) to a subject.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["iam", "authentication"],
    resourceTypes: ["aws:iam/role:Role"],
    peers: { checkov: ["CKV_AWS_358", "CKV_AWS_393"] },
    remediation:
        'add a StringEquals (or StringLike without a bare "*") condition on <provider>:sub, e.g. token.actions.githubusercontent.com:sub = repo:<org>/<repo>:ref:refs/heads/main, plus :aud = sts.amazonaws.com.',
    check: ({ props }, report) => {
        statements(props.assumeRolePolicy).forEach((s, i) => {
            if (s.Effect !== "Allow") return;
            const cond = s.Condition ?? {};
            for (const fed of asArray<string>(s.Principal?.Federated)) {
                const host = /oidc-provider\/(.+)$/.exec(String(fed))?.[1];
                if (!host) continue;
                const subs = Object.entries(cond).flatMap(([op, o]) =>
                    Object.entries(o ?? {})
                        .filter(([k]) => k.toLowerCase() === `${host}:sub`.toLowerCase())
                        .map(([, v]) => ({ op, values: asArray<string>(v).map(String) })),
                );
                if (!subs.length)
                    report(
                        `${label(s, i)} trusts ${host} with no ${host}:sub condition: any identity of that provider (any repository, any cluster's service account) can assume the role.`,
                    );
                else if (subs.some((c) => c.values.some((v) => v === "*" || /^repo:\*/.test(v) || (/Like/i.test(c.op) && /^[^:]*\*$/.test(v)))))
                    report(`${label(s, i)} matches ${host}:sub with a wildcard that admits any subject.`);
            }
        });
    },
});
