import type { PlanFile } from "../plan-file";
import { SPEC_CATEGORY_BUDGET, SPEC_MONTHLY_BUDGET } from "./spec-targets";
import type { CostCategory, CostSection, CostTotals } from "./types";

/** The sections the capacity and recovery-time models add to a plan; read here when present. */
interface ModelSections {
    capacity?: { met: boolean; limiting?: string };
    recovery?: { rtoSeconds: number; met: boolean };
}

export const usd = (n: number): string => `$${Math.round(n).toLocaleString("en-US")}`;

function pad(cells: string[], widths: number[]): string {
    return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
}

function capacityCell(p: ModelSections): string {
    if (!p.capacity) return "-";
    return p.capacity.met ? "met" : `NOT met${p.capacity.limiting ? ` (${p.capacity.limiting})` : ""}`;
}

function rtoCell(p: ModelSections): string {
    if (!p.recovery) return "-";
    const m = Math.floor(p.recovery.rtoSeconds / 60);
    const s = Math.round(p.recovery.rtoSeconds % 60);
    return `${m}m${String(s).padStart(2, "0")}s${p.recovery.met ? "" : " NOT met"}`;
}

/** Whether a total meets a budget, in words. */
function verdict(total: number, budget: number): string {
    return total <= budget ? `within ${usd(budget)}` : `OVER ${usd(budget)} by ${usd(total - budget)}`;
}

/**
 * The plan's cost table: per stack and in total, fixed infrastructure on demand and
 * optimised beside the spec's figures, per-request cost at the load profile apart,
 * unpriced items counted, and the capacity and RTO verdicts of the other models.
 */
export function formatCostTable(plans: readonly PlanFile[], allStacks?: readonly string[]): string[] {
    const rows = plans.filter((p) => p.cost).sort((a, b) => a.stack.localeCompare(b.stack));
    if (rows.length === 0) return [];
    const header = ["stack", "fixed on demand", "fixed optimised", "per-request", "unpriced", "capacity", "RTO"];
    const body = rows.map((p) => {
        const c = p.cost!;
        const m = p as PlanFile & ModelSections;
        return [p.stack, usd(c.fixed.onDemand), usd(c.fixed.optimised), usd(c.perRequest.onDemand), String(c.unpriced.length), capacityCell(m), rtoCell(m)];
    });
    const sum = (pick: (p: PlanFile) => CostTotals): CostTotals => ({
        onDemand: rows.reduce((a, p) => a + pick(p).onDemand, 0),
        optimised: rows.reduce((a, p) => a + pick(p).optimised, 0),
    });
    const fixed = sum((p) => p.cost!.fixed);
    const perRequest = sum((p) => p.cost!.perRequest);
    const unpriced = rows.reduce((a, p) => a + p.cost!.unpriced.length, 0);
    const total = ["total", usd(fixed.onDemand), usd(fixed.optimised), usd(perRequest.onDemand), String(unpriced), "", ""];
    const spec = ["spec budget", usd(SPEC_MONTHLY_BUDGET.onDemand), usd(SPEC_MONTHLY_BUDGET.optimised), "", "", "", ""];
    const all = [header, ...body, total, spec];
    const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
    const rule = widths.map((w) => "-".repeat(w)).join("  ");
    const load = rows.find((p) => p.stack === "global")?.cost?.load ?? rows[0].cost!.load;
    // Why a total is over: the categories above the spec's own breakdown.
    const categories = Object.keys(SPEC_CATEGORY_BUDGET) as CostCategory[];
    const byCategory = categories.map((c) => ({ c, total: rows.reduce((a, p) => a + p.cost!.byCategory[c].onDemand, 0) }));
    const over = byCategory.filter(({ c, total }) => total > SPEC_CATEGORY_BUDGET[c]);
    return [
        "Monthly cost (USD, 730 h; tools/offline/cost/, prices in pricing/):",
        `  ${pad(header, widths)}`,
        `  ${rule}`,
        ...body.map((r) => `  ${pad(r, widths)}`),
        `  ${rule}`,
        `  ${pad(total, widths)}`,
        `  ${pad(spec, widths)}`,
        `  fixed infrastructure: ${usd(fixed.onDemand)} on demand (${verdict(fixed.onDemand, SPEC_MONTHLY_BUDGET.onDemand)}), ${usd(fixed.optimised)} optimised (${verdict(fixed.optimised, SPEC_MONTHLY_BUDGET.optimised)})`,
        `  by category, on demand against the spec's breakdown: ${byCategory.map(({ c, total }) => `${c} ${usd(total)}/${usd(SPEC_CATEGORY_BUDGET[c])}`).join(", ")}${over.length ? `; over: ${over.map(({ c }) => c).join(", ")}` : ""}`,
        `  per-request at ${load.peakRps.toLocaleString("en-US")} rps peak: ${usd(perRequest.onDemand)} a month on top (CloudFront, WAF, transfer, NAT, load balancer units, replication), reported apart from the budget`,
        ...(allStacks && rows.length < allStacks.length
            ? [
                  `  partial: ${rows.length} of ${allStacks.length} stacks planned (missing ${allStacks
                      .filter((s) => !rows.some((p) => p.stack === s))
                      .sort()
                      .join(", ")}), so the total is not the estate's; plan --all to compare with the spec`,
              ]
            : []),
        ...(unpriced ? [`  ${unpriced} unpriced item${unpriced === 1 ? "" : "s"} not counted (never as $0): plan/<stack>.json cost.unpriced`] : []),
    ];
}

/** One line for a stack's summary: its fixed cost, per-request cost and unpriced count. */
export function costSummaryLine(c: CostSection): string {
    return `cost: ${usd(c.fixed.onDemand)} a month fixed on demand, ${usd(c.fixed.optimised)} optimised; ${usd(c.perRequest.onDemand)} per-request at ${Math.round(c.load.share * 100)}% of the load profile; ${c.unpriced.length} unpriced`;
}
