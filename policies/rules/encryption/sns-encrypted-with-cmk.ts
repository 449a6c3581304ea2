import { resourceRule } from "../../lib/rule";
import { isCustomerManagedKey } from "../../lib/props";

export const snsEncryptedWithCmk = resourceRule({
    name: "sns-encrypted-with-cmk",
    description: "SNS topics must be encrypted with a customer-managed KMS key.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["encryption-at-rest", "kms", "messaging"],
    resourceTypes: ["aws:sns/topic:Topic"],
    peers: { checkov: ["CKV_AWS_26"] },
    remediation: "set kmsMasterKeyId to a customer-managed key (the region's logs key serves alert topics).",
    check: ({ props }, report) => {
        if (!isCustomerManagedKey(props.kmsMasterKeyId))
            report(`kmsMasterKeyId is ${JSON.stringify(props.kmsMasterKeyId)}; the topic is not encrypted with a customer-managed key.`);
    },
});
