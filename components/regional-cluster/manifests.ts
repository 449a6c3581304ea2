/**
 * The Kubernetes objects RegionalCluster writes itself, as plain objects. Pure functions, so a test
 * can validate each against the upstream schema (kubernetes-models) and compare it with what the plan
 * registered.
 */

/** Namespace of the BookedBarber application (the spec's FastAPI backend). */
export const APP_NAMESPACE = "bookedbarber";
/** The backend workload, an Argo Rollout (rollout.ts), that the HPA and VPA target (spec: "Application Scaling Configuration"). */
export const BACKEND = "bookedbarber-backend";
/** Port the backend's Service exposes inside the mesh. */
export const BACKEND_PORT = 8000;
/**
 * Path the application answers 200 on only when it can serve (spec, Recovery Procedures: `curl -f
 * https://us-east-1.api.bookedbarber.com/health`): the Route 53 health checks request it through the
 * ingress (EdgeNetwork's default, stack config `healthCheckPath`) and the backend's probes ask the pod.
 */
export const APP_HEALTH_PATH = "/health";
/** Namespace of the Argo Rollouts controller (the project's documented install namespace). */
export const ARGO_ROLLOUTS_NAMESPACE = "argo-rollouts";
export const ISTIO_NAMESPACE = "istio-system";
/** The Istio control-plane revision everything is pinned to (revision-based canary upgrades: install the next one beside it). */
export const ISTIO_REVISION = "1-30";
export const INGRESS_NAMESPACE = "istio-ingress";
/** Release name of the Istio ingress gateway; the chart names its Service and ServiceAccount after it. */
export const INGRESS_GATEWAY = "istio-ingressgateway";
/**
 * Container port of the gateway's HTTPS listener (mesh.ts maps the Service's port 443 to it): the ingress NLB
 * re-encrypts to it through a TLS target group (docs/encryption-in-transit.md).
 */
export const GATEWAY_HTTPS_PORT = 8443;
/** Service port of the gateway's HTTPS listener, which the Gateway server and the TargetGroupBinding name. */
export const GATEWAY_SERVICE_HTTPS_PORT = 443;
/** The `kubernetes.io/tls` Secret the gateway's HTTPS server presents (credentialName), issued in-cluster (self-signed-certificate.ts). */
export const GATEWAY_TLS_SECRET = "ingress-gateway-tls";
export const GATEWAY_HEALTH_PORT = 15021;

import type * as k8s from "@pulumi/kubernetes";
import { SCALING_TRIGGERS, TriggerMetric, windowSeconds } from "../scaling-triggers";

/**
 * What the HPA and VPA scale: the backend Rollout. Argo Rollouts implement the `scale` subresource
 * (the Rollout CRD declares `subresources.scale` with specReplicasPath `.spec.replicas`; Argo Rollouts
 * docs, "HorizontalPodAutoscaler"), so an HPA targets the Rollout itself, never its ReplicaSets.
 */
export const BACKEND_SCALE_TARGET = { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: BACKEND } as const;

type Obj = Record<string, unknown> & { apiVersion: string; kind: string };

export interface HpaSpec {
    minReplicas: number;
    maxReplicas: number;
    cpuUtilization: number;
    memoryUtilization: number;
    requestsPerSecond: number;
}

/** Custom (pods) metric prometheus-adapter serves: the backend's p95 request duration per pod, in ms (adapter-rules.ts). */
export const LATENCY_P95_METRIC = "request_duration_p95_milliseconds";
/** Custom metric of the backend's stable Service prometheus-adapter serves: 1 while any of the spec's scale-in conditions fails, else 0 (adapter-rules.ts). */
export const SCALE_IN_HOLD_METRIC = "backend_scale_in_hold";

/** Spec "Application Scaling Configuration" and "Scaling Thresholds" (the CPU and memory targets are the scale-out triggers). */
export const SPEC_HPA: HpaSpec = {
    minReplicas: 50,
    maxReplicas: 1000,
    cpuUtilization: SCALING_TRIGGERS.cpu.out.above,
    memoryUtilization: SCALING_TRIGGERS.memory.out.above,
    requestsPerSecond: 100,
};

/** Spec "Scaling Limits": scale out by at most +50% every 5 minutes, in by at most -25% every 10 minutes. */
export const SCALE_OUT_RATE = { percent: 50, periodSeconds: 300 };
export const SCALE_IN_RATE = { percent: 25, periodSeconds: 600 };

/** The one window per direction an HPA has: every trigger of a direction must share it (scaling-triggers.ts makes them equal). */
function sharedWindow(direction: "out" | "in", metrics: TriggerMetric[]): number {
    const minutes = [...new Set(metrics.map((m) => SCALING_TRIGGERS[m][direction].forMinutes))];
    if (minutes.length !== 1)
        throw new Error(
            `scale-${direction} windows of ${metrics.join(", ")} differ (${minutes.join(", ")} min): an HPA has one stabilisation window per direction`,
        );
    return windowSeconds(minutes[0]);
}

/**
 * The backend HPA: 50-1000 replicas, out on CPU 70%, memory 80%, p95 latency 200 ms and 100
 * requests_per_second per pod; in only below the spec's lower thresholds for 10 minutes.
 *
 * How the objects express the spec's hysteresis:
 * - Out: each metric is target-tracked at its scale-out threshold, so it proposes more pods only above
 *   it (plus the controller's 10% tolerance: CPU scales out from 77%, the cluster default the HPA
 *   cannot lower before the HPAConfigurableTolerance feature). `scaleUp.stabilizationWindowSeconds`
 *   120 makes the HPA act on the lowest proposal of the last 2 minutes: only a rise that held 2 minutes
 *   ("CPU >70% for 2 minutes") adds pods, by at most +50% per 5 minutes.
 * - In: target tracking alone would scale in as soon as usage sat under the target (CPU 60% < 70%).
 *   The Object metric backend_scale_in_hold (of the backend's stable Service) is 1 while CPU >= 30%, memory >= 50% or p95 >= 50 ms,
 *   tracked at a target of 1: at 1 it proposes the current count, and the HPA takes the largest
 *   proposal of its metrics, so nothing scales in. Only when all three are under the spec's lower
 *   thresholds may the other metrics' lower proposals win. `scaleDown.stabilizationWindowSeconds` 600
 *   makes the HPA act on the highest proposal of the last 10 minutes: one minute of the gate at 1 in
 *   that span keeps every pod ("CPU <30% for 10 minutes"). Then at most -25% per 10 minutes.
 * - Where it is not exact: requests_per_second (not a spec scale-in trigger) also proposes the current
 *   count while it is within 10% of its target, so a backend at 90+ rps per pod keeps its pods even
 *   with CPU under 30%; and the gate's conditions are ANDed (all low), the spec's list is read that way.
 */
export function backendHpa(spec: HpaSpec = SPEC_HPA): k8s.types.input.autoscaling.v2.HorizontalPodAutoscaler & Obj {
    const triggers: TriggerMetric[] = ["cpu", "memory", "latencyP95"];
    return {
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name: `${BACKEND}-hpa`, namespace: APP_NAMESPACE },
        spec: {
            scaleTargetRef: { ...BACKEND_SCALE_TARGET },
            minReplicas: spec.minReplicas,
            maxReplicas: spec.maxReplicas,
            metrics: [
                { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: spec.cpuUtilization } } },
                { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: spec.memoryUtilization } } },
                {
                    type: "Pods",
                    pods: { metric: { name: "requests_per_second" }, target: { type: "AverageValue", averageValue: String(spec.requestsPerSecond) } },
                },
                {
                    type: "Pods",
                    pods: {
                        metric: { name: LATENCY_P95_METRIC },
                        target: { type: "AverageValue", averageValue: String(SCALING_TRIGGERS.latencyP95.out.above) },
                    },
                },
                {
                    type: "Object",
                    object: {
                        describedObject: { apiVersion: "v1", kind: "Service", name: BACKEND },
                        metric: { name: SCALE_IN_HOLD_METRIC },
                        target: { type: "Value", value: "1" },
                    },
                },
            ],
            behavior: {
                scaleUp: {
                    stabilizationWindowSeconds: sharedWindow("out", triggers),
                    selectPolicy: "Max",
                    policies: [{ type: "Percent", value: SCALE_OUT_RATE.percent, periodSeconds: SCALE_OUT_RATE.periodSeconds }],
                },
                scaleDown: {
                    stabilizationWindowSeconds: sharedWindow("in", triggers),
                    selectPolicy: "Max",
                    policies: [{ type: "Percent", value: SCALE_IN_RATE.percent, periodSeconds: SCALE_IN_RATE.periodSeconds }],
                },
            },
        },
    };
}

/**
 * VPA for the backend in recommendation mode ("Off"): the HPA scales it on CPU and memory, so a VPA
 * that also changed its requests would move the HPA's target under it. Recommendations feed right-sizing.
 */
export function backendVpa(): Obj {
    return {
        apiVersion: "autoscaling.k8s.io/v1",
        kind: "VerticalPodAutoscaler",
        metadata: { name: `${BACKEND}-vpa`, namespace: APP_NAMESPACE },
        spec: {
            targetRef: { ...BACKEND_SCALE_TARGET },
            updatePolicy: { updateMode: "Off" },
            resourcePolicy: { containerPolicies: [{ containerName: "*", controlledResources: ["cpu", "memory"] }] },
        },
    };
}

/** Mesh-wide STRICT mTLS (spec: "mTLS: All inter-service communications encrypted"): in the root namespace it applies everywhere. */
export function meshPeerAuthentication(): Obj {
    return {
        apiVersion: "security.istio.io/v1",
        kind: "PeerAuthentication",
        metadata: { name: "default", namespace: ISTIO_NAMESPACE },
        spec: { mtls: { mode: "STRICT" } },
    };
}

/**
 * The spec's circuit breaker for the backend. Connection pool: each of the (up to 1000) backend pods
 * is sized for 100 requests per second (the HPA target), so a caller's sidecar may hold 100 pending
 * requests and 1000 in flight across the service before it sheds load. Outlier detection ejects a pod
 * after 5 consecutive 5xx for 30 s, never more than half the pool.
 */
export function backendDestinationRule(service: string = BACKEND): Obj {
    return {
        apiVersion: "networking.istio.io/v1",
        kind: "DestinationRule",
        metadata: { name: service, namespace: APP_NAMESPACE },
        spec: {
            host: `${service}.${APP_NAMESPACE}.svc.cluster.local`,
            trafficPolicy: {
                tls: { mode: "ISTIO_MUTUAL" },
                connectionPool: {
                    tcp: { maxConnections: 1000, connectTimeout: "2s" },
                    http: { http1MaxPendingRequests: 100, http2MaxRequests: 1000, maxRequestsPerConnection: 100, maxRetries: 3, idleTimeout: "60s" },
                },
                outlierDetection: { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 50 },
            },
        },
    };
}

/** Default deny: an ALLOW policy with no rules in the root namespace matches nothing, so every request needs an explicit allow. */
export function meshDenyAll(): Obj {
    return {
        apiVersion: "security.istio.io/v1",
        kind: "AuthorizationPolicy",
        metadata: { name: "deny-all", namespace: ISTIO_NAMESPACE },
        spec: {},
    };
}

/** The explicit allows: the load balancer may reach the gateway's HTTPS port; only the gateway's identity may call the backend. */
export function authorizationAllows(): Obj[] {
    return [
        {
            apiVersion: "security.istio.io/v1",
            kind: "AuthorizationPolicy",
            metadata: { name: "allow-load-balancer-to-gateway", namespace: INGRESS_NAMESPACE },
            spec: {
                selector: { matchLabels: { istio: "ingressgateway" } },
                action: "ALLOW",
                rules: [{ to: [{ operation: { ports: [String(GATEWAY_HTTPS_PORT)] } }] }],
            },
        },
        {
            apiVersion: "security.istio.io/v1",
            kind: "AuthorizationPolicy",
            metadata: { name: "allow-gateway-to-backend", namespace: APP_NAMESPACE },
            spec: {
                selector: { matchLabels: { app: BACKEND } },
                action: "ALLOW",
                rules: [
                    {
                        from: [{ source: { principals: [`cluster.local/ns/${INGRESS_NAMESPACE}/sa/${INGRESS_GATEWAY}`] } }],
                        to: [{ operation: { ports: [String(BACKEND_PORT)], methods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] } }],
                    },
                ],
            },
        },
    ];
}

/**
 * The gateway's one server: HTTPS behind the load balancer, which terminates the clients' TLS 1.3 and
 * re-encrypts to this server (spec: "TLS 1.3 for all communications"; docs/encryption-in-transit.md).
 */
export function ingressGateway(): Obj {
    return {
        apiVersion: "networking.istio.io/v1",
        kind: "Gateway",
        metadata: { name: "bookedbarber", namespace: INGRESS_NAMESPACE },
        spec: {
            selector: { istio: "ingressgateway" },
            servers: [
                {
                    port: { number: GATEWAY_SERVICE_HTTPS_PORT, name: "https", protocol: "HTTPS" },
                    hosts: ["*"],
                    // The NLB does not validate its targets' certificates, so an in-cluster self-signed one serves;
                    // TLS 1.2 stays allowed because the NLB's side of the target connection is not documented as 1.3.
                    tls: { mode: "SIMPLE", credentialName: GATEWAY_TLS_SECRET, minProtocolVersion: "TLSV1_2" },
                },
            ],
        },
    };
}

/**
 * Routes everything the gateway receives to the backend; the application owns finer routing. The
 * named route's destinations are the release strategy's (rollout.ts routeDestinations): stable and
 * canary hosts whose weights Argo Rollouts sets during a canary, or the active Service alone.
 */
export function backendVirtualService(
    route: { name: string; destinations: Record<string, unknown>[] } = {
        name: "primary",
        destinations: [{ destination: { host: `${BACKEND}.${APP_NAMESPACE}.svc.cluster.local`, port: { number: BACKEND_PORT } } }],
    },
): Obj {
    return {
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: { name: BACKEND, namespace: APP_NAMESPACE },
        spec: {
            hosts: ["*"],
            gateways: [`${INGRESS_NAMESPACE}/bookedbarber`],
            http: [
                {
                    name: route.name,
                    route: route.destinations,
                    timeout: "30s",
                    retries: { attempts: 2, perTryTimeout: "10s", retryOn: "connect-failure,refused-stream,unavailable,reset" },
                },
            ],
        },
    };
}

/**
 * Binds the gateway's pods (by IP) to the target group Pulumi owns, so the load balancer stays a
 * Pulumi resource whose DNS name the global stack can read. Security group rules are Pulumi's too,
 * so the controller is not asked to manage them (no `networking`).
 */
export function gatewayTargetGroupBinding<Arn = string>(targetGroupArn: Arn): Obj {
    return {
        apiVersion: "elbv2.k8s.aws/v1beta1",
        kind: "TargetGroupBinding",
        metadata: { name: INGRESS_GATEWAY, namespace: INGRESS_NAMESPACE },
        spec: {
            serviceRef: { name: INGRESS_GATEWAY, port: GATEWAY_SERVICE_HTTPS_PORT },
            targetGroupARN: targetGroupArn,
            targetType: "ip",
        },
    };
}

/** Kubernetes groups that access entries map IAM roles into (RBAC subjects). */
export const READONLY_GROUP = "bookedbarber:readonly";
export const DEPLOYER_GROUP = "bookedbarber:deployers";

/** Read-only across the cluster: the built-in `view` role (no Secrets). */
export function readonlyBinding(): k8s.types.input.rbac.v1.ClusterRoleBinding & Obj {
    return {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: "bookedbarber-readonly-view" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: READONLY_GROUP }],
    };
}

/** Deployers change workloads in the application namespace only: the built-in `edit` role, bound there. */
export function deployerBinding(): k8s.types.input.rbac.v1.RoleBinding & Obj {
    return {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: "bookedbarber-deployers-edit", namespace: APP_NAMESPACE },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: DEPLOYER_GROUP }],
    };
}
