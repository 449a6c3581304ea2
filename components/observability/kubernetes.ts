import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { ChartName } from "../helm/charts";
import { helmRelease } from "../helm/release";
import { podIdentityAssociation, podIdentityRole } from "../pod-identity";
import { selfSignedCertificate } from "../self-signed-certificate";
import { ALERTMANAGER_CLUSTER_RESTART, ALERTMANAGER_CLUSTER_TLS_SECRET, alertmanagerClusterDnsNames, alertmanagerClusterTls } from "./alertmanager-cluster-tls";
import { secretReadPolicy } from "../sharded-database/pod-common";
import { GRAFANA_ADMIN_VOLUME, GRAFANA_HTTP_PORT, grafanaAdminSecretProviderClass, grafanaPasswordSyncValues } from "./grafana-password-sync";
import { ISTIO_REVISION } from "../regional-cluster/manifests";
import { ALERT_CLASSES, AlertClass, AlertDefinition } from "./alerts";
import { DASHBOARDS, dashboardJson } from "./dashboards";
import { BOOTSTRAP_SCRIPT, ismPolicy, LOG_INDEX_PREFIX, OPENSEARCH_BOOTSTRAP_SERVICE_ACCOUNT, securityRoles, TRACE_INDEX_PREFIX } from "./opensearch-bootstrap";
import { KPS_RELEASE, MONITORING_NAMESPACE, PROMETHEUS_PORT, PROMETHEUS_URL, prometheusRuleManifest, scrapeManifests } from "./prometheus-rules";
import {
    ALERTMANAGER_WEB_TLS_SECRET,
    alertmanagerDnsNames,
    PROMETHEUS_CA_CONFIGMAP,
    PROMETHEUS_CA_DIR,
    PROMETHEUS_CA_FILE,
    PROMETHEUS_WEB_TLS_SECRET,
    PrometheusClients,
    prometheusDnsNames,
    verifyingTlsConfig,
    webTlsConfig,
} from "./prometheus-tls";
import {
    EXPORTER_WEB_CONFIG_KEY,
    ExporterTls,
    exporterWebConfig,
    KUBE_STATE_METRICS_TLS,
    kubeStateMetricsTlsValues,
    NODE_EXPORTER_TLS,
    nodeExporterTlsValues,
} from "./exporter-tls";

/**
 * Traces travel in the mesh (docs/encryption-in-transit.md): the OpenTelemetry Collector and Jaeger run in
 * their own namespace, labelled for the revision istiod serves, so app -> collector is Istio mTLS under the
 * mesh-wide STRICT PeerAuthentication. Collector -> Jaeger is TLS of its own as well (no `insecure`): Jaeger's
 * OTLP receiver presents an in-cluster certificate (JAEGER_OTLP_TLS_SECRET) that the collector verifies, on
 * a Service port named for Istio's `tls` protocol so the sidecars carry it, inside their mTLS, untouched.
 */
export const TRACING_NAMESPACE = "tracing";
/** Pod labels that put a pod of an unlabelled namespace in the mesh (istiod's revision webhook objectSelector). */
export const MESH_POD_LABELS = { "istio.io/rev": ISTIO_REVISION };
/** The pod annotation that leaves ports out of the sidecar's inbound interception (Istio's injection template, istio-iptables -d). */
export const EXCLUDE_INBOUND_PORTS = "traffic.sidecar.istio.io/excludeInboundPorts";
/** The OpenTelemetry collector's internal telemetry port (the collector's default Prometheus pull reader). */
export const OTEL_TELEMETRY_PORT = 8888;

/**
 * Jaeger's OTLP/gRPC receiver with TLS: its own port, because the chart's 4317 Service port declares
 * `appProtocol: grpc`, so the sidecars would parse it as plain HTTP/2. Named `tls-...` (Istio protocol
 * selection by port name), the sidecars forward its bytes as TLS.
 */
export const JAEGER_OTLP_TLS_PORT = 4319;
export const JAEGER_OTLP_TLS_PORT_NAME = "tls-otlp-grpc";
/** The `kubernetes.io/tls` Secret with Jaeger's receiver certificate (tls.crt, tls.key) and the CA the collector trusts (ca.crt). */
export const JAEGER_OTLP_TLS_SECRET = "jaeger-otlp-tls";
const JAEGER_TLS_DIR = "/etc/jaeger-otlp-tls";
/** OTel configtls `min_version`: TLS 1.3 on both ends (spec: "TLS 1.3 for all communications"). */
export const OTLP_TLS_MIN_VERSION = "1.3";

export const ENCRYPTED_STORAGE_CLASS = "gp3-encrypted";
const BOOTSTRAP_IMAGE = "public.ecr.aws/docker/library/python:3.13-slim";
/** Grafana's ServiceAccount, bound to the Pod Identity role that reads its admin secret. */
export const GRAFANA_SERVICE_ACCOUNT = "grafana";
/** The admin user name: not secret, written into the secret's value and into Grafana's env. */
export const GRAFANA_ADMIN_USER = "admin";
/** The SecretProviderClass that mounts the admin login, and where its files appear in Grafana's container. */
export const GRAFANA_ADMIN_SPC = "grafana-admin";
export const GRAFANA_SECRETS_DIR = "/etc/secrets/grafana-admin";
/** The Secrets Store CSI driver's name (the `csi.driver` of a volume it serves). */
export const SECRETS_STORE_CSI_DRIVER = "secrets-store.csi.k8s.io";
/**
 * The workloads that load a CA once at start, by the names the charts give them (each chart's fullname helper:
 * the release name, or `<release>-<chart>` when the release name does not contain the chart's): the issuer
 * restarts them when their server's certificate is renewed. The collector's `reload_interval` re-reads only a
 * certificate and key (configtls certReloader), never `ca_file`; Grafana reads its data source's CA when it
 * provisions the data source, at start.
 */
export const GRAFANA_DEPLOYMENT = `${KPS_RELEASE}-grafana`;
export const OTEL_COLLECTOR_RELEASE = "otel-collector";
export const OTEL_COLLECTOR_DEPLOYMENT = `${OTEL_COLLECTOR_RELEASE}-opentelemetry-collector`;

export interface ClusterSideArgs {
    provider: k8s.Provider;
    clusterName: pulumi.Input<string>;
    region: string;
    accountId: pulumi.Input<string>;
    eksKeyArn: pulumi.Input<string>;
    secretsKeyArn: pulumi.Input<string>;
    alertsKeyArn: pulumi.Input<string>;
    topicArns: Record<AlertClass, pulumi.Input<string>>;
    openSearchEndpoint: pulumi.Input<string>;
    openSearchDomainArn: pulumi.Input<string>;
    /** The FGAC master role; the bootstrap Job's service account is bound to it. */
    openSearchAdminRole: aws.iam.Role;
    grafanaAdminSecretArn: pulumi.Input<string>;
    /** The admin secret's rotation: its first run leaves the AWSPREVIOUS version Grafana's pod mounts. */
    grafanaAdminRotation?: pulumi.Resource;
    alerts: readonly AlertDefinition[];
    prometheusRetentionDays: number;
    prometheusStorageGib: number;
    alertmanagerStorageGib: number;
    grafanaStorageGib: number;
    logRetentionDays: number;
    /** Days after which ISM moves indices to UltraWarm; undefined when the domain has no warm tier. */
    warmAfterDays?: number;
    traceSamplingPercent: number;
    installEbsCsiDriver: boolean;
    /** Prometheus's clients outside the monitoring namespace (RegionalCluster's prometheus-adapter and Argo Rollouts). */
    prometheusClients?: PrometheusClients;
}

export interface ClusterSide {
    grafanaUrl: string;
    releases: k8s.helm.v3.Release[];
}

function esWritePolicy(domainArn: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(domainArn).apply((arn) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"], Resource: [arn, `${arn}/*`] }],
        }),
    );
}

/** Alertmanager: route on the `severity` label (P0..P3) to the class's SNS topic; the chart's own rules map in too. */
export function alertmanagerConfig(region: string, topicArns: Record<AlertClass, string>) {
    const classRoute = (cls: AlertClass) => ({
        receiver: cls,
        matchers: [`severity="${cls}"`],
        // Tighter grouping and repetition for the classes with the shortest response time.
        group_wait: cls === "P0" ? "10s" : "30s",
        repeat_interval: { P0: "15m", P1: "1h", P2: "4h", P3: "12h" }[cls],
        continue: false,
    });
    return {
        global: { resolve_timeout: "5m" },
        route: {
            receiver: "P3",
            group_by: ["alertname", "namespace", "severity"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "12h",
            routes: [
                { receiver: "null", matchers: ['alertname="Watchdog"'] },
                ...ALERT_CLASSES.map(classRoute),
                // kube-prometheus-stack's bundled rules use critical/warning/info.
                { receiver: "P1", matchers: ['severity="critical"'] },
                { receiver: "P2", matchers: ['severity="warning"'] },
                { receiver: "P3", matchers: ['severity="info"'] },
            ],
        },
        inhibit_rules: [
            { source_matchers: ['severity="P0"'], target_matchers: ['severity=~"P1|P2|P3"'], equal: ["namespace", "alertname"] },
            { source_matchers: ['severity="P1"'], target_matchers: ['severity=~"P2|P3"'], equal: ["namespace", "alertname"] },
        ],
        receivers: [
            { name: "null" },
            ...ALERT_CLASSES.map((cls) => ({
                name: cls,
                sns_configs: [
                    {
                        topic_arn: topicArns[cls],
                        sigv4: { region },
                        subject: `[${cls}] {{ .CommonLabels.alertname }}`,
                        send_resolved: true,
                    },
                ],
            })),
        ],
    };
}

/**
 * Everything ObservabilityStack runs inside the EKS cluster: the metrics stack
 * (kube-prometheus-stack), alert rules, dashboards, Grafana's admin secret from
 * Secrets Manager (Secrets Store CSI driver; a sidecar applies rotated passwords), Fluent Bit, the OpenTelemetry
 * Collector, Jaeger v2, and the OpenSearch bootstrap Job.
 */
export function clusterSide(name: string, args: ClusterSideArgs, parent: pulumi.Resource): ClusterSide {
    const k = { parent, provider: args.provider };
    const ns = new k8s.core.v1.Namespace(
        `${name}-monitoring-ns`,
        {
            metadata: { name: MONITORING_NAMESPACE, labels: { "app.kubernetes.io/part-of": "observability" } },
        },
        k,
    );
    const tracingNs = new k8s.core.v1.Namespace(
        `${name}-tracing-ns`,
        {
            metadata: { name: TRACING_NAMESPACE, labels: { "app.kubernetes.io/part-of": "observability", ...MESH_POD_LABELS } },
        },
        k,
    );

    // The StorageClass provisions through the EBS CSI driver; the cluster does not run it yet, so this installs it
    // (managed add-on, Pod Identity role with AWS's driver policy plus use of the EKS key for encrypted volumes).
    const csiDeps: pulumi.Resource[] = [];
    if (args.installEbsCsiDriver) {
        const csiRole = podIdentityRole(
            `${name}-ebs-csi`,
            {
                clusterName: args.clusterName,
                namespace: "kube-system",
                serviceAccount: "ebs-csi-controller-sa",
                description: "EBS CSI driver: creates and attaches the encrypted volumes of the monitoring stack",
                policy: pulumi.output(args.eksKeyArn).apply((key) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                                Resource: key,
                            },
                            { Effect: "Allow", Action: "kms:CreateGrant", Resource: key, Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } },
                        ],
                    }),
                ),
            },
            parent,
        );
        const csiPolicy = new aws.iam.RolePolicyAttachment(
            `${name}-ebs-csi-managed`,
            {
                role: csiRole.name,
                policyArn: "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
            },
            { parent: csiRole },
        );
        csiDeps.push(
            new aws.eks.Addon(
                `${name}-ebs-csi`,
                {
                    clusterName: args.clusterName,
                    addonName: "aws-ebs-csi-driver",
                    resolveConflictsOnCreate: "OVERWRITE",
                    resolveConflictsOnUpdate: "PRESERVE",
                },
                { parent, dependsOn: [csiPolicy] },
            ),
        );
    }

    // Prometheus, Alertmanager and Grafana volumes are encrypted with the region's EKS key (EBS CSI driver).
    const storageClass = new k8s.storage.v1.StorageClass(
        `${name}-encrypted-sc`,
        {
            metadata: { name: ENCRYPTED_STORAGE_CLASS },
            provisioner: "ebs.csi.aws.com",
            volumeBindingMode: "WaitForFirstConsumer",
            allowVolumeExpansion: true,
            reclaimPolicy: "Retain",
            parameters: { type: "gp3", encrypted: "true", kmsKeyId: args.eksKeyArn, "csi.storage.k8s.io/fstype": "ext4" },
        },
        k,
    );

    const releases: k8s.helm.v3.Release[] = [];
    const release = (id: ChartName, releaseName: string, namespace: string, values: pulumi.Input<Record<string, unknown>>, deps: pulumi.Resource[] = []) => {
        const r = helmRelease(
            `${name}-${releaseName}`,
            id,
            namespace,
            values,
            { ...k, dependsOn: [namespace === TRACING_NAMESPACE ? tracingNs : ns] },
            { releaseName, dependsOn: deps },
        );
        releases.push(r);
        return r;
    };

    // ---- Grafana's admin login: Secrets Manager -> files in Grafana's pod, through the Secrets Store CSI driver ----
    // No Kubernetes Secret holds it (docs/secrets.md "One in-cluster secret mechanism"): the AWS provider reads the
    // secret with Grafana's own Pod Identity role, which may read exactly this secret.
    podIdentityRole(
        `${name}-grafana`,
        {
            clusterName: args.clusterName,
            namespace: MONITORING_NAMESPACE,
            serviceAccount: GRAFANA_SERVICE_ACCOUNT,
            description: "Grafana: reads its admin login from Secrets Manager (Secrets Store CSI driver)",
            policy: secretReadPolicy([args.grafanaAdminSecretArn], { arn: args.secretsKeyArn }, args.region),
        },
        parent,
    );
    const grafanaSpc = new k8s.apiextensions.CustomResource(
        `${name}-grafana-admin-spc`,
        grafanaAdminSecretProviderClass(GRAFANA_ADMIN_SPC, MONITORING_NAMESPACE, args.region, args.grafanaAdminSecretArn),
        { ...k, dependsOn: [ns] },
    );

    // ---- Metrics: kube-prometheus-stack ----
    podIdentityRole(
        `${name}-alertmanager`,
        {
            clusterName: args.clusterName,
            namespace: MONITORING_NAMESPACE,
            serviceAccount: "alertmanager",
            description: "Alertmanager: publishes to the P0-P3 alert topics",
            policy: pulumi.all([...ALERT_CLASSES.map((c) => args.topicArns[c]), args.alertsKeyArn]).apply((arns) => {
                const key = arns.pop()!;
                return JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Effect: "Allow", Action: "sns:Publish", Resource: arns },
                        {
                            Effect: "Allow",
                            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                            Resource: key,
                            Condition: { StringEquals: { "kms:ViaService": `sns.${args.region}.amazonaws.com` } },
                        },
                    ],
                });
            }),
        },
        parent,
    );
    const volume = (gib: number) => ({
        volumeClaimTemplate: {
            spec: { storageClassName: ENCRYPTED_STORAGE_CLASS, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${gib}Gi` } } },
        },
    });
    // Prometheus's web certificate, for the Service names its clients dial; its CA goes to each client namespace,
    // and the clients that read it only at start are restarted when it is renewed.
    const clients = args.prometheusClients?.workloads ?? [];
    const prometheusCertificate = selfSignedCertificate(
        `${name}-prometheus-web-tls`,
        {
            namespace: MONITORING_NAMESPACE,
            secretName: PROMETHEUS_WEB_TLS_SECRET,
            dnsNames: prometheusDnsNames(),
            trustNamespaces: [...new Set([MONITORING_NAMESPACE, ...clients.map((c) => c.namespace)])],
            trustConfigMap: PROMETHEUS_CA_CONFIGMAP,
            restartOnRenew: [{ kind: "Deployment", namespace: MONITORING_NAMESPACE, name: GRAFANA_DEPLOYMENT }, ...clients],
            dependsOn: [ns, ...(args.prometheusClients?.dependsOn ?? [])],
        },
        k,
    );
    // Alertmanager's web certificate: its only client is Prometheus, which reads the CA from the same Secret (the
    // operator copies it into Prometheus's TLS assets) and re-reads it when it changes, so nothing needs restarting.
    const alertmanagerCertificate = selfSignedCertificate(
        `${name}-alertmanager-web-tls`,
        { namespace: MONITORING_NAMESPACE, secretName: ALERTMANAGER_WEB_TLS_SECRET, dnsNames: alertmanagerDnsNames(), dependsOn: [ns] },
        k,
    );
    // The gossip certificate: every replica presents it as server and client and trusts its CA, which Alertmanager
    // reads only at start, so the issuer restarts the replicas through the Alertmanager resource after a renewal.
    const alertmanagerClusterCertificate = selfSignedCertificate(
        `${name}-${ALERTMANAGER_CLUSTER_TLS_SECRET}`,
        {
            namespace: MONITORING_NAMESPACE,
            secretName: ALERTMANAGER_CLUSTER_TLS_SECRET,
            dnsNames: alertmanagerClusterDnsNames(),
            restartOnRenew: [ALERTMANAGER_CLUSTER_RESTART],
            dependsOn: [ns],
        },
        k,
    );
    // The exporters' certificates and web configs: Prometheus, their only client, reads the CA from the Secret and
    // re-reads it when it changes, and the exporters re-read their certificate per connection: nothing to restart.
    const exporterTlsDeps = [KUBE_STATE_METRICS_TLS, NODE_EXPORTER_TLS].flatMap((tls: ExporterTls) => [
        selfSignedCertificate(
            `${name}-${tls.secretName}`,
            { namespace: MONITORING_NAMESPACE, secretName: tls.secretName, dnsNames: tls.dnsNames, dependsOn: [ns] },
            k,
        ).job,
        new k8s.core.v1.ConfigMap(
            `${name}-${tls.configMapName}`,
            { metadata: { name: tls.configMapName, namespace: MONITORING_NAMESPACE }, data: { [EXPORTER_WEB_CONFIG_KEY]: exporterWebConfig(tls) } },
            { ...k, dependsOn: [ns] },
        ),
    ]);
    const topicArns = pulumi
        .all(ALERT_CLASSES.map((c) => args.topicArns[c]))
        .apply((arns) => Object.fromEntries(ALERT_CLASSES.map((c, i) => [c, arns[i]])) as Record<AlertClass, string>);
    const kps = release(
        "kubePrometheusStack",
        KPS_RELEASE,
        MONITORING_NAMESPACE,
        {
            fullnameOverride: KPS_RELEASE,
            prometheus: {
                prometheusSpec: {
                    retention: `${args.prometheusRetentionDays}d`,
                    storageSpec: volume(args.prometheusStorageGib),
                    replicas: 2,
                    // Pick up every ServiceMonitor and PrometheusRule in the cluster, not only the chart's.
                    ruleSelectorNilUsesHelmValues: false,
                    serviceMonitorSelectorNilUsesHelmValues: false,
                    podMonitorSelectorNilUsesHelmValues: false,
                    externalLabels: { region: args.region },
                    // TLS 1.3 on the web port (Prometheus Operator WebTLSConfig); the operator gives the config-reloader the
                    // same web config, so its reload call and its own port use TLS as well.
                    web: { tlsConfig: webTlsConfig(PROMETHEUS_WEB_TLS_SECRET) },
                },
                // The self-scrape (both endpoints: 9090 and the config-reloader's) dials the pods over https and checks the
                // certificate against the Service name it carries.
                serviceMonitor: {
                    scheme: "https",
                    tlsConfig: verifyingTlsConfig(PROMETHEUS_WEB_TLS_SECRET, prometheusDnsNames()[0]),
                },
            },
            alertmanager: {
                serviceAccount: { create: true, name: "alertmanager" },
                alertmanagerSpec: {
                    replicas: 3,
                    storage: volume(args.alertmanagerStorageGib),
                    // Alertmanager's web port serves TLS 1.3 too; the chart builds Prometheus's alerting endpoint from
                    // scheme and tlsConfig (templates/prometheus/prometheus.yaml), so alerts travel over verified TLS.
                    web: { tlsConfig: webTlsConfig(ALERTMANAGER_WEB_TLS_SECRET) },
                    scheme: "https",
                    tlsConfig: verifyingTlsConfig(ALERTMANAGER_WEB_TLS_SECRET, alertmanagerDnsNames()[0]),
                    // Gossip over mutual TLS 1.3 (alertmanager-cluster-tls.ts). The chart has no clusterTLS value: its template
                    // renders additionalConfig under the Alertmanager resource's spec.
                    additionalConfig: { clusterTLS: alertmanagerClusterTls() },
                },
                serviceMonitor: { scheme: "https", tlsConfig: verifyingTlsConfig(ALERTMANAGER_WEB_TLS_SECRET, alertmanagerDnsNames()[0]) },
                config: topicArns.apply((arns) => alertmanagerConfig(args.region, arns)),
            },
            grafana: {
                serviceAccount: { create: true, name: GRAFANA_SERVICE_ACCOUNT },
                // With GF_SECURITY_ADMIN_PASSWORD__FILE set, the chart neither creates an admin Secret nor injects
                // one; with GF_SECURITY_ADMIN_USER set it does not reference one for the user (templates/_pod.tpl,
                // templates/_helpers.tpl grafana.secretsData). Grafana reads `__FILE` variables itself.
                env: { GF_SECURITY_ADMIN_USER: GRAFANA_ADMIN_USER, GF_SECURITY_ADMIN_PASSWORD__FILE: `${GRAFANA_SECRETS_DIR}/password` },
                extraSecretMounts: [
                    {
                        name: GRAFANA_ADMIN_VOLUME,
                        mountPath: GRAFANA_SECRETS_DIR,
                        readOnly: true,
                        csi: { driver: SECRETS_STORE_CSI_DRIVER, readOnly: true, volumeAttributes: { secretProviderClass: GRAFANA_ADMIN_SPC } },
                    },
                ],
                // Applies each rotated admin password through Grafana's API (grafana-password-sync.ts).
                ...grafanaPasswordSyncValues(GRAFANA_SECRETS_DIR, GRAFANA_ADMIN_USER),
                persistence: { enabled: true, storageClassName: ENCRYPTED_STORAGE_CLASS, size: `${args.grafanaStorageGib}Gi` },
                // The chart's own Prometheus data source has no TLS settings (templates/grafana/configmaps-datasources.yaml
                // renders url, httpMethod, timeInterval only), so it is off and ours below replaces it.
                sidecar: {
                    dashboards: { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: MONITORING_NAMESPACE },
                    // Nor its Alertmanager data source: plain HTTP to Alertmanager's web port, which Grafana's NetworkPolicy does not
                    // allow anyway; Alertmanager routes the alerts to SNS, Grafana does not manage them.
                    datasources: { defaultDatasourceEnabled: false, alertmanager: { enabled: false } },
                },
                // Prometheus's CA (no key), which the issuer writes into this namespace.
                extraConfigmapMounts: [
                    {
                        name: "prometheus-web-ca",
                        mountPath: PROMETHEUS_CA_DIR,
                        configMap: PROMETHEUS_CA_CONFIGMAP,
                        readOnly: true,
                        items: [{ key: "ca.crt", path: "ca.crt" }],
                    },
                ],
                // Jaeger's query port takes mTLS only (STRICT), so Grafana joins the mesh to read it.
                podLabels: MESH_POD_LABELS,
                // Prometheus's Service port is named http-web, so Grafana's sidecar would parse the TLS to it as HTTP; the
                // connection is TLS of its own and Prometheus has no sidecar, so it bypasses the sidecar.
                // Prometheus scrapes Grafana's /metrics on 3000 from outside the mesh (the chart's ServiceMonitor); under STRICT
                // the sidecar would refuse it, and nothing in the mesh calls 3000 (the chart's sidecars use localhost), so the
                // port is left out of inbound interception (docs/encryption-in-transit.md).
                podAnnotations: {
                    "traffic.sidecar.istio.io/excludeOutboundPorts": String(PROMETHEUS_PORT),
                    [EXCLUDE_INBOUND_PORTS]: String(GRAFANA_HTTP_PORT),
                },
                additionalDataSources: [
                    // Provisioning expands $__file{} (pkg/services/provisioning/values: interpolateValue -> setting.ExpandVar).
                    {
                        name: "Prometheus",
                        type: "prometheus",
                        uid: "prometheus",
                        url: PROMETHEUS_URL,
                        access: "proxy",
                        isDefault: true,
                        // httpMethod and timeInterval as the chart's default data source has them (the scrape interval is unset: 30s).
                        jsonData: { httpMethod: "POST", timeInterval: "30s", tlsAuthWithCACert: true },
                        secureJsonData: { tlsCACert: `$__file{${PROMETHEUS_CA_FILE}}` },
                    },
                    { name: "Jaeger", type: "jaeger", uid: "jaeger", url: `http://jaeger.${TRACING_NAMESPACE}.svc:16686`, access: "proxy" },
                ],
            },
            nodeExporter: { enabled: true },
            kubeStateMetrics: { enabled: true },
            // Both exporters serve TLS 1.3 and the chart's ServiceMonitors scrape them over verified https (exporter-tls.ts).
            "kube-state-metrics": kubeStateMetricsTlsValues(),
            "prometheus-node-exporter": nodeExporterTlsValues(),
        },
        [
            storageClass,
            grafanaSpc,
            prometheusCertificate.job,
            alertmanagerCertificate.job,
            alertmanagerClusterCertificate.job,
            ...exporterTlsDeps,
            ...csiDeps,
            ...(args.grafanaAdminRotation ? [args.grafanaAdminRotation] : []),
        ],
    );

    const rule = prometheusRuleManifest(args.alerts);
    new k8s.apiextensions.CustomResource(`${name}-alert-rules`, { ...rule }, { ...k, dependsOn: [kps] });
    for (const m of scrapeManifests()) {
        new k8s.apiextensions.CustomResource(`${name}-scrape-${m.metadata.name}`, { ...m }, { ...k, dependsOn: [kps] });
    }
    for (const d of DASHBOARDS) {
        new k8s.core.v1.ConfigMap(
            `${name}-dashboard-${d.uid}`,
            {
                metadata: { name: `dashboard-${d.uid}`, namespace: MONITORING_NAMESPACE, labels: { grafana_dashboard: "1" } },
                data: { [`${d.uid}.json`]: dashboardJson(d, args.alerts) },
            },
            { ...k, dependsOn: [ns] },
        );
    }

    // ---- Logs: Fluent Bit DaemonSet -> OpenSearch ----
    const fluentRole = podIdentityRole(
        `${name}-fluent-bit`,
        {
            clusterName: args.clusterName,
            namespace: MONITORING_NAMESPACE,
            serviceAccount: "fluent-bit",
            description: "Fluent Bit: ships container and node logs to the region's OpenSearch domain",
            policy: esWritePolicy(args.openSearchDomainArn),
        },
        parent,
    );
    const output = (match: string, prefix: string) => pulumi.interpolate`[OUTPUT]
    Name               opensearch
    Match              ${match}
    Host               ${args.openSearchEndpoint}
    Port               443
    TLS                On
    AWS_Auth           On
    AWS_Region         ${args.region}
    Logstash_Format    On
    Logstash_Prefix    ${prefix}
    Replace_Dots       On
    Suppress_Type_Name On
    Retry_Limit        False
    Trace_Error        On
`;
    const fluent = release(
        "fluentBit",
        "fluent-bit",
        MONITORING_NAMESPACE,
        {
            kind: "DaemonSet",
            serviceAccount: { create: true, name: "fluent-bit" },
            // Every node, including tainted system and memory-optimized pools.
            tolerations: [{ operator: "Exists" }],
            config: {
                inputs: `[INPUT]
    Name              tail
    Path              /var/log/containers/*.log
    multiline.parser  cri, docker
    Tag               kube.*
    Mem_Buf_Limit     50MB
    Skip_Long_Lines   On

[INPUT]
    Name              systemd
    Tag               node.*
    Systemd_Filter    _SYSTEMD_UNIT=kubelet.service
    Systemd_Filter    _SYSTEMD_UNIT=containerd.service
    Read_From_Tail    On
`,
                filters: `[FILTER]
    Name                kubernetes
    Match               kube.*
    Merge_Log           On
    Keep_Log            Off
    K8S-Logging.Parser  On
    K8S-Logging.Exclude On
`,
                outputs: pulumi.all([output("kube.*", `${LOG_INDEX_PREFIX}-kube`), output("node.*", `${LOG_INDEX_PREFIX}-node`)]).apply((o) => o.join("\n")),
            },
        },
        [fluentRole],
    );

    // ---- Traces: OpenTelemetry Collector (sampling) -> Jaeger v2 -> OpenSearch ----
    const jaegerRole = podIdentityRole(
        `${name}-jaeger`,
        {
            clusterName: args.clusterName,
            namespace: TRACING_NAMESPACE,
            serviceAccount: "jaeger",
            description: "Jaeger v2: stores and reads traces in the region's OpenSearch domain",
            policy: esWritePolicy(args.openSearchDomainArn),
        },
        parent,
    );
    // Jaeger's receiver certificate, named for the Service address the collector dials.
    const jaegerCertificate = selfSignedCertificate(
        `${name}-jaeger-otlp-tls`,
        {
            namespace: TRACING_NAMESPACE,
            secretName: JAEGER_OTLP_TLS_SECRET,
            dnsNames: [`jaeger.${TRACING_NAMESPACE}.svc`, `jaeger.${TRACING_NAMESPACE}.svc.cluster.local`],
            // The collector loads ca_file once (configtls: reload_interval re-reads only a certificate and key).
            restartOnRenew: [{ kind: "Deployment", namespace: TRACING_NAMESPACE, name: OTEL_COLLECTOR_DEPLOYMENT }],
            dependsOn: [tracingNs],
        },
        k,
    );
    const tlsVolume = { name: "otlp-tls", secret: { secretName: JAEGER_OTLP_TLS_SECRET } };
    const tlsMount = { name: "otlp-tls", mountPath: JAEGER_TLS_DIR, readOnly: true };
    const jaeger = release(
        "jaeger",
        "jaeger",
        TRACING_NAMESPACE,
        {
            fullnameOverride: "jaeger",
            jaeger: {
                enabled: true,
                replicas: 2,
                service: { extraPorts: [{ name: JAEGER_OTLP_TLS_PORT_NAME, port: JAEGER_OTLP_TLS_PORT, targetPort: JAEGER_OTLP_TLS_PORT }] },
                extraVolumes: [tlsVolume],
                extraVolumeMounts: [tlsMount],
            },
            userconfig: pulumi.output(args.openSearchEndpoint).apply((endpoint) => ({
                service: {
                    extensions: ["jaeger_storage", "jaeger_query", "healthcheckv2", "sigv4auth"],
                    pipelines: { traces: { receivers: ["otlp"], processors: ["batch"], exporters: ["jaeger_storage_exporter"] } },
                },
                extensions: {
                    healthcheckv2: { use_v2: true, http: { endpoint: "0.0.0.0:13133" } },
                    sigv4auth: { region: args.region, service: "es" },
                    jaeger_query: { storage: { traces: "opensearch" } },
                    jaeger_storage: {
                        backends: {
                            opensearch: {
                                opensearch: {
                                    server_urls: [`https://${endpoint}`],
                                    indices: { index_prefix: TRACE_INDEX_PREFIX },
                                    auth: { authenticator: "sigv4auth" },
                                },
                            },
                        },
                    },
                },
                // Only the TLS receiver: nothing else sends spans to Jaeger. The certificate is re-read after renewal.
                receivers: {
                    otlp: {
                        protocols: {
                            grpc: {
                                endpoint: `0.0.0.0:${JAEGER_OTLP_TLS_PORT}`,
                                tls: {
                                    cert_file: `${JAEGER_TLS_DIR}/tls.crt`,
                                    key_file: `${JAEGER_TLS_DIR}/tls.key`,
                                    min_version: OTLP_TLS_MIN_VERSION,
                                    reload_interval: "1h",
                                },
                            },
                        },
                    },
                },
                processors: { batch: {} },
                exporters: { jaeger_storage_exporter: { trace_storage: "opensearch" } },
            })),
        },
        [jaegerRole, jaegerCertificate.job],
    );
    release(
        "otelCollector",
        OTEL_COLLECTOR_RELEASE,
        TRACING_NAMESPACE,
        {
            mode: "deployment",
            replicaCount: 2,
            // The internal telemetry port (8888) serves only Prometheus, which is outside the mesh: under STRICT the sidecar
            // would refuse its scrape, so the port is left out of inbound interception (docs/encryption-in-transit.md).
            podAnnotations: { [EXCLUDE_INBOUND_PORTS]: String(OTEL_TELEMETRY_PORT) },
            // The contrib distribution carries the probabilistic sampler; its binary is otelcol-contrib.
            image: { repository: "otel/opentelemetry-collector-contrib" },
            command: { name: "otelcol-contrib" },
            extraVolumes: [tlsVolume],
            extraVolumeMounts: [tlsMount],
            config: {
                receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } } },
                processors: {
                    memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 20 },
                    probabilistic_sampler: { sampling_percentage: args.traceSamplingPercent },
                    batch: {},
                },
                // TLS to Jaeger, verifying its certificate against the CA in the shared Secret (no `insecure`).
                exporters: {
                    "otlp/jaeger": {
                        endpoint: `jaeger.${TRACING_NAMESPACE}.svc:${JAEGER_OTLP_TLS_PORT}`,
                        tls: { ca_file: `${JAEGER_TLS_DIR}/ca.crt`, min_version: OTLP_TLS_MIN_VERSION, reload_interval: "1h" },
                    },
                },
                service: {
                    pipelines: {
                        traces: { receivers: ["otlp"], processors: ["memory_limiter", "probabilistic_sampler", "batch"], exporters: ["otlp/jaeger"] },
                    },
                },
            },
        },
        [jaeger],
    );

    // ---- OpenSearch bootstrap: security roles for the writers, the ISM retention policy ----
    podIdentityAssociation(`${name}-opensearch-admin-association`, {
        clusterName: args.clusterName,
        namespace: MONITORING_NAMESPACE,
        serviceAccount: OPENSEARCH_BOOTSTRAP_SERVICE_ACCOUNT,
        role: args.openSearchAdminRole,
    });
    const sa = new k8s.core.v1.ServiceAccount(
        `${name}-opensearch-bootstrap-sa`,
        {
            metadata: { name: OPENSEARCH_BOOTSTRAP_SERVICE_ACCOUNT, namespace: MONITORING_NAMESPACE },
        },
        { ...k, dependsOn: [ns] },
    );
    const bootstrapConfig = pulumi.all([fluentRole.arn, jaegerRole.arn]).apply(([fluentArn, jaegerArn]) =>
        JSON.stringify(
            {
                roles: securityRoles(),
                roleMappings: { log_writer: [fluentArn], trace_store: [jaegerArn] },
                ismPolicyId: "logs-traces-retention",
                ismPolicy: ismPolicy(args.logRetentionDays, args.warmAfterDays),
            },
            null,
            2,
        ),
    );
    const cm = new k8s.core.v1.ConfigMap(
        `${name}-opensearch-bootstrap`,
        {
            metadata: { name: "opensearch-bootstrap", namespace: MONITORING_NAMESPACE },
            data: { "bootstrap.py": BOOTSTRAP_SCRIPT, "bootstrap.json": bootstrapConfig },
        },
        { ...k, dependsOn: [ns] },
    );
    new k8s.batch.v1.Job(
        `${name}-opensearch-bootstrap`,
        {
            metadata: {
                namespace: MONITORING_NAMESPACE,
                labels: { "app.kubernetes.io/name": "opensearch-bootstrap", "app.kubernetes.io/part-of": "observability" },
            },
            spec: {
                // No TTL: a Job deleted behind Pulumi's back would be recreated on every refresh.
                backoffLimit: 6,
                template: {
                    // A changed config changes the template, so the Job is replaced and runs again.
                    metadata: {
                        labels: { "app.kubernetes.io/name": "opensearch-bootstrap" },
                        annotations: { "bookedbarber.io/config-sha256": bootstrapConfig.apply((c) => createHash("sha256").update(c).digest("hex")) },
                    },
                    spec: {
                        serviceAccountName: OPENSEARCH_BOOTSTRAP_SERVICE_ACCOUNT,
                        restartPolicy: "OnFailure",
                        securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: "RuntimeDefault" } },
                        containers: [
                            {
                                name: "bootstrap",
                                image: BOOTSTRAP_IMAGE,
                                command: ["python3", "/config/bootstrap.py"],
                                env: [
                                    { name: "OPENSEARCH_ENDPOINT", value: args.openSearchEndpoint },
                                    { name: "AWS_REGION", value: args.region },
                                ],
                                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
                                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                                volumeMounts: [{ name: "config", mountPath: "/config", readOnly: true }],
                            },
                        ],
                        volumes: [{ name: "config", configMap: { name: "opensearch-bootstrap" } }],
                    },
                },
            },
        },
        { ...k, dependsOn: [sa, cm, fluent] },
    );

    return { grafanaUrl: `http://${KPS_RELEASE}-grafana.${MONITORING_NAMESPACE}.svc`, releases };
}
