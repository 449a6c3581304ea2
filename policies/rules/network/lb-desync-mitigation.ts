import { resourceRule } from "../../lib/rule";

export const lbDesyncMitigation = resourceRule({
    name: "lb-desync-mitigation",
    description: "Application and classic load balancers must not mitigate HTTP desync in monitor mode only.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss"],
    topics: ["load-balancer", "public-exposure"],
    resourceTypes: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer", "aws:elb/loadBalancer:LoadBalancer"],
    peers: { checkov: ["CKV_AWS_328"] },
    remediation: 'leave desyncMitigationMode at "defensive" (the default) or set "strictest".',
    check: ({ props }, report) => {
        // "monitor" forwards requests that could smuggle a second request.
        if (props.desyncMitigationMode === "monitor") report('desyncMitigationMode is "monitor": ambiguous requests are forwarded.');
    },
});
