import { resourceRule } from "../../lib/rule";
import { asArray, isCustomerManagedKey } from "../../lib/props";

export const ecrEncryptedWithCmk = resourceRule({
    name: "ecr-encrypted-with-cmk",
    description: "ECR repositories must encrypt images with a customer-managed KMS key (not the default AES256 or the AWS-managed alias/aws/ecr key).",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr"],
    topics: ["encryption-at-rest", "kms", "container-images"],
    resourceTypes: ["aws:ecr/repository:Repository"],
    remediation:
        'set encryptionConfigurations to [{ encryptionType: "KMS", kmsKey: <the region\'s eks key> }] (ContainerRegistry keyArn). The setting cannot change after creation: ECR replaces the repository.',
    peers: { checkov: ["CKV_AWS_136"] },
    check: ({ props }, report) => {
        const enc = asArray<Record<string, any>>(props.encryptionConfigurations)[0];
        if (!enc || enc.encryptionType !== "KMS")
            report(`encryptionType is ${JSON.stringify(enc?.encryptionType ?? "AES256 (the default)")}: images are encrypted with an AWS-owned key.`);
        else if (!isCustomerManagedKey(enc.kmsKey))
            report(`kmsKey is ${JSON.stringify(enc.kmsKey ?? "unset (the AWS-managed aws/ecr key)")}: images are not encrypted with a customer-managed key.`);
    },
});
