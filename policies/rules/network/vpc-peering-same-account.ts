import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const vpcPeeringSameAccount = resourceRule<{ allowedPeerAccounts: string[] }>({
    name: "vpc-peering-same-account",
    description: "VPC peering may only connect to the platform's own accounts, and must not let the peer resolve private DNS it does not need.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss"],
    topics: ["network", "segmentation"],
    resourceTypes: ["aws:ec2/vpcPeeringConnection:VpcPeeringConnection"],
    remediation:
        "peer only within the platform account (leave peerOwnerId unset) or list the peer account in this rule's allowedPeerAccounts config; keep allowRemoteVpcDnsResolution off.",
    config: {
        allowedPeerAccounts: { type: "array", items: { type: "string" }, default: [], description: "Account ids besides our own that VPCs may peer with." },
    },
    check: ({ props, config }, report) => {
        if (props.peerOwnerId && props.peerOwnerId !== "[unknown]" && !config.allowedPeerAccounts.includes(props.peerOwnerId))
            report(`The peering connects to account ${props.peerOwnerId}, which is not allowed.`);
        for (const side of ["accepter", "requester"])
            if (isTrue(props[side]?.allowRemoteVpcDnsResolution)) report(`${side}.allowRemoteVpcDnsResolution is true.`);
    },
});
