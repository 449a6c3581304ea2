import type { CapturedResource } from "../mock-engine";
import { HOURS_PER_MONTH } from "./spec-targets";
import type { Price } from "./price-table";
import type { CostCategory, CostContext, DraftLine, Optimisation, UnpricedItem } from "./types";

/** Bytes in a billed GB (AWS bills data transfer and storage in GiB). */
export const GB = 2 ** 30;

export interface LineSpec {
    item: string;
    kind: "fixed" | "per-request";
    category: CostCategory;
    quantity: number;
    unit: string;
    price: Price;
    optimisation?: Optimisation;
    extra?: Partial<DraftLine>;
}

/** A line: quantity x price, with the price's basis. */
export function line(r: CapturedResource, s: LineSpec): DraftLine {
    return {
        resource: r.name,
        type: r.type,
        item: s.item,
        kind: s.kind,
        category: s.category,
        quantity: s.quantity,
        unit: s.unit,
        unitPrice: s.price.usd,
        onDemand: s.quantity * s.price.usd,
        basis: s.price.basis,
        optimisation: s.optimisation ?? "none",
        ...s.extra,
    };
}

/** A line billed per hour over the month. */
export function hourly(r: CapturedResource, count: number, s: Omit<LineSpec, "quantity" | "unit"> & { unit?: string }): DraftLine {
    return line(r, { ...s, quantity: count * HOURS_PER_MONTH, unit: s.unit ?? `${s.price.unit}s (${count} x ${HOURS_PER_MONTH} h)` });
}

export function unpriced(r: CapturedResource, reason: string): UnpricedItem {
    return { resource: r.name, type: r.type, reason };
}

export function isUnpriced(x: DraftLine | UnpricedItem): x is UnpricedItem {
    return !("onDemand" in x);
}

/** Splits "db.r6g.2xlarge" / "cache.r6g.large" / "m6i.2xlarge" / "r6g.4xlarge.search" into family and size. */
export function familyAndSize(instanceType: string): { family: string; size: string } | undefined {
    const parts = String(instanceType ?? "")
        .replace(/^(db|cache)\./, "")
        .replace(/\.search$/, "")
        .split(".");
    return parts.length === 2 ? { family: parts[0], size: parts[1] } : undefined;
}

/** Resources of a type in the plan. */
export function ofType(ctx: CostContext, type: string): CapturedResource[] {
    return ctx.plan.resources.filter((r) => r.type === type);
}

export const num = (v: unknown, fallback = 0): number =>
    typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && v !== "" && Number.isFinite(Number(v)) ? Number(v) : fallback;
