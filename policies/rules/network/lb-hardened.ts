import { resourceRule } from "../../lib/rule";
import { isFalse, isTrue } from "../../lib/props";

const LB_TYPES = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer", "aws:elb/loadBalancer:LoadBalancer"];
const CLASSIC = "aws:elb/loadBalancer:LoadBalancer";

export const lbHardened = resourceRule({
    name: "lb-hardened",
    description: "Load balancers must be protected from deletion; application (and classic) load balancers must drop invalid header fields and mitigate HTTP desync; network and gateway load balancers must balance across zones.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss"],
    topics: ["load-balancer", "availability"],
    resourceTypes: LB_TYPES,
    peers: { checkov: ["CKV_AWS_150", "CKV_AWS_131", "CKV_AWS_328", "CKV_AWS_152"] },
    remediation: "set enableDeletionProtection: true; on an ALB dropInvalidHeaderFields: true and desyncMitigationMode \"defensive\" or \"strictest\"; on an NLB/GWLB enableCrossZoneLoadBalancing: true.",
    check: ({ type, props }, report) => {
        // desync_mitigation_mode applies to ALBs and classic ELBs; "monitor" lets ambiguous requests through.
        if (props.desyncMitigationMode === "monitor") report("desyncMitigationMode is \"monitor\": requests that could smuggle a second request are forwarded.");
        if (type === CLASSIC) return;
        const kind = props.loadBalancerType ?? "application";
        if (!isTrue(props.enableDeletionProtection)) report("enableDeletionProtection is not true.");
        if (kind === "application" && !isTrue(props.dropInvalidHeaderFields)) report("dropInvalidHeaderFields is not true: headers with invalid names reach the targets.");
        // Cross-zone is always on for ALBs; for NLBs and GWLBs it defaults to off.
        if (kind !== "application" && !isTrue(props.enableCrossZoneLoadBalancing)) report(`enableCrossZoneLoadBalancing is ${isFalse(props.enableCrossZoneLoadBalancing) ? "false" : "unset (off)"} on a ${kind} load balancer: a zone's targets take only its own traffic.`);
    },
});
