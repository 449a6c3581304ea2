import { resourceRule } from "../../lib/rule";
import { isFalse, isTrue } from "../../lib/props";
import { RDS_CLUSTER_INSTANCE, RDS_INSTANCE } from "../../lib/rds";

export const rdsMonitoring = resourceRule({
    name: "rds-monitoring",
    description: "RDS and Aurora instances must have Performance Insights and Enhanced Monitoring (an interval of 60 s or less) on.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "operations",
    frameworks: ["soc2", "pci-dss"],
    topics: ["database", "monitoring"],
    resourceTypes: [RDS_CLUSTER_INSTANCE, RDS_INSTANCE],
    peers: {
        checkov: ["CKV_AWS_353", "CKV_AWS_118"],
        compliancePolicies: ["aws-rds-clusterinstance-enable-performance-insights", "aws-rds-instance-enable-performance-insights"],
    },
    remediation: "set performanceInsightsEnabled: true (with performanceInsightsKmsKeyId) and monitoringInterval to 1, 5, 10, 15, 30 or 60 with a monitoringRoleArn.",
    check: ({ props }, report) => {
        if (!isTrue(props.performanceInsightsEnabled)) report(`performanceInsightsEnabled is ${isFalse(props.performanceInsightsEnabled) ? "false" : "unset"}.`);
        const interval = Number(props.monitoringInterval ?? 0);
        if (!(interval > 0)) report("monitoringInterval is 0 or unset: Enhanced Monitoring is off.");
        else if (!props.monitoringRoleArn) report("monitoringInterval is set without a monitoringRoleArn.");
    },
});
