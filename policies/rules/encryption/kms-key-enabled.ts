import { resourceRule } from "../../lib/rule";
import { isFalse } from "../../lib/props";

export const kmsKeyEnabled = resourceRule({
    name: "kms-key-enabled",
    description: "KMS keys must be enabled.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss"],
    topics: ["kms", "availability"],
    resourceTypes: ["aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey"],
    peers: { checkov: ["CKV_AWS_227"] },
    remediation: "leave isEnabled true; schedule deletion instead of disabling a key data still depends on.",
    check: ({ props }, report) => {
        if (isFalse(props.isEnabled) || isFalse(props.enabled)) report("The key is disabled: everything encrypted with it is unreadable.");
    },
});
