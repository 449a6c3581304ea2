import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const lbAccessLogs = resourceRule({
    name: "lb-access-logs",
    description: "Load balancers must write access logs to S3.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "logging",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["audit-logging", "load-balancer"],
    resourceTypes: ["aws:lb/loadBalancer:LoadBalancer"],
    peers: {
        checkov: ["CKV_AWS_91"],
        compliancePolicies: [
            "aws-lb-loadbalancer-enable-access-logging",
            "aws-lb-loadbalancer-configure-access-logging",
            "aws-alb-loadbalancer-enable-access-logging",
            "aws-alb-loadbalancer-configure-access-logging",
        ],
    },
    remediation: "set accessLogs { bucket: <the region's log bucket>, enabled: true }.",
    check: ({ props }, report) => {
        if (!props.accessLogs?.bucket || !isTrue(props.accessLogs?.enabled)) report("Access logs are not enabled.");
    },
});
