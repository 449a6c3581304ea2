import type { PrometheusClients } from "./observability/prometheus-tls";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ArgsCheck } from "./args";
import { integerLimit, logRetentionLimit } from "./limits";
import { ALERT_CLASSES, ALERT_DEFINITIONS, AlertClass, alertProblems, AlertOverride, applyOverrides } from "./observability/alerts";
import { auditTrail } from "./observability/audit-trail";
import { cloudWatchAlarms, WatchedResources } from "./observability/aws-alarms";
import { clusterSide, GRAFANA_ADMIN_USER } from "./observability/kubernetes";
import { GRAFANA_ADMIN_PASSWORD_LENGTH, grafanaAdminRotation } from "./observability/grafana-admin-rotation";
import { OPENSEARCH_BOOTSTRAP_SERVICE_ACCOUNT } from "./observability/opensearch-bootstrap";
import { MONITORING_NAMESPACE } from "./observability/prometheus-rules";
import { podIdentityTrustPolicy } from "./pod-identity";
import {
    dataInstanceCountProblem,
    EBS_LIMIT_GIB,
    hotShare,
    hotStorageGib,
    logDomain,
    OPENSEARCH_DEFAULTS,
    OPENSEARCH_LIMITS,
    ULTRAWARM_STORAGE_GIB,
    warmInstanceCountProblem,
    warmStorageGib,
} from "./observability/opensearch";
import { databaseEvents, imageScanning, securityMonitoring } from "./observability/security";
import { alertSubscriptions, AlertRoutes, routeProblems } from "./observability/subscriptions";
import { alertTopics } from "./observability/topics";
import { withTags } from "./tags";

export type { WatchedResources } from "./observability/aws-alarms";
export { ALERT_CLASSES, ALERT_DEFINITIONS } from "./observability/alerts";
export { PROMETHEUS_URL } from "./observability/prometheus-rules";
export type { PrometheusClients } from "./observability/prometheus-tls";
export { alertTopicArn } from "./observability/topics";
export type { AlertClass, AlertDefinition, AlertOverride } from "./observability/alerts";
export type { AlertRoutes, AlertSubscriber } from "./observability/subscriptions";

/** Secrets Manager names of the SaaS keys (spec "Secret Management Strategy": /global/apis/...). Values are set out of band. */
export const SAAS_SECRETS = {
    newRelicLicenseKey: "/global/apis/newrelic/license-key",
    sentryDsn: "/global/apis/sentry/dsn",
} as const;

export interface OpenSearchSizing {
    /** Domain name, 3-28 lowercase letters, digits and hyphens. Default `bb-<region short>-logs` from the component name. */
    domainName?: string;
    /** Retained source logs in TB the storage must hold. Default 10 (spec: Elasticsearch "10TB capacity"). */
    retainedTb?: number;
    /** Days indices stay on the hot data nodes before ISM moves them to UltraWarm. Default 7 (sizing arithmetic in observability/opensearch.ts). */
    hotDays?: number;
    /** Data node type. Default r6g.2xlarge.search. */
    dataInstanceType?: string;
    /** Data nodes, a multiple of the 3 AZs. Default 3. */
    dataInstanceCount?: number;
    /** gp3 volume per data node, GiB. Default 2200. */
    volumeSizeGib?: number;
    /** UltraWarm nodes: 0 (everything stays hot) or 2 and more. Default 6. */
    warmInstanceCount?: number;
    /** UltraWarm node type. Default ultrawarm1.medium.search. */
    warmInstanceType?: string;
    /** Dedicated master type. Default m6g.large.search. */
    masterInstanceType?: string;
    /** Dedicated masters, 3 or 5. Default 3 (one per AZ). */
    masterInstanceCount?: number;
    /** Engine version. Default OpenSearch_2.19. */
    engineVersion?: string;
}

export interface ObservabilityKubernetes {
    /** Provider of the region's EKS cluster (RegionalCluster.kubernetesProvider). */
    provider: k8s.Provider;
    /** EKS cluster name, for Pod Identity associations. */
    clusterName: pulumi.Input<string>;
    /** Security group of the cluster's nodes: the only source the OpenSearch domain admits. */
    nodeSecurityGroupId: pulumi.Input<string>;
    /**
     * Prometheus's clients outside the monitoring namespace (RegionalCluster.prometheusClients): each gets
     * Prometheus's CA in its namespace and is restarted when the certificate is renewed. Default none (Grafana only).
     */
    prometheusClients?: PrometheusClients;
}

export interface ObservabilityStackArgs {
    /** `regional` in every regional stack, `global` in the global stack. Required. */
    mode: "regional" | "global";
    /** Region of the stack (the global stack's home region in global mode). Required. */
    region: string;
    /** Owning account. Required. */
    accountId: pulumi.Input<string>;
    /** Protect stateful resources (search domain, keys, log groups, trail bucket). Default true (stack config `protect`). */
    protect?: boolean;
    /** Tags added to every AWS resource this component creates, under each resource's own tags (build the design's set with `defaultTags()`). Default none: the provider's defaultTags carry them, as in the stacks. */
    tags?: Record<string, string>;

    // ---- regional mode ----
    /** Regional: the VPC and its data subnets (the OpenSearch domain lives in the first 3). Required in regional mode. */
    network?: { vpcId: pulumi.Input<string>; dataSubnetIds: pulumi.Input<string>[] };
    /** Regional: the region's CMKs (RegionalKeys.arns): logs (domain, log groups), eks (volumes), secrets (Secrets Manager). Required in regional mode. */
    keys?: { logs: pulumi.Input<string>; eks: pulumi.Input<string>; secrets: pulumi.Input<string> };
    /** Regional: the EKS cluster. Without it only the AWS side is built (no Helm releases, no in-cluster objects). */
    kubernetes?: ObservabilityKubernetes;
    /** Regional: what the CloudWatch alarms watch; alarms exist for what is given. Default none. */
    watch?: WatchedResources;
    /** Regional: days logs and traces stay in OpenSearch (ISM policy). Default 30 (spec: "30-day retention"). */
    logRetentionDays?: number;
    /** Regional: days the domain's audit, error and slow logs stay in CloudWatch. Default 365 (PCI DSS 10.7). */
    domainLogRetentionDays?: number;
    /** Regional: OpenSearch sizing. Defaults: OPENSEARCH_DEFAULTS (spec: 10 TB over 30 days). */
    openSearch?: OpenSearchSizing;
    /** Regional: Prometheus retention in days. Default 15 (spec gives none; long-term trends live in CloudWatch). */
    prometheusRetentionDays?: number;
    /** Regional: Prometheus volume per replica, GiB. Default 200. */
    prometheusStorageGib?: number;
    /** Regional: Alertmanager volume, GiB. Default 10. */
    alertmanagerStorageGib?: number;
    /** Regional: Grafana volume, GiB. Default 10. */
    grafanaStorageGib?: number;
    /** Regional: share of traces kept by the collector, percent (0-100]. Default 10. */
    traceSamplingPercent?: number;
    /** Regional: alert ids another component already raises (e.g. RedisGlobal's per-shard memory alarm). Default none. */
    excludeAlerts?: readonly string[];
    /** Regional: per-alert threshold or class changes, by alert id. Default none (the spec's table). */
    alertOverrides?: Readonly<Record<string, AlertOverride>>;
    /** Regional: who each alert class reaches (email, HTTPS, PagerDuty, Slack through AWS Chatbot; docs/alerting.md). Default none (stack config `alertSubscriptions`). */
    alertRoutes?: AlertRoutes;
    /** Regional: PagerDuty integration key for `pagerDuty` routes; pass it as a Pulumi secret. Default none (stack config `pagerDutyIntegrationKey`). */
    pagerDutyIntegrationKey?: pulumi.Input<string>;
    /** Regional: install the EBS CSI driver add-on the encrypted StorageClass needs. Default true; false when RegionalCluster runs it. */
    installEbsCsiDriver?: boolean;

    // ---- global mode ----
    /** Global: days the audit trail's CloudWatch log group keeps events. Default 365 (PCI DSS 10.7). */
    trailLogRetentionDays?: number;
    /** Global: days the trail bucket keeps log files. Default 2557 (7 years, SOC 2 evidence). */
    trailBucketRetentionDays?: number;
}

/** ObservabilityStack's defaults: the value each optional arg takes when left out (OpenSearch sizing: OPENSEARCH_DEFAULTS). The stack config keys derive theirs from these. */
export const OBSERVABILITY_DEFAULTS = {
    /** Spec: Log Management, "Elasticsearch: 30-day retention" (ISM policy). */
    logRetentionDays: 30,
    /** PCI DSS 10.7: a year. */
    domainLogRetentionDays: 365,
    /** Spec gives none: 15 days covers incident review; trends live in CloudWatch and Grafana. */
    prometheusRetentionDays: 15,
    /** 15 days of a 500-node region's metrics (spec: "Prometheus: High cardinality metrics"). */
    prometheusStorageGib: 200,
    alertmanagerStorageGib: 10,
    grafanaStorageGib: 10,
    /** 10% of 1M users' traffic keeps OpenSearch inside its 10 TB (spec: "Jaeger: Distributed tracing"). */
    traceSamplingPercent: 10,
    /** PCI DSS 10.7: a year. */
    trailLogRetentionDays: 365,
    /** 7 years of SOC 2 evidence. */
    trailBucketRetentionDays: 2557,
} as const;

/** ObservabilityStack's valid ranges. */
export const OBSERVABILITY_LIMITS = {
    /** ISM min_index_age in days; ten years is far beyond any log policy here. */
    logRetentionDays: integerLimit(1, 3650),
    /** The domain's log groups are CloudWatch Logs: its periods only. */
    domainLogRetentionDays: logRetentionLimit(1),
    /** Beyond 90 days belongs in CloudWatch, not on the Prometheus volume. */
    prometheusRetentionDays: integerLimit(1, 90),
    /** gp3 volumes: 1 GiB to 16 TiB; 10 GiB the least worth a Prometheus replica. */
    prometheusStorageGib: integerLimit(10, 16384),
    alertmanagerStorageGib: integerLimit(1, 1024),
    grafanaStorageGib: integerLimit(1, 1024),
    /** The trail's log group is CloudWatch Logs; PCI DSS 10.7: a year at least. */
    trailLogRetentionDays: logRetentionLimit(365),
    /** S3 lifecycle expiration; PCI DSS 10.7 a year at least, ten years at most. */
    trailBucketRetentionDays: integerLimit(365, 3653),
} as const;

/**
 * Metrics, dashboards, logs, traces, security monitoring and the P0-P3 alert
 * classes (spec: "Monitoring & Observability Stack", "Alerting Strategy").
 * Regional mode: alert topics, CloudWatch alarms, GuardDuty, the OpenSearch
 * log domain and, given the cluster, everything in-cluster. Global mode: the
 * account's multi-region audit trail.
 */
/** Cache nodes one memory alarm can watch: a CloudWatch metric-math alarm reads at most 10 metrics. */
export const CACHE_WATCH_MAX_NODES = 10;

export class ObservabilityStack extends pulumi.ComponentResource {
    /** Grafana, in the cluster (regional with a cluster); otherwise OpenSearch Dashboards (regional) or the trail's console page (global). */
    readonly dashboardUrl: pulumi.Output<string>;
    /** Regional: the OpenSearch domain's VPC endpoint. */
    readonly openSearchEndpoint?: pulumi.Output<string>;
    /** Regional: the SNS topic of each alert class. */
    readonly alertTopicArns?: Record<AlertClass, pulumi.Output<string>>;
    /** Regional: the alarms created, for tests and the README's counts. */
    readonly alarmCount: number;
    /** Global: the audit trail. */
    readonly trailArn?: pulumi.Output<string>;

    constructor(name: string, args: ObservabilityStackArgs, opts?: pulumi.ComponentResourceOptions) {
        const os = { ...OPENSEARCH_DEFAULTS, ...(args.openSearch ?? {}) };
        const domainName = args.openSearch?.domainName ?? `${name}-logs`.slice(0, 28);
        const logRetentionDays = args.logRetentionDays ?? OBSERVABILITY_DEFAULTS.logRetentionDays;
        const domainLogRetentionDays = args.domainLogRetentionDays ?? OBSERVABILITY_DEFAULTS.domainLogRetentionDays;
        const sampling = args.traceSamplingPercent ?? OBSERVABILITY_DEFAULTS.traceSamplingPercent;
        const check = new ArgsCheck("ObservabilityStack", name)
            .oneOf("mode", args.mode, ["regional", "global"])
            .that(/^[a-z]{2}(-[a-z]+)+-\d$/.test(args.region ?? ""), "region", args.region, "must be an AWS region name such as eu-west-1");
        if (args.mode === "regional") {
            check
                .that(
                    !!args.network && Array.isArray(args.network.dataSubnetIds) && args.network.dataSubnetIds.length >= 3,
                    "network",
                    args.network ? "(given)" : args.network,
                    "regional mode needs the VPC and at least 3 data subnets",
                )
                .that(!!args.keys, "keys", args.keys, "regional mode needs the region's logs, eks and secrets keys")
                .within("logRetentionDays", logRetentionDays, OBSERVABILITY_LIMITS.logRetentionDays)
                .within("domainLogRetentionDays", domainLogRetentionDays, OBSERVABILITY_LIMITS.domainLogRetentionDays)
                .that(
                    typeof sampling === "number" && sampling > 0 && sampling <= 100,
                    "traceSamplingPercent",
                    sampling,
                    "is a percentage of traces kept, must be above 0 and at most 100",
                )
                .within(
                    "prometheusRetentionDays",
                    args.prometheusRetentionDays ?? OBSERVABILITY_DEFAULTS.prometheusRetentionDays,
                    OBSERVABILITY_LIMITS.prometheusRetentionDays,
                )
                .within(
                    "prometheusStorageGib",
                    args.prometheusStorageGib ?? OBSERVABILITY_DEFAULTS.prometheusStorageGib,
                    OBSERVABILITY_LIMITS.prometheusStorageGib,
                )
                .within(
                    "alertmanagerStorageGib",
                    args.alertmanagerStorageGib ?? OBSERVABILITY_DEFAULTS.alertmanagerStorageGib,
                    OBSERVABILITY_LIMITS.alertmanagerStorageGib,
                )
                .within("grafanaStorageGib", args.grafanaStorageGib ?? OBSERVABILITY_DEFAULTS.grafanaStorageGib, OBSERVABILITY_LIMITS.grafanaStorageGib)
                .that(
                    /^[a-z][a-z0-9-]{2,27}$/.test(domainName),
                    "openSearch.domainName",
                    domainName,
                    "must be 3-28 characters: lowercase letters, digits and hyphens, starting with a letter",
                )
                .that(
                    dataInstanceCountProblem(os.dataInstanceCount) === undefined,
                    "openSearch.dataInstanceCount",
                    os.dataInstanceCount,
                    dataInstanceCountProblem(os.dataInstanceCount) ?? "",
                )
                .within("openSearch.masterInstanceCount", os.masterInstanceCount, OPENSEARCH_LIMITS.masterInstanceCount)
                .within("openSearch.dataInstanceType", os.dataInstanceType, OPENSEARCH_LIMITS.dataInstanceType)
                .within("openSearch.volumeSizeGib", os.volumeSizeGib, OPENSEARCH_LIMITS.volumeSizeGib)
                .that(typeof os.retainedTb === "number" && os.retainedTb > 0, "openSearch.retainedTb", os.retainedTb, "must be a positive number of TB");
            const limit = EBS_LIMIT_GIB[os.dataInstanceType];
            if (limit !== undefined)
                check.that(os.volumeSizeGib <= limit, "openSearch.volumeSizeGib", os.volumeSizeGib, `must be at most ${limit} GiB on ${os.dataInstanceType}`);
            check
                .within("openSearch.hotDays", os.hotDays, OPENSEARCH_LIMITS.hotDays)
                .that(
                    warmInstanceCountProblem(os.warmInstanceCount) === undefined,
                    "openSearch.warmInstanceCount",
                    os.warmInstanceCount,
                    warmInstanceCountProblem(os.warmInstanceCount) ?? "",
                )
                .within("openSearch.warmInstanceType", os.warmInstanceType, OPENSEARCH_LIMITS.warmInstanceType)
                .that(
                    os.warmInstanceCount === 0 || os.hotDays < logRetentionDays,
                    "openSearch.hotDays",
                    os.hotDays,
                    `must be below logRetentionDays (${logRetentionDays}) when the domain has UltraWarm nodes; set warmInstanceCount 0 to keep everything hot`,
                );
            const share = hotShare(os.hotDays, logRetentionDays, os.warmInstanceCount);
            const need = hotStorageGib(os.retainedTb, OPENSEARCH_DEFAULTS.replicas, share);
            check.that(
                os.volumeSizeGib * os.dataInstanceCount >= need,
                "openSearch.volumeSizeGib",
                os.volumeSizeGib,
                `x ${os.dataInstanceCount} nodes must hold ${need} GiB (${os.retainedTb} TB retained, ${share < 1 ? `${os.hotDays} of ${logRetentionDays} days hot, ` : ""}1 replica, 1.45 overhead)`,
            );
            if (share < 1) {
                const warmNeed = warmStorageGib(os.retainedTb, share);
                const perNode = ULTRAWARM_STORAGE_GIB[os.warmInstanceType] ?? 0;
                check.that(
                    os.warmInstanceCount * perNode >= warmNeed,
                    "openSearch.warmInstanceCount",
                    os.warmInstanceCount,
                    `x ${perNode} GiB (${os.warmInstanceType}) must hold ${warmNeed} GiB (the ${logRetentionDays - os.hotDays} warm days of ${os.retainedTb} TB, 1.1 overhead)`,
                );
            }
            const cache = args.watch?.cache;
            if (cache) {
                check.that(
                    Number.isInteger(cache.shards) &&
                        Number.isInteger(cache.replicasPerShard) &&
                        cache.shards >= 1 &&
                        cache.replicasPerShard >= 0 &&
                        cache.shards * (cache.replicasPerShard + 1) <= CACHE_WATCH_MAX_NODES,
                    "watch.cache",
                    { shards: cache.shards, replicasPerShard: cache.replicasPerShard },
                    `must have 1-${CACHE_WATCH_MAX_NODES} nodes in all (a CloudWatch alarm reads at most ${CACHE_WATCH_MAX_NODES} metrics)`,
                );
            }
            for (const c of args.watch?.auroraClusters ?? []) {
                check.that(
                    !c.inGlobalCluster || /^[a-z]{2}(-[a-z]+)+-\d$/.test(c.sourceRegion ?? ""),
                    `watch.auroraClusters[${c.label}].sourceRegion`,
                    c.sourceRegion,
                    "a global secondary must name its primary's region (the SourceRegion dimension of AuroraGlobalDBReplicationLag and AuroraGlobalDBRPOLag)",
                );
            }
            for (const p of alertProblems(ALERT_DEFINITIONS, args.alertOverrides ?? {})) check.that(false, p.field, p.value, p.allowed);
            for (const p of routeProblems(args.alertRoutes ?? {}, args.pagerDutyIntegrationKey !== undefined)) check.that(false, p.field, p.value, p.allowed);
            for (const id of args.excludeAlerts ?? [])
                check.that(
                    ALERT_DEFINITIONS.some((d) => d.id === id),
                    "excludeAlerts",
                    id,
                    "is not a known alert id",
                );
        } else if (args.mode === "global") {
            check
                .within(
                    "trailLogRetentionDays",
                    args.trailLogRetentionDays ?? OBSERVABILITY_DEFAULTS.trailLogRetentionDays,
                    OBSERVABILITY_LIMITS.trailLogRetentionDays,
                )
                .within(
                    "trailBucketRetentionDays",
                    args.trailBucketRetentionDays ?? OBSERVABILITY_DEFAULTS.trailBucketRetentionDays,
                    OBSERVABILITY_LIMITS.trailBucketRetentionDays,
                );
        }
        check.done();
        super("bookedbarber:observability:ObservabilityStack", name, {}, withTags("ObservabilityStack", name, args.tags, opts));
        const protect = args.protect ?? true;

        if (args.mode === "global") {
            const trail = auditTrail(
                name,
                {
                    region: args.region,
                    accountId: args.accountId,
                    logRetentionDays: args.trailLogRetentionDays ?? OBSERVABILITY_DEFAULTS.trailLogRetentionDays,
                    bucketRetentionDays: args.trailBucketRetentionDays ?? OBSERVABILITY_DEFAULTS.trailBucketRetentionDays,
                    protect,
                },
                this,
            );
            this.trailArn = trail.trail.arn;
            this.alarmCount = 0;
            this.dashboardUrl = pulumi.interpolate`https://${args.region}.console.aws.amazon.com/cloudtrailv2/home?region=${args.region}#/trails/${trail.trail.arn}`;
            this.registerOutputs({ dashboardUrl: this.dashboardUrl, trailArn: this.trailArn });
            return;
        }

        const keys = args.keys!;
        const network = args.network!;
        const excluded = new Set(args.excludeAlerts ?? []);
        const alerts = applyOverrides(ALERT_DEFINITIONS, args.alertOverrides ?? {}).filter((d) => !excluded.has(d.id));

        // ---- alert classes: one encrypted topic each; alarms and security findings publish to them ----
        const { key: alertsKey, topics } = alertTopics(name, args.region, args.accountId, protect, this);
        const topicArns = Object.fromEntries(ALERT_CLASSES.map((c) => [c, topics[c].arn])) as Record<AlertClass, pulumi.Output<string>>;
        const alarms = cloudWatchAlarms(name, args.region, alerts, args.watch ?? {}, topicArns, this);
        alertSubscriptions(
            name,
            { region: args.region, topicArns, routes: args.alertRoutes ?? {}, pagerDutyIntegrationKey: args.pagerDutyIntegrationKey },
            this,
        );
        securityMonitoring(name, topicArns, this);
        imageScanning(name, args.accountId, this);
        databaseEvents(
            name,
            (args.watch?.auroraClusters ?? []).map((c) => c.clusterIdentifier),
            topicArns,
            this,
        );

        // ---- logs: the OpenSearch domain; its FGAC master is the bootstrap Job's role ----
        const adminRole = new aws.iam.Role(
            `${name}-opensearch-admin`,
            {
                description: "OpenSearch fine-grained access control master: the in-cluster bootstrap Job (Pod Identity)",
                assumeRolePolicy: podIdentityTrustPolicy(MONITORING_NAMESPACE, OPENSEARCH_BOOTSTRAP_SERVICE_ACCOUNT),
            },
            { parent: this },
        );
        const domainArn = pulumi.interpolate`arn:aws:es:${args.region}:${args.accountId}:domain/${domainName}`;
        new aws.iam.RolePolicy(
            `${name}-opensearch-admin-policy`,
            {
                role: adminRole.id,
                policy: domainArn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPut", "es:ESHttpPost", "es:ESHttpDelete"],
                                Resource: [arn, `${arn}/*`],
                            },
                        ],
                    }),
                ),
            },
            { parent: adminRole },
        );
        const { domain } = logDomain(
            name,
            {
                domainName,
                region: args.region,
                accountId: args.accountId,
                vpcId: network.vpcId,
                dataSubnetIds: network.dataSubnetIds,
                logsKeyArn: keys.logs,
                clientSecurityGroupId: args.kubernetes?.nodeSecurityGroupId,
                masterUserArn: adminRole.arn,
                dataInstanceType: os.dataInstanceType,
                dataInstanceCount: os.dataInstanceCount,
                volumeSizeGib: os.volumeSizeGib,
                masterInstanceType: os.masterInstanceType,
                masterInstanceCount: os.masterInstanceCount,
                warmInstanceCount: os.warmInstanceCount,
                warmInstanceType: os.warmInstanceType,
                engineVersion: os.engineVersion,
                auditLogRetentionDays: domainLogRetentionDays,
                protect,
            },
            this,
        );

        // ---- secrets: Grafana's admin login, and the SaaS keys' placeholders (values set out of band) ----
        // The first password only: the rotation (grafana-admin-rotation.ts) replaces it when it is created, and Grafana's
        // pod applies every rotated one (grafana-password-sync.ts). Letters and digits, as every rotated one.
        const grafanaPassword = new random.RandomPassword(
            `${name}-grafana-admin-password`,
            { length: GRAFANA_ADMIN_PASSWORD_LENGTH, special: false },
            { parent: this },
        );
        const grafanaSecret = new aws.secretsmanager.Secret(
            `${name}-grafana-admin`,
            {
                name: `/global/observability/${args.region}/grafana-admin`,
                description: "Grafana admin login; the Secrets Store CSI driver mounts it into the Grafana pod",
                kmsKeyId: keys.secrets,
                recoveryWindowInDays: 30,
            },
            { parent: this },
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-grafana-admin-value`,
            {
                secretId: grafanaSecret.id,
                secretString: pulumi.secret(pulumi.interpolate`{"username":"${GRAFANA_ADMIN_USER}","password":"${grafanaPassword.result}"}`),
            },
            // Rotation owns the value from then on: a later `up` must not put the generated password back.
            { parent: grafanaSecret, ignoreChanges: ["secretString"] },
        );
        const grafanaRotation = grafanaAdminRotation(
            name,
            {
                secret: grafanaSecret,
                region: args.region,
                accountId: args.accountId,
                secretsKeyArn: keys.secrets,
                logsKeyArn: keys.logs,
                username: GRAFANA_ADMIN_USER,
            },
            this,
        );
        for (const [id, secretName] of Object.entries(SAAS_SECRETS)) {
            new aws.secretsmanager.Secret(
                `${name}-${id}`,
                {
                    name: secretName,
                    description: `Placeholder: set with 'aws secretsmanager put-secret-value --secret-id ${secretName}' (README: ObservabilityStack)`,
                    kmsKeyId: keys.secrets,
                    recoveryWindowInDays: 30,
                },
                { parent: this },
            );
        }

        let dashboardUrl: pulumi.Output<string> = pulumi.interpolate`https://${domain.dashboardEndpoint}`;
        if (args.kubernetes) {
            const side = clusterSide(
                name,
                {
                    provider: args.kubernetes.provider,
                    clusterName: args.kubernetes.clusterName,
                    region: args.region,
                    accountId: args.accountId,
                    eksKeyArn: keys.eks,
                    secretsKeyArn: keys.secrets,
                    alertsKeyArn: alertsKey.arn,
                    topicArns,
                    openSearchEndpoint: domain.endpoint,
                    openSearchDomainArn: domain.arn,
                    openSearchAdminRole: adminRole,
                    grafanaAdminSecretArn: grafanaSecret.arn,
                    grafanaAdminRotation: grafanaRotation,
                    alerts,
                    prometheusRetentionDays: args.prometheusRetentionDays ?? OBSERVABILITY_DEFAULTS.prometheusRetentionDays,
                    prometheusStorageGib: args.prometheusStorageGib ?? OBSERVABILITY_DEFAULTS.prometheusStorageGib,
                    alertmanagerStorageGib: args.alertmanagerStorageGib ?? OBSERVABILITY_DEFAULTS.alertmanagerStorageGib,
                    grafanaStorageGib: args.grafanaStorageGib ?? OBSERVABILITY_DEFAULTS.grafanaStorageGib,
                    logRetentionDays,
                    // Indices move to UltraWarm after the hot days when the domain has a warm tier.
                    warmAfterDays: os.warmInstanceCount > 0 && os.hotDays < logRetentionDays ? os.hotDays : undefined,
                    traceSamplingPercent: sampling,
                    installEbsCsiDriver: args.installEbsCsiDriver ?? true,
                    prometheusClients: args.kubernetes.prometheusClients,
                },
                this,
            );
            dashboardUrl = pulumi.output(side.grafanaUrl);
        }

        this.dashboardUrl = dashboardUrl;
        this.openSearchEndpoint = domain.endpoint;
        this.alertTopicArns = topicArns;
        this.alarmCount = alarms.length;
        this.registerOutputs({ dashboardUrl: this.dashboardUrl, openSearchEndpoint: this.openSearchEndpoint, alertTopicArns: this.alertTopicArns });
    }
}
