import { resourceRule } from "../../lib/rule";
import { asArray, complianceScope } from "../../lib/props";

const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";

export const pciLogRetention = resourceRule<{ minDays: number }>({
    name: "pci-log-retention",
    description: "Log groups and S3 lifecycle rules in PCI DSS scope must keep logs for at least 365 days.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "logging",
    frameworks: ["pci-dss", "soc2"],
    topics: ["audit-logging", "retention"],
    resourceTypes: ["aws:cloudwatch/logGroup:LogGroup", LIFECYCLE],
    remediation:
        "set retentionInDays (log groups) or the lifecycle rule's expiration.days (S3 log buckets) to 365 or more (PCI DSS 10.5.1: a year, three months immediately available).",
    config: { minDays: { type: "integer", default: 365, description: "Minimum retention for PCI-scoped log groups (PCI DSS 10.5.1)." } },
    check: ({ type, props, providerProps, config, args }, report) => {
        if (!complianceScope(props, providerProps).includes("pci-dss")) args.notApplicable("the resource is not in PCI DSS scope");
        if (type === LIFECYCLE) {
            // The program's buckets all hold logs (load balancer, CloudFront); a future non-log bucket
            // that must expire sooner needs this check narrowed, not the minimum lowered.
            for (const r of asArray<Record<string, any>>(props.rules)) {
                const days = r.expiration?.days;
                if (r.status === "Enabled" && typeof days === "number" && days > 0 && days < config.minDays)
                    report(`Lifecycle rule ${JSON.stringify(r.id)} expires objects after ${days} days, less than ${config.minDays}.`);
            }
            return;
        }
        const days = props.retentionInDays;
        // Unset or 0 means never expire, which keeps logs longer than required.
        if (typeof days === "number" && days > 0 && days < config.minDays) report(`retentionInDays is ${days}, less than ${config.minDays}.`);
    },
});
