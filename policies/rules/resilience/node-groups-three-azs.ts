import { stackRule } from "../../lib/rule";
import { asArray, ofType } from "../../lib/props";

const MNG = "eks:index:ManagedNodeGroup";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const CLUSTER = "eks:index:Cluster";

export const nodeGroupsThreeAzs = stackRule<{ minSubnets: number }>({
    name: "node-groups-three-azs",
    description: "EKS node groups must span at least three availability zones (one subnet per AZ).",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2"],
    topics: ["availability", "kubernetes"],
    resourceTypes: [MNG, NODE_GROUP, CLUSTER],
    remediation:
        "set subnetIds (or the cluster's privateSubnetIds, which node groups default to) to the private application subnets of three or more AZs (network.privateSubnetIds).",
    config: { minSubnets: { type: "integer", default: 3, description: "Minimum subnets (one per AZ) a node group spans." } },
    check: (resources, config, report) => {
        for (const g of ofType(resources, MNG, NODE_GROUP)) {
            let subnets = asArray<string>(g.props.subnetIds);
            if (!subnets.length) {
                // An eks.ManagedNodeGroup without subnetIds uses its cluster's private subnets.
                const cluster = g.dependencies.find((d) => d.type === CLUSTER);
                subnets = asArray<string>(cluster?.props.privateSubnetIds ?? cluster?.props.subnetIds);
            }
            if (subnets.some((s) => s === "[unknown]")) continue;
            const n = new Set(subnets).size;
            if (n < config.minSubnets) report(`The node group spans ${n} subnet(s); it needs ${config.minSubnets} AZs.`, g.urn);
        }
    },
});
