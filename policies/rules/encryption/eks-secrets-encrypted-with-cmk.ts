import { resourceRule } from "../../lib/rule";
import { asArray, isCustomerManagedKey } from "../../lib/props";

export const eksSecretsEncryptedWithCmk = resourceRule({
    name: "eks-secrets-encrypted-with-cmk",
    description: "EKS clusters must envelope-encrypt Kubernetes secrets with a customer-managed KMS key.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa", "cis"],
    topics: ["encryption-at-rest", "kms", "kubernetes"],
    resourceTypes: ["eks:index:Cluster", "aws:eks/cluster:Cluster"],
    peers: { checkov: ["CKV_AWS_58"], compliancePolicies: ["aws-eks-cluster-enable-cluster-encryption-config"] },
    remediation:
        'set encryptionConfigKeyArn (eks.Cluster) or encryptionConfig.provider.keyArn with resources ["secrets"] to the region\'s eks key (RegionalKeys arns.eks).',
    check: ({ type, props }, report) => {
        if (type === "eks:index:Cluster") {
            if (!isCustomerManagedKey(props.encryptionConfigKeyArn))
                report("encryptionConfigKeyArn is not set, so Kubernetes secrets are stored without envelope encryption.");
            return;
        }
        const cfg = props.encryptionConfig;
        if (!cfg || !isCustomerManagedKey(cfg.provider?.keyArn) || !asArray(cfg.resources).includes("secrets")) {
            report('encryptionConfig does not encrypt "secrets" with a customer-managed key.');
        }
    },
});
