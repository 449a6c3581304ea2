import { resourceRule } from "../../lib/rule";
import { isCustomerManagedKey } from "../../lib/props";

export const cloudwatchLogsEncryptedWithCmk = resourceRule({
    name: "cloudwatch-logs-encrypted-with-cmk",
    description: "CloudWatch log groups must be encrypted with a customer-managed KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-at-rest", "kms", "logging"],
    resourceTypes: ["aws:cloudwatch/logGroup:LogGroup"],
    peers: { checkov: ["CKV_AWS_158"] },
    remediation: "set kmsKeyId to the region's logs key (RegionalKeys arns.logs).",
    check: ({ props }, report) => {
        if (!isCustomerManagedKey(props.kmsKeyId))
            report("The log group has no kmsKeyId, so logs (which can hold personal data) use AWS's default encryption.");
    },
});
