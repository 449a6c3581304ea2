import { stackRule } from "../../lib/rule";
import { asArray, dependents, isTrue, ofType } from "../../lib/props";

const CLUSTER = "aws:rds/cluster:Cluster";
const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";

export const datastoreMultiAz = stackRule({
    name: "datastore-multi-az",
    description: "Databases, caches and search domains must span availability zones with automatic failover.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2", "hipaa"],
    topics: ["availability", "failover"],
    resourceTypes: [CLUSTER, INSTANCE, RG, "aws:rds/instance:Instance", "aws:opensearch/domain:Domain"],
    peers: { checkov: ["CKV_AWS_157"], compliancePolicies: ["aws-rds-cluster-disallow-single-availability-zone"] },
    remediation:
        "give each Aurora primary cluster a writer and at least one reader; set automaticFailoverEnabled and multiAzEnabled on replication groups, multiAz on RDS instances and zoneAwarenessEnabled with 2+ nodes on search domains.",
    check: (resources, _c, report) => {
        for (const c of ofType(resources, CLUSTER)) {
            // A secondary of a global cluster (no credentials of its own) may run at minimum size until failover.
            const secondary = !!c.props.globalClusterIdentifier && !c.props.masterUsername && !isTrue(c.props.manageMasterUserPassword);
            const members = dependents(resources, c, INSTANCE);
            if (!secondary && members.length < 2)
                report(`The Aurora cluster has ${members.length} instance(s); failover needs a writer and at least one reader in another AZ.`, c.urn);
            const azs = asArray<string>(c.props.availabilityZones);
            if (azs.length === 1) report(`availabilityZones lists one zone (${azs[0]}): the cluster's storage and instances cannot span zones.`, c.urn);
        }
        for (const rg of ofType(resources, RG)) {
            if (!isTrue(rg.props.automaticFailoverEnabled)) report("automaticFailoverEnabled is not true.", rg.urn);
            if (!isTrue(rg.props.multiAzEnabled)) report("multiAzEnabled is not true.", rg.urn);
        }
        for (const i of ofType(resources, "aws:rds/instance:Instance")) if (!isTrue(i.props.multiAz)) report("multiAz is not true.", i.urn);
        for (const d of ofType(resources, "aws:opensearch/domain:Domain")) {
            const cc = d.props.clusterConfig ?? {};
            if (!isTrue(cc.zoneAwarenessEnabled) || Number(cc.instanceCount ?? 1) < 2) report("The search domain is not zone-aware with 2+ nodes.", d.urn);
        }
    },
});
