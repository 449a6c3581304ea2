import { resourceRule } from "../../lib/rule";

export const secretRotation = resourceRule({
    name: "secret-rotation",
    description: "Secrets Manager rotation schedules must rotate at least every 90 days.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "cis"],
    topics: ["secrets", "credentials"],
    resourceTypes: ["aws:secretsmanager/secretRotation:SecretRotation"],
    peers: { checkov: ["CKV_AWS_304"] },
    config: { maxDays: { type: "integer", default: 90, description: "Longest rotation interval, in days." } },
    remediation: "set rotationRules.automaticallyAfterDays to 90 or fewer (or a scheduleExpression at least that often).",
    check: ({ props, config }, report) => {
        const days = props.rotationRules?.automaticallyAfterDays;
        const expr = props.rotationRules?.scheduleExpression;
        if (days === undefined && !expr) return report("rotationRules sets no interval.");
        if (days !== undefined && Number(days) > config.maxDays) report(`The secret rotates every ${days} days, more than ${config.maxDays}.`);
        const m = /^rate\((\d+) days?\)$/.exec(String(expr ?? ""));
        if (m && Number(m[1]) > config.maxDays) report(`scheduleExpression ${expr} rotates less often than every ${config.maxDays} days.`);
    },
});
