import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

export const nodeGroupsThreeAzs = resourceRule<{ minSubnets: number }>({
    name: "node-groups-three-azs",
    description: "EKS node groups must span at least three availability zones (one subnet per AZ).",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2"],
    topics: ["availability", "kubernetes"],
    resourceTypes: ["eks:index:ManagedNodeGroup", "aws:eks/nodeGroup:NodeGroup"],
    remediation: "set subnetIds to the private application subnets of three or more AZs (network.privateSubnetIds).",
    config: { minSubnets: { type: "integer", default: 3, description: "Minimum subnets (one per AZ) a node group spans." } },
    check: ({ props, config }, report) => {
        const subnets = asArray<string>(props.subnetIds);
        if (subnets.length === 1 && subnets[0] === "[unknown]") return;
        if (new Set(subnets).size < config.minSubnets) report(`The node group spans ${new Set(subnets).size} subnet(s); it needs ${config.minSubnets} AZs.`);
    },
});
