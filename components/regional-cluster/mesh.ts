import * as k8s from "@pulumi/kubernetes";
import { selfSignedCertificate } from "../self-signed-certificate";
import { helmRelease, ReleaseContext } from "../helm/release";
import { SYSTEM_REPLICAS } from "./helm";
import {
    authorizationAllows,
    backendDestinationRule,
    backendVirtualService,
    GATEWAY_HEALTH_PORT,
    GATEWAY_HTTPS_PORT,
    GATEWAY_SERVICE_HTTPS_PORT,
    GATEWAY_TLS_SECRET,
    INGRESS_GATEWAY,
    INGRESS_NAMESPACE,
    ingressGateway,
    ISTIO_NAMESPACE,
    ISTIO_REVISION,
    meshDenyAll,
    meshPeerAuthentication,
} from "./manifests";

const PDB = { maxUnavailable: 1 };

/**
 * The oldest TLS version sidecars and gateways accept for mesh mTLS (istiod `meshConfig.meshMTLS`; Istio docs,
 * "Istio Workload Minimum TLS Version Configuration"): TLS 1.3, the spec's version. Every mesh peer is an
 * Envoy of the same release, so nothing in the mesh needs TLS 1.2.
 */
export const MESH_MTLS_MIN_PROTOCOL_VERSION = "TLSV1_3";

/**
 * Istio through its Helm charts, pinned to one revision (spec: "Service Mesh: Istio"): base (CRDs),
 * CNI (so application pods need no NET_ADMIN), istiod and an ingress gateway; then mesh-wide STRICT
 * mTLS, default-deny authorization with explicit allows, and the backend's circuit breaker.
 */
export function installMesh(
    name: string,
    appNamespace: k8s.core.v1.Namespace,
    ctx: ReleaseContext,
    backendRoute?: Parameters<typeof backendVirtualService>[0],
) {
    const opts = { parent: ctx.parent, provider: ctx.provider };
    const istioNs = new k8s.core.v1.Namespace(`${name}-istio-system-ns`, { metadata: { name: ISTIO_NAMESPACE } }, opts);
    const ingressNs = new k8s.core.v1.Namespace(
        `${name}-istio-ingress-ns`,
        {
            metadata: { name: INGRESS_NAMESPACE, labels: { "istio.io/rev": ISTIO_REVISION } },
        },
        opts,
    );

    const base = helmRelease(`${name}-istio-base`, "istioBase", ISTIO_NAMESPACE, { defaultRevision: ISTIO_REVISION }, ctx, {
        releaseName: "istio-base",
        dependsOn: [istioNs],
    });
    const cni = helmRelease(
        `${name}-istio-cni`,
        "istioCni",
        ISTIO_NAMESPACE,
        {
            revision: ISTIO_REVISION,
            // Top-level in chart 1.30 (the chart reads no `cni.` block; test/upstream/charts/cni/1.30.1).
            excludeNamespaces: [ISTIO_NAMESPACE, "kube-system"],
        },
        ctx,
        { releaseName: "istio-cni", dependsOn: [base] },
    );
    const istiod = helmRelease(
        `${name}-istiod`,
        "istiod",
        ISTIO_NAMESPACE,
        {
            revision: ISTIO_REVISION,
            // Top-level in chart 1.30: the istiod chart reads no `pilot.` block (test/upstream/charts/istiod/1.30.1).
            autoscaleMin: SYSTEM_REPLICAS,
            replicaCount: SYSTEM_REPLICAS,
            cni: { enabled: true },
            global: { defaultPodDisruptionBudget: { enabled: true }, priorityClassName: "system-cluster-critical" },
            meshConfig: {
                accessLogFile: "/dev/stdout",
                accessLogEncoding: "JSON",
                meshMTLS: { minProtocolVersion: MESH_MTLS_MIN_PROTOCOL_VERSION },
                enablePrometheusMerge: true,
                // Sidecars finish in-flight requests before the pod stops (HPA scale-in, node drains).
                defaultConfig: { holdApplicationUntilProxyStarts: true, terminationDrainDuration: "30s" },
            },
        },
        ctx,
        { releaseName: `istiod-${ISTIO_REVISION}`, dependsOn: [base, cni] },
    );
    const gateway = helmRelease(
        `${name}-${INGRESS_GATEWAY}`,
        "istioGateway",
        INGRESS_NAMESPACE,
        {
            revision: ISTIO_REVISION,
            labels: { istio: "ingressgateway" },
            // ClusterIP: the Pulumi-owned load balancer reaches the pods by IP through a TargetGroupBinding, on
            // the targetPort. The list replaces the chart's default (80 and 443 to themselves): only HTTPS, on
            // GATEWAY_HTTPS_PORT, which the security groups and the ALLOW policy admit; no plain-HTTP port.
            service: {
                type: "ClusterIP",
                ports: [
                    { name: "status-port", port: GATEWAY_HEALTH_PORT, protocol: "TCP", targetPort: GATEWAY_HEALTH_PORT },
                    { name: "https", port: GATEWAY_SERVICE_HTTPS_PORT, protocol: "TCP", targetPort: GATEWAY_HTTPS_PORT },
                ],
            },
            autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 30, targetCPUUtilizationPercentage: 70 },
            podDisruptionBudget: PDB,
            resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "2Gi" } },
            topologySpreadConstraints: [
                {
                    maxSkew: 1,
                    topologyKey: "topology.kubernetes.io/zone",
                    whenUnsatisfiable: "DoNotSchedule",
                    labelSelector: { matchLabels: { istio: "ingressgateway" } },
                },
            ],
        },
        ctx,
        { releaseName: INGRESS_GATEWAY, dependsOn: [istiod, ingressNs] },
    );

    // The certificate the gateway's HTTPS server presents to the NLB (ingressGateway's credentialName).
    const gatewayCertificate = selfSignedCertificate(
        `${name}-gateway-tls`,
        {
            namespace: INGRESS_NAMESPACE,
            secretName: GATEWAY_TLS_SECRET,
            dnsNames: [`${INGRESS_GATEWAY}.${INGRESS_NAMESPACE}.svc`, `${INGRESS_GATEWAY}.${INGRESS_NAMESPACE}.svc.cluster.local`],
            dependsOn: [ingressNs],
        },
        opts,
    );

    const crOpts = (deps: k8s.helm.v3.Release[]) => ({ ...opts, dependsOn: [...deps, appNamespace, ingressNs] });
    const peerAuthentication = new k8s.apiextensions.CustomResource(`${name}-mtls-strict`, meshPeerAuthentication(), crOpts([istiod]));
    const denyAll = new k8s.apiextensions.CustomResource(`${name}-deny-all`, meshDenyAll(), crOpts([istiod]));
    const allows = authorizationAllows().map(
        (p) => new k8s.apiextensions.CustomResource(`${name}-${(p.metadata as { name: string }).name}`, p, crOpts([istiod])),
    );
    const destinationRule = new k8s.apiextensions.CustomResource(`${name}-backend-circuit-breaker`, backendDestinationRule(), crOpts([istiod]));
    const gatewayObject = new k8s.apiextensions.CustomResource(`${name}-gateway`, ingressGateway(), crOpts([gateway]));
    const virtualService = new k8s.apiextensions.CustomResource(`${name}-backend-route`, backendVirtualService(backendRoute), crOpts([istiod]));
    return {
        base,
        cni,
        istiod,
        gateway,
        gatewayCertificate,
        ingressNamespace: ingressNs,
        peerAuthentication,
        denyAll,
        allows,
        destinationRule,
        gatewayObject,
        virtualService,
    };
}
