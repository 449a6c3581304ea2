import type { PlannedRelease } from "./releases";
import { coalesce } from "./values-check";
import { ChartFacts, chartFacts, chartFactsRef, PortFact, ServicesFacts } from "./vendored";

/** A Service that exists once the plan is applied: who creates it, its name, namespace and ports. */
export interface ProvidedService {
    name: string;
    namespace: string;
    /** Ports it serves; empty with `portsOpen` when a port list comes from values the check cannot read. */
    ports: number[];
    /** Service port -> the pods' port (targetPort), where the chart's facts give it. */
    targetPorts?: Record<number, number>;
    createdBy: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function valueAt(values: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((acc, k) => (isObj(acc) ? acc[k] : undefined), values);
}

function trunc(s: string, n: number): string {
    return s.slice(0, n).replace(/-+$/, "");
}

/** The standard Helm fullname helper (the facts file says which truncation the chart uses). */
export function helmFullname(facts: ServicesFacts, chart: string, release: string, values: Obj): string {
    const n = facts.fullname.truncate;
    const override = values.fullnameOverride;
    if (typeof override === "string" && override !== "") return trunc(override, n);
    const defaultName = expandName(facts.fullname.defaultName ?? "{chart}", { fullname: "", release, values, chart });
    const name = typeof values.nameOverride === "string" && values.nameOverride !== "" ? values.nameOverride : defaultName;
    const alone = facts.fullname.rule === "equals" ? release === name : release.includes(name);
    return alone ? trunc(release, n) : trunc(`${release}-${name}`, n);
}

/**
 * Expands a facts name template: {fullname}, {release}, {chart}, {value:path}, {-value:path} ("-" and
 * the value, or nothing when empty), and {value:path|release} / {value:path|fullname} / {value:path|fullname+-suffix}
 * (the value, else that).
 */
export function expandName(template: string, ctx: { fullname: string; release: string; values: Obj; chart?: string }): string {
    return template.replace(/\{([^}]+)\}/g, (_, token: string) => {
        if (token === "fullname") return ctx.fullname;
        if (token === "release") return ctx.release;
        if (token === "chart") return ctx.chart ?? "";
        const dash = token.startsWith("-");
        const [path, fallback] = token
            .replace(/^-/, "")
            .replace(/^value:/, "")
            .split("|");
        const v = valueAt(ctx.values, path);
        // "fullname+-suffix": the chart's default is the fullname with a suffix (kube-prometheus-stack's "<fullname>-alertmanager").
        const fb = fallback === "release" ? ctx.release : fallback?.startsWith("fullname") ? ctx.fullname + fallback.slice("fullname+".length) : "";
        const s = v === undefined || v === null || v === "" ? fb : String(v);
        return dash && s !== "" ? `-${s}` : s;
    });
}

function targetPortsOf(facts: PortFact[], values: Obj): Record<number, number> {
    const out: Record<number, number> = {};
    for (const p of facts) {
        if (typeof p === "number" || !("list" in p) || !p.targetField) continue;
        const list = valueAt(values, p.list);
        if (!Array.isArray(list)) continue;
        for (const item of list) {
            if (!isObj(item)) continue;
            const port = Number(item[p.field]);
            const target = Number(item[p.targetField] ?? item[p.field]);
            if (Number.isInteger(port) && Number.isInteger(target)) out[port] = target;
        }
    }
    return out;
}

function portsOf(facts: PortFact[], values: Obj): number[] {
    const out: number[] = [];
    for (const p of facts) {
        if (typeof p === "number") out.push(p);
        else if ("value" in p) {
            const v = Number(valueAt(values, p.value));
            if (Number.isInteger(v)) out.push(v);
        } else {
            const list = valueAt(values, p.list);
            if (Array.isArray(list)) for (const item of list) if (isObj(item) && Number.isInteger(Number(item[p.field]))) out.push(Number(item[p.field]));
        }
    }
    return out;
}

function defaultsOf(facts: ChartFacts): Obj {
    const root = facts.source.valuesRoot;
    const v = root ? facts.values[root] : facts.values;
    return isObj(v) ? v : {};
}

function servicesOfChart(
    facts: ChartFacts,
    release: PlannedRelease,
    userValues: unknown,
    createdBy: string,
    kind: "services" | "serviceAccounts" = "services",
): ProvidedService[] {
    const svc = facts.services;
    if (!svc) return [];
    const values = coalesce(defaultsOf(facts), userValues) as Obj;
    const fullname = helmFullname(svc, facts.chart, release.releaseName, values);
    const out: ProvidedService[] = [];
    if (kind === "serviceAccounts") {
        for (const a of svc.serviceAccounts ?? []) {
            if ((a.when ?? []).some((path) => !valueAt(values, path))) continue;
            out.push({
                name: expandName(a.name, { fullname, release: release.releaseName, values, chart: facts.chart }),
                namespace: release.namespace,
                ports: [],
                createdBy: `${createdBy} (${facts.chart} ${facts.version}, ${a.template})`,
            });
        }
    }
    for (const s of kind === "services" ? svc.services : []) {
        if ((s.when ?? []).some((path) => !valueAt(values, path))) continue;
        out.push({
            name: expandName(s.name, { fullname, release: release.releaseName, values, chart: facts.chart }),
            namespace: release.namespace,
            ports: portsOf(s.ports, values),
            targetPorts: targetPortsOf(s.ports, values),
            createdBy: `${createdBy} (${facts.chart} ${facts.version}, ${s.template})`,
        });
    }
    for (const [key, ref] of Object.entries(svc.subcharts ?? {})) {
        const sub = chartFactsRef(ref);
        const subValues = isObj(values[key]) ? values[key] : {};
        // Helm's dependency condition: the one the facts name, else `<key>.enabled`.
        const condition = svc.subchartConditions?.[key];
        if (!sub || (condition ? !valueAt(values, condition) : (subValues as Obj).enabled === false)) continue;
        out.push(...servicesOfChart(sub, release, subValues, createdBy, kind));
    }
    return out;
}

/** The Services a Helm release creates, by its chart's vendored naming facts (none when there are none). */
export function releaseServices(release: PlannedRelease): ProvidedService[] {
    const facts = chartFacts(release.chart, release.version);
    return facts ? servicesOfChart(facts, release, release.values, `release ${release.releaseName}`) : [];
}

/** The ServiceAccounts a Helm release creates (ports empty), by its chart's vendored naming facts. */
export function releaseServiceAccounts(release: PlannedRelease): ProvidedService[] {
    const facts = chartFacts(release.chart, release.version);
    return facts ? servicesOfChart(facts, release, release.values, `release ${release.releaseName}`, "serviceAccounts") : [];
}
