import { resourceRule } from "../../lib/rule";
import { RDS_CLUSTER_INSTANCE, RDS_INSTANCE } from "../../lib/rds";

export const rdsEnhancedMonitoring = resourceRule({
    name: "rds-enhanced-monitoring",
    description: "RDS and Aurora instances must have Enhanced Monitoring on (an interval of 1-60 s with a monitoring role).",
    severity: "low",
    enforcementLevel: "mandatory",
    domain: "operations",
    frameworks: ["soc2", "pci-dss"],
    topics: ["database", "monitoring"],
    resourceTypes: [RDS_CLUSTER_INSTANCE, RDS_INSTANCE],
    peers: { checkov: ["CKV_AWS_118"] },
    remediation: "set monitoringInterval to 1, 5, 10, 15, 30 or 60 with a monitoringRoleArn.",
    check: ({ props }, report) => {
        const interval = Number(props.monitoringInterval ?? 0);
        if (!(interval > 0)) report("monitoringInterval is 0 or unset: Enhanced Monitoring is off.");
        else if (!props.monitoringRoleArn) report("monitoringInterval is set without a monitoringRoleArn.");
    },
});
