import { resourceRule } from "../../lib/rule";
import { asArray, isFalse } from "../../lib/props";

export const opensearchApplicationLogs = resourceRule({
    name: "opensearch-application-logs",
    description: "OpenSearch domains must publish application (error) logs to CloudWatch Logs.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "logging",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["search", "audit-logging"],
    resourceTypes: ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"],
    peers: { checkov: ["CKV_AWS_84"] },
    remediation: "add a logPublishingOptions entry for ES_APPLICATION_LOGS (enabled, with a cloudwatchLogGroupArn).",
    check: ({ props }, report) => {
        const on = asArray<any>(props.logPublishingOptions).some(
            (o) => o?.logType === "ES_APPLICATION_LOGS" && !isFalse(o?.enabled) && o?.cloudwatchLogGroupArn,
        );
        if (!on) report("logPublishingOptions has no enabled ES_APPLICATION_LOGS.");
    },
});
