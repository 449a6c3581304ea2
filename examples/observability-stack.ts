import { ObservabilityStack } from "../components";

/**
 * A regional stack's monitoring without the cluster side: alert topics, GuardDuty, the OpenSearch
 * log domain and alarms on one Aurora shard. Pass `kubernetes` (RegionalCluster's provider, name and
 * node security group) to add Prometheus, Grafana, Fluent Bit and the tracing pipeline.
 */
export function observabilityStackExample(): ObservabilityStack {
    return new ObservabilityStack("bb-use1-obs", {
        mode: "regional",
        region: "us-east-1",
        accountId: "123456789012",
        network: { vpcId: "vpc-0a1b2c3d4e5f60718", dataSubnetIds: ["subnet-0data0a", "subnet-0data0b", "subnet-0data0c"] },
        keys: {
            logs: "arn:aws:kms:us-east-1:123456789012:key/logs",
            eks: "arn:aws:kms:us-east-1:123456789012:key/eks",
            secrets: "arn:aws:kms:us-east-1:123456789012:key/secrets",
        },
        watch: { auroraClusters: [{ label: "shard-0", clusterIdentifier: "bb-use1-db-shard-0" }] },
    });
}
