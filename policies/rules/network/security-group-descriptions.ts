import { resourceRule } from "../../lib/rule";
import { permissionsOf, SG, SG_TYPES } from "../../lib/sg";

/** The description the AWS provider gives a group when none is set. */
const PROVIDER_DEFAULT = "Managed by Pulumi";

export const securityGroupDescriptions = resourceRule({
    name: "security-group-descriptions",
    description: "Security groups and every one of their rules (inline or standalone) must say what they are for.",
    severity: "low",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss"],
    topics: ["security-groups", "change-management"],
    resourceTypes: SG_TYPES,
    peers: {
        checkov: ["CKV_AWS_23"],
        compliancePolicies: [
            "aws-ec2-securitygroup-missing-description",
            "aws-ec2-securitygroup-missing-ingress-rule-description",
            "aws-ec2-securitygroup-missing-egress-rule-description",
        ],
    },
    remediation:
        'give the group a description (not the provider default "Managed by Pulumi") and every ingress/egress rule a description naming who talks to whom and why (PCI DSS 1.2.5 asks each allowed port to be justified).',
    check: ({ type, props }, report) => {
        if (type === SG) {
            const d = props.description;
            if (typeof d !== "string" || d.trim() === "" || d === PROVIDER_DEFAULT)
                report(`The security group has no description of its own (${JSON.stringify(d ?? PROVIDER_DEFAULT)}).`);
        }
        for (const p of permissionsOf(type, props)) {
            if (typeof p.description !== "string" || p.description.trim() === "")
                report(`${p.label === "the rule" ? `The ${p.direction} rule` : p.label} has no description.`);
        }
    },
});
