import { resourceRule } from "../../lib/rule";
import { asArray, isFalse } from "../../lib/props";

export const opensearchLogs = resourceRule({
    name: "opensearch-logs",
    description: "OpenSearch domains must publish audit logs and application (error) logs to CloudWatch Logs.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "logging",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["search", "audit-logging"],
    resourceTypes: ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"],
    peers: { checkov: ["CKV_AWS_84", "CKV_AWS_317"] },
    remediation: "add logPublishingOptions for AUDIT_LOGS and ES_APPLICATION_LOGS (enabled, with a cloudwatchLogGroupArn); audit logs need fine-grained access control on.",
    check: ({ props }, report) => {
        const on = new Set(asArray<any>(props.logPublishingOptions).filter((o) => !isFalse(o?.enabled) && o?.cloudwatchLogGroupArn).map((o) => o.logType));
        for (const t of ["AUDIT_LOGS", "ES_APPLICATION_LOGS"]) if (!on.has(t)) report(`logPublishingOptions has no enabled ${t}.`);
    },
});
