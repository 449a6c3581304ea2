import { resourceRule } from "../../lib/rule";

export const syntheticsArtifactsEncryptedWithCmk = resourceRule({
    name: "synthetics-artifacts-encrypted-with-cmk",
    description: "CloudWatch Synthetics canaries must encrypt their artifacts (logs, HAR files, responses) with a customer-managed KMS key.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["encryption-at-rest", "kms", "monitoring"],
    resourceTypes: ["aws:synthetics/canary:Canary"],
    remediation: 'set artifactConfig.s3Encryption to { encryptionMode: "SSE_KMS", kmsKeyArn: <customer-managed key> }.',
    check: ({ props }, report) => {
        const enc = (props.artifactConfig as { s3Encryption?: { encryptionMode?: string; kmsKeyArn?: string } } | undefined)?.s3Encryption;
        if (enc?.encryptionMode !== "SSE_KMS" || !enc.kmsKeyArn)
            report("The canary's artifacts are not encrypted with a customer-managed KMS key (artifactConfig.s3Encryption).");
    },
});
