/**
 * The spec's six scaling triggers ("Scaling Thresholds"), written once. The backend HPA, the
 * prometheus-adapter rules that feed it, and the alert table (components/observability/alerts.ts)
 * all read their numbers from here, so an alert and the trigger it mirrors cannot drift apart.
 */

export type TriggerMetric = "cpu" | "memory" | "queueDepth" | "latencyP95";
export type TriggerUnit = "percent" | "count" | "ms";

export interface ScalingTrigger {
    readonly unit: TriggerUnit;
    /** Scale out when the value stays above `above` for `forMinutes`. */
    readonly out: { readonly above: number; readonly forMinutes: number };
    /** Scale in only when the value stays below `below` for `forMinutes`. */
    readonly in: { readonly below: number; readonly forMinutes: number };
    /** The spec's lines. */
    readonly spec: string;
}

/**
 * Spec "Scaling Thresholds". The spec gives windows for CPU and memory only (2 min out, 10 min in);
 * queue depth and p95 latency take the same windows, so that every trigger of one direction is judged
 * over the same span and one HPA stabilisation window per direction expresses all of them.
 */
export const SCALING_TRIGGERS: Readonly<Record<TriggerMetric, ScalingTrigger>> = {
    cpu: { unit: "percent", out: { above: 70, forMinutes: 2 }, in: { below: 30, forMinutes: 10 }, spec: "CPU: >70% for 2 minutes; CPU: <30% for 10 minutes" },
    memory: {
        unit: "percent",
        out: { above: 80, forMinutes: 2 },
        in: { below: 50, forMinutes: 10 },
        spec: "Memory: >80% for 2 minutes; Memory: <50% for 10 minutes",
    },
    queueDepth: {
        unit: "count",
        out: { above: 100, forMinutes: 2 },
        in: { below: 10, forMinutes: 10 },
        spec: "Queue depth: >100 pending jobs; Queue depth: <10 pending jobs",
    },
    latencyP95: {
        unit: "ms",
        out: { above: 200, forMinutes: 2 },
        in: { below: 50, forMinutes: 10 },
        spec: "Response time: >200ms p95; Response time: <50ms p95",
    },
};

/** Seconds of a trigger window, as HPA stabilisation windows and KEDA take them. */
export function windowSeconds(minutes: number): number {
    return minutes * 60;
}
