import { resourceRule } from "../../lib/rule";
import { isCustomerManagedKey } from "../../lib/props";

export const cloudtrailEncryptedWithCmk = resourceRule({
    name: "cloudtrail-encrypted-with-cmk",
    description: "CloudTrail trails must encrypt their log files with a customer-managed KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["encryption-at-rest", "kms", "cloudtrail"],
    resourceTypes: ["aws:cloudtrail/trail:Trail"],
    peers: { checkov: ["CKV_AWS_35"] },
    remediation: "set kmsKeyId to the logs key.",
    check: ({ props }, report) => {
        if (!isCustomerManagedKey(props.kmsKeyId)) report("kmsKeyId is not set: the logs are encrypted with an S3-managed key only.");
    },
});
