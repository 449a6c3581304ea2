import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const kmsNoLockoutBypass = resourceRule({
    name: "kms-no-lockout-bypass",
    description: "KMS keys must not bypass the key policy lockout safety check.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss"],
    topics: ["kms", "key-management"],
    resourceTypes: ["aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey", "aws:kms/keyPolicy:KeyPolicy"],
    peers: { compliancePolicies: ["aws-kms-key-disallow-bypass-policy-lockout-safety-check"] },
    remediation: "remove bypassPolicyLockoutSafetyCheck (leave it false).",
    check: ({ props }, report) => {
        if (isTrue(props.bypassPolicyLockoutSafetyCheck))
            report("bypassPolicyLockoutSafetyCheck is true: a policy that locks everyone out of the key is accepted.");
    },
});
