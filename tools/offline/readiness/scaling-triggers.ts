import { ALERT_DEFINITIONS } from "../../../components/observability/alerts";
import { LATENCY_P95_METRIC, SCALE_IN_HOLD_METRIC } from "../../../components/regional-cluster/manifests";
import { SCALING_TRIGGERS, TriggerMetric, windowSeconds } from "../../../components/scaling-triggers";
import { WORKER } from "../../../components/worker-scaling";
import type { PlanFile } from "../plan-file";
import type { ReadinessItem, ReadinessSection } from "./types";

type Any = Record<string, any>;
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";

/**
 * The in and out thresholds of a worker scaling formula of the shape queueDepthFormula writes
 * (`depth < IN * workers ? depth : max(depth, HOLD * workers)`), or undefined for any other formula.
 */
export function formulaThresholds(formula: string): { inBelow: number; holdAt: number; depth: string; workers: string } | undefined {
    const m = /^(\w+) < ([\d.]+) \* (\w+) \? (\w+) : max\((\w+), ([\d.]+) \* (\w+)\)$/.exec(formula.trim());
    if (!m || m[4] !== m[1] || m[5] !== m[1] || m[7] !== m[3]) return undefined;
    return { depth: m[1], inBelow: Number(m[2]), workers: m[3], holdAt: Number(m[6]) };
}

/**
 * The queue-depth trigger, out and in, from the worker's ScaledObject (components/worker-scaling.ts):
 * its scaling formula over the queue depth and the worker count, tracked at the out threshold per worker.
 */
function queueDepthItems(spec: Any): ReadinessItem[] {
    const t = SCALING_TRIGGERS.queueDepth;
    const triggers: Any[] = spec.triggers ?? [];
    const modifiers = spec.advanced?.scalingModifiers ?? {};
    const behavior = spec.advanced?.horizontalPodAutoscalerConfig?.behavior ?? {};
    const f = formulaThresholds(String(modifiers.formula ?? ""));
    const depthTrigger = triggers.find((x) => x.name === f?.depth);
    const workersTrigger = triggers.find((x) => x.name === f?.workers);
    // The formula's names must be the queue's depth and the worker pod count, or the thresholds compare the wrong things.
    const wired = depthTrigger?.type === "aws-sqs-queue" && workersTrigger?.type === "kubernetes-workload";
    // Out needs only the queue's depth in the formula, tracked per worker.
    const queue = triggers.find((x) => x.type === "aws-sqs-queue");
    const readsQueue = queue?.name !== undefined && new RegExp(`\\b${queue.name}\\b`).test(String(modifiers.formula ?? ""));
    const target = Number(modifiers.target);
    const perWorker = (modifiers.metricType ?? "AverageValue") === "AverageValue";
    const up = behavior.scaleUp?.stabilizationWindowSeconds;
    const down = behavior.scaleDown?.stabilizationWindowSeconds;
    return [
        item(
            "queueDepth out",
            `formula target ${t.out.above} per worker (AverageValue), scaleUp window ${windowSeconds(t.out.forMinutes)} s`,
            { target: modifiers.target, metricType: modifiers.metricType, readsQueue, window: up },
            readsQueue && perWorker && target === t.out.above && up === windowSeconds(t.out.forMinutes),
        ),
        // The hold branch must propose exactly the current count (HOLD = target), and scale-in starts below IN per worker.
        item(
            "queueDepth in",
            `formula scales in below ${t.in.below} per worker and holds at the target above it, scaleDown window and cooldown ${windowSeconds(t.in.forMinutes)} s`,
            { formula: modifiers.formula, wired, window: down, cooldown: spec.cooldownPeriod },
            wired &&
                f !== undefined &&
                f.inBelow === t.in.below &&
                f.holdAt === target &&
                down === windowSeconds(t.in.forMinutes) &&
                spec.cooldownPeriod === windowSeconds(t.in.forMinutes),
        ),
    ];
}

/** Alert-table entries that mirror a scale-out trigger: the alert fires where the HPA should be adding pods. */
export const TRIGGER_ALERTS: Readonly<Partial<Record<TriggerMetric, string>>> = { cpu: "node-cpu", memory: "node-memory", latencyP95: "api-latency-p95" };

/** Keywords identifying each trigger's comparison inside the rendered scale-in gate query. */
const GATE_SOURCES: Readonly<Partial<Record<TriggerMetric, string>>> = {
    cpu: "container_cpu_usage_seconds_total",
    memory: "container_memory_working_set_bytes",
    latencyP95: "istio_request_duration_milliseconds_bucket",
};

/** The `>= bool N` thresholds of the rendered gate query, by the series each comparison reads. */
export function gateThresholds(query: string): Partial<Record<TriggerMetric, number>> {
    const parts = query.split(">= bool ");
    const out: Partial<Record<TriggerMetric, number>> = {};
    for (let i = 1; i < parts.length; i++) {
        const n = Number(/^[\d.]+/.exec(parts[i])?.[0]);
        for (const [metric, keyword] of Object.entries(GATE_SOURCES)) {
            if (parts[i - 1].includes(keyword)) out[metric as TriggerMetric] = n;
        }
    }
    return out;
}

function item(subject: string, want: string, got: unknown, ok: boolean): ReadinessItem {
    return ok ? { subject, detail: want } : { subject, detail: want, problem: `expected ${want}, the plan has ${JSON.stringify(got)}` };
}

/**
 * Each of the spec's six scaling triggers, read back from the rendered objects: the backend HPA's
 * targets and stabilisation windows, the scale-in gate prometheus-adapter serves, and the alert rules
 * that mirror the scale-out triggers. A regional stack whose objects disagree with
 * components/scaling-triggers.ts has a problem.
 */
export function scalingTriggers(plan: PlanFile): ReadinessSection {
    const section: ReadinessSection = { title: "scaling triggers", items: [] };
    const hpa = plan.resources.find((r) => r.type === HPA && (r.inputs.metadata as Any)?.name === "bookedbarber-backend-hpa");
    if (!hpa) return section;
    const spec = hpa.inputs.spec as Any;
    const metrics: Any[] = spec.metrics ?? [];
    const adapter = plan.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "prometheus-adapter");
    const custom: Any[] = (adapter?.inputs.values as Any)?.rules?.custom ?? [];
    const gate = custom.find((r) => r.name?.as === SCALE_IN_HOLD_METRIC);
    const gateIn = gateThresholds(String(gate?.metricsQuery ?? ""));
    const rules: Any[] = plan.resources
        .filter((r) => r.type === RULE)
        .flatMap((r) => ((r.inputs.spec as Any)?.groups ?? []).flatMap((g: Any) => g.rules ?? []));

    const target: Record<string, unknown> = {
        cpu: metrics.find((m) => m.resource?.name === "cpu")?.resource?.target?.averageUtilization,
        memory: metrics.find((m) => m.resource?.name === "memory")?.resource?.target?.averageUtilization,
        latencyP95: Number(metrics.find((m) => m.pods?.metric?.name === LATENCY_P95_METRIC)?.pods?.target?.averageValue),
    };
    const upWindow = spec.behavior?.scaleUp?.stabilizationWindowSeconds;
    const downWindow = spec.behavior?.scaleDown?.stabilizationWindowSeconds;
    const gateTracked = metrics.some(
        (m) =>
            m.type === "Object" &&
            m.object?.describedObject?.name === spec.scaleTargetRef?.name &&
            m.object?.metric?.name === SCALE_IN_HOLD_METRIC &&
            m.object?.target?.type === "Value" &&
            m.object?.target?.value === "1",
    );

    for (const metric of Object.keys(GATE_SOURCES) as TriggerMetric[]) {
        const t = SCALING_TRIGGERS[metric];
        const outWant = `HPA target ${t.out.above} ${t.unit}, scaleUp window ${windowSeconds(t.out.forMinutes)} s`;
        section.items.push(
            item(
                `${metric} out`,
                outWant,
                { target: target[metric], window: upWindow },
                target[metric] === t.out.above && upWindow === windowSeconds(t.out.forMinutes),
            ),
        );
        const inWant = `scale-in gate below ${t.in.below} ${t.unit}, scaleDown window ${windowSeconds(t.in.forMinutes)} s`;
        section.items.push(
            item(
                `${metric} in`,
                inWant,
                { gate: gateIn[metric], tracked: gateTracked, window: downWindow },
                gateTracked && gateIn[metric] === t.in.below && downWindow === windowSeconds(t.in.forMinutes),
            ),
        );
        const alertId = TRIGGER_ALERTS[metric];
        const alert = ALERT_DEFINITIONS.find((d) => d.id === alertId);
        const rendered = rules.find((r) => r.labels?.alert_id === alertId);
        // Alerts may be overridden per stack (alertOverrides); a rule that no longer matches its trigger is flagged.
        if (alert?.prometheus && rendered) {
            const want = `alert ${alertId} > ${t.out.above} for ${t.out.forMinutes}m`;
            section.items.push(
                item(
                    `${metric} alert`,
                    want,
                    { expr: rendered.expr, for: rendered.for },
                    String(rendered.expr).includes(`> ${t.out.above}`) && rendered.for === `${t.out.forMinutes}m`,
                ),
            );
        }
    }
    const scaled = plan.resources.find((r) => r.type === SCALED_OBJECT && (r.inputs.metadata as Any)?.name === WORKER);
    if (scaled) section.items.push(...queueDepthItems(scaled.inputs.spec as Any));
    else
        section.items.push({
            subject: "queueDepth",
            detail: "worker ScaledObject",
            problem: `no ScaledObject ${WORKER}: nothing scales the job worker on queue depth`,
        });
    if (!custom.some((r) => r.name?.as === LATENCY_P95_METRIC)) {
        section.items.push({
            subject: "latencyP95 metric",
            detail: LATENCY_P95_METRIC,
            problem: `prometheus-adapter serves no ${LATENCY_P95_METRIC}: the HPA's latency target has nothing to read`,
        });
    }
    return section;
}
