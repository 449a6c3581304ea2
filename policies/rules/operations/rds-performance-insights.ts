import { resourceRule } from "../../lib/rule";
import { isFalse, isTrue } from "../../lib/props";
import { RDS_CLUSTER_INSTANCE, RDS_INSTANCE } from "../../lib/rds";

export const rdsPerformanceInsights = resourceRule({
    name: "rds-performance-insights",
    description: "RDS and Aurora instances must have Performance Insights on.",
    severity: "low",
    enforcementLevel: "mandatory",
    domain: "operations",
    frameworks: ["soc2", "pci-dss"],
    topics: ["database", "monitoring"],
    resourceTypes: [RDS_CLUSTER_INSTANCE, RDS_INSTANCE],
    peers: {
        checkov: ["CKV_AWS_353"],
        compliancePolicies: ["aws-rds-clusterinstance-enable-performance-insights", "aws-rds-instance-enable-performance-insights"],
    },
    remediation: "set performanceInsightsEnabled: true with performanceInsightsKmsKeyId.",
    check: ({ props }, report) => {
        if (!isTrue(props.performanceInsightsEnabled))
            report(`performanceInsightsEnabled is ${isFalse(props.performanceInsightsEnabled) ? "false" : "unset"}.`);
    },
});
