import { resourceRule } from "../../lib/rule";
import { complianceScope } from "../../lib/props";

export const hipaaLogRetention = resourceRule<{ minDays: number }>({
    name: "hipaa-log-retention",
    description: "Log groups in HIPAA scope should keep logs for six years, the retention HIPAA requires of security documentation.",
    severity: "medium",
    // HIPAA is "future" in the spec: advisory until a stack declares it in scope and the pack config raises it.
    enforcementLevel: "advisory",
    domain: "logging",
    frameworks: ["hipaa"],
    topics: ["audit-logging", "retention"],
    resourceTypes: ["aws:cloudwatch/logGroup:LogGroup"],
    remediation: "set retentionInDays to 2192 or more (45 CFR 164.316(b)(2)(i)), or archive the logs to S3 with a six-year lifecycle.",
    config: { minDays: { type: "integer", default: 2192, description: "Minimum retention for HIPAA-scoped log groups (six years)." } },
    check: ({ props, providerProps, config, args }, report) => {
        if (!complianceScope(props, providerProps).includes("hipaa")) args.notApplicable("the log group is not in HIPAA scope");
        const days = props.retentionInDays;
        if (typeof days === "number" && days > 0 && days < config.minDays) report(`retentionInDays is ${days}, less than ${config.minDays}.`);
    },
});
