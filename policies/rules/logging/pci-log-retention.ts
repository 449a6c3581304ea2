import { resourceRule } from "../../lib/rule";
import { complianceScope } from "../../lib/props";

export const pciLogRetention = resourceRule<{ minDays: number }>({
    name: "pci-log-retention",
    description: "Log groups in PCI DSS scope must keep logs for at least 365 days.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "logging",
    frameworks: ["pci-dss", "soc2"],
    topics: ["audit-logging", "retention"],
    resourceTypes: ["aws:cloudwatch/logGroup:LogGroup"],
    remediation: "set retentionInDays to 365 or more (PCI DSS 10.5.1: a year, three months immediately available).",
    config: { minDays: { type: "integer", default: 365, description: "Minimum retention for PCI-scoped log groups (PCI DSS 10.5.1)." } },
    check: ({ props, providerProps, config, args }, report) => {
        if (!complianceScope(props, providerProps).includes("pci-dss")) args.notApplicable("the log group is not in PCI DSS scope");
        const days = props.retentionInDays;
        // Unset or 0 means never expire, which keeps logs longer than required.
        if (typeof days === "number" && days > 0 && days < config.minDays) report(`retentionInDays is ${days}, less than ${config.minDays}.`);
    },
});
