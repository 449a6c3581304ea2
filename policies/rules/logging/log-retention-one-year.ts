import { resourceRule } from "../../lib/rule";
import { isUnknown } from "../../lib/props";

export const logRetentionOneYear = resourceRule({
    name: "log-retention-one-year",
    description: "CloudWatch log groups must keep logs at least a year (PCI DSS 10.5.1 keeps audit logs 12 months).",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "logging",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["audit-logging", "retention"],
    resourceTypes: ["aws:cloudwatch/logGroup:LogGroup"],
    peers: { checkov: ["CKV_AWS_338"] },
    config: { minDays: { type: "integer", default: 365, description: "Shortest retention, in days, a log group may have." } },
    remediation:
        "set retentionInDays to 365 or more (or export to S3 with a lifecycle for the longer HIPAA term); an unset retention keeps logs forever with no stated policy.",
    check: ({ props, config }, report) => {
        const days = props.retentionInDays;
        if (isUnknown(days)) return;
        // Unset is log-retention-set's; 0 is how Terraform spells "never expire".
        if (days === undefined || days === null) return;
        if (Number(days) !== 0 && Number(days) < config.minDays) report(`retentionInDays is ${days}, under ${config.minDays}.`);
    },
});
