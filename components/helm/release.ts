import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS, ChartName, pinnedVersions } from "./charts";

/**
 * The settings every Helm release gets, so that all of them fail, roll back and keep history the same way:
 * - `atomic`: an install or upgrade that does not become ready is rolled back (a failed upgrade leaves the
 *   previous revision running, a failed install leaves nothing half-made). It implies Helm's wait, so no
 *   release sets `skipAwait`: Pulumi would report an add-on ready that is not.
 * - `cleanupOnFail`: objects a failed upgrade created are deleted with the rollback, so a retry starts clean.
 * - `timeout` 900 s: long enough for the slowest chart, kube-prometheus-stack (CRDs, its admission-webhook
 *   Jobs, and Prometheus and Alertmanager StatefulSets whose encrypted EBS volumes bind only when their pods
 *   schedule). With `atomic`, a shorter one rolls back a healthy install that was merely slow; the
 *   provider's default is 300 s.
 * - `maxHistory` 10: bounded release history (one Secret per revision in the release's namespace). Unset,
 *   the provider upgrades with no limit; 10 is what Helm's CLI keeps by default (`--history-max`), so a
 *   rollback target stays within reach. Both defaults: test/upstream/helm/release-defaults.json.
 * No chart needs other settings today; a release that does must say why next to its override.
 */
export const RELEASE_SETTINGS = {
    atomic: true,
    cleanupOnFail: true,
    timeout: 900,
    maxHistory: 10,
} as const;

export interface ReleaseContext {
    parent: pulumi.Resource;
    provider: k8s.Provider;
    /** What must exist before the release (nodes to schedule on, its namespace). */
    dependsOn: pulumi.Input<pulumi.Resource>[];
}

export interface ReleaseOptions {
    /** The Helm release name; it prefixes what the chart creates (Services, ServiceAccounts) that other objects name. Default: the chart's name. */
    releaseName?: string;
    /** More resources this release waits for, beyond the context's. */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
    /** Another pinned version of the chart: only the Cluster Autoscaler has them (one per Kubernetes minor). */
    version?: string;
    /** Let Helm create the namespace: for an operator whose namespace nothing else in the program owns. */
    createNamespace?: boolean;
}

/**
 * A Helm v3 Release (not a v4 Chart) of a chart in the pinned table (components/helm/charts.ts): its chart,
 * version and values are inputs of one resource the plan shows and the chart-values check reads, and the
 * settings above apply. Every release in the library is made here.
 */
export function helmRelease(
    name: string,
    chart: ChartName,
    namespace: pulumi.Input<string>,
    values: pulumi.Input<Record<string, unknown>>,
    ctx: ReleaseContext,
    opts: ReleaseOptions = {},
): k8s.helm.v3.Release {
    const pin = CHARTS[chart];
    const version = opts.version ?? pin.version;
    if (!pinnedVersions(chart).includes(version)) {
        throw new Error(
            `helm release ${name}: ${pin.chart} version ${JSON.stringify(version)} is not pinned; allowed: ${pinnedVersions(chart).join(", ")} (components/helm/charts.ts)`,
        );
    }
    return new k8s.helm.v3.Release(
        name,
        {
            name: opts.releaseName ?? pin.chart,
            chart: pin.chart,
            version,
            repositoryOpts: { repo: pin.repo },
            namespace,
            ...(opts.createNamespace ? { createNamespace: true } : {}),
            values,
            ...RELEASE_SETTINGS,
        },
        { parent: ctx.parent, provider: ctx.provider, dependsOn: [...ctx.dependsOn, ...(opts.dependsOn ?? [])] },
    );
}
