import { resourceRule } from "../../lib/rule";

export const logRetentionSet = resourceRule({
    name: "log-retention-set",
    description: "CloudWatch log groups must state a retention; unset, logs are kept forever under no stated policy.",
    severity: "low",
    enforcementLevel: "mandatory",
    domain: "logging",
    frameworks: ["soc2", "pci-dss", "gdpr"],
    topics: ["audit-logging", "retention"],
    resourceTypes: ["aws:cloudwatch/logGroup:LogGroup"],
    peers: { checkov: ["CKV_AWS_66"] },
    remediation: "set retentionInDays (365 or more for audit logs; GDPR Art. 5(1)(e) asks personal data be kept no longer than needed).",
    check: ({ props }, report) => {
        if (props.retentionInDays === undefined || props.retentionInDays === null)
            report("retentionInDays is not set: logs never expire and cost grows without bound.");
    },
});
