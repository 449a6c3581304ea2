import { resourceRule } from "../../lib/rule";
import { isCustomerManagedKey, isUnknown } from "../../lib/props";

export const ssmParameterEncryptedWithCmk = resourceRule({
    name: "ssm-parameter-encrypted-with-cmk",
    description: "SSM SecureString parameters must be encrypted with a customer-managed KMS key.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["encryption-at-rest", "kms", "secrets"],
    resourceTypes: ["aws:ssm/parameter:Parameter"],
    peers: { checkov: ["CKV_AWS_337"] },
    remediation: "set keyId to the region's secrets key on SecureString parameters (plain String parameters hold no secret and need none).",
    check: ({ props }, report) => {
        if (props.type !== "SecureString") return;
        if (!isUnknown(props.keyId) && !isCustomerManagedKey(props.keyId))
            report(`keyId is ${JSON.stringify(props.keyId ?? "unset (alias/aws/ssm)")}: the parameter uses the AWS-managed key.`);
    },
});
