import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const finalSnapshot = resourceRule({
    name: "final-snapshot",
    description: "Deleting a database or cache must leave a final snapshot.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["data-loss", "backup"],
    resourceTypes: ["aws:rds/cluster:Cluster", "aws:rds/instance:Instance", "aws:elasticache/replicationGroup:ReplicationGroup"],
    remediation: "set skipFinalSnapshot: false with a finalSnapshotIdentifier (RDS) or a finalSnapshotIdentifier (ElastiCache).",
    check: ({ type, props }, report) => {
        if (type !== "aws:elasticache/replicationGroup:ReplicationGroup" && isTrue(props.skipFinalSnapshot)) {
            report("skipFinalSnapshot is true.");
            return;
        }
        // RDS refuses to delete without an identifier when skipFinalSnapshot is false; ElastiCache takes no snapshot without one.
        if (!props.finalSnapshotIdentifier) report("finalSnapshotIdentifier is not set.");
    },
});
