import { resourceRule } from "../../lib/rule";

export const kmsKeyDescribed = resourceRule({
    name: "kms-key-described",
    description: "KMS keys must carry a description saying what they protect.",
    severity: "low",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss"],
    topics: ["kms", "key-management"],
    resourceTypes: ["aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey"],
    peers: { compliancePolicies: ["aws-kms-key-missing-description"] },
    remediation: "set description to what the key encrypts (PCI DSS 3.6.1 documents each key).",
    check: ({ props }, report) => {
        if (typeof props.description !== "string" || props.description.trim() === "") report("The key has no description.");
    },
});
