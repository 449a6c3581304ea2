import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

/** Log exports each engine must enable: the ones that carry connections, errors and audit events. */
function required(engine: string): string[] {
    if (/postgres/.test(engine)) return ["postgresql"];
    if (/mysql|mariadb/.test(engine)) return ["audit", "error", "slowquery"];
    return [];
}

export const rdsLogExports = resourceRule({
    name: "rds-log-exports",
    description: "Aurora clusters and RDS instances must export their database logs to CloudWatch Logs.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "logging",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["audit-logging", "database"],
    resourceTypes: ["aws:rds/cluster:Cluster", "aws:rds/instance:Instance"],
    peers: { checkov: ["CKV_AWS_129", "CKV_AWS_324", "CKV_AWS_325"] },
    remediation:
        'set enabledCloudwatchLogsExports to ["postgresql"] (PostgreSQL) or ["audit", "error", "slowquery"] (MySQL), and log connections in the parameter group.',
    check: ({ props }, report) => {
        const on = asArray<string>(props.enabledCloudwatchLogsExports);
        const missing = required(String(props.engine ?? "aurora-postgresql")).filter((t) => !on.includes(t));
        if (missing.length) report(`enabledCloudwatchLogsExports lacks ${missing.join(", ")}.`);
    },
});
