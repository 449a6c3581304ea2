import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const lbDropInvalidHeaders = resourceRule({
    name: "lb-drop-invalid-headers",
    description: "Application load balancers must drop HTTP header fields with invalid names.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss"],
    topics: ["load-balancer", "public-exposure"],
    resourceTypes: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
    peers: { checkov: ["CKV_AWS_131"] },
    remediation: "set dropInvalidHeaderFields: true on application load balancers.",
    check: ({ props }, report) => {
        if ((props.loadBalancerType ?? "application") !== "application") return;
        if (!isTrue(props.dropInvalidHeaderFields))
            report("dropInvalidHeaderFields is not true: headers with invalid names reach the targets (request smuggling).");
    },
});
