import { resourceRule } from "../../lib/rule";
import { parseJson } from "../../lib/props";

export const kmsKeyPolicyPresent = resourceRule({
    name: "kms-key-policy-present",
    description: "KMS keys must carry an explicit key policy.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["kms", "key-management"],
    resourceTypes: ["aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey"],
    remediation: "write the key policy (components/kms-keys.ts has the statements): the account root for administration, named roles and services for use.",
    check: ({ props }, report) => {
        const doc = parseJson(props.policy);
        // Without one AWS applies its default, which hands the key to every IAM policy in the account.
        if (doc === undefined || doc === null || props.policy === "")
            report("The key has no key policy: AWS's default lets any IAM policy in the account use and manage the key.");
    },
});
