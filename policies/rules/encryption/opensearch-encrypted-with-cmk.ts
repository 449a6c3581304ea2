import { resourceRule } from "../../lib/rule";
import { isCustomerManagedKey } from "../../lib/props";

export const opensearchEncryptedWithCmk = resourceRule({
    name: "opensearch-encrypted-with-cmk",
    description: "OpenSearch domains must encrypt at rest with a customer-managed KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-at-rest", "kms", "search"],
    resourceTypes: ["aws:opensearch/domain:Domain"],
    peers: { checkov: ["CKV_AWS_247"] },
    remediation: "set encryptAtRest: { enabled: true, kmsKeyId: <the region's logs key> }.",
    check: ({ props }, report) => {
        if (!isCustomerManagedKey(props.encryptAtRest?.kmsKeyId)) report("encryptAtRest.kmsKeyId is not a customer-managed key.");
    },
});
