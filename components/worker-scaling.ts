/**
 * The background-job worker's Kubernetes objects, as plain objects (pure, so a test validates them
 * against KEDA's CRD schema): its ServiceAccount, and the KEDA ScaledObject that scales it on the job
 * queue's depth with the spec's triggers (components/scaling-triggers.ts).
 *
 * The worker Deployment itself, like the backend's, is the application's: its image and rollout
 * belong to the application pipeline. The platform gives it its identity, its scaling and its
 * capacity (WORKER_POD, counted by the capacity model).
 */
import { APP_NAMESPACE, SCALE_IN_RATE, SCALE_OUT_RATE } from "./regional-cluster/manifests";
import { SCALING_TRIGGERS, windowSeconds } from "./scaling-triggers";

type Obj = Record<string, unknown> & { apiVersion: string; kind: string };

export const WORKER = "bookedbarber-worker";
export const WORKER_TRIGGER_AUTH = `${WORKER}-aws`;

/** What one worker pod requests (the capacity model's node math) and how many the ScaledObject may run. */
export const WORKER_POD = { cpuMillicores: 500, memoryMiB: 512 };
export const WORKER_REPLICAS = { min: 0, max: 100 };

/**
 * The HPA tolerance that makes target tracking scale in only below the spec's lower threshold: the
 * HPA leaves the count alone while current/target is within the tolerance, so with target 100 per
 * worker and tolerance 1 - 10/100 = 0.9 it scales in only when the depth per worker is under 10.
 */
export const WORKER_SCALE_DOWN_TOLERANCE = 1 - SCALING_TRIGGERS.queueDepth.in.below / SCALING_TRIGGERS.queueDepth.out.above;

/**
 * The worker's ScaledObject (KEDA keda.sh/v1alpha1), on the aws-sqs-queue scaler:
 * - Out: `queueLength` 100, the spec's "Queue depth: >100 pending jobs", as the per-worker target the
 *   HPA tracks (ApproximateNumberOfMessages plus in-flight, KEDA's default); `scaleUp` waits 2 minutes
 *   (stabilisation 120 s) and adds at most +50% per 5 minutes, as for the backend.
 * - In: `scaleDown.tolerance` 0.9 keeps every worker until the depth per worker is under 10 (spec:
 *   "Queue depth: <10 pending jobs"), for 10 minutes (stabilisation 600 s), then at most -25% per 10
 *   minutes. The tolerance field needs the HPAConfigurableTolerance feature (beta in Kubernetes 1.35,
 *   the default here); where it is off the API server drops it and the HPA falls back to its 10%.
 * - Idle: `activationQueueLength` 0 activates the workers at the first pending job, and after
 *   `cooldownPeriod` 600 s (the 10-minute scale-in window) with an empty queue KEDA scales them to 0.
 *   A standby's queue is empty, so it runs no workers until a failover brings jobs to it.
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
                horizontalPodAutoscalerConfig: {
                    name: `${WORKER}-hpa`,
                    behavior: {
                        scaleUp: {
                            stabilizationWindowSeconds: windowSeconds(depth.out.forMinutes), selectPolicy: "Max",
                            policies: [{ type: "Percent", value: SCALE_OUT_RATE.percent, periodSeconds: SCALE_OUT_RATE.periodSeconds }],
                        },
                        scaleDown: {
                            stabilizationWindowSeconds: windowSeconds(depth.in.forMinutes), selectPolicy: "Max",
                            tolerance: String(WORKER_SCALE_DOWN_TOLERANCE),
                            policies: [{ type: "Percent", value: SCALE_IN_RATE.percent, periodSeconds: SCALE_IN_RATE.periodSeconds }],
                        },
                    },
                },
            },
            triggers: [{
                type: "aws-sqs-queue",
                authenticationRef: { name: WORKER_TRIGGER_AUTH },
                metadata: { queueURL: queueUrl, awsRegion: region, queueLength: String(depth.out.above), activationQueueLength: "0" },
            }],
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
