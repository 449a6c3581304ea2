/**
 * The Prometheus analysis that gates each step of a backend release (Argo Rollouts `AnalysisTemplate`).
 * Its two metrics are Istio's standard metrics for the Service under test (the canary's, the preview's
 * or, after a blue-green switch, the active one), and their thresholds, comparisons and windows come
 * from the alert table (DELIVERY_GATE_ALERTS in components/observability/alerts.ts): change the alert,
 * and the analysis changes with it.
 */
import { AlertDefinition, ALERT_DEFINITIONS, alertDefinition, DELIVERY_GATE_ALERTS, DeliveryGate } from "../observability/alerts";
import { PROMETHEUS_URL } from "../observability/prometheus-rules";
import { APP_NAMESPACE, BACKEND } from "./manifests";

type Obj = Record<string, unknown> & { apiVersion: string; kind: string };

export const BACKEND_ANALYSIS = `${BACKEND}-release-health`;
/** The template's argument: the Service whose traffic is measured. */
export const ANALYSIS_SERVICE_ARG = "service-name";
/** Seconds between measurements. */
export const MEASUREMENT_INTERVAL_SECONDS = 60;
/** Failed Prometheus queries in a row before the analysis errors (and the rollout aborts): a Prometheus restart is ridden out. */
export const CONSECUTIVE_ERROR_LIMIT = 3;

/**
 * Requests to the Service under test as the caller's proxy saw them (`reporter="source"`: the ingress
 * gateway). The destination's own report would miss the 503s of a canary whose pods never answer.
 */
const requests = (extra = "") =>
    `istio_requests_total{reporter="source",destination_service_namespace="${APP_NAMESPACE}",destination_service_name="{{args.${ANALYSIS_SERVICE_ARG}}}"${extra}}`;
const durationBuckets = `istio_request_duration_milliseconds_bucket{reporter="source",destination_service_namespace="${APP_NAMESPACE}",destination_service_name="{{args.${ANALYSIS_SERVICE_ARG}}}"}`;

/** The PromQL of a gate, scaled to the alert's unit, over the alert's window; scalar() so "no traffic" is NaN, not an empty result. */
function gateQuery(gate: DeliveryGate, d: AlertDefinition): string {
    const w = `${d.forMinutes}m`;
    if (gate === "errorRate") {
        if (d.unit !== "percent") throw new Error(`alert ${d.id} gates the 5xx share, so its unit must be percent, not ${d.unit}`);
        return `scalar(100 * sum(rate(${requests(',response_code=~"5.."')}[${w}])) / sum(rate(${requests()}[${w}])))`;
    }
    if (d.unit !== "ms") throw new Error(`alert ${d.id} gates p95 latency, so its unit must be ms, not ${d.unit}`);
    return `scalar(histogram_quantile(0.95, sum by (le) (rate(${durationBuckets}[${w}]))))`;
}

/**
 * Healthy is the alert NOT firing: `above` alerts pass at or under the threshold. NaN (no request in
 * the window: a standby region, or a preview nobody calls) passes: there is nothing to judge, and the
 * post-promotion analysis and the alerts still watch the live traffic.
 */
function successCondition(d: AlertDefinition): string {
    return `isNaN(result) || result ${d.comparison === "above" ? "<=" : ">="} ${d.threshold}`;
}

/** The AnalysisTemplate, from the alert table (default: the program's). */
export function backendAnalysisTemplate(defs: readonly AlertDefinition[] = ALERT_DEFINITIONS): Obj {
    const metrics = (Object.keys(DELIVERY_GATE_ALERTS) as DeliveryGate[]).map((gate) => {
        const d = alertDefinition(DELIVERY_GATE_ALERTS[gate], defs);
        return {
            name: d.id,
            // One measurement a minute over the alert's window; a single breach fails the step (failureLimit 0).
            interval: `${MEASUREMENT_INTERVAL_SECONDS}s`,
            count: Math.max(1, Math.round((d.forMinutes * 60) / MEASUREMENT_INTERVAL_SECONDS)),
            failureLimit: 0,
            consecutiveErrorLimit: CONSECUTIVE_ERROR_LIMIT,
            successCondition: successCondition(d),
            provider: { prometheus: { address: PROMETHEUS_URL, query: gateQuery(gate, d) } },
        };
    });
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AnalysisTemplate",
        metadata: { name: BACKEND_ANALYSIS, namespace: APP_NAMESPACE },
        spec: { args: [{ name: ANALYSIS_SERVICE_ARG }], metrics },
    };
}
