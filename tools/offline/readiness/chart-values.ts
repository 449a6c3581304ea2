import { kubernetesMinorOf } from "../../charts/kubernetes-minor";
import { checkPin } from "../../charts/pins";
import { plannedReleases } from "../../charts/releases";
import { checkReleaseValues } from "../../charts/values-check";
import type { ReadinessCheck } from "./types";

/**
 * Helm charts against the charts themselves (docs/charts.md): each release's version is one its
 * repository publishes for this cluster's Kubernetes minor, and its values are keys the chart has, of
 * the chart's types, that combine with its defaults into objects the API server accepts.
 */
export const chartValues: ReadinessCheck = (plan) => {
    const minor = kubernetesMinorOf(plan);
    const items = plannedReleases(plan.resources).map((r) => {
        const subject = `${r.resource} (${r.chart} ${r.version})`;
        const problems = [
            ...checkPin({ chart: r.chart, version: r.version, repo: r.repo }, minor),
            ...checkReleaseValues(r).map((p) => `${p.kind} ${p.path}: ${p.message}`),
        ];
        return problems.length
            ? { subject, detail: "values checked against the vendored chart", problem: problems.join("; ") }
            : { subject, detail: `published, values match the chart (Kubernetes ${minor})` };
    });
    return { title: "helm charts", items };
};
