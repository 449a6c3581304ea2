/**
 * Every Helm chart the library installs, pinned in one table: an upgrade is a reviewed change, never a side
 * effect of `pulumi up`. Bump a version deliberately: check the project's compatibility table against the
 * cluster's Kubernetes minor, vendor the new version's values under `test/upstream/charts/<chart>/<version>/`
 * and run `npm test` (docs/charts.md says how; the chart-values test reads this table).
 */
export interface ChartPin {
    /** The chart's name in its repository. */
    chart: string;
    /** The pinned chart version (a version the repository's index publishes). */
    version: string;
    /** The Helm repository URL. */
    repo: string;
}

/** The component that installs a chart (for the docs and the chart-values check's messages). */
export type ChartInstaller = "RegionalCluster" | "ObservabilityStack" | "ShardedDatabase";

export interface PinnedChart extends ChartPin {
    installedBy: ChartInstaller;
}

const ISTIO = "https://istio-release.storage.googleapis.com/charts";
const PROMETHEUS_COMMUNITY = "https://prometheus-community.github.io/helm-charts";

export const CHARTS = {
    // ---- RegionalCluster ----
    metricsServer: { chart: "metrics-server", version: "3.13.0", repo: "https://kubernetes-sigs.github.io/metrics-server/", installedBy: "RegionalCluster" },
    clusterAutoscaler: { chart: "cluster-autoscaler", version: "9.56.0", repo: "https://kubernetes.github.io/autoscaler", installedBy: "RegionalCluster" },
    prometheusAdapter: { chart: "prometheus-adapter", version: "5.3.0", repo: PROMETHEUS_COMMUNITY, installedBy: "RegionalCluster" },
    // The kubernetes/autoscaler VPA chart says it is not ready for production; this one is the widely used packaging.
    verticalPodAutoscaler: {
        chart: "vertical-pod-autoscaler",
        version: "11.1.1",
        repo: "https://cowboysysop.github.io/charts",
        installedBy: "RegionalCluster",
    },
    // Istio publishes its four charts at every release, versioned as the release: keep all four at one version.
    istioBase: { chart: "base", version: "1.30.1", repo: ISTIO, installedBy: "RegionalCluster" },
    istioCni: { chart: "cni", version: "1.30.1", repo: ISTIO, installedBy: "RegionalCluster" },
    istiod: { chart: "istiod", version: "1.30.1", repo: ISTIO, installedBy: "RegionalCluster" },
    istioGateway: { chart: "gateway", version: "1.30.1", repo: ISTIO, installedBy: "RegionalCluster" },
    // Event-driven autoscaling (the worker scales on the job queue's depth); kubeVersion >=1.23.
    keda: { chart: "keda", version: "2.20.2", repo: "https://kedacore.github.io/charts", installedBy: "RegionalCluster" },
    awsLoadBalancerController: {
        chart: "aws-load-balancer-controller",
        version: "1.14.0",
        repo: "https://aws.github.io/eks-charts",
        installedBy: "RegionalCluster",
    },
    // Progressive delivery of the backend (regional-cluster/rollout.ts); controller v1.9.0, the newest chart.
    argoRollouts: { chart: "argo-rollouts", version: "2.41.0", repo: "https://argoproj.github.io/argo-helm", installedBy: "RegionalCluster" },
    // ---- ObservabilityStack ----
    kubePrometheusStack: { chart: "kube-prometheus-stack", version: "77.12.0", repo: PROMETHEUS_COMMUNITY, installedBy: "ObservabilityStack" },
    fluentBit: { chart: "fluent-bit", version: "0.53.0", repo: "https://fluent.github.io/helm-charts", installedBy: "ObservabilityStack" },
    otelCollector: {
        chart: "opentelemetry-collector",
        version: "0.136.0",
        repo: "https://open-telemetry.github.io/opentelemetry-helm-charts",
        installedBy: "ObservabilityStack",
    },
    // 4.2 and later deploy Jaeger v2 as one `jaeger` Deployment and Service named by the fullname;
    // 4.1 had only the v1-style all-in-one with `<fullname>-collector`/`-query` Services and no `jaeger.` block.
    jaeger: { chart: "jaeger", version: "4.11.1", repo: "https://jaegertracing.github.io/helm-charts", installedBy: "ObservabilityStack" },
    // ---- ShardedDatabase ----
    // AWS provider for the Secrets Store CSI driver (it installs the driver as a chart dependency). 3.1.1 is
    // the newest version the chart's Helm index lists (3.2.0 was never published): see docs/charts.md.
    secretsStoreCsiProviderAws: {
        chart: "secrets-store-csi-driver-provider-aws",
        version: "3.1.1",
        repo: "https://aws.github.io/secrets-store-csi-driver-provider-aws",
        installedBy: "ShardedDatabase",
    },
} as const satisfies Record<string, PinnedChart>;
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

/** The versions a release of that chart may install: its pin, and for the Cluster Autoscaler the per-minor pins. */
export function pinnedVersions(chart: ChartName): string[] {
    const versions: string[] = [CHARTS[chart].version];
    if (chart === "clusterAutoscaler") versions.push(...Object.values(CLUSTER_AUTOSCALER_CHART_BY_MINOR));
    return [...new Set(versions)];
}

/** Where a pin's upstream values, schema and naming facts are vendored (the chart-values check reads them). */
export const vendoredValuesDir = (pin: ChartPin): string => `test/upstream/charts/${pin.chart}/${pin.version}`;

/** Every chart version the program may install: the table, plus the other Kubernetes minors' Cluster Autoscaler charts. */
export const PINNED_CHARTS: readonly (PinnedChart & { key: ChartName; values: string })[] = (Object.keys(CHARTS) as ChartName[]).flatMap((key) =>
    pinnedVersions(key).map((version) => {
        const pin: PinnedChart = { ...CHARTS[key], version };
        return { key, ...pin, values: vendoredValuesDir(pin) };
    }),
);
