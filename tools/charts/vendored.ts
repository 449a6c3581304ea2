import { existsSync, readFileSync } from "fs";
import { join, resolve } from "path";
import { parse } from "yaml";

/**
 * Facts about the Helm charts the program installs, vendored from upstream as dated, sourced test data
 * in `test/upstream/charts/<chart>/` (see docs/charts.md):
 *   published.json            the versions the chart's Helm repository publishes
 *   <version>/values.yaml     the chart's defaults at that version (values.schema.json where it ships one)
 *   <version>/source.json     where they come from: repository, path, tag and commit, retrieval date
 *   <version>/services.json   the Services the chart creates and how it names them (from its templates)
 */

export interface ChartSource {
    chart: string;
    version: string;
    repository: string;
    path: string;
    ref: string;
    commit: string;
    retrieved: string;
    /** Values key -> vendored subchart ("<chart>/<version>"), for subcharts whose values the program sets. */
    subcharts?: Record<string, string>;
    /**
     * Set when the chart nests its defaults under one key that its templates merge the user's values
     * over (Istio's `_internal_defaults_do_not_set`): user keys are checked against what is under it.
     */
    valuesRoot?: string;
    /**
     * Keys the chart reads that its values.yaml leaves out (documented only in a comment or README),
     * as dotted paths, each with where that is documented.
     */
    documentedKeys?: Record<string, string>;
    /** A Kubernetes constraint the project states outside Chart.yaml, and where (Istio's minimum version). */
    kubeVersion?: string;
    kubeVersionSource?: string;
}

export interface PublishedVersions {
    chart: string;
    helmRepo: string;
    source: string;
    retrieved: string;
    versions: { version: string; created?: string; kubeVersion?: string; appVersion?: string }[];
    /** Set (to its source) when the chart's application version follows the Kubernetes minor. */
    appVersionTracksKubernetes?: string;
}

/** Where a Service's port comes from: a fixed number, a value path, or each `port` of a list value. */
export type PortFact = number | { value: string } | { list: string; field: string; targetField?: string };

export interface ServiceFact {
    /**
     * Name template: `{fullname}` (the chart's fullname helper), `{release}`, `{value:<path>}`, and
     * `{-value:<path>}` ("-" and the value, or nothing when it is empty).
     */
    name: string;
    ports: PortFact[];
    /** Value paths that must all be truthy for the chart to render the Service. */
    when?: string[];
    template: string;
}

export interface ServicesFacts {
    source: string;
    retrieved: string;
    /**
     * The chart's fullname helper: fullnameOverride, else the release name when it contains the
     * (nameOverride or chart) name, else "<release>-<name>"; truncated to `truncate` characters.
     */
    fullname: {
        truncate: number;
        helper: string;
        /** The name before the release is prefixed, when not the chart name: a template like "{value:cloudProvider}-{chart}". */
        defaultName?: string;
        /** "contains" (the usual helper: the release name alone when it contains the name) or "equals". */
        rule?: "contains" | "equals";
    };
    services: ServiceFact[];
    /** ServiceAccounts the chart creates, named like Services (the `{value:path|fullname}` form is common). */
    serviceAccounts?: { name: string; when?: string[]; template: string }[];
    /** Services of subcharts: values key -> subchart, named with the subchart's own facts. */
    subcharts?: Record<string, string>;
    /**
     * The parent's dependency condition for a subchart (Chart.yaml `condition`), as a values path of the parent, where it
     * is not `<key>.enabled` (kube-prometheus-stack: `kubeStateMetrics.enabled` for kube-state-metrics).
     */
    subchartConditions?: Record<string, string>;
}

export interface ChartFacts {
    chart: string;
    version: string;
    dir: string;
    source: ChartSource;
    /** values.yaml as parsed (null where the file has no content). */
    values: Record<string, unknown>;
    schema?: Record<string, unknown>;
    services?: ServicesFacts;
}

/** The repository root: the nearest folder above this file that holds test/upstream/charts. */
function repoRoot(): string {
    let dir = __dirname;
    for (let i = 0; i < 6; i++) {
        if (existsSync(join(dir, "test", "upstream", "charts"))) return dir;
        dir = resolve(dir, "..");
    }
    throw new Error(`cannot find test/upstream/charts above ${__dirname}`);
}

export const CHARTS_DIR = (): string => join(repoRoot(), "test", "upstream", "charts");

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, "utf8")) as T;

const factsCache = new Map<string, ChartFacts | undefined>();

/** The vendored facts of one chart version, or undefined when none are vendored. */
export function chartFacts(chart: string, version: string): ChartFacts | undefined {
    const key = `${chart}/${version}`;
    if (factsCache.has(key)) return factsCache.get(key);
    const dir = join(CHARTS_DIR(), chart, version);
    let facts: ChartFacts | undefined;
    if (existsSync(join(dir, "values.yaml"))) {
        const schemaFile = join(dir, "values.schema.json");
        const servicesFile = join(dir, "services.json");
        facts = {
            chart,
            version,
            dir,
            source: readJson<ChartSource>(join(dir, "source.json")),
            values: (parse(readFileSync(join(dir, "values.yaml"), "utf8"), { maxAliasCount: -1 }) ?? {}) as Record<string, unknown>,
            schema: existsSync(schemaFile) ? readJson<Record<string, unknown>>(schemaFile) : undefined,
            services: existsSync(servicesFile) ? readJson<ServicesFacts>(servicesFile) : undefined,
        };
    }
    factsCache.set(key, facts);
    return facts;
}

/** The vendored facts of a "<chart>/<version>" reference (subcharts). */
export function chartFactsRef(ref: string): ChartFacts | undefined {
    const [chart, version] = ref.split("/");
    return chartFacts(chart, version);
}

/** The versions the chart's repository publishes, or undefined when not vendored. */
export function publishedVersions(chart: string): PublishedVersions | undefined {
    const file = join(CHARTS_DIR(), chart, "published.json");
    return existsSync(file) ? readJson<PublishedVersions>(file) : undefined;
}
