import { resourceRule } from "../../lib/rule";
import { isCustomerManagedKey, isTrue } from "../../lib/props";

/** Provisioners that create EBS volumes. */
const EBS = ["ebs.csi.aws.com", "kubernetes.io/aws-ebs"];

export const storageClassEncryptedWithCmk = resourceRule({
    name: "storage-class-encrypted-with-cmk",
    description: "Kubernetes StorageClasses that provision EBS volumes must encrypt them with a customer-managed KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa", "cis"],
    topics: ["encryption-at-rest", "kms", "kubernetes"],
    resourceTypes: ["kubernetes:storage.k8s.io/v1:StorageClass"],
    remediation:
        "set parameters.encrypted: \"true\" and parameters.kmsKeyId to the region's eks key (RegionalKeys arns.eks); the EBS CSI driver's role needs kms:CreateGrant on it.",
    check: ({ props, args }, report) => {
        if (!EBS.includes(props.provisioner)) args.notApplicable(`provisioner ${props.provisioner} does not create EBS volumes`);
        const p = props.parameters ?? {};
        if (!isTrue(p.encrypted))
            report(
                `parameters.encrypted is ${JSON.stringify(p.encrypted)}: volumes would be created unencrypted (unless the account encrypts EBS by default, which this class cannot prove).`,
            );
        if (!isCustomerManagedKey(p.kmsKeyId))
            report("parameters.kmsKeyId is not set to a customer-managed key: volumes would use the AWS-managed aws/ebs key.");
    },
});
