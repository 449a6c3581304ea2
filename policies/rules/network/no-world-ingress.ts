import type { PolicyResource } from "@pulumi/policy";
import { stackRule } from "../../lib/rule";
import { asArray, ofType } from "../../lib/props";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const LB = "aws:lb/loadBalancer:LoadBalancer";
const WORLD = ["0.0.0.0/0", "::/0"];
const WEB_PORTS = [80, 443];

interface Ingress {
    cidrs: string[];
    from: number;
    to: number;
    protocol: string;
}

export const noWorldIngress = stackRule({
    name: "no-world-ingress",
    description: "No security group may accept traffic from 0.0.0.0/0 or ::/0, except ports 80 and 443 on a load balancer's security group.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["public-exposure", "security-groups"],
    resourceTypes: [SG, DEFAULT_SG, INGRESS_RULE, SG_RULE, LB],
    peers: { checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_277"], compliancePolicies: ["aws-ec2-securitygroup-disallow-public-internet-ingress"] },
    remediation:
        "allow ingress from the VPC CIDR, a prefix list or another security group; only a load balancer's security group may open 80/443 to the internet (CloudFront's origin-facing prefix list is better still).",
    check: (resources, _c, report) => {
        // A load balancer's security groups are the ones its inputs reference.
        const lbGroups = new Set(ofType(resources, LB).flatMap((lb) => lb.dependencies.filter((d) => d.type === SG).map((d) => d.urn)));
        const judge = (rules: Ingress[], sgUrn: string | undefined, urn: string) => {
            for (const r of rules) {
                const world = r.cidrs.filter((c) => WORLD.includes(c));
                if (!world.length) continue;
                const web = r.protocol !== "-1" && r.from === r.to && WEB_PORTS.includes(r.from);
                if (web && sgUrn && lbGroups.has(sgUrn)) continue;
                report(
                    `Ingress from ${world.join(", ")} on ${r.protocol === "-1" ? "all ports" : `ports ${r.from}-${r.to}`}${web ? " on a security group no load balancer uses" : ""}.`,
                    urn,
                );
            }
        };
        const inline = (sg: PolicyResource) =>
            asArray<any>(sg.props.ingress).map((i) => ({
                cidrs: [...asArray<string>(i?.cidrBlocks), ...asArray<string>(i?.ipv6CidrBlocks)],
                from: Number(i?.fromPort),
                to: Number(i?.toPort),
                protocol: String(i?.protocol),
            }));
        for (const sg of ofType(resources, SG, DEFAULT_SG)) judge(inline(sg), sg.urn, sg.urn);
        const ownerOf = (r: PolicyResource) => r.dependencies.find((d) => d.type === SG)?.urn;
        for (const r of ofType(resources, INGRESS_RULE)) {
            judge(
                [
                    {
                        cidrs: [r.props.cidrIpv4, r.props.cidrIpv6].filter(Boolean),
                        from: Number(r.props.fromPort),
                        to: Number(r.props.toPort),
                        protocol: String(r.props.ipProtocol),
                    },
                ],
                ownerOf(r),
                r.urn,
            );
        }
        for (const r of ofType(resources, SG_RULE).filter((x) => x.props.type === "ingress")) {
            judge(
                [
                    {
                        cidrs: [...asArray<string>(r.props.cidrBlocks), ...asArray<string>(r.props.ipv6CidrBlocks)],
                        from: Number(r.props.fromPort),
                        to: Number(r.props.toPort),
                        protocol: String(r.props.protocol),
                    },
                ],
                ownerOf(r),
                r.urn,
            );
        }
    },
});
