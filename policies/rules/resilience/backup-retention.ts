import { resourceRule } from "../../lib/rule";

export const backupRetention = resourceRule<{ minDays: number }>({
    name: "backup-retention",
    description: "Databases and caches must keep automated backups for at least 7 days.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["backup", "recovery"],
    resourceTypes: ["aws:rds/cluster:Cluster", "aws:rds/instance:Instance", "aws:elasticache/replicationGroup:ReplicationGroup"],
    peers: {
        checkov: ["CKV_AWS_133"],
        compliancePolicies: [
            "aws-rds-cluster-enable-backup-retention",
            "aws-rds-cluster-configure-backup-retention",
            "aws-rds-instance-enable-backup-retention",
            "aws-rds-instance-configure-backup-retention",
        ],
    },
    remediation: "set backupRetentionPeriod (RDS) or snapshotRetentionLimit (ElastiCache) to 7 or more.",
    config: { minDays: { type: "integer", default: 7, description: "Minimum automated backup retention in days." } },
    check: ({ type, props, config }, report) => {
        const key = type === "aws:elasticache/replicationGroup:ReplicationGroup" ? "snapshotRetentionLimit" : "backupRetentionPeriod";
        // RDS defaults to 1 day and ElastiCache to none when unset.
        const days = Number(props[key] ?? 0);
        if (!(days >= config.minDays)) report(`${key} is ${props[key] ?? "unset"}, less than ${config.minDays} days.`);
    },
});
