import { resourceRule } from "../../lib/rule";
import { asArray, isCustomerManagedKey } from "../../lib/props";

export const secretsEncryptedWithCmk = resourceRule({
    name: "secrets-encrypted-with-cmk",
    description: "Secrets Manager secrets and their replicas must be encrypted with a customer-managed KMS key.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-at-rest", "kms", "secrets"],
    resourceTypes: ["aws:secretsmanager/secret:Secret"],
    peers: { checkov: ["CKV_AWS_149"], compliancePolicies: ["aws-secretsmanager-secret-configure-customer-managed-key"] },
    remediation: "set kmsKeyId (and replicas[].kmsKeyId) to the region's secrets key (RegionalKeys arns.secrets).",
    check: ({ props }, report) => {
        if (!isCustomerManagedKey(props.kmsKeyId)) report("The secret has no customer-managed kmsKeyId (it would use aws/secretsmanager).");
        for (const r of asArray<any>(props.replicas))
            if (!isCustomerManagedKey(r?.kmsKeyId)) report(`The replica in ${r?.region ?? "?"} has no customer-managed kmsKeyId.`);
    },
});
