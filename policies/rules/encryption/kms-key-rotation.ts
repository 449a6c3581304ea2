import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const kmsKeyRotation = resourceRule<{ maxRotationDays: number }>({
    name: "kms-key-rotation",
    description: "Customer-managed symmetric KMS keys must rotate automatically at least once a year.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["kms", "key-management"],
    resourceTypes: ["aws:kms/key:Key"],
    peers: { checkov: ["CKV_AWS_7"], compliancePolicies: ["aws-kms-key-enable-key-rotation"] },
    remediation: "set enableKeyRotation: true and rotationPeriodInDays to 365 or less.",
    config: { maxRotationDays: { type: "integer", default: 365, description: "Longest rotation period allowed (PCI DSS 3.7.4: cryptoperiod)." } },
    check: ({ props, config }, report) => {
        // AWS rotates only symmetric encryption keys; asymmetric and HMAC keys cannot rotate.
        const symmetric =
            (props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT" && (props.keyUsage ?? "ENCRYPT_DECRYPT") === "ENCRYPT_DECRYPT";
        if (!symmetric) return;
        if (!isTrue(props.enableKeyRotation)) report("enableKeyRotation is not true.");
        else if (typeof props.rotationPeriodInDays === "number" && props.rotationPeriodInDays > config.maxRotationDays) {
            report(`rotationPeriodInDays is ${props.rotationPeriodInDays}, longer than ${config.maxRotationDays}.`);
        }
    },
});
