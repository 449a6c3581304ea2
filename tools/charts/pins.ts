import { CHARTS, ChartPin, CLUSTER_AUTOSCALER_CHART_BY_MINOR, PINNED_CHARTS } from "../../components/helm/charts";
import { chartFacts, publishedVersions } from "./vendored";

export { ChartPin, PINNED_CHARTS };

/** The charts a cluster of that Kubernetes minor gets: the table, with the Cluster Autoscaler chart built for the minor. */
export function pinsFor(kubernetesMinor: string): ChartPin[] {
    const ca = CLUSTER_AUTOSCALER_CHART_BY_MINOR[kubernetesMinor];
    return Object.values(CHARTS).map((c) => (c === CHARTS.clusterAutoscaler && ca ? { ...c, version: ca } : c));
}

const trimSlash = (u: string) => u.replace(/\/+$/, "");

/** `1.35` -> [1, 35, 0]; "1.21-0" and "v1.25.0-0" read the same way (pre-release suffix dropped). */
function parseVersion(v: string): number[] {
    const [core] = v.trim().replace(/^v/, "").split("-");
    const parts = core.split(".").map((n) => Number(n));
    while (parts.length < 3) parts.push(0);
    return parts;
}

function compare(a: number[], b: number[]): number {
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return 0;
}

/**
 * Whether a Kubernetes minor satisfies a chart's `kubeVersion` constraint. Handles the comparison
 * forms the pinned charts use (">=1.25.0-0", ">= 1.21-0", ranges joined by spaces or commas);
 * anything else is reported as unreadable rather than guessed.
 */
export function kubeVersionAllows(constraint: string, kubernetesMinor: string): boolean | "unreadable" {
    const terms = constraint
        .replace(/(>=|<=|>|<|=)\s+/g, "$1")
        .split(/[\s,]+/)
        .filter(Boolean);
    const have = parseVersion(kubernetesMinor);
    for (const t of terms) {
        const m = /^(>=|<=|>|<|=)?(v?\d+(?:\.\d+){0,2}(?:-[\w.]+)?)$/.exec(t);
        if (!m) return "unreadable";
        const c = compare(have, parseVersion(m[2]));
        const ok = { ">=": c >= 0, "<=": c <= 0, ">": c > 0, "<": c < 0, "=": c === 0 }[m[1] ?? "="];
        if (!ok) return false;
    }
    return true;
}

/** What is wrong with one pin: not published, another repository, no vendored values, Kubernetes too new or old. */
export function checkPin(pin: ChartPin, kubernetesMinor: string): string[] {
    const problems: string[] = [];
    const published = publishedVersions(pin.chart);
    const where = `${pin.chart} ${pin.version}`;
    if (!published) return [`${where}: no published.json under test/upstream/charts/${pin.chart}/ (vendor it: docs/charts.md)`];
    if (trimSlash(published.helmRepo) !== trimSlash(pin.repo))
        problems.push(`${where}: pinned from ${pin.repo}, but the vendored index is ${published.helmRepo}`);
    const entry = published.versions.find((v) => v.version === pin.version);
    if (!entry) {
        const newest = published.versions
            .slice(0, 3)
            .map((v) => v.version)
            .join(", ");
        problems.push(
            `${where}: ${pin.repo} does not publish version ${pin.version} (newest: ${newest}; ${published.source}, retrieved ${published.retrieved})`,
        );
    }
    const facts = chartFacts(pin.chart, pin.version);
    if (!facts) problems.push(`${where}: no vendored values.yaml under test/upstream/charts/${pin.chart}/${pin.version}/`);
    const meta = entry as { kubeVersion?: string; appVersion?: string } | undefined;
    // Charts whose application is built per Kubernetes minor (the Cluster Autoscaler).
    if (published.appVersionTracksKubernetes && meta?.appVersion) {
        const app = parseVersion(meta.appVersion);
        const kubeMinor = parseVersion(kubernetesMinor);
        if (app[0] !== kubeMinor[0] || app[1] !== kubeMinor[1]) {
            problems.push(
                `${where}: ships ${pin.chart} ${meta.appVersion}, which is built for Kubernetes ${app[0]}.${app[1]}, not ${kubernetesMinor} (${published.appVersionTracksKubernetes})`,
            );
        }
    }
    // The chart's own kubeVersion (index), and one the project states elsewhere (vendored with its source).
    for (const kube of [meta?.kubeVersion, facts?.source.kubeVersion]) {
        if (!kube) continue;
        const ok = kubeVersionAllows(kube, kubernetesMinor);
        if (ok !== true) problems.push(`${where}: requires Kubernetes ${kube}, ${ok === false ? "which excludes" : "unreadable against"} ${kubernetesMinor}`);
    }
    return problems;
}
