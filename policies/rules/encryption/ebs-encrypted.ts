import { stackRule } from "../../lib/rule";
import { asArray, isCustomerManagedKey, isFalse, isTrue, ofType } from "../../lib/props";

const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const LC = "aws:ec2/launchConfiguration:LaunchConfiguration";
const INSTANCE = "aws:ec2/instance:Instance";
const BY_DEFAULT = "aws:ebs/encryptionByDefault:EncryptionByDefault";
const DEFAULT_KEY = "aws:ebs/defaultKmsKey:DefaultKmsKey";

export const ebsEncrypted = stackRule({
    name: "ebs-encrypted",
    description: "Block devices of launch templates, launch configurations and instances must be encrypted (unless the account encrypts EBS by default).",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa", "cis"],
    topics: ["encryption-at-rest", "ebs", "compute"],
    resourceTypes: [LT, LC, INSTANCE, BY_DEFAULT, DEFAULT_KEY],
    peers: {
        checkov: ["CKV_AWS_8"],
        compliancePolicies: [
            "aws-ec2-launchtemplate-disallow-unencrypted-block-device",
            "aws-ec2-instance-disallow-unencrypted-block-device",
            "aws-ec2-instance-disallow-unencrypted-root-block-device",
            "aws-ec2-launchconfiguration-disallow-unencrypted-block-device",
            "aws-ec2-launchconfiguration-disallow-unencrypted-root-block-device",
        ],
    },
    remediation: "set encrypted true on every block device (ebs.encrypted for launch templates), or turn on aws.ebs.EncryptionByDefault.",
    check: (resources, _c, report) => {
        // Account-level default encryption covers volumes nobody configured explicitly.
        const byDefault =
            ofType(resources, BY_DEFAULT).some((r) => !isFalse(r.props.enabled)) &&
            ofType(resources, DEFAULT_KEY).some((r) => isCustomerManagedKey(r.props.keyArn));
        const judge = (urn: string, device: any, label: string) => {
            if (!isTrue(device?.encrypted) && !(byDefault && !isFalse(device?.encrypted))) report(`${label} is not encrypted.`, urn);
        };
        for (const lt of ofType(resources, LT)) {
            asArray<any>(lt.props.blockDeviceMappings).forEach((m, i) => m?.ebs && judge(lt.urn, m.ebs, `blockDeviceMappings[${i}] (${m.deviceName ?? "?"})`));
        }
        for (const i of ofType(resources, INSTANCE, LC)) {
            judge(i.urn, i.props.rootBlockDevice, "rootBlockDevice");
            for (const d of asArray<any>(i.props.ebsBlockDevices)) judge(i.urn, d, `ebsBlockDevice ${d?.deviceName ?? "?"}`);
        }
    },
});
