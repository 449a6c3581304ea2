import { resourceRule } from "../../lib/rule";
import { isFalse, isTrue } from "../../lib/props";

export const lbCrossZone = resourceRule({
    name: "lb-cross-zone",
    description: "Network and gateway load balancers must balance across availability zones.",
    severity: "low",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2"],
    topics: ["load-balancer", "availability"],
    resourceTypes: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
    peers: { checkov: ["CKV_AWS_152"] },
    remediation: "set enableCrossZoneLoadBalancing: true (always on for application load balancers; off by default for NLBs and GWLBs).",
    check: ({ props }, report) => {
        const kind = props.loadBalancerType ?? "application";
        if (kind === "application") return;
        if (!isTrue(props.enableCrossZoneLoadBalancing))
            report(
                `enableCrossZoneLoadBalancing is ${isFalse(props.enableCrossZoneLoadBalancing) ? "false" : "unset (off)"} on a ${kind} load balancer: a zone's targets take only its own traffic.`,
            );
    },
});
