import { EdgeNetwork } from "../components";

/**
 * The global edge for one zone: CloudFront, WAF and the Route 53 records in front of the zone's
 * primary and standby ingress load balancers (contract output `ingress` of each regional stack).
 * Built with a us-east-1 provider: CloudFront's certificate and WAF live there.
 */
export function edgeNetworkExample(): EdgeNetwork {
    return new EdgeNetwork("bb-edge", {
        domainName: "bookedbarber.com",
        hostedZoneName: "bookedbarber.com",
        hostedZoneId: "Z0123456789ABCDEFGHIJ",
        accountId: "123456789012",
        zones: [
            {
                zone: "us",
                primary: { region: "us-east-1", ingressDnsName: "bb-use1-nlb-0123.elb.us-east-1.amazonaws.com", ingressZoneId: "Z26RNL4JYFTOTI" },
                standby: { region: "us-west-2", ingressDnsName: "bb-usw2-nlb-0123.elb.us-west-2.amazonaws.com", ingressZoneId: "Z18D5FSROUN65G" },
            },
        ],
    });
}
