import { resourceRule } from "../../lib/rule";
import { isCustomerManagedKey } from "../../lib/props";

export const backupVaultEncryptedWithCmk = resourceRule({
    name: "backup-vault-encrypted-with-cmk",
    description: "AWS Backup vaults must be encrypted with a customer-managed KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-at-rest", "kms", "backup"],
    resourceTypes: ["aws:backup/vault:Vault"],
    peers: { checkov: ["CKV_AWS_166"] },
    remediation: "set kmsKeyArn to the region's db CMK (RegionalKeys arns.db).",
    check: ({ props }, report) => {
        if (!isCustomerManagedKey(props.kmsKeyArn))
            report(`kmsKeyArn is ${JSON.stringify(props.kmsKeyArn ?? null)}, not a customer-managed key: the vault falls back to the AWS-managed backup key.`);
    },
});
