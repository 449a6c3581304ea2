import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../stacks/stack-files";

/**
 * "An alarm that sits in ALARM on a healthy system is a defect": every
 * CloudWatch alarm of a plan, evaluated against what its metrics look like
 * under normal operation in the role of the stack that deploys it, and
 * against the failure it names. The facts (namespace, name, dimensions, unit,
 * who publishes the metric, healthy ranges) are dated, sourced data in
 * test/upstream/aws-metrics/cloudwatch-metrics.json.
 */

export type Role = "primary" | "standby" | "global";
type Range = [number, number];

export interface MetricFacts {
    namespace: string;
    metricName: string;
    unit: string;
    dimensionSets: string[][];
    publishedIn: Role[];
    /** Per role: statistic -> healthy [low, high], or null when a healthy system publishes no datapoints. */
    normal: Partial<Record<Role, Record<string, Range> | null>>;
    failure?: { what: string; value: number };
    source: string;
    basis: string;
}

export interface MetricCatalog {
    retrieved: string;
    sources: Record<string, { url: string; title: string }>;
    metrics: MetricFacts[];
}

export const CATALOG_PATH = path.join("test", "upstream", "aws-metrics", "cloudwatch-metrics.json");

export function loadCatalog(root = projectRoot()): MetricCatalog {
    return JSON.parse(fs.readFileSync(path.join(root, CATALOG_PATH), "utf8")) as MetricCatalog;
}

/** The alarm inputs the check reads (aws.cloudwatch.MetricAlarm, as the plan records them). */
export interface AlarmInputs {
    name?: string;
    namespace?: string;
    metricName?: string;
    dimensions?: Record<string, string>;
    statistic?: string;
    extendedStatistic?: string;
    threshold?: number;
    comparisonOperator?: string;
    treatMissingData?: string;
    metricQueries?: {
        id: string;
        expression?: string;
        returnData?: boolean;
        metric?: { namespace: string; metricName: string; dimensions?: Record<string, string>; stat: string };
    }[];
}

interface MetricRef {
    id: string;
    namespace: string;
    metricName: string;
    dimensions: Record<string, string>;
    stat: string;
}

function metricRefs(a: AlarmInputs): MetricRef[] {
    if (a.metricQueries?.length) {
        return a.metricQueries
            .filter((q) => q.metric)
            .map((q) => ({
                id: q.id,
                namespace: q.metric!.namespace,
                metricName: q.metric!.metricName,
                dimensions: q.metric!.dimensions ?? {},
                stat: q.metric!.stat,
            }));
    }
    return [
        {
            id: "m",
            namespace: a.namespace ?? "",
            metricName: a.metricName ?? "",
            dimensions: a.dimensions ?? {},
            stat: a.extendedStatistic ?? a.statistic ?? "",
        },
    ];
}

type Value = number | null | Value[];

/** A small evaluator for the metric-math subset the alarms use: numbers, ids, + - * /, comparisons, [..], MAX/MIN/SUM/AVG/FILL/IF/METRICS. */
export function evaluateExpression(expr: string, ids: Record<string, number | null>, metrics: (number | null)[] = Object.values(ids)): number | null {
    const tokens = expr.match(/\d+(\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|>=|<=|==|!=|[-+*/(),[\]<>]/g) ?? [];
    let i = 0;
    const peek = () => tokens[i];
    const take = (t?: string) => {
        const got = tokens[i++];
        if (t !== undefined && got !== t) throw new Error(`metric math "${expr}": expected ${t}, found ${got ?? "end"}`);
        return got;
    };
    const num = (v: Value): number | null => (Array.isArray(v) ? null : v);
    const list = (v: Value): (number | null)[] => (Array.isArray(v) ? (v.flat(Infinity as 1) as (number | null)[]) : [v]);
    const arith = (a: Value, b: Value, f: (x: number, y: number) => number): number | null => {
        const x = num(a),
            y = num(b);
        return x === null || y === null ? null : f(x, y);
    };
    const call = (fn: string, args: Value[]): Value => {
        const present = (vs: Value[]) => vs.flatMap(list).filter((v): v is number => v !== null);
        switch (fn) {
            case "METRICS":
                return metrics;
            case "MAX": {
                const p = present(args);
                return p.length ? Math.max(...p) : null;
            }
            case "MIN": {
                const p = present(args);
                return p.length ? Math.min(...p) : null;
            }
            case "SUM": {
                const p = present(args);
                return p.length ? p.reduce((s, v) => s + v, 0) : null;
            }
            case "AVG": {
                const p = present(args);
                return p.length ? p.reduce((s, v) => s + v, 0) / p.length : null;
            }
            case "FILL":
                return num(args[0]) ?? num(args[1]);
            case "IF": {
                const c = num(args[0]);
                return c === null ? null : c !== 0 ? args[1] : args[2];
            }
            default:
                throw new Error(`metric math "${expr}": function ${fn} is not modelled`);
        }
    };
    function primary(): Value {
        const t = take();
        if (t === "(") {
            const v = comparison();
            take(")");
            return v;
        }
        if (t === "[") {
            const items: Value[] = [];
            while (peek() !== "]") {
                items.push(comparison());
                if (peek() === ",") take(",");
            }
            take("]");
            return items;
        }
        if (t === "-") return arith(0, primary(), (x, y) => x - y);
        if (/^\d/.test(t)) return Number(t);
        if (peek() === "(") {
            take("(");
            const args: Value[] = [];
            while (peek() !== ")") {
                args.push(comparison());
                if (peek() === ",") take(",");
            }
            take(")");
            return call(t, args);
        }
        if (!(t in ids)) throw new Error(`metric math "${expr}": unknown id ${t}`);
        return ids[t];
    }
    function term(): Value {
        let v = primary();
        while (peek() === "*" || peek() === "/") {
            const op = take();
            v = arith(v, primary(), (x, y) => (op === "*" ? x * y : y === 0 ? NaN : x / y));
        }
        return v;
    }
    function sum(): Value {
        let v = term();
        while (peek() === "+" || peek() === "-") {
            const op = take();
            v = arith(v, term(), (x, y) => (op === "+" ? x + y : x - y));
        }
        return v;
    }
    function comparison(): Value {
        const v = sum();
        const op = peek();
        if (![">", "<", ">=", "<=", "==", "!="].includes(op)) return v;
        take();
        return arith(v, sum(), (x, y) =>
            Number(op === ">" ? x > y : op === "<" ? x < y : op === ">=" ? x >= y : op === "<=" ? x <= y : op === "==" ? x === y : x !== y),
        );
    }
    const out = num(comparison());
    if (i < tokens.length) throw new Error(`metric math "${expr}": unexpected ${tokens[i]}`);
    return out === null || Number.isNaN(out) ? null : out;
}

/** The alarm's value given each metric's value (null: no datapoint). */
function alarmValue(a: AlarmInputs, values: Record<string, number | null>): number | null {
    if (!a.metricQueries?.length) return values.m;
    const results: Record<string, number | null> = { ...values };
    const metrics = Object.values(values);
    // Expressions may read earlier expressions (e.g. `lookups`): evaluate in order.
    for (const q of a.metricQueries.filter((x) => x.expression)) results[q.id] = evaluateExpression(q.expression!, results, metrics);
    const out = a.metricQueries.find((q) => q.returnData !== false && (q.expression || q.metric));
    return out ? results[out.id] : null;
}

const OPERATORS: Record<string, (v: number, t: number) => boolean> = {
    GreaterThanThreshold: (v, t) => v > t,
    GreaterThanOrEqualToThreshold: (v, t) => v >= t,
    LessThanThreshold: (v, t) => v < t,
    LessThanOrEqualToThreshold: (v, t) => v <= t,
};

/** ALARM or not, for one evaluation: missing data follows treatMissingData (AWS default: missing, which never alarms). */
function inAlarm(a: AlarmInputs, value: number | null): boolean {
    if (value === null) return a.treatMissingData === "breaching";
    const op = OPERATORS[a.comparisonOperator ?? ""];
    if (!op) throw new Error(`comparison ${a.comparisonOperator} is not modelled`);
    return op(value, a.threshold ?? NaN);
}

const key = (namespace: string, metricName: string) => `${namespace} ${metricName}`;

/**
 * What is wrong with one alarm deployed in a stack of `role`: a metric the
 * catalog does not know, dimensions CloudWatch does not publish it with, a
 * metric the role never publishes (the alarm can never fire), ALARM under
 * normal operation, or no ALARM in the failure it names. Empty when sound.
 */
export function alarmProblems(a: AlarmInputs, role: Role, catalog: MetricCatalog): string[] {
    const facts = new Map(catalog.metrics.map((m) => [key(m.namespace, m.metricName), m]));
    return problemsWith(a, role, facts);
}

/** What the stack's own config makes normal: a standby allowed to run no nodes has no ingress target either. */
export function stackNormal(catalog: MetricCatalog, role: Role, config: Record<string, unknown>): MetricCatalog {
    const min = Number(config["bookedbarber:standbyNodeGroupMinSize"]);
    if (role !== "standby" || !(min === 0)) return catalog;
    return {
        ...catalog,
        metrics: catalog.metrics.map((m) =>
            m.metricName === "HealthyHostCount"
                ? {
                      ...m,
                      normal: {
                          ...m.normal,
                          standby: Object.fromEntries(Object.entries(m.normal.standby ?? {}).map(([stat, [, high]]) => [stat, [0, high] as Range])),
                      },
                  }
                : m,
        ),
    };
}

function problemsWith(a: AlarmInputs, role: Role, facts: Map<string, MetricFacts>): string[] {
    const refs = metricRefs(a);
    const problems: string[] = [];
    const known: { ref: MetricRef; f: MetricFacts }[] = [];
    for (const ref of refs) {
        const f = facts.get(key(ref.namespace, ref.metricName));
        if (!f) {
            problems.push(`${ref.namespace} ${ref.metricName} is not a metric in ${CATALOG_PATH} (wrong namespace or name, or add it with its source)`);
            continue;
        }
        const dims = Object.keys(ref.dimensions).sort().join(",");
        if (!f.dimensionSets.some((s) => [...s].sort().join(",") === dims)) {
            problems.push(
                `${ref.metricName} is published with dimensions ${f.dimensionSets.map((s) => `{${s.join(", ")}}`).join(" or ")}, not {${dims}}: the alarm would never see a datapoint`,
            );
        }
        if (!f.publishedIn.includes(role))
            problems.push(`${ref.metricName} is never published by a ${role} (only ${f.publishedIn.join(", ")}): the alarm can never fire here`);
        else if (f.normal[role] && !(ref.stat in f.normal[role]!))
            problems.push(`${ref.metricName}: no healthy range for statistic ${ref.stat} in ${CATALOG_PATH}`);
        known.push({ ref, f });
    }
    if (problems.length) return problems;

    // Normal operation: every metric at the low end, then every metric at the high end, of its healthy range in this role.
    for (const end of [0, 1] as const) {
        const values = Object.fromEntries(known.map(({ ref, f }) => [ref.id, f.normal[role] ? f.normal[role]![ref.stat][end] : null]));
        const v = alarmValue(a, values);
        if (inAlarm(a, v)) {
            problems.push(
                `in ALARM on a healthy ${role} (${known
                    .map(({ ref }) => `${ref.metricName}=${values[ref.id] ?? "no data"}`)
                    .filter((s, n, all) => all.indexOf(s) === n)
                    .join(
                        ", ",
                    )} gives ${v ?? "no data"} ${a.comparisonOperator} ${a.threshold}${v === null ? `, treatMissingData ${a.treatMissingData}` : ""})`,
            );
            break;
        }
    }
    // The failure: each metric with a failure takes it; the others keep their busiest healthy value
    // (a metric idle in this role, such as a standby's requests, takes the primary's: the failure comes with traffic).
    const failing = known.filter(({ f }) => f.failure);
    if (failing.length === 0) {
        problems.push(`none of ${known.map(({ ref }) => ref.metricName).join(", ")} has a failure value in ${CATALOG_PATH}: cannot show the alarm fires`);
    } else {
        const values = Object.fromEntries(
            known.map(({ ref, f }) => {
                if (f.failure) return [ref.id, f.failure.value];
                const busy = f.normal[role] ?? f.normal.primary;
                return [ref.id, busy ? (busy[ref.stat]?.[1] ?? null) : null];
            }),
        );
        const v = alarmValue(a, values);
        if (!inAlarm(a, v)) {
            const what = [...new Set(failing.map(({ f }) => f.failure!.what))].join("; ");
            problems.push(
                `does not fire on the failure it watches (${what}: gives ${v ?? "no data"} against ${a.comparisonOperator} ${a.threshold}); check the unit and the operator`,
            );
        }
    }
    return problems;
}
