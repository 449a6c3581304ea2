import { resourceRule } from "../../lib/rule";
import { asArray, isTrue } from "../../lib/props";

export const noPublicDatastores = resourceRule({
    name: "no-public-datastores",
    description: "Databases, caches and search domains must not be reachable from the internet: no public endpoints, and always inside the VPC.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa", "cis"],
    topics: ["public-exposure", "database", "cache"],
    resourceTypes: [
        "aws:rds/instance:Instance",
        "aws:rds/clusterInstance:ClusterInstance",
        "aws:rds/cluster:Cluster",
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "aws:opensearch/domain:Domain",
    ],
    peers: { checkov: ["CKV_AWS_17"], compliancePolicies: ["aws-rds-instance-disallow-public-access", "aws-rds-clusterinstance-disallow-public-access"] },
    remediation:
        "set publiclyAccessible: false, place the datastore in the data subnets (dbSubnetGroupName / subnetGroupName / vpcOptions.subnetIds) and reach it through security groups only.",
    check: ({ type, props }, report) => {
        switch (type) {
            case "aws:rds/instance:Instance":
            case "aws:rds/clusterInstance:ClusterInstance":
                if (isTrue(props.publiclyAccessible)) report("publiclyAccessible is true.");
                return;
            case "aws:rds/cluster:Cluster":
                if (!props.dbSubnetGroupName) report("The cluster has no dbSubnetGroupName, so it would land in the default VPC's subnets.");
                return;
            case "aws:elasticache/replicationGroup:ReplicationGroup":
                // A Global Datastore secondary takes its subnets from its own subnet group too.
                if (!props.subnetGroupName) report("The replication group has no subnetGroupName, so it would land in the default VPC.");
                return;
            case "aws:opensearch/domain:Domain":
                if (!asArray(props.vpcOptions?.subnetIds).length) report("The domain has no vpcOptions.subnetIds, so its endpoint is public.");
                return;
        }
    },
});
