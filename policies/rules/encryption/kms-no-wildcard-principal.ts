import { resourceRule } from "../../lib/rule";
import { asArray, statements } from "../../lib/props";

/** Condition keys that narrow a "*" principal to callers of one account, organisation or service. */
const NARROWING =
    /^(aws:PrincipalAccount|aws:PrincipalOrgID|aws:PrincipalOrgPaths|aws:SourceAccount|aws:SourceArn|aws:SourceOrgID|kms:CallerAccount|kms:ViaService|aws:PrincipalArn)$/i;

export const kmsNoWildcardPrincipal = resourceRule({
    name: "kms-no-wildcard-principal",
    description: "KMS key policies must not allow a wildcard principal without an account, organisation or service condition.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["kms", "least-privilege"],
    resourceTypes: ["aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey", "aws:kms/keyPolicy:KeyPolicy"],
    peers: { checkov: ["CKV_AWS_33"] },
    remediation: 'name the principals, or narrow "*" with kms:CallerAccount, kms:ViaService, aws:PrincipalOrgID or aws:SourceAccount.',
    check: ({ props }, report) => {
        statements(props.policy).forEach((s, i) => {
            if (s.Effect !== "Allow") return;
            const everyone = s.Principal === "*" || asArray(s.Principal?.AWS).includes("*");
            if (!everyone) return;
            const keys = Object.values(s.Condition ?? {}).flatMap((o) => Object.keys(o ?? {}));
            if (!keys.some((k) => NARROWING.test(k)))
                report(`Statement ${i}${s.Sid ? ` (${s.Sid})` : ""} allows Principal "*" with no account or service condition.`);
        });
    },
});
