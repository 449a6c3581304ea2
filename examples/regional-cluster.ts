import { RegionalCluster } from "../components";

/**
 * One region's Kubernetes platform: EKS on the region's network, the spec's node groups (here the
 * compute group on spot, diversified over three types), Istio, autoscaling and the ingress NLB with
 * a certificate for the region's API names, validated in the public hosted zone.
 */
export function regionalClusterExample(): RegionalCluster {
    return new RegionalCluster("bb-use1", {
        network: { cidr: "10.10.0.0/16", azs: ["us-east-1a", "us-east-1b", "us-east-1c"] },
        logsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/logs",
        eksKeyArn: "arn:aws:kms:us-east-1:123456789012:key/eks",
        nodeGroups: { compute: { capacityType: "SPOT", instanceTypes: ["c7g.4xlarge", "c6g.4xlarge", "c8g.4xlarge"] } },
        ingressCertificate: { hostnames: ["us-east-1.api.bookedbarber.com", "us.api.bookedbarber.com"], hostedZoneId: "Z0123456789ABCDEFGHIJ" },
        backendImage: `123456789012.dkr.ecr.us-east-1.amazonaws.com/bookedbarber/backend@sha256:${"0".repeat(64)}`,
    });
}
