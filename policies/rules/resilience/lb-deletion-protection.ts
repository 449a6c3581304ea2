import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const lbDeletionProtection = resourceRule({
    name: "lb-deletion-protection",
    description: "Load balancers must have deletion protection on.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2", "pci-dss"],
    topics: ["load-balancer", "availability"],
    resourceTypes: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
    peers: { checkov: ["CKV_AWS_150"] },
    remediation: "set enableDeletionProtection: true.",
    check: ({ props }, report) => {
        if (!isTrue(props.enableDeletionProtection)) report("enableDeletionProtection is not true.");
    },
});
