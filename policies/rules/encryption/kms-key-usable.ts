import { resourceRule } from "../../lib/rule";
import { isFalse } from "../../lib/props";

export const kmsKeyUsable = resourceRule({
    name: "kms-key-usable",
    description: "KMS keys must be enabled and carry a description saying what they protect.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss"],
    topics: ["kms", "key-management"],
    resourceTypes: ["aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey"],
    peers: { checkov: ["CKV_AWS_227"], compliancePolicies: ["aws-kms-key-missing-description"] },
    remediation: "leave isEnabled true (schedule deletion instead of disabling a key data still depends on) and set description to what the key encrypts (PCI DSS 3.6.1 documents each key).",
    check: ({ props }, report) => {
        if (isFalse(props.isEnabled) || isFalse(props.enabled)) report("The key is disabled: everything encrypted with it is unreadable.");
        if (typeof props.description !== "string" || props.description.trim() === "") report("The key has no description.");
    },
});
