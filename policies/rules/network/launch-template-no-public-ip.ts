import { resourceRule } from "../../lib/rule";
import { asArray, isTrue } from "../../lib/props";

export const launchTemplateNoPublicIp = resourceRule({
    name: "launch-template-no-public-ip",
    description: "Launch templates and instances must not give instances a public IP address.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["public-exposure", "compute"],
    resourceTypes: ["aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/instance:Instance", "aws:ec2/launchConfiguration:LaunchConfiguration"],
    peers: {
        checkov: ["CKV_AWS_88", "CKV_AWS_389"],
        compliancePolicies: [
            "aws-ec2-launchtemplate-disallow-public-ip",
            "aws-ec2-instance-disallow-public-ip",
            "aws-ec2-launchconfiguration-disallow-public-ip",
        ],
    },
    remediation: "set associatePublicIpAddress false (on networkInterfaces for a launch template) and reach the internet through NAT.",
    check: ({ props }, report) => {
        if (isTrue(props.associatePublicIpAddress)) report("associatePublicIpAddress is true.");
        asArray<any>(props.networkInterfaces).forEach((n, i) => {
            if (isTrue(n?.associatePublicIpAddress)) report(`networkInterfaces[${i}].associatePublicIpAddress is true.`);
        });
    },
});
