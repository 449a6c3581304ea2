import { stringify } from "yaml";
import { KPS_RELEASE, MONITORING_NAMESPACE } from "./prometheus-rules";
import { PROMETHEUS_WEB_TLS_MIN_VERSION, verifyingTlsConfig } from "./prometheus-tls";

/**
 * The exporters kube-prometheus-stack runs (kube-state-metrics and node-exporter) serve /metrics over TLS 1.3
 * (docs/encryption-in-transit.md, "Exporters"): both take an exporter-toolkit web config file (kube-state-metrics
 * `--tls-config`, node-exporter `--web.config.file`) whose `tls_server_config` names the certificate and key of an
 * in-cluster certificate Secret (components/self-signed-certificate.ts). The chart's ServiceMonitors scrape them over
 * https, verifying the certificate against its `ca.crt` and the Service name (Prometheus dials pod and node IPs).
 * Nothing restarts on renewal: exporter-toolkit re-reads the web config and the certificate on new connections, and
 * Prometheus re-reads a CA file whenever it changes.
 */
export interface ExporterTls {
    /** The `kubernetes.io/tls` Secret (tls.crt, tls.key, ca.crt) the issuer writes. */
    secretName: string;
    /** The ConfigMap that holds the web config file. */
    configMapName: string;
    /** Where the exporter's container mounts the Secret and the ConfigMap. */
    tlsDir: string;
    configDir: string;
    /** The web config file the exporter's flag names. */
    webConfigFile: string;
    /** The Service's names the certificate carries; the first is the scrape's serverName. */
    dnsNames: string[];
}

/** The web config's file name in its ConfigMap. */
export const EXPORTER_WEB_CONFIG_KEY = "web-config.yml";

/**
 * The Services as the subcharts name them: each subchart's fullname helper gives `<release>-<chart>` when the release
 * name does not contain the chart's name (kube-state-metrics and prometheus-node-exporter templates/_helpers.tpl).
 */
export const KUBE_STATE_METRICS_SERVICE = `${KPS_RELEASE}-kube-state-metrics`;
export const NODE_EXPORTER_SERVICE = `${KPS_RELEASE}-prometheus-node-exporter`;

function exporterTls(service: string, secretName: string): ExporterTls {
    const host = `${service}.${MONITORING_NAMESPACE}`;
    const tlsDir = `/etc/${secretName}`;
    const configDir = `/etc/${secretName}-config`;
    return {
        secretName,
        configMapName: `${secretName}-web-config`,
        tlsDir,
        configDir,
        webConfigFile: `${configDir}/${EXPORTER_WEB_CONFIG_KEY}`,
        dnsNames: [`${host}.svc`, `${host}.svc.cluster.local`, host],
    };
}

export const KUBE_STATE_METRICS_TLS = exporterTls(KUBE_STATE_METRICS_SERVICE, "kube-state-metrics-tls");
/**
 * node-exporter runs on every node's host network and Prometheus scrapes each node's IP; one certificate for the
 * Service's name serves every node, because the scrape verifies it against that name (serverName), not the IP.
 */
export const NODE_EXPORTER_TLS = exporterTls(NODE_EXPORTER_SERVICE, "node-exporter-tls");

/** The exporter-toolkit web config: the Secret's certificate and key, TLS 1.3 only (its default floor is TLS12). */
export function exporterWebConfig(tls: ExporterTls): string {
    return stringify({
        tls_server_config: { cert_file: `${tls.tlsDir}/tls.crt`, key_file: `${tls.tlsDir}/tls.key`, min_version: PROMETHEUS_WEB_TLS_MIN_VERSION },
    });
}

/** The chart ServiceMonitor's endpoint settings: https, verifying the certificate against its CA and the Service name. */
export function exporterScrape(tls: ExporterTls) {
    return { scheme: "https", tlsConfig: verifyingTlsConfig(tls.secretName, tls.dnsNames[0]) };
}

/** Probes on a port that serves TLS only: the kubelet probes over HTTPS (it does not verify the certificate). */
const HTTPS_PROBES = { livenessProbe: { httpGet: { scheme: "https" } }, readinessProbe: { httpGet: { scheme: "https" } } };

/**
 * kube-prometheus-stack's `kube-state-metrics` subchart values (6.3.0): `--tls-config` (kube-state-metrics v2.17.0 gives
 * the same web config to its metrics port and its telemetry port), the Secret and the ConfigMap through `volumes` and
 * `volumeMounts`, HTTPS probes (liveness on the metrics port, readiness on the telemetry port: both serve TLS), and the
 * ServiceMonitor over https.
 */
export function kubeStateMetricsTlsValues(tls = KUBE_STATE_METRICS_TLS) {
    return {
        extraArgs: [`--tls-config=${tls.webConfigFile}`],
        volumes: [
            { name: "web-tls", secret: { secretName: tls.secretName } },
            { name: "web-config", configMap: { name: tls.configMapName } },
        ],
        volumeMounts: [
            { name: "web-tls", mountPath: tls.tlsDir, readOnly: true },
            { name: "web-config", mountPath: tls.configDir, readOnly: true },
        ],
        ...HTTPS_PROBES,
        // The metrics endpoint's settings (the chart's ServiceMonitor reads prometheus.monitor.http before prometheus.monitor).
        prometheus: { monitor: { http: exporterScrape(tls) } },
    };
}

/**
 * kube-prometheus-stack's defaults for `prometheus-node-exporter.extraArgs` (values.yaml at 77.12.0): a list in the
 * release's values replaces the chart's, so ours restates them and adds the web config
 * (test/components/observability/exporter-tls.spec.ts holds them to the vendored values).
 */
export const KPS_NODE_EXPORTER_DEFAULT_ARGS = [
    "--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|var/lib/docker/.+|var/lib/kubelet/.+)($|/)",
    "--collector.filesystem.fs-types-exclude=^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs|erofs)$",
];

/**
 * The `prometheus-node-exporter` subchart values (4.48.0): `--web.config.file` (exporter-toolkit's flag in node-exporter
 * v1.9.1), the Secret and the ConfigMap through the chart's `secrets` and `configmaps` lists (each mounted under its
 * own name), HTTPS probes on the metrics port, and the ServiceMonitor over https.
 */
export function nodeExporterTlsValues(tls = NODE_EXPORTER_TLS) {
    return {
        extraArgs: [...KPS_NODE_EXPORTER_DEFAULT_ARGS, `--web.config.file=${tls.webConfigFile}`],
        secrets: [{ name: tls.secretName, mountPath: tls.tlsDir }],
        configmaps: [{ name: tls.configMapName, mountPath: tls.configDir }],
        ...HTTPS_PROBES,
        prometheus: { monitor: exporterScrape(tls) },
    };
}
