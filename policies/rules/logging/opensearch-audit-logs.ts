import { resourceRule } from "../../lib/rule";
import { asArray, isFalse } from "../../lib/props";

export const opensearchAuditLogs = resourceRule({
    name: "opensearch-audit-logs",
    description: "OpenSearch domains must publish audit logs to CloudWatch Logs.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "logging",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["search", "audit-logging"],
    resourceTypes: ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"],
    peers: { checkov: ["CKV_AWS_317"] },
    remediation: "add a logPublishingOptions entry for AUDIT_LOGS (enabled, with a cloudwatchLogGroupArn); audit logs need fine-grained access control on.",
    check: ({ props }, report) => {
        const on = asArray<any>(props.logPublishingOptions).some((o) => o?.logType === "AUDIT_LOGS" && !isFalse(o?.enabled) && o?.cloudwatchLogGroupArn);
        if (!on) report("logPublishingOptions has no enabled AUDIT_LOGS.");
    },
});
