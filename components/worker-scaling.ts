/**
 * The background-job worker's Kubernetes objects, as plain objects (pure, so a test validates them
 * against KEDA's CRD schema): its ServiceAccount, and the KEDA ScaledObject that scales it on the job
 * queue's depth with the spec's triggers (components/scaling-triggers.ts).
 *
 * The worker Deployment and its PodDisruptionBudget are in components/worker-deployment.ts.
 */
import { APP_NAMESPACE, SCALE_IN_RATE, SCALE_OUT_RATE } from "./regional-cluster/manifests";
import { SCALING_TRIGGERS, windowSeconds } from "./scaling-triggers";

type Obj = Record<string, unknown> & { apiVersion: string; kind: string };

export const WORKER = "bookedbarber-worker";
export const WORKER_TRIGGER_AUTH = `${WORKER}-aws`;

/** What one worker pod requests (the capacity model's node math) and how many the ScaledObject may run. */
export const WORKER_POD = { cpuMillicores: 500, memoryMiB: 512 };
export const WORKER_REPLICAS = { min: 0, max: 100 };

/** The worker pods' labels: the Deployment's selector, its PDB's, KEDA's pod count, and what a NetworkPolicy selects the worker by. */
export const WORKER_POD_LABELS: Readonly<Record<string, string>> = { app: WORKER, "app.kubernetes.io/component": "worker" };

/** Names of the ScaledObject's two triggers, as its scaling formula refers to them. */
export const WORKER_TRIGGER_NAMES = { depth: "depth", workers: "workers" } as const;

/**
 * The composite metric KEDA gives the HPA (scalingModifiers.formula, expr-lang), tracked at an average
 * of `outAbove` per worker. With `depth` the queue's pending jobs and `workers` the running workers:
 * - depth < inBelow x workers: the metric is the depth, so the HPA wants ceil(depth / outAbove) workers,
 *   fewer than now: scale in (after the 10-minute window, at most -25% per 10 minutes);
 * - otherwise: at least outAbove x workers, so the HPA wants at least the current count (hold), and
 *   more once the depth per worker exceeds outAbove: scale out.
 * So the count holds between 10 and 100 pending jobs per worker, the spec's hysteresis.
 */
export function queueDepthFormula(outAbove: number, inBelow: number): string {
    const { depth, workers } = WORKER_TRIGGER_NAMES;
    return `${depth} < ${inBelow} * ${workers} ? ${depth} : max(${depth}, ${outAbove} * ${workers})`;
}

/**
 * The worker's ScaledObject (KEDA keda.sh/v1alpha1) on two triggers, `depth` (aws-sqs-queue: pending
 * plus in-flight jobs, KEDA's default) and `workers` (kubernetes-workload: the worker pods), combined
 * by `queueDepthFormula` into one metric tracked at 100 per worker:
 * - Out: above 100 pending jobs per worker (spec "Queue depth: >100 pending jobs"); `scaleUp` waits 2
 *   minutes (stabilisation 120 s) and adds at most +50% per 5 minutes, as for the backend.
 * - In: only below 10 per worker (spec "Queue depth: <10 pending jobs"), for 10 minutes (stabilisation
 *   600 s), then at most -25% per 10 minutes.
 * - Idle: activation at the first pending job; after `cooldownPeriod` 600 s (the 10-minute scale-in
 *   window) with an empty queue KEDA scales the workers to 0. A standby's queue is empty, so it runs no
 *   workers until a failover brings jobs to it.
 *
 * Why a formula and not the HPA's `scaleDown.tolerance` (0.9 would also mean "in below 10 per worker"):
 * that field needs the HPAConfigurableTolerance feature gate, alpha and off in Kubernetes 1.34 (a
 * supported `kubernetesVersion` here) and beta from 1.35; where the gate is off the API server drops
 * the field and the HPA falls back to its 10%, silently. The formula works on every version
 * (docs/autoscaling.md; the facts are in test/upstream/kubernetes/hpa-configurable-tolerance.json).
 */
export function workerScaledObject<Url = string>(queueUrl: Url, region: string): Obj {
    const depth = SCALING_TRIGGERS.queueDepth;
    return {
        apiVersion: "keda.sh/v1alpha1",
        kind: "ScaledObject",
        metadata: { name: WORKER, namespace: APP_NAMESPACE },
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: WORKER },
            minReplicaCount: WORKER_REPLICAS.min,
            maxReplicaCount: WORKER_REPLICAS.max,
            pollingInterval: 30,
            cooldownPeriod: windowSeconds(depth.in.forMinutes),
            advanced: {
                scalingModifiers: {
                    formula: queueDepthFormula(depth.out.above, depth.in.below),
                    target: String(depth.out.above),
                    activationTarget: "0",
                    metricType: "AverageValue",
                },
                horizontalPodAutoscalerConfig: {
                    name: `${WORKER}-hpa`,
                    behavior: {
                        scaleUp: {
                            stabilizationWindowSeconds: windowSeconds(depth.out.forMinutes),
                            selectPolicy: "Max",
                            policies: [{ type: "Percent", value: SCALE_OUT_RATE.percent, periodSeconds: SCALE_OUT_RATE.periodSeconds }],
                        },
                        scaleDown: {
                            stabilizationWindowSeconds: windowSeconds(depth.in.forMinutes),
                            selectPolicy: "Max",
                            policies: [{ type: "Percent", value: SCALE_IN_RATE.percent, periodSeconds: SCALE_IN_RATE.periodSeconds }],
                        },
                    },
                },
            },
            triggers: [
                {
                    type: "aws-sqs-queue",
                    name: WORKER_TRIGGER_NAMES.depth,
                    authenticationRef: { name: WORKER_TRIGGER_AUTH },
                    metadata: { queueURL: queueUrl, awsRegion: region, queueLength: String(depth.out.above), activationQueueLength: "0" },
                },
                {
                    // Counts the worker pods in the ScaledObject's namespace (not Succeeded or Failed); its own target is unused under the formula.
                    type: "kubernetes-workload",
                    name: WORKER_TRIGGER_NAMES.workers,
                    metadata: {
                        podSelector: Object.entries(WORKER_POD_LABELS)
                            .map(([k, v]) => `${k}=${v}`)
                            .join(","),
                        value: "1",
                    },
                },
            ],
        },
    };
}

/** The operator's own AWS identity (EKS Pod Identity on keda/keda-operator), not the worker's: KEDA needs only the depth. */
export function workerTriggerAuthentication(): Obj {
    return {
        apiVersion: "keda.sh/v1alpha1",
        kind: "TriggerAuthentication",
        metadata: { name: WORKER_TRIGGER_AUTH, namespace: APP_NAMESPACE },
        spec: { podIdentity: { provider: "aws" } },
    };
}

/** ServiceAccounts the Pod Identity associations bind: the backend (producer) and the worker (consumer). */
export function appServiceAccount(name: string) {
    return { apiVersion: "v1" as const, kind: "ServiceAccount" as const, metadata: { name, namespace: APP_NAMESPACE } };
}
