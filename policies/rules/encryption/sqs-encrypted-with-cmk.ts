import { resourceRule } from "../../lib/rule";
import { isCustomerManagedKey } from "../../lib/props";

export const sqsEncryptedWithCmk = resourceRule({
    name: "sqs-encrypted-with-cmk",
    description: "SQS queues must be encrypted with a customer-managed KMS key (not SQS-managed SSE or the AWS-managed alias/aws/sqs key).",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-at-rest", "kms", "messaging"],
    resourceTypes: ["aws:sqs/queue:Queue"],
    remediation: "set kmsMasterKeyId to the region's queue key (keys.arns.queue) and leave sqsManagedSseEnabled unset.",
    check: ({ props }, report) => {
        if (!isCustomerManagedKey(props.kmsMasterKeyId))
            report(`kmsMasterKeyId is ${JSON.stringify(props.kmsMasterKeyId)}; the queue is not encrypted with a customer-managed key.`);
    },
});
