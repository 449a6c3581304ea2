import { resourceRule } from "../../lib/rule";
import { asArray, isTrue, parseJson, statements } from "../../lib/props";

/** Condition keys that narrow a "*" principal to callers of one account, organisation or service. */
const NARROWING = /^(aws:PrincipalAccount|aws:PrincipalOrgID|aws:PrincipalOrgPaths|aws:SourceAccount|aws:SourceArn|aws:SourceOrgID|kms:CallerAccount|kms:ViaService|aws:PrincipalArn)$/i;

export const kmsKeyPolicy = resourceRule({
    name: "kms-key-policy",
    description: "KMS keys must have an explicit key policy that grants no wildcard principal without an account or service condition, and must not bypass the policy lockout safety check.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["kms", "key-management", "least-privilege"],
    resourceTypes: ["aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy", "aws:kms/replicaKey:ReplicaKey"],
    peers: { checkov: ["CKV_AWS_33"], compliancePolicies: ["aws-kms-key-disallow-bypass-policy-lockout-safety-check"] },
    remediation: "write the key policy (components/kms-keys.ts has the statements): the account root for administration, named roles and services for use, services with aws:SourceAccount or kms:ViaService; never bypassPolicyLockoutSafetyCheck.",
    check: ({ type, props }, report) => {
        if (isTrue(props.bypassPolicyLockoutSafetyCheck)) report("bypassPolicyLockoutSafetyCheck is true: a policy that locks everyone out of the key is accepted.");
        const doc = parseJson(props.policy);
        // A key with no policy gets the AWS default, which hands the key to every IAM policy in the account.
        if (type !== "aws:kms/keyPolicy:KeyPolicy" && (doc === undefined || doc === null || props.policy === "")) return report("The key has no key policy: AWS applies its default, which lets any IAM policy in the account use and manage the key.");
        statements(doc).forEach((s, i) => {
            if (s.Effect !== "Allow") return;
            const everyone = s.Principal === "*" || asArray(s.Principal?.AWS).includes("*");
            if (!everyone) return;
            const keys = Object.values(s.Condition ?? {}).flatMap((o) => Object.keys(o ?? {}));
            if (!keys.some((k) => NARROWING.test(k))) report(`Statement ${i}${s.Sid ? ` (${s.Sid})` : ""} allows Principal "*" with no account or service condition.`);
        });
    },
});
