import type { PolicyResource } from "@pulumi/policy";
import { stackRule } from "../../lib/rule";
import { asArray, isCustomerManagedKey, isFalse, isTrue, ofType } from "../../lib/props";

const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const INSTANCE = "aws:ec2/instance:Instance";
const CLUSTER = "eks:index:Cluster";
const MNG = "eks:index:ManagedNodeGroup";
const BY_DEFAULT = "aws:ebs/encryptionByDefault:EncryptionByDefault";
const DEFAULT_KEY = "aws:ebs/defaultKmsKey:DefaultKmsKey";

export const ebsEncryptedWithCmk = stackRule({
    name: "ebs-encrypted-with-cmk",
    description: "EBS volumes of launch templates, instances and EKS nodes must be encrypted with a customer-managed KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa", "cis"],
    topics: ["encryption-at-rest", "kms", "ebs", "compute"],
    resourceTypes: [LT, INSTANCE, CLUSTER, MNG, BY_DEFAULT, DEFAULT_KEY],
    peers: { checkov: ["CKV_AWS_189"], compliancePolicies: ["aws-ec2-launchtemplate-configure-customer-managed-key"] },
    remediation:
        'give every block device ebs.encrypted: "true" and ebs.kmsKeyId (the region\'s eks key); node groups take such a launch template, or the stack turns on aws.ebs.EncryptionByDefault with an aws.ebs.DefaultKmsKey set to the key.',
    check: (resources, _c, report) => {
        // Account-level default encryption with our key covers volumes nobody configured explicitly.
        const byDefault =
            ofType(resources, BY_DEFAULT).some((r) => !isFalse(r.props.enabled)) &&
            ofType(resources, DEFAULT_KEY).some((r) => isCustomerManagedKey(r.props.keyArn));
        const judge = (r: PolicyResource, ebs: any, label: string) => {
            if (!isTrue(ebs?.encrypted)) report(`${label} is not encrypted.`, r.urn);
            else if (!isCustomerManagedKey(ebs.kmsKeyId)) report(`${label} has no customer-managed kmsKeyId.`, r.urn);
        };
        for (const lt of ofType(resources, LT)) {
            asArray<any>(lt.props.blockDeviceMappings).forEach((m, i) => m?.ebs && judge(lt, m.ebs, `blockDeviceMappings[${i}] (${m.deviceName ?? "?"})`));
        }
        for (const i of ofType(resources, INSTANCE)) {
            if (i.props.rootBlockDevice || !byDefault) judge(i, i.props.rootBlockDevice, "rootBlockDevice");
            for (const d of asArray<any>(i.props.ebsBlockDevices)) judge(i, d, `ebsBlockDevice ${d?.deviceName ?? "?"}`);
        }
        for (const c of ofType(resources, CLUSTER)) {
            if (!isTrue(c.props.skipDefaultNodeGroup) && !isTrue(c.props.nodeRootVolumeEncrypted) && !byDefault)
                report("The default node group's root volumes are not encrypted (skipDefaultNodeGroup and nodeRootVolumeEncrypted are unset).", c.urn);
        }
        for (const g of ofType(resources, MNG)) {
            // Without a launch template the nodes get the account's EBS defaults.
            if (!g.props.launchTemplate && !byDefault)
                report("The node group has no launchTemplate and the stack does not turn on EBS encryption by default with a customer-managed key.", g.urn);
        }
    },
});
