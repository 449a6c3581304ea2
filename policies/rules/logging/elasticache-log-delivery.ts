import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

export const elasticacheLogDelivery = resourceRule({
    name: "elasticache-log-delivery",
    description: "ElastiCache replication groups should deliver their engine and slow logs to CloudWatch Logs.",
    severity: "low",
    enforcementLevel: "advisory",
    domain: "logging",
    frameworks: ["soc2"],
    topics: ["audit-logging", "cache"],
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    remediation: 'add logDeliveryConfigurations for logType "engine-log" and "slow-log" to a KMS-encrypted log group.',
    check: ({ props }, report) => {
        const types = asArray<any>(props.logDeliveryConfigurations).map((c) => c?.logType);
        const missing = ["engine-log", "slow-log"].filter((t) => !types.includes(t));
        if (missing.length) report(`No log delivery for ${missing.join(", ")}.`);
    },
});
