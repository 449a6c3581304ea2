/**
 * The prometheus-adapter rules behind the backend HPA's non-resource metrics. Thresholds come from the
 * spec's triggers (components/scaling-triggers.ts); metric names are the ones the HPA asks for.
 *
 * Label sources: Istio's standard metrics (istio.io "Istio Standard Metrics": `istio_requests_total`,
 * `istio_request_duration_milliseconds` histogram, labels `reporter`, `destination_workload`,
 * `destination_workload_namespace`), scraped from the sidecars with the pod's `namespace` and `pod`
 * labels; cAdvisor's container usage and kube-state-metrics' `kube_pod_container_resource_requests`.
 */
import { SCALING_TRIGGERS } from "../scaling-triggers";
import { APP_NAMESPACE, BACKEND, LATENCY_P95_METRIC, SCALE_IN_HOLD_METRIC } from "./manifests";
/** The rate() window of the adapter's queries: the scale-out window, so a 2-minute excursion shows whole. */
const RATE_WINDOW = `${SCALING_TRIGGERS.cpu.out.forMinutes}m`;

const PER_POD = { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } };

/**
 * How prometheus-adapter derives `requests_per_second` per pod: the rate of requests the pod's Istio
 * sidecar received (reporter="destination"), so it needs no instrumentation in the application and
 * counts exactly what passed the mesh. Averaged over 2 minutes, the spec's scale-out window.
 */
export const REQUESTS_PER_SECOND_RULE = {
    seriesQuery: 'istio_requests_total{reporter="destination",namespace!="",pod!=""}',
    resources: PER_POD,
    name: { matches: "^istio_requests_total$", as: "requests_per_second" },
    metricsQuery: `sum(rate(<<.Series>>{<<.LabelMatchers>>,reporter="destination"}[${RATE_WINDOW}])) by (<<.GroupBy>>)`,
};

/**
 * p95 of the request duration each pod's sidecar measured as the server (reporter="destination"): the
 * histogram's buckets summed per pod and `le`, then the quantile. The HPA averages it over the pods and
 * compares it with the 200 ms scale-out target.
 */
export const LATENCY_P95_RULE = {
    seriesQuery: 'istio_request_duration_milliseconds_bucket{reporter="destination",namespace!="",pod!=""}',
    resources: PER_POD,
    name: { matches: "^istio_request_duration_milliseconds_bucket$", as: LATENCY_P95_METRIC },
    metricsQuery: `histogram_quantile(0.95, sum(rate(<<.Series>>{<<.LabelMatchers>>,reporter="destination"}[${RATE_WINDOW}])) by (le, <<.GroupBy>>))`,
};

const BACKEND_PODS = `namespace="${APP_NAMESPACE}",pod=~"${BACKEND}-.*"`;
/** Average CPU and memory utilisation of the backend's pods against their requests: what the HPA's Resource metrics compute (all containers, sidecar included). */
export const BACKEND_CPU_UTILISATION = `100 * sum(rate(container_cpu_usage_seconds_total{${BACKEND_PODS},container!="",container!="POD"}[${RATE_WINDOW}])) / sum(kube_pod_container_resource_requests{${BACKEND_PODS},resource="cpu"})`;
export const BACKEND_MEMORY_UTILISATION = `100 * sum(container_memory_working_set_bytes{${BACKEND_PODS},container!="",container!="POD"}) / sum(kube_pod_container_resource_requests{${BACKEND_PODS},resource="memory"})`;
export const BACKEND_LATENCY_P95 = `histogram_quantile(0.95, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload_namespace="${APP_NAMESPACE}",destination_workload="${BACKEND}"}[${RATE_WINDOW}])))`;

/**
 * The spec's scale-in gate as one number: 1 while the backend's CPU is at or above 30%, or memory at or
 * above 50%, or p95 at or above 50 ms; 0 when all three are below. The HPA tracks it at a target of 1,
 * so at 1 it proposes the current replica count (ratio 1: no change) and blocks scale-in; at 0 it
 * proposes nothing and the other metrics may scale in. A p95 without traffic is NaN and compares false
 * (an idle backend may scale in); a missing input yields no value, and an HPA with a metric it cannot
 * read does not scale in, which fails safe.
 */
export const SCALE_IN_HOLD_QUERY =
    `label_replace(label_replace(clamp_max(` +
    `(${BACKEND_CPU_UTILISATION} >= bool ${SCALING_TRIGGERS.cpu.in.below})` +
    ` + (${BACKEND_MEMORY_UTILISATION} >= bool ${SCALING_TRIGGERS.memory.in.below})` +
    ` + (${BACKEND_LATENCY_P95} >= bool ${SCALING_TRIGGERS.latencyP95.in.below})` +
    `, 1), "namespace", "${APP_NAMESPACE}", "", ""), "service", "${BACKEND}", "", "")`;

/**
 * A custom metric of the backend's stable Service (the HPA reads it as an Object metric), not an
 * external one: KEDA's metrics server owns external.metrics.k8s.io, and an API group has one server.
 * The backend is an Argo Rollout, which kube-state-metrics does not export; its stable Service always
 * exists (it is the Service the ingress routes to, whatever the release strategy), and kube-state-metrics'
 * kube_service_info carries the namespace and service labels the adapter maps to the object.
 */
export const SCALE_IN_HOLD_RULE = {
    seriesQuery: `kube_service_info{namespace="${APP_NAMESPACE}",service="${BACKEND}"}`,
    resources: { overrides: { namespace: { resource: "namespace" }, service: { resource: "service" } } },
    name: { matches: "^kube_service_info$", as: SCALE_IN_HOLD_METRIC },
    metricsQuery: SCALE_IN_HOLD_QUERY,
};
