import { APP_NAMESPACE } from "../regional-cluster/manifests";
import { AlertDefinition } from "./alerts";

/** One time-series panel: a PromQL query, its unit and (optionally) the alert whose threshold it draws. */
interface PanelSpec {
    title: string;
    expr: string;
    unit: "ms" | "percent" | "short" | "reqps";
    legend?: string;
    /** Alert id whose threshold the panel draws as a red line. */
    alert?: string;
}

interface DashboardSpec {
    uid: string;
    title: string;
    description: string;
    panels: PanelSpec[];
}

const NS = `destination_workload_namespace="${APP_NAMESPACE}"`;

/** The dashboards the spec asks for ("Grafana: Infrastructure and business dashboards"), as code. */
export const DASHBOARDS: readonly DashboardSpec[] = [
    {
        uid: "bb-regional-infra",
        title: "BookedBarber / Regional infrastructure",
        description: "Nodes, pods and autoscaling in this region (spec: Infrastructure targets, Scaling Thresholds)",
        panels: [
            {
                title: "Node CPU %",
                expr: '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])))',
                unit: "percent",
                legend: "{{instance}}",
                alert: "node-cpu",
            },
            {
                title: "Node memory %",
                expr: "100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)",
                unit: "percent",
                legend: "{{instance}}",
                alert: "node-memory",
            },
            { title: "Nodes ready", expr: 'sum(kube_node_status_condition{condition="Ready",status="true"})', unit: "short" },
            {
                title: "API replicas (desired vs available)",
                expr: `sum by (deployment) (kube_deployment_status_replicas_available{namespace="${APP_NAMESPACE}"})`,
                unit: "short",
                legend: "{{deployment}}",
            },
            {
                title: "Network throughput by node",
                expr: "sum by (instance) (rate(node_network_transmit_bytes_total[5m]) + rate(node_network_receive_bytes_total[5m]))",
                unit: "short",
                legend: "{{instance}}",
            },
        ],
    },
    {
        uid: "bb-api-slo",
        title: "BookedBarber / API SLOs",
        description: "p50/p95/p99 latency and error rate against the spec's targets (p50 <50 ms, p95 <200 ms, p99 <500 ms, errors <0.01%)",
        panels: [
            { title: "Requests per second", expr: `sum(rate(istio_requests_total{reporter="destination",${NS}}[1m]))`, unit: "reqps" },
            {
                title: "p50 latency",
                expr: `histogram_quantile(0.50, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination",${NS}}[5m])))`,
                unit: "ms",
            },
            {
                title: "p95 latency",
                expr: `histogram_quantile(0.95, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination",${NS}}[5m])))`,
                unit: "ms",
                alert: "api-latency-p95",
            },
            {
                title: "p99 latency",
                expr: `histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination",${NS}}[5m])))`,
                unit: "ms",
                alert: "api-latency-p99",
            },
            {
                title: "5xx rate %",
                expr: `100 * sum(rate(istio_requests_total{reporter="destination",${NS},response_code=~"5.."}[5m])) / sum(rate(istio_requests_total{reporter="destination",${NS}}[5m]))`,
                unit: "percent",
                alert: "api-5xx-rate-elevated",
            },
        ],
    },
    {
        uid: "bb-data-tier",
        title: "BookedBarber / Database and cache",
        description:
            "PgBouncer pools and Redis as the cluster sees them (Aurora and ElastiCache engine metrics are CloudWatch alarms; spec: Database and Cache Performance)",
        panels: [
            {
                title: "PgBouncer client wait (ms)",
                expr: "1000 * max by (database) (pgbouncer_pools_client_maxwait_seconds)",
                unit: "ms",
                legend: "{{database}}",
            },
            { title: "PgBouncer active clients", expr: "sum by (database) (pgbouncer_pools_client_active_connections)", unit: "short", legend: "{{database}}" },
            {
                title: "Query p95 (ms)",
                expr: "histogram_quantile(0.95, sum by (le, shard) (rate(bookedbarber_db_query_duration_milliseconds_bucket[5m])))",
                unit: "ms",
                legend: "{{shard}}",
            },
            {
                title: "Cache hit rate %",
                expr: '100 * sum(rate(bookedbarber_cache_requests_total{outcome="hit"}[5m])) / sum(rate(bookedbarber_cache_requests_total[5m]))',
                unit: "percent",
                alert: "cache-hit-rate",
            },
        ],
    },
    {
        uid: "bb-business-kpis",
        title: "BookedBarber / Business KPIs",
        description: "Bookings per minute and active franchises (spec: Custom Metrics: Business KPIs)",
        panels: [
            { title: "Bookings per minute", expr: "sum(rate(bookedbarber_bookings_created_total[5m])) * 60", unit: "short" },
            {
                title: "Bookings per minute by franchise shard",
                expr: "sum by (shard) (rate(bookedbarber_bookings_created_total[5m])) * 60",
                unit: "short",
                legend: "{{shard}}",
            },
            { title: "Active franchises", expr: "max(bookedbarber_franchises_active)", unit: "short" },
            {
                title: "Payment failure %",
                expr: '100 * sum(rate(bookedbarber_payment_attempts_total{outcome="failure"}[5m])) / sum(rate(bookedbarber_payment_attempts_total[5m]))',
                unit: "percent",
                alert: "payment-failure-rate",
            },
        ],
    },
];

/** Grafana dashboard JSON (schema 39) for one spec, thresholds taken from the alert table. */
export function dashboardJson(spec: DashboardSpec, alerts: readonly AlertDefinition[]): string {
    const panels = spec.panels.map((p, i) => {
        const alert = p.alert ? alerts.find((a) => a.id === p.alert) : undefined;
        if (p.alert && !alert) throw new Error(`dashboard ${spec.uid} panel "${p.title}" names unknown alert ${p.alert}`);
        return {
            id: i + 1,
            type: "timeseries",
            title: p.title,
            datasource: { type: "prometheus", uid: "prometheus" },
            gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
            targets: [{ refId: "A", expr: p.expr, legendFormat: p.legend ?? p.title }],
            fieldConfig: {
                defaults: {
                    unit: p.unit,
                    thresholds: {
                        mode: "absolute",
                        steps: [{ color: "green", value: null }, ...(alert ? [{ color: "red", value: alert.threshold }] : [])],
                    },
                    custom: { thresholdsStyle: { mode: alert ? "line" : "off" } },
                },
                overrides: [],
            },
        };
    });
    return JSON.stringify({
        uid: spec.uid,
        title: spec.title,
        description: spec.description,
        tags: ["bookedbarber"],
        schemaVersion: 39,
        time: { from: "now-6h", to: "now" },
        refresh: "1m",
        panels,
    });
}
