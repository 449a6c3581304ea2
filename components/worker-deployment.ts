/**
 * The background-job worker's workload, as plain objects (pure, so a test validates them against the
 * upstream apps/v1 and policy/v1 schemas): the Deployment that drains the region's job queue and its
 * PodDisruptionBudget. JobQueue registers them with the queue's URL and the region's worker image.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { restricted } from "./sharded-database/pod-common";
import type { DatabaseLoginPod } from "./sharded-database/clients";
import { APP_NAMESPACE, SCALE_IN_RATE } from "./regional-cluster/manifests";
import { WORKER, WORKER_POD, WORKER_POD_LABELS } from "./worker-scaling";

export { WORKER_POD_LABELS };

type Obj = Record<string, unknown> & { apiVersion: string; kind: string };

/** The node group the worker lands on: it tolerates no taint, so the untainted general group (node-groups.ts). */
export const WORKER_NODE_SELECTOR: Readonly<Record<string, string>> = { "bookedbarber.com/workload-class": "general" };

/** Where the image writes scratch files: the root filesystem is read-only (Pod Security restricted). */
const SCRATCH_DIR = "/tmp";
const SCRATCH_LIMIT = "256Mi";

/**
 * How long a stopping worker may run after SIGTERM: the queue's visibility timeout plus one long poll.
 * On SIGTERM the worker stops receiving, but a long poll already in flight may still hand it a job up
 * to `receiveWaitTimeSeconds` later; that job then has its full processing budget (the visibility
 * timeout) before the kubelet's SIGKILL. A job that overruns its budget becomes visible again for
 * another worker anyway, so nothing is gained by waiting longer, and a kill after that loses nothing:
 * SQS redelivers it. The Cluster Autoscaler waits up to 600 s (its max-graceful-termination-sec
 * default) for a pod it evicts, more than this, so a scale-down drain does not cut a job short.
 */
export function workerTerminationGraceSeconds(queue: { visibilityTimeoutSeconds: number; receiveWaitTimeSeconds: number }): number {
    return queue.visibilityTimeoutSeconds + queue.receiveWaitTimeSeconds;
}

export interface WorkerDeploymentInputs<S> {
    /** Digest-pinned image reference (components/app-images.ts appImageReference). */
    image: S;
    queueUrl: S;
    region: string;
    terminationGracePeriodSeconds: number;
    /** PgBouncer's login as files on a CSI mount, and the pools' addresses in env (components/sharded-database/clients.ts). */
    databaseLogin?: DatabaseLoginPod;
}

/**
 * The worker Deployment. It sets no `replicas`: KEDA's HPA owns the count through the scale
 * subresource, and a `replicas` here would be re-applied on every `pulumi up`, resetting whatever KEDA
 * had scaled to (a fleet of 60 workers draining a backlog dropped to the written number). Left unset,
 * the API server starts it at 1 and KEDA takes over (to 0 once the queue is empty for the cooldown).
 */
export function workerDeployment<S extends pulumi.Input<string> = string>(inputs: WorkerDeploymentInputs<S>): k8s.types.input.apps.v1.Deployment & Obj {
    const db = inputs.databaseLogin;
    return {
        apiVersion: "apps/v1" as const,
        kind: "Deployment" as const,
        metadata: { name: WORKER, namespace: APP_NAMESPACE, labels: { ...WORKER_POD_LABELS } },
        spec: {
            selector: { matchLabels: { ...WORKER_POD_LABELS } },
            // A rollout replaces a quarter of the workers at a time and never drops below the current count.
            strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
            template: {
                metadata: { labels: { ...WORKER_POD_LABELS } },
                spec: {
                    serviceAccountName: WORKER,
                    automountServiceAccountToken: true,
                    terminationGracePeriodSeconds: inputs.terminationGracePeriodSeconds,
                    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                    nodeSelector: { ...WORKER_NODE_SELECTOR },
                    // Spread across the region's zones: losing one zone loses at most its share of the workers.
                    topologySpreadConstraints: [
                        {
                            maxSkew: 1,
                            topologyKey: "topology.kubernetes.io/zone",
                            whenUnsatisfiable: "ScheduleAnyway",
                            labelSelector: { matchLabels: { ...WORKER_POD_LABELS } },
                        },
                    ],
                    containers: [
                        {
                            name: "worker",
                            image: inputs.image,
                            env: [{ name: "JOB_QUEUE_URL", value: inputs.queueUrl }, { name: "AWS_REGION", value: inputs.region }, ...(db ? [db.env] : [])],
                            resources: {
                                requests: { cpu: `${WORKER_POD.cpuMillicores}m`, memory: `${WORKER_POD.memoryMiB}Mi` },
                                // Memory limit = request (no overcommit: an OOM kill mid-job is worse than a slower node); no CPU limit (no throttling).
                                limits: { memory: `${WORKER_POD.memoryMiB}Mi` },
                            },
                            securityContext: { ...restricted },
                            volumeMounts: [{ name: "scratch", mountPath: SCRATCH_DIR }, ...(db ? [db.volumeMount] : [])],
                        },
                    ],
                    volumes: [{ name: "scratch", emptyDir: { sizeLimit: SCRATCH_LIMIT } }, ...(db ? [db.volume] : [])],
                },
            },
        },
    };
}

/**
 * Voluntary disruptions (node drains, Cluster Autoscaler scale-down) take at most a quarter of the
 * workers at once, the spec's scale-in rate: each evicted worker finishes its job within its grace.
 */
export function workerPodDisruptionBudget(): k8s.types.input.policy.v1.PodDisruptionBudget & Obj {
    return {
        apiVersion: "policy/v1" as const,
        kind: "PodDisruptionBudget" as const,
        metadata: { name: WORKER, namespace: APP_NAMESPACE },
        spec: { maxUnavailable: `${SCALE_IN_RATE.percent}%`, selector: { matchLabels: { ...WORKER_POD_LABELS } } },
    };
}
