import type { PlanFile } from "../plan-file";
import { usd } from "./table";
import type { CostLine } from "./types";

/** One changed line between two plans: the same resource and item, or one side missing. */
export interface LineChange {
    stack: string;
    resource: string;
    item: string;
    before: number;
    after: number;
}

export interface StackChange {
    stack: string;
    before?: { fixed: number; optimised: number; perRequest: number };
    after?: { fixed: number; optimised: number; perRequest: number };
    lines: LineChange[];
}

/**
 * Lines keyed by resource and what they bill, without the words that carry a number, so a
 * resize pairs up ("6 x cache.r6g.large" with "6 x cache.r6g.xlarge", "20 x m6i" with "30 x m6i").
 */
function keyOf(l: CostLine): string {
    return [l.resource, l.type, l.kind, l.item.replace(/\S*\d\S*/g, "#")].join("\u0000");
}

function totals(p: PlanFile | undefined) {
    return p?.cost ? { fixed: p.cost.fixed.onDemand, optimised: p.cost.fixed.optimised, perRequest: p.cost.perRequest.onDemand } : undefined;
}

/** Per-stack and per-line differences from `base` to `head`, on-demand figures. */
export function compareCosts(base: ReadonlyMap<string, PlanFile>, head: ReadonlyMap<string, PlanFile>): StackChange[] {
    const stacks = [...new Set([...base.keys(), ...head.keys()])].sort();
    return stacks.map((stack) => {
        const b = base.get(stack);
        const h = head.get(stack);
        const group = (p?: PlanFile) => {
            const m = new Map<string, CostLine[]>();
            for (const l of p?.cost?.lines ?? []) m.set(keyOf(l), [...(m.get(keyOf(l)) ?? []), l]);
            return m;
        };
        const bl = group(b);
        const hl = group(h);
        const lines: LineChange[] = [];
        for (const k of new Set([...bl.keys(), ...hl.keys()])) {
            const before = (bl.get(k) ?? []).reduce((a, l) => a + l.onDemand, 0);
            const after = (hl.get(k) ?? []).reduce((a, l) => a + l.onDemand, 0);
            if (Math.abs(after - before) < 0.005) continue;
            const sample = (hl.get(k) ?? bl.get(k))![0];
            const beforeItem = bl.get(k)?.[0].item;
            const item = beforeItem && beforeItem !== sample.item ? `${beforeItem} -> ${sample.item}` : sample.item;
            lines.push({ stack, resource: sample.resource, item, before, after });
        }
        lines.sort((x, y) => Math.abs(y.after - y.before) - Math.abs(x.after - x.before) || x.resource.localeCompare(y.resource));
        return { stack, before: totals(b), after: totals(h), lines };
    });
}

const signed = (n: number) => `${n >= 0 ? "+" : "-"}${usd(Math.abs(n))}`;

/** The diff as a pull-request cost comment: per stack, then its changed lines (largest first). */
export function formatComparison(changes: readonly StackChange[], maxLines = 15): string[] {
    const out: string[] = ["Monthly cost change (on demand; optimised in brackets), base -> head:"];
    let fixedB = 0,
        fixedH = 0,
        optB = 0,
        optH = 0,
        reqB = 0,
        reqH = 0;
    for (const c of changes) {
        fixedB += c.before?.fixed ?? 0;
        fixedH += c.after?.fixed ?? 0;
        optB += c.before?.optimised ?? 0;
        optH += c.after?.optimised ?? 0;
        reqB += c.before?.perRequest ?? 0;
        reqH += c.after?.perRequest ?? 0;
        if (!c.before && !c.after) continue;
        const state = !c.before ? " (new stack)" : !c.after ? " (stack removed)" : "";
        const d = (c.after?.fixed ?? 0) - (c.before?.fixed ?? 0);
        const dOpt = (c.after?.optimised ?? 0) - (c.before?.optimised ?? 0);
        const dReq = (c.after?.perRequest ?? 0) - (c.before?.perRequest ?? 0);
        out.push(
            `  ${c.stack}${state}: fixed ${usd(c.before?.fixed ?? 0)} -> ${usd(c.after?.fixed ?? 0)} (${signed(d)}) [${signed(dOpt)}]; per-request ${signed(dReq)}`,
        );
        for (const l of c.lines.slice(0, maxLines)) out.push(`      ${signed(l.after - l.before).padStart(10)}  ${l.resource}: ${l.item}`);
        if (c.lines.length > maxLines) out.push(`      ... ${c.lines.length - maxLines} more changed lines`);
    }
    out.push(
        `  total: fixed ${usd(fixedB)} -> ${usd(fixedH)} (${signed(fixedH - fixedB)}), optimised ${usd(optB)} -> ${usd(optH)} (${signed(optH - optB)}), per-request ${usd(reqB)} -> ${usd(reqH)} (${signed(reqH - reqB)})`,
    );
    return out;
}
