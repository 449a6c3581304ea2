import { resourceRule } from "../../lib/rule";
import { asArray, isCustomerManagedKey, isFalse, isTrue } from "../../lib/props";

export const ebsEncryptedWithCmk = resourceRule({
    name: "ebs-encrypted-with-cmk",
    description: "EBS volumes of launch templates, instances and EKS nodes must be encrypted with a customer-managed KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa", "cis"],
    topics: ["encryption-at-rest", "kms", "ebs", "compute"],
    resourceTypes: ["aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/instance:Instance", "eks:index:Cluster", "eks:index:ManagedNodeGroup"],
    remediation: "give every block device ebs.encrypted: \"true\" and ebs.kmsKeyId (the region's eks key); EKS node groups take a launch template that does so, and eks.Cluster sets skipDefaultNodeGroup or nodeRootVolumeEncrypted.",
    check: ({ type, props }, report) => {
        switch (type) {
            case "aws:ec2/launchTemplate:LaunchTemplate":
                asArray(props.blockDeviceMappings).forEach((m: any, i: number) => {
                    if (!m?.ebs) return;
                    if (!isTrue(m.ebs.encrypted)) report(`blockDeviceMappings[${i}] (${m.deviceName ?? "?"}) is not encrypted.`);
                    else if (!isCustomerManagedKey(m.ebs.kmsKeyId)) report(`blockDeviceMappings[${i}] (${m.deviceName ?? "?"}) has no customer-managed kmsKeyId.`);
                });
                return;
            case "aws:ec2/instance:Instance":
                if (!isTrue(props.rootBlockDevice?.encrypted) || !isCustomerManagedKey(props.rootBlockDevice?.kmsKeyId)) report("rootBlockDevice is not encrypted with a customer-managed key.");
                for (const d of asArray(props.ebsBlockDevices)) if (!isTrue(d?.encrypted) || !isCustomerManagedKey(d?.kmsKeyId)) report(`ebsBlockDevice ${d?.deviceName ?? "?"} is not encrypted with a customer-managed key.`);
                return;
            case "eks:index:Cluster":
                if (!isTrue(props.skipDefaultNodeGroup) && !isTrue(props.nodeRootVolumeEncrypted)) report("the default node group's root volumes are not encrypted (skipDefaultNodeGroup and nodeRootVolumeEncrypted are unset).");
                return;
            case "eks:index:ManagedNodeGroup":
                // Without a launch template the nodes get AWS's default EBS settings, which we cannot pin to our key.
                if (!props.launchTemplate) report("the node group has no launchTemplate, so its volumes cannot be pinned to a customer-managed key.");
                if (isFalse(props.launchTemplate?.encrypted)) report("the launch template disables encryption.");
                return;
        }
    },
});
