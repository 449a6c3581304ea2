import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { backendAnalysisTemplate } from "./analysis";
import { helmRelease, ReleaseContext } from "../helm/release";
import { SYSTEM_REPLICAS } from "./helm";
import { ARGO_ROLLOUTS_NAMESPACE, backendDestinationRule } from "./manifests";
import type { DatabaseLoginPod } from "../sharded-database/clients";
import { CHARTS } from "../helm/charts";
import { PROMETHEUS_CA_CONFIGMAP, PROMETHEUS_CA_DIR } from "../observability/prometheus-tls";
import { BACKEND_CANARY_SERVICE, BACKEND_PREVIEW_SERVICE, backendRollout, backendServices, DeliveryStrategy } from "./rollout";

export { ARGO_ROLLOUTS_NAMESPACE };

/** The controller's Deployment: the release is named after the chart, so the chart's fullname is the release name. */
export const ARGO_ROLLOUTS_DEPLOYMENT = CHARTS.argoRollouts.chart;
/**
 * The analyses' Prometheus provider has an address but no CA setting (PrometheusMetric in
 * pkg/apis/rollouts/v1alpha1/analysis_types.go, v1.9.0: address, query, authentication, timeout, insecure,
 * headers, rangeQuery), and dials with Go's system roots. Go's crypto/x509 reads SSL_CERT_DIR as a
 * colon-separated list of directories on Linux (root_unix.go, golang/go#35325), and still reads the system
 * bundle file, so the controller trusts the public roots and Prometheus's CA, mounted from the issuer's ConfigMap.
 */
export const ARGO_ROLLOUTS_SSL_CERT_DIR = `/etc/ssl/certs:${PROMETHEUS_CA_DIR}`;

/**
 * Production values of the Argo Rollouts chart (test/upstream/charts/argo-rollouts/2.41.0/values.yaml):
 * two controllers with leader election and a budget, so a node drain never stops a rollout halfway;
 * RBAC for the Istio traffic router only (the chart grants every provider's by default); the metrics
 * Service on for scraping; no dashboard (it has no authentication of its own).
 */
export function argoRolloutsValues(): Record<string, unknown> {
    return {
        installCRDs: true,
        // Deleting the release must not delete every Rollout with its CRD.
        keepCRDs: true,
        controller: {
            replicas: SYSTEM_REPLICAS,
            pdb: { enabled: true, maxUnavailable: 1 },
            priorityClassName: "system-cluster-critical",
            resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
            topologySpreadConstraints: [
                {
                    maxSkew: 1,
                    topologyKey: "topology.kubernetes.io/zone",
                    whenUnsatisfiable: "ScheduleAnyway",
                    labelSelector: { matchLabels: { "app.kubernetes.io/component": "rollouts-controller" } },
                },
            ],
            metrics: { enabled: true },
            extraEnv: [{ name: "SSL_CERT_DIR", value: ARGO_ROLLOUTS_SSL_CERT_DIR }],
            volumes: [{ name: "prometheus-web-ca", configMap: { name: PROMETHEUS_CA_CONFIGMAP, items: [{ key: "ca.crt", path: "ca.crt" }] } }],
            volumeMounts: [{ name: "prometheus-web-ca", mountPath: PROMETHEUS_CA_DIR, readOnly: true }],
        },
        providerRBAC: {
            enabled: true,
            providers: {
                istio: true,
                smi: false,
                ambassador: false,
                awsLoadBalancerController: false,
                awsAppMesh: false,
                traefik: false,
                apisix: false,
                contour: false,
                glooPlatform: false,
                gatewayAPI: false,
            },
        },
        dashboard: { enabled: false },
    };
}

export interface DeliveryArgs {
    appNamespace: k8s.core.v1.Namespace;
    /** istiod: the DestinationRules need its CRDs; the VirtualService the Rollout re-weights (mesh.ts). */
    istiod: k8s.helm.v3.Release;
    virtualService: pulumi.Resource;
    image: pulumi.Input<string>;
    strategy: DeliveryStrategy;
    /** PgBouncer's login for the backend (rollout.ts `databaseLogin`). */
    databaseLogin?: DatabaseLoginPod;
}

/**
 * Progressive delivery of the backend: the Argo Rollouts controller, the backend's Services, the
 * circuit breaker on its second Service, the AnalysisTemplate and the Rollout.
 */
export function installDelivery(name: string, args: DeliveryArgs, ctx: ReleaseContext) {
    const opts = { parent: ctx.parent, provider: ctx.provider };
    const namespace = new k8s.core.v1.Namespace(`${name}-argo-rollouts-ns`, { metadata: { name: ARGO_ROLLOUTS_NAMESPACE } }, opts);
    const controller = helmRelease(`${name}-argo-rollouts`, "argoRollouts", ARGO_ROLLOUTS_NAMESPACE, argoRolloutsValues(), ctx, { dependsOn: [namespace] });

    const services = backendServices(args.strategy).map(
        (s) =>
            new k8s.core.v1.Service(`${name}-${(s.metadata as { name: string }).name}-svc`, s as k8s.core.v1.ServiceArgs, {
                ...opts,
                dependsOn: [args.appNamespace],
            }),
    );
    const second = args.strategy === "canary" ? BACKEND_CANARY_SERVICE : BACKEND_PREVIEW_SERVICE;
    const secondRule = new k8s.apiextensions.CustomResource(
        `${name}-backend-circuit-breaker-${args.strategy === "canary" ? "canary" : "preview"}`,
        backendDestinationRule(second),
        { ...opts, dependsOn: [args.istiod, args.appNamespace] },
    );
    const analysis = new k8s.apiextensions.CustomResource(`${name}-backend-analysis`, backendAnalysisTemplate(), {
        ...opts,
        dependsOn: [controller, args.appNamespace],
    });
    const rollout = new k8s.apiextensions.CustomResource(
        `${name}-backend-rollout`,
        backendRollout({ image: args.image, strategy: args.strategy, databaseLogin: args.databaseLogin }),
        {
            ...opts,
            dependsOn: [controller, analysis, ...services, secondRule, args.virtualService],
        },
    );
    return { namespace, controller, services, analysis, rollout };
}
