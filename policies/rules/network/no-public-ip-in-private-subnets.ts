import { resourceRule } from "../../lib/rule";
import { asArray, isTrue, parseJson } from "../../lib/props";

/** Subnets the network marks as public: tier=public or the load balancer role tag. */
function isPublicSubnet(tags: Record<string, string>): boolean {
    return tags.tier === "public" || tags["kubernetes.io/role/elb"] === "1";
}

export const noPublicIpInPrivateSubnets = resourceRule({
    name: "no-public-ip-in-private-subnets",
    description: "Private subnets, launch templates and EKS nodes must not auto-assign public IP addresses.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "cis"],
    topics: ["public-exposure", "network"],
    resourceTypes: ["aws:ec2/subnet:Subnet", "aws:ec2/launchTemplate:LaunchTemplate", "eks:index:Cluster"],
    peers: { checkov: ["CKV_AWS_130"] },
    remediation:
        'set mapPublicIpOnLaunch: false on private subnets, associatePublicIpAddress: "false" in launch templates and nodeAssociatePublicIpAddress: false on eks.Cluster; egress goes through the NAT gateways.',
    check: ({ type, props }, report) => {
        if (type === "aws:ec2/subnet:Subnet") {
            const tags = parseJson(props.tags) ?? {};
            if (isTrue(props.mapPublicIpOnLaunch) && !isPublicSubnet(tags)) report(`The ${tags.tier ?? "untiered"} subnet auto-assigns public IPs.`);
            if (isTrue(props.assignIpv6AddressOnCreation) && !isPublicSubnet(tags))
                report("The private subnet auto-assigns IPv6 addresses, which are globally routable.");
        } else if (type === "aws:ec2/launchTemplate:LaunchTemplate") {
            for (const ni of asArray<any>(props.networkInterfaces))
                if (isTrue(ni?.associatePublicIpAddress)) report("A network interface of the launch template associates a public IP.");
        } else if (isTrue(props.nodeAssociatePublicIpAddress)) report("nodeAssociatePublicIpAddress is true.");
    },
});
