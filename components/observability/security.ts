import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlertClass } from "./alerts";

/**
 * GuardDuty protections turned on through the detector features API (the
 * `datasources` block is deprecated). EKS audit logs and runtime monitoring
 * (with the managed agent add-on) are the spec's Kubernetes threat detection;
 * RDS login events and S3 data events cover the data tier.
 */
export const GUARDDUTY_FEATURES: readonly { name: string; additional?: string[] }[] = [
    { name: "EKS_AUDIT_LOGS" },
    { name: "RUNTIME_MONITORING", additional: ["EKS_ADDON_MANAGEMENT"] },
    { name: "RDS_LOGIN_EVENTS" },
    { name: "S3_DATA_EVENTS" },
    { name: "EBS_MALWARE_PROTECTION" },
];

/** GuardDuty severities: high is 7.0-8.9 and critical 9.0+; medium is 4.0-6.9. */
export const HIGH_SEVERITY = 7;
export const MEDIUM_SEVERITY = 4;

/**
 * A GuardDuty detector with EKS protection, and EventBridge rules that send
 * high-severity findings to P0 ("Security incident detected") and medium ones
 * to P3 ("Security audit findings").
 */
export function securityMonitoring(name: string, topicArns: Record<AlertClass, pulumi.Input<string>>, parent: pulumi.Resource): aws.guardduty.Detector {
    const detector = new aws.guardduty.Detector(
        `${name}-guardduty`,
        {
            enable: true,
            findingPublishingFrequency: "FIFTEEN_MINUTES",
        },
        { parent },
    );
    for (const f of GUARDDUTY_FEATURES) {
        new aws.guardduty.DetectorFeature(
            `${name}-guardduty-${f.name.toLowerCase().replace(/_/g, "-")}`,
            {
                detectorId: detector.id,
                name: f.name,
                status: "ENABLED",
                additionalConfigurations: f.additional?.map((a) => ({ name: a, status: "ENABLED" })),
            },
            { parent: detector },
        );
    }
    const routes: { cls: AlertClass; suffix: string; severity: object[]; what: string }[] = [
        {
            cls: "P0",
            suffix: "high",
            severity: [{ numeric: [">=", HIGH_SEVERITY] }],
            what: "High and critical GuardDuty findings (P0: Security incident detected)",
        },
        {
            cls: "P3",
            suffix: "medium",
            severity: [{ numeric: [">=", MEDIUM_SEVERITY, "<", HIGH_SEVERITY] }],
            what: "Medium GuardDuty findings (P3: Security audit findings)",
        },
    ];
    for (const r of routes) {
        const rule = new aws.cloudwatch.EventRule(
            `${name}-guardduty-${r.suffix}`,
            {
                description: r.what,
                eventPattern: JSON.stringify({ source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"], detail: { severity: r.severity } }),
                tags: { "alert-class": r.cls },
            },
            { parent: detector },
        );
        new aws.cloudwatch.EventTarget(`${name}-guardduty-${r.suffix}-to-${r.cls.toLowerCase()}`, { rule: rule.name, arn: topicArns[r.cls] }, { parent: rule });
    }
    return detector;
}

/** Aurora writer failures and failovers straight to P0 ("Database master failure"), as RDS events. */
export function databaseEvents(
    name: string,
    clusterIds: pulumi.Input<string>[],
    topicArns: Record<AlertClass, pulumi.Input<string>>,
    parent: pulumi.Resource,
): aws.rds.EventSubscription | undefined {
    if (!clusterIds.length) return undefined;
    return new aws.rds.EventSubscription(
        `${name}-aurora-failures`,
        {
            snsTopic: topicArns.P0,
            sourceType: "db-cluster",
            sourceIds: clusterIds,
            eventCategories: ["failover", "failure"],
            enabled: true,
            tags: { "alert-class": "P0" },
        },
        { parent },
    );
}

/** Resource types Amazon Inspector scans in each regional account: the container images in ECR (issue 15). */
export const INSPECTOR_RESOURCE_TYPES = ["ECR"] as const;

/**
 * Amazon Inspector (v2) for the account in this region: scans every ECR image on push and again when new CVEs
 * are published. Its findings reach Security Hub, whose routing (ContinuousCompliance) sends them to the alert topics.
 */
export function imageScanning(name: string, accountId: pulumi.Input<string>, parent: pulumi.Resource): aws.inspector2.Enabler {
    return new aws.inspector2.Enabler(
        `${name}-inspector`,
        {
            accountIds: [accountId],
            resourceTypes: [...INSPECTOR_RESOURCE_TYPES],
        },
        { parent },
    );
}
