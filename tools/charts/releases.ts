import type { CapturedResource } from "../offline/mock-engine";

export const RELEASE_TYPE = "kubernetes:helm.sh/v3:Release";

/** A Helm release as the plan registers it (the inputs of a `kubernetes:helm.sh/v3:Release`). */
export interface PlannedRelease {
    /** Pulumi resource name, for messages. */
    resource: string;
    /** Helm release name: the chart's fullname helper starts from it. */
    releaseName: string;
    chart: string;
    version: string;
    repo: string;
    namespace: string;
    values: Record<string, unknown>;
}

const str = (v: unknown, fallback = ""): string => (typeof v === "string" ? v : fallback);

export function plannedReleases(resources: readonly CapturedResource[]): PlannedRelease[] {
    return resources
        .filter((r) => r.type === RELEASE_TYPE)
        .map((r) => {
            const i = r.inputs;
            const repoOpts = (i.repositoryOpts ?? {}) as Record<string, unknown>;
            const chart = str(i.chart);
            return {
                resource: r.name,
                // Helm's own default when no name is given is a generated one; the program always names them.
                releaseName: str(i.name, chart),
                chart,
                version: str(i.version),
                repo: str(repoOpts.repo),
                namespace: str(i.namespace, "default"),
                values: (i.values ?? {}) as Record<string, unknown>,
            };
        });
}
