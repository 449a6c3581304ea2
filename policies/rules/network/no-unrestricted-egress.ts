import { resourceRule } from "../../lib/rule";
import { allPorts, permissionsOf, SG_TYPES, WORLD } from "../../lib/sg";

export const noUnrestrictedEgress = resourceRule({
    name: "no-unrestricted-egress",
    description: "No security group may allow egress to 0.0.0.0/0 or ::/0 on every port and protocol.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["security-groups", "segmentation"],
    resourceTypes: SG_TYPES,
    peers: { checkov: ["CKV_AWS_382"] },
    remediation:
        "allow egress to the ports and destinations the workload needs (443 to the internet through NAT, the data tier's security groups, VPC endpoints' prefix lists).",
    check: ({ type, props }, report) => {
        for (const p of permissionsOf(type, props)) {
            if (p.direction !== "egress" || !allPorts(p)) continue;
            const world = p.cidrs.filter((c) => WORLD.includes(c));
            if (world.length) report(`${p.label === "the rule" ? "The egress rule" : p.label} allows every port to ${world.join(", ")}.`);
        }
    },
});
