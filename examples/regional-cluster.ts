import { Network, RegionalCluster, regionalClusterName } from "../components";

/**
 * One region's Kubernetes platform: EKS on the region's network, the spec's node groups (here the
 * compute group on spot, diversified over three types), Istio, autoscaling and the ingress NLB with
 * a certificate for the region's API names, validated in the public hosted zone. The stack builds the
 * region's Network and hands the cluster its IDs; the cluster name tags the subnets for the load balancer controller.
 */
export function regionalClusterExample(): RegionalCluster {
    const azs = ["us-east-1a", "us-east-1b", "us-east-1c"];
    const logsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/logs";
    const network = new Network("bb-use1-net", { cidr: "10.10.0.0/16", azs, logsKeyArn, clusterName: regionalClusterName("bb-use1") });
    return new RegionalCluster("bb-use1", {
        network: { vpcId: network.vpcId, vpcCidr: network.vpcCidr, azs, privateSubnetIds: network.privateSubnetIds, publicSubnetIds: network.publicSubnetIds },
        logsKeyArn,
        eksKeyArn: "arn:aws:kms:us-east-1:123456789012:key/eks",
        nodeGroups: { compute: { capacityType: "SPOT", instanceTypes: ["c7g.4xlarge", "c7gd.4xlarge", "c8g.4xlarge"] } },
        ingressCertificate: { hostnames: ["us-east-1.api.bookedbarber.com", "us.api.bookedbarber.com"], hostedZoneId: "Z0123456789ABCDEFGHIJ" },
        backendImage: `123456789012.dkr.ecr.us-east-1.amazonaws.com/bookedbarber/backend@sha256:${"0".repeat(64)}`,
    });
}
