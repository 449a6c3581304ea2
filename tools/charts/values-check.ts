import Ajv from "ajv";
import type { PlannedRelease } from "./releases";
import { ChartFacts, chartFacts, chartFactsRef } from "./vendored";

/**
 * Checks a release's values against the chart itself (its vendored values.yaml and values.schema.json):
 *   - unknown key: Helm silently ignores a key no template reads, so a misspelt or renamed setting
 *     does nothing (a key is known when values.yaml has it, the schema declares it, or the chart
 *     documents it; a default of `{}` or `[]`, or a null default, is an open slot that takes anything);
 *   - type: a value whose type differs from the chart's default (fails rendering or renders nonsense);
 *   - schema: the chart's own values.schema.json, which Helm applies to the coalesced values;
 *   - combination: a value that, merged with a chart default the program did not clear, renders an
 *     object the API server refuses (a PodDisruptionBudget with both minAvailable and maxUnavailable,
 *     an autoscaler whose minimum exceeds its maximum, requests above limits).
 */
export type ValuesProblemKind = "no-facts" | "unknown-key" | "type" | "null" | "schema" | "combination";

export interface ValuesProblem {
    release: string;
    chart: string;
    version: string;
    kind: ValuesProblemKind;
    /** Dotted values path. */
    path: string;
    message: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function typeOf(v: unknown): string {
    if (v === null || v === undefined) return "null";
    if (Array.isArray(v)) return "array";
    return typeof v;
}

/**
 * Keys that are free-form maps by convention in every chart (Kubernetes labels, annotations, node
 * selectors, environment, extra command-line flags): any key below them is the user's own.
 */
export const FREE_FORM_KEYS = new Set([
    "labels",
    "annotations",
    "podLabels",
    "podAnnotations",
    "nodeSelector",
    "env",
    "extraArgs",
    "commonLabels",
    "commonAnnotations",
    "serviceAnnotations",
    "deploymentLabels",
    "deploymentAnnotations",
]);

/** Kubernetes IntOrString fields: a number or a percentage string are both valid whatever the default. */
const INT_OR_STRING = new Set(["minAvailable", "maxUnavailable", "maxSurge", "targetPort"]);

/**
 * Coalescing of user values over chart defaults as a `helm.v3.Release` does it: maps merge key by key,
 * anything else replaces the default. Helm itself deletes a default the user sets to null
 * (https://helm.sh/docs/chart_template_guide/values_files/, "Deleting a default key"), but the Pulumi
 * Release drops nulls before Helm sees them (pulumi-kubernetes#3811, #2034), so the default stays.
 */
export function coalesce(defaults: unknown, user: unknown): unknown {
    if (user === null || user === undefined) return defaults;
    if (!isObj(user) || !isObj(defaults)) return user;
    const out: Obj = { ...defaults };
    for (const [k, v] of Object.entries(user)) out[k] = k in defaults ? coalesce(defaults[k], v) : v;
    return out;
}

/** The defaults user keys are compared with: under `valuesRoot` for charts that nest them. */
function effectiveDefaults(facts: ChartFacts): Obj {
    const root = facts.source.valuesRoot;
    const v = root ? facts.values[root] : facts.values;
    return isObj(v) ? v : {};
}

// ---- schema ----

function resolveRef(schema: Obj, node: unknown): unknown {
    let n = node;
    for (let i = 0; i < 10 && isObj(n) && typeof n.$ref === "string" && n.$ref.startsWith("#/"); i++) {
        n = n.$ref
            .slice(2)
            .split("/")
            .reduce<unknown>((acc, p) => (isObj(acc) ? acc[p] : undefined), schema);
    }
    return n;
}

/** Whether the schema declares `path` (following properties, local $refs and allOf/anyOf/oneOf). */
function schemaDeclares(schema: Obj | undefined, path: string[]): boolean {
    if (!schema) return false;
    const walk = (node: unknown, rest: string[]): boolean => {
        const n = resolveRef(schema, node);
        if (!isObj(n)) return false;
        if (rest.length === 0) return true;
        for (const comb of ["allOf", "anyOf", "oneOf"]) {
            const list = n[comb];
            if (Array.isArray(list) && list.some((s) => walk(s, rest))) return true;
        }
        const props = n.properties;
        if (isObj(props) && rest[0] in props) return walk(props[rest[0]], rest.slice(1));
        // An object whose schema takes any further key is an open map from here down.
        if (n.additionalProperties === true || isObj(n.additionalProperties) || isObj(n.patternProperties)) return true;
        return false;
    };
    return walk(schema, path);
}

const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
const validators = new Map<string, ReturnType<typeof ajv.compile>>();

function schemaProblems(facts: ChartFacts, merged: unknown): { path: string; message: string }[] {
    if (!facts.schema) return [];
    const key = `${facts.chart}/${facts.version}`;
    let validate = validators.get(key);
    if (!validate) {
        // Charts declare assorted draft URIs (or a bare "schema#"); Helm validates with draft-07 semantics.
        const schema = { ...facts.schema };
        delete schema.$schema;
        delete schema.$id;
        validate = ajv.compile(schema);
        validators.set(key, validate);
    }
    if (validate(merged)) return [];
    return (validate.errors ?? []).map((e) => ({
        path: e.instancePath.replace(/^\//, "").replace(/\//g, ".") || "(root)",
        message: `${e.message ?? "invalid"}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`,
    }));
}

// ---- keys and types ----

function walkKeys(user: Obj, defaults: Obj, path: string[], facts: ChartFacts, report: (kind: ValuesProblemKind, path: string, message: string) => void): void {
    for (const [k, v] of Object.entries(user)) {
        const p = [...path, k];
        const dotted = p.join(".");
        if (v === null) {
            if (k in defaults && defaults[k] !== null)
                report(
                    "null",
                    dotted,
                    `null does not clear the chart's default (${JSON.stringify(defaults[k]).slice(0, 60)}) through a helm.v3.Release (pulumi-kubernetes#3811): set the chart's own field instead`,
                );
            continue;
        }
        const docs = facts.source.documentedKeys ?? {};
        const documented = docs[dotted] !== undefined || docs[`${dotted}.*`] !== undefined;
        // "<path>.*": a documented free-form subtree (a collector config, Istio's MeshConfig): anything goes below.
        const openBelow = docs[`${dotted}.*`] !== undefined;
        if (!(k in defaults)) {
            if (!documented && !schemaDeclares(facts.schema, p)) {
                report(
                    "unknown-key",
                    dotted,
                    `the chart has no value "${dotted}" (not in ${facts.chart} ${facts.version} values.yaml${facts.schema ? " nor its values.schema.json" : ""}); Helm would ignore it`,
                );
            }
            continue;
        }
        const d = defaults[k];
        const dt = typeOf(d);
        const vt = typeOf(v);
        if (dt === "null") continue; // declared without a default: the chart takes what it is given
        if (INT_OR_STRING.has(k) && (vt === "number" || vt === "string")) continue;
        if (dt !== vt) {
            report("type", dotted, `${vt} given where the chart's default is ${dt} (${JSON.stringify(d).slice(0, 60)})`);
            continue;
        }
        // `{}` by default: a free-form map (annotations, nodeSelector, extraArgs, ...); arrays are lists of items.
        if (dt === "object" && Object.keys(d as Obj).length > 0 && !openBelow && !FREE_FORM_KEYS.has(k)) walkKeys(v as Obj, d as Obj, p, facts, report);
    }
}

// ---- combinations ----

const QUANTITY_RE = /^([0-9.]+)([a-zA-Z]*)$/;
const SUFFIX: Record<string, number> = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

/** A Kubernetes resource quantity in base units, or undefined when it is not one. */
export function quantity(v: unknown): number | undefined {
    if (typeof v === "number") return v;
    if (typeof v !== "string") return undefined;
    const m = QUANTITY_RE.exec(v);
    if (!m || !(m[2] in SUFFIX)) return undefined;
    return Number(m[1]) * SUFFIX[m[2]];
}

const present = (v: unknown): boolean => v !== null && v !== undefined && v !== "";

/** Combination problems anywhere in the coalesced values. */
export function combinationProblems(merged: unknown, path: string[] = []): { path: string; message: string }[] {
    if (!isObj(merged)) return [];
    const out: { path: string; message: string }[] = [];
    const here = path.join(".") || "(root)";
    // An object that is switched off is not rendered, whatever it holds.
    const off = merged.enabled === false || merged.create === false;
    if (!off && present(merged.minAvailable) && present(merged.maxUnavailable)) {
        out.push({
            path: here,
            message: `renders a PodDisruptionBudget with both minAvailable (${JSON.stringify(merged.minAvailable)}) and maxUnavailable (${JSON.stringify(merged.maxUnavailable)}); the API server accepts only one. Set the one the chart defaults to, or null the other`,
        });
    }
    // A budget that allows no disruption: every node drain (upgrades, scale-in) waits on it forever.
    const replicas = typeof merged.replicaCount === "number" ? merged.replicaCount : typeof merged.replicas === "number" ? merged.replicas : undefined;
    for (const key of ["pdb", "podDisruptionBudget"]) {
        const b = merged[key];
        if (off || replicas === undefined || !isObj(b) || b.enabled === false || b.create === false) continue;
        if ((typeof b.minAvailable === "number" && b.minAvailable >= replicas) || b.maxUnavailable === 0 || b.maxUnavailable === "0%") {
            out.push({
                path: path.concat(key).join("."),
                message: `with ${replicas} replica(s) this budget (minAvailable ${JSON.stringify(b.minAvailable)}, maxUnavailable ${JSON.stringify(b.maxUnavailable)}) lets no pod be evicted: node drains would wait forever`,
            });
        }
    }
    if (!off && typeof merged.minReplicas === "number" && typeof merged.maxReplicas === "number" && merged.minReplicas > merged.maxReplicas) {
        out.push({ path: here, message: `minReplicas ${merged.minReplicas} exceeds maxReplicas ${merged.maxReplicas}` });
    }
    if (isObj(merged.requests) && isObj(merged.limits)) {
        for (const [res, req] of Object.entries(merged.requests)) {
            const r = quantity(req);
            const l = quantity(merged.limits[res]);
            if (r !== undefined && l !== undefined && r > l)
                out.push({ path: `${here}.requests.${res}`, message: `request ${String(req)} exceeds limit ${String(merged.limits[res])}` });
        }
    }
    for (const [k, v] of Object.entries(merged)) out.push(...combinationProblems(v, [...path, k]));
    return out;
}

/** Every problem of one release's values against its chart's vendored facts. */
export function checkReleaseValues(release: PlannedRelease): ValuesProblem[] {
    const problems: ValuesProblem[] = [];
    const report = (kind: ValuesProblemKind, path: string, message: string) =>
        problems.push({ release: release.resource, chart: release.chart, version: release.version, kind, path, message });
    const facts = chartFacts(release.chart, release.version);
    if (!facts) {
        report("no-facts", "(chart)", `no vendored values for ${release.chart} ${release.version} under test/upstream/charts/ (vendor them: docs/charts.md)`);
        return problems;
    }
    const defaults = effectiveDefaults(facts);
    const subcharts = facts.source.subcharts ?? {};
    const own: Obj = {};
    for (const [k, v] of Object.entries(release.values)) {
        const sub = subcharts[k] ? chartFactsRef(subcharts[k]) : undefined;
        if (!sub || !isObj(v)) {
            own[k] = v;
            continue;
        }
        // A subchart's values: known to the subchart or to the parent's override block for it.
        const subDefaults = coalesce(effectiveDefaults(sub), defaults[k]) as Obj;
        walkKeys(
            v,
            subDefaults,
            [k],
            { ...sub, schema: undefined, source: { ...sub.source, documentedKeys: prefixKeys(sub.source.documentedKeys, k) } },
            report,
        );
        for (const c of combinationProblems(coalesce(subDefaults, v), [k])) report("combination", c.path, c.message);
    }
    walkKeys(own, defaults, [], facts, report);
    for (const c of combinationProblems(coalesce(defaults, own))) report("combination", c.path, c.message);
    for (const s of schemaProblems(facts, coalesce(facts.values, release.values))) report("schema", s.path, s.message);
    return problems;
}

function prefixKeys(keys: Record<string, string> | undefined, prefix: string): Record<string, string> | undefined {
    return keys && Object.fromEntries(Object.entries(keys).map(([k, v]) => [`${prefix}.${k}`, v]));
}
