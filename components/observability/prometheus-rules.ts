import { ALERT_CLASS_INFO, AlertDefinition, promAlertName, promExpr } from "./alerts";
import { ARGO_ROLLOUTS_NAMESPACE } from "../regional-cluster/manifests";

/** The kube-prometheus-stack release name: Prometheus selects rules carrying `release: <this>`. */
export const KPS_RELEASE = "kube-prometheus-stack";
export const MONITORING_NAMESPACE = "monitoring";
/** The port of the chart's Prometheus Service (values.yaml prometheus.service.port). */
export const PROMETHEUS_PORT = 9090;
/** Host of a kube-prometheus-stack release's Prometheus Service (the chart names it `<fullname>-prometheus`). */
export function prometheusHost(release: string, namespace: string): string {
    return `${release}-prometheus.${namespace}`;
}
/**
 * Prometheus's in-cluster address, https (components/observability/prometheus-tls.ts): Grafana, RegionalCluster's
 * prometheus-adapter (`requests_per_second`) and the Argo Rollouts analyses read it.
 */
export const PROMETHEUS_URL = `https://${prometheusHost(KPS_RELEASE, MONITORING_NAMESPACE)}.svc:${PROMETHEUS_PORT}`;

/**
 * The PrometheusRule (monitoring.coreos.com/v1) for every definition with a
 * Prometheus source. Each rule carries the spec threshold in its expression
 * and its class as the `severity` label, which Alertmanager routes on.
 */
export function prometheusRuleManifest(defs: readonly AlertDefinition[]) {
    const rules = defs
        .filter((d) => d.prometheus)
        .map((d) => ({
            alert: promAlertName(d),
            expr: promExpr(d),
            for: `${d.forMinutes}m`,
            labels: { severity: d.class, alert_id: d.id },
            annotations: {
                summary: d.description,
                description: `${d.description} (threshold ${d.threshold}${d.unit === "percent" ? "%" : d.unit === "ms" ? " ms" : ""}; value {{ $value }}). Spec: ${d.spec}.`,
                response_time: `${ALERT_CLASS_INFO[d.class].responseMinutes}m`,
            },
        }));
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name: "bookedbarber-alerts", namespace: MONITORING_NAMESPACE, labels: { release: KPS_RELEASE, app: "bookedbarber" } },
        spec: { groups: [{ name: "bookedbarber.alert-classes", interval: "30s", rules }] },
    };
}

/**
 * What Prometheus scrapes beyond the chart's defaults. Istio's sidecars serve
 * their own stats and the application's (metrics merging) on the pod's
 * `prometheus.io/port`; without this PodMonitor there is no
 * `istio_requests_total`, so neither the latency/error rules nor
 * RegionalCluster's prometheus-adapter (`requests_per_second`, which reads
 * the `namespace` and `pod` labels) would see a request.
 */
export function scrapeManifests() {
    const labels = { release: KPS_RELEASE, app: "bookedbarber" };
    const envoy = {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: { name: "istio-sidecars", namespace: MONITORING_NAMESPACE, labels },
        spec: {
            selector: { matchExpressions: [{ key: "istio-prometheus-ignore", operator: "DoesNotExist" }] },
            namespaceSelector: { any: true },
            jobLabel: "envoy-stats",
            podMetricsEndpoints: [
                {
                    path: "/stats/prometheus",
                    interval: "15s",
                    relabelings: [
                        { action: "keep", sourceLabels: ["__meta_kubernetes_pod_container_name"], regex: "istio-proxy" },
                        { action: "keep", sourceLabels: ["__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape"] },
                        {
                            action: "replace",
                            sourceLabels: ["__meta_kubernetes_pod_annotation_prometheus_io_port", "__meta_kubernetes_pod_ip"],
                            regex: "(\\d+);((([0-9]+?)(\\.|$)){4})",
                            replacement: "$2:$1",
                            targetLabel: "__address__",
                        },
                        { action: "labeldrop", regex: "__meta_kubernetes_pod_label_(.+)" },
                        { action: "replace", sourceLabels: ["__meta_kubernetes_namespace"], targetLabel: "namespace" },
                        { action: "replace", sourceLabels: ["__meta_kubernetes_pod_name"], targetLabel: "pod" },
                    ],
                },
            ],
        },
    };
    const istiod = {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name: "istiod", namespace: MONITORING_NAMESPACE, labels },
        spec: {
            selector: { matchLabels: { app: "istiod" } },
            namespaceSelector: { matchNames: ["istio-system"] },
            endpoints: [{ port: "http-monitoring", interval: "15s" }],
        },
    };
    // The Argo Rollouts controller's gauges (rollout_info, rollout_info_replicas_available) that the API's P0 and
    // P1 alerts read. Its chart's metrics Service (controller.metrics.enabled, set in components/regional-cluster/delivery.ts)
    // is named <fullname>-metrics, labelled app.kubernetes.io/component=<controller.component> ("rollouts-controller"),
    // port "metrics" (argo-helm charts/argo-rollouts templates/controller/metrics-service.yaml, chart 2.41.0).
    const argoRollouts = {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name: "argo-rollouts", namespace: MONITORING_NAMESPACE, labels },
        spec: {
            selector: { matchLabels: { "app.kubernetes.io/component": "rollouts-controller" } },
            namespaceSelector: { matchNames: [ARGO_ROLLOUTS_NAMESPACE] },
            endpoints: [{ port: "metrics", interval: "30s" }],
        },
    };
    return [envoy, istiod, argoRollouts] as const;
}
