import { ALERT_CLASS_INFO, AlertDefinition, promAlertName, promExpr } from "./alerts";

/** The kube-prometheus-stack release name: Prometheus selects rules carrying `release: <this>`. */
export const KPS_RELEASE = "kube-prometheus-stack";
export const MONITORING_NAMESPACE = "monitoring";
/** Prometheus's in-cluster address (RegionalCluster's prometheus-adapter reads `requests_per_second` here). */
export const PROMETHEUS_URL = `http://${KPS_RELEASE}-prometheus.${MONITORING_NAMESPACE}.svc:9090`;

/**
 * The PrometheusRule (monitoring.coreos.com/v1) for every definition with a
 * Prometheus source. Each rule carries the spec threshold in its expression
 * and its class as the `severity` label, which Alertmanager routes on.
 */
export function prometheusRuleManifest(defs: readonly AlertDefinition[]) {
    const rules = defs.filter((d) => d.prometheus).map((d) => ({
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
