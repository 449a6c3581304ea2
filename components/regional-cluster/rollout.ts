/**
 * The backend workload (spec: "Application Scaling Configuration") as an Argo Rollouts `Rollout`, and
 * the Services the mesh routes to. Pure functions of their inputs, like manifests.ts, so a test can
 * validate each object against the upstream schema and compare it with what the plan registered.
 *
 * Progressive delivery (spec: CI/CD, "10% canary, blue-green deployments"; docs/delivery.md):
 * - canary (default): Istio host-level traffic splitting between the stable Service (BACKEND, the one
 *   the ingress VirtualService has always named) and a canary Service; 10% -> 25% -> 50% -> 100%,
 *   each weight held until the Prometheus analysis (analysis.ts) passes. A failed analysis aborts the
 *   rollout: Argo Rollouts sets the canary weight back to 0 and scales the canary down.
 * - blue-green (per app, `backendDeliveryStrategy: blueGreen`): the active Service is BACKEND, the
 *   preview Service serves the new ReplicaSet; promotion waits for the pre-promotion analysis of the
 *   preview, and a failed post-promotion analysis switches the active Service back.
 */
import type * as pulumi from "@pulumi/pulumi";
import { restricted } from "../sharded-database/pod-common";
import type { DatabaseLoginPod } from "../sharded-database/clients";
import { ANALYSIS_SERVICE_ARG, BACKEND_ANALYSIS } from "./analysis";
import { APP_HEALTH_PATH, APP_NAMESPACE, BACKEND, BACKEND_PORT } from "./manifests";
import { NODE_GROUP_SCHEDULING } from "./node-groups";

type Obj = Record<string, unknown> & { apiVersion: string; kind: string };

export const ROLLOUT_API_VERSION = "argoproj.io/v1alpha1";

/**
 * Labels of the backend's pods, and the selector of its Rollout and Services. `app` is what Istio reads
 * for the canonical service (and what the gateway-to-backend AuthorizationPolicy selects on);
 * `app.kubernetes.io/name` is the recommended label other policies (NetworkPolicies, admission) select on.
 */
export const BACKEND_POD_LABELS: Readonly<Record<string, string>> = { app: BACKEND, "app.kubernetes.io/name": BACKEND };

/** Delivery strategies a backend may use: canary is the default, blue-green the per-app option. */
export const DELIVERY_STRATEGIES = ["canary", "blueGreen"] as const;
export type DeliveryStrategy = (typeof DELIVERY_STRATEGIES)[number];

/** The canary's traffic weights in percent (issue 13: 10, 25, 50, 100); each below 100 is followed by an analysis. */
export const CANARY_WEIGHTS: readonly number[] = [10, 25, 50, 100];

/** The second Service of each strategy: the canary's, or blue-green's preview. The stable/active Service is BACKEND. */
export const BACKEND_CANARY_SERVICE = `${BACKEND}-canary`;
export const BACKEND_PREVIEW_SERVICE = `${BACKEND}-preview`;
/** Name of the ingress VirtualService's HTTP route that Argo Rollouts re-weights. */
export const BACKEND_ROUTE = "primary";

/**
 * Requests of the backend container. One home: the capacity model (tools/offline/capacity/workload.ts)
 * sizes nodes and HPA ceilings from these, and its CPU cost per request (3.5 ms) puts 100 rps at 70%
 * of the 500m request, where the HPA's CPU and rps targets bind together.
 */
export const BACKEND_REQUESTS = { cpuMillis: 500, memoryMiB: 512 } as const;

/**
 * Seconds Argo Rollouts waits before scaling down the old ReplicaSet after a switch or an abort: the
 * sidecar drains in-flight requests for 30 s (istiod's terminationDrainDuration) and Envoy's route
 * updates reach every proxy in a few seconds, so 30 s keeps no request on a pod going away.
 */
export const SCALE_DOWN_DELAY_SECONDS = 30;
/** A rollout that makes no progress for 10 minutes (pods never Ready) is aborted, not left half-done. */
export const PROGRESS_DEADLINE_SECONDS = 600;
/** Pod grace period: longer than the sidecar's 30 s drain so the app is not killed mid-request. */
const TERMINATION_GRACE_SECONDS = 45;

const svcHost = (service: string) => `${service}.${APP_NAMESPACE}.svc.cluster.local`;

/** A ClusterIP Service in front of the backend's pods; Argo Rollouts adds the ReplicaSet's hash to its selector. */
export function backendService(name: string): Obj {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name, namespace: APP_NAMESPACE, labels: { ...BACKEND_POD_LABELS } },
        spec: {
            type: "ClusterIP",
            selector: { ...BACKEND_POD_LABELS },
            // `http` names the protocol for Istio (port naming), so the sidecar treats it as HTTP, not TCP.
            ports: [{ name: "http", port: BACKEND_PORT, targetPort: "http", protocol: "TCP", appProtocol: "http" }],
        },
    };
}

/** The Services the strategy needs: stable + canary, or active + preview. */
export function backendServices(strategy: DeliveryStrategy): Obj[] {
    return [backendService(BACKEND), backendService(strategy === "canary" ? BACKEND_CANARY_SERVICE : BACKEND_PREVIEW_SERVICE)];
}

const analysisOf = (service: string) => ({ templates: [{ templateName: BACKEND_ANALYSIS }], args: [{ name: ANALYSIS_SERVICE_ARG, value: service }] });

/** The canary steps: setWeight for each CANARY_WEIGHTS entry, an analysis after each but the last. */
export function canarySteps(weights: readonly number[] = CANARY_WEIGHTS): Record<string, unknown>[] {
    return weights.flatMap((w, i) => (i < weights.length - 1 ? [{ setWeight: w }, { analysis: analysisOf(BACKEND_CANARY_SERVICE) }] : [{ setWeight: w }]));
}

function strategyOf(strategy: DeliveryStrategy): Record<string, unknown> {
    if (strategy === "blueGreen") {
        return {
            blueGreen: {
                activeService: BACKEND,
                previewService: BACKEND_PREVIEW_SERVICE,
                // Promotion still waits for the pre-promotion analysis: "auto" only removes the manual step.
                autoPromotionEnabled: true,
                prePromotionAnalysis: analysisOf(BACKEND_PREVIEW_SERVICE),
                postPromotionAnalysis: analysisOf(BACKEND),
                scaleDownDelaySeconds: SCALE_DOWN_DELAY_SECONDS,
                abortScaleDownDelaySeconds: SCALE_DOWN_DELAY_SECONDS,
            },
        };
    }
    return {
        canary: {
            stableService: BACKEND,
            canaryService: BACKEND_CANARY_SERVICE,
            trafficRouting: { istio: { virtualService: { name: BACKEND, routes: [BACKEND_ROUTE] } } },
            steps: canarySteps(),
            abortScaleDownDelaySeconds: SCALE_DOWN_DELAY_SECONDS,
        },
    };
}

export interface BackendRolloutArgs {
    /** Digest-pinned image reference (components/app-images.ts appImageReference). */
    image: pulumi.Input<string>;
    strategy: DeliveryStrategy;
    /** PgBouncer's login as files on a CSI mount, and the pools' addresses in env (components/sharded-database/clients.ts). */
    databaseLogin?: DatabaseLoginPod;
}

/**
 * The backend Rollout. No `replicas`: the HPA owns the count (Rollouts implement the scale
 * subresource, so the HPA targets the Rollout itself), and a replicas field here would reset it on
 * every `pulumi up`.
 */
export function backendRollout(args: BackendRolloutArgs): Obj {
    const compute = NODE_GROUP_SCHEDULING.compute;
    const db = args.databaseLogin;
    const probe = (periodSeconds: number, failureThreshold: number) => ({
        httpGet: { path: APP_HEALTH_PATH, port: "http" },
        periodSeconds,
        failureThreshold,
        timeoutSeconds: 2,
    });
    return {
        apiVersion: ROLLOUT_API_VERSION,
        kind: "Rollout",
        metadata: { name: BACKEND, namespace: APP_NAMESPACE, labels: { ...BACKEND_POD_LABELS } },
        spec: {
            selector: { matchLabels: { ...BACKEND_POD_LABELS } },
            revisionHistoryLimit: 10,
            progressDeadlineSeconds: PROGRESS_DEADLINE_SECONDS,
            progressDeadlineAbort: true,
            strategy: strategyOf(args.strategy),
            template: {
                metadata: { labels: { ...BACKEND_POD_LABELS } },
                spec: {
                    serviceAccountName: BACKEND,
                    // Pod Identity mounts its own projected token; the Kubernetes API token is not needed.
                    automountServiceAccountToken: false,
                    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                    terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
                    // The spec's compute-optimized group (the capacity model sizes it for the backend).
                    nodeSelector: { "bookedbarber.com/workload-class": compute.labels["bookedbarber.com/workload-class"] },
                    tolerations: compute.taints.map((t) => ({ key: t.key, operator: "Equal", value: t.value, effect: "NoSchedule" })),
                    topologySpreadConstraints: [
                        {
                            maxSkew: 1,
                            topologyKey: "topology.kubernetes.io/zone",
                            whenUnsatisfiable: "DoNotSchedule",
                            labelSelector: { matchLabels: { ...BACKEND_POD_LABELS } },
                            matchLabelKeys: ["rollouts-pod-template-hash"],
                        },
                        {
                            maxSkew: 1,
                            topologyKey: "kubernetes.io/hostname",
                            whenUnsatisfiable: "ScheduleAnyway",
                            labelSelector: { matchLabels: { ...BACKEND_POD_LABELS } },
                            matchLabelKeys: ["rollouts-pod-template-hash"],
                        },
                    ],
                    containers: [
                        {
                            name: "backend",
                            image: args.image,
                            ports: [{ name: "http", containerPort: BACKEND_PORT, protocol: "TCP" }],
                            readinessProbe: probe(5, 3),
                            livenessProbe: { ...probe(10, 6), initialDelaySeconds: 10 },
                            resources: {
                                requests: { cpu: `${BACKEND_REQUESTS.cpuMillis}m`, memory: `${BACKEND_REQUESTS.memoryMiB}Mi` },
                                // Memory limit = request (no overcommit, no OOM surprise); no CPU limit, so bursts are not throttled.
                                limits: { memory: `${BACKEND_REQUESTS.memoryMiB}Mi` },
                            },
                            securityContext: { ...restricted },
                            ...(db ? { env: [db.env] } : {}),
                            // The root filesystem is read-only (restricted): Python and the app write temporary files here.
                            volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, ...(db ? [db.volumeMount] : [])],
                        },
                    ],
                    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }, ...(db ? [db.volume] : [])],
                },
            },
        },
    };
}

/** The stable and canary hosts of the ingress route (canary only; blue-green routes to the active Service). */
export function routeDestinations(strategy: DeliveryStrategy): Record<string, unknown>[] {
    const dest = (service: string, weight: number) => ({ destination: { host: svcHost(service), port: { number: BACKEND_PORT } }, weight });
    return strategy === "canary"
        ? [dest(BACKEND, 100), dest(BACKEND_CANARY_SERVICE, 0)]
        : [{ destination: { host: svcHost(BACKEND), port: { number: BACKEND_PORT } } }];
}
