import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * Pinned Helm charts. Versions are pinned so a deploy is repeatable; bump them deliberately, checking
 * each project's compatibility table against the cluster's Kubernetes minor.
 */
export const CHARTS = {
    metricsServer: { chart: "metrics-server", version: "3.13.0", repo: "https://kubernetes-sigs.github.io/metrics-server/" },
    clusterAutoscaler: { chart: "cluster-autoscaler", version: "9.56.0", repo: "https://kubernetes.github.io/autoscaler" },
    prometheusAdapter: { chart: "prometheus-adapter", version: "5.3.0", repo: "https://prometheus-community.github.io/helm-charts" },
    // The kubernetes/autoscaler VPA chart says it is not ready for production; this one is the widely used packaging.
    verticalPodAutoscaler: { chart: "vertical-pod-autoscaler", version: "11.1.1", repo: "https://cowboysysop.github.io/charts" },
    istioBase: { chart: "base", version: "1.30.1", repo: "https://istio-release.storage.googleapis.com/charts" },
    istioCni: { chart: "cni", version: "1.30.1", repo: "https://istio-release.storage.googleapis.com/charts" },
    istiod: { chart: "istiod", version: "1.30.1", repo: "https://istio-release.storage.googleapis.com/charts" },
    istioGateway: { chart: "gateway", version: "1.30.1", repo: "https://istio-release.storage.googleapis.com/charts" },
    // Event-driven autoscaling (the worker scales on the job queue's depth); kubeVersion >=1.23.
    keda: { chart: "keda", version: "2.20.2", repo: "https://kedacore.github.io/charts" },
    awsLoadBalancerController: { chart: "aws-load-balancer-controller", version: "1.14.0", repo: "https://aws.github.io/eks-charts" },
    // Progressive delivery of the backend (rollout.ts); controller v1.9.0, the newest chart (test/upstream/charts/argo-rollouts).
    argoRollouts: { chart: "argo-rollouts", version: "2.41.0", repo: "https://argoproj.github.io/argo-helm" },
} as const;
export type ChartName = keyof typeof CHARTS;

/**
 * The Cluster Autoscaler is built per Kubernetes minor and should run the release for the control
 * plane's minor (kubernetes/autoscaler README, "Releases"), so its chart is pinned per minor: the
 * newest chart whose appVersion has that minor (test/upstream/charts/cluster-autoscaler/published.json).
 * CHARTS.clusterAutoscaler is the default minor's entry.
 */
export const CLUSTER_AUTOSCALER_CHART_BY_MINOR: Readonly<Record<string, string>> = {
    "1.34": "9.53.0", // Cluster Autoscaler 1.34.2
    "1.35": CHARTS.clusterAutoscaler.version, // Cluster Autoscaler 1.35.0
};

/** Pod disruption budget and replica count every system add-on gets, so a node drain never takes one down. */
export const SYSTEM_REPLICAS = 2;

export interface ReleaseContext {
    parent: pulumi.Resource;
    provider: k8s.Provider;
    /** What must exist before any release: nodes to schedule on. */
    dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * A Helm v3 Release (not a v4 Chart): its chart, version and values are inputs of one resource the
 * plan can show, and Helm's rollback applies when an upgrade fails (`atomic`).
 */
export function release(
    name: string,
    chart: ChartName,
    namespace: pulumi.Input<string>,
    values: pulumi.Input<Record<string, unknown>>,
    ctx: ReleaseContext,
    opts: { releaseName?: string; dependsOn?: pulumi.Input<pulumi.Resource>[]; version?: string } = {},
): k8s.helm.v3.Release {
    const c = CHARTS[chart];
    return new k8s.helm.v3.Release(name, {
        // The release name prefixes what the chart creates (Services, ServiceAccounts) that other objects name.
        name: opts.releaseName ?? c.chart,
        chart: c.chart,
        version: opts.version ?? c.version,
        repositoryOpts: { repo: c.repo },
        namespace,
        values,
        atomic: true,
        cleanupOnFail: true,
        maxHistory: 10,
        timeout: 600,
    }, { parent: ctx.parent, provider: ctx.provider, dependsOn: [...ctx.dependsOn, ...(opts.dependsOn ?? [])] });
}
