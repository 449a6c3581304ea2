import type { CapturedResource } from "../mock-engine";
import type { LoadProfile } from "../../../stacks/config-keys/load";
import type { PlanFile } from "../plan-file";
import type { PriceTable } from "./price-table";

/** The spec's cost categories ("Resource Cost Analysis"), so our lines sum the way its budget does. */
export type CostCategory = "compute" | "database" | "cache" | "network-cdn" | "monitoring-security";

/**
 * How the optimised view treats a line (pricing/optimisation.json):
 * on-demand nodes get Savings Plans, off-peak scale-down and (when enabled) Graviton;
 * spot nodes the spot discount; reserved-able data-tier instances the reserved discount.
 */
export type Optimisation = "none" | "ec2-on-demand" | "ec2-spot" | "reserved";

/** One priced line of a stack's monthly bill. */
export interface CostLine {
    /** Resource the line belongs to (its name in the plan). */
    resource: string;
    type: string;
    /** What is billed, e.g. "2 x db.r6g.2xlarge (I/O-Optimized)". */
    item: string;
    /** fixed: runs whatever the traffic; per-request: from the load profile. */
    kind: "fixed" | "per-request";
    category: CostCategory;
    quantity: number;
    unit: string;
    /** Price per unit, USD, after regional uplift. */
    unitPrice: number;
    /** USD per month at list price. */
    onDemand: number;
    /** USD per month after the optimisation assumptions. */
    optimised: number;
    /** Where the price comes from and how exact it is. */
    basis: string;
    /** For node groups: which size the month is priced at (desired or min) and why. */
    steadyState?: string;
}

/** A charge the model knows exists but cannot compute. Never counted as $0. */
export interface UnpricedItem {
    resource: string;
    type: string;
    reason: string;
}

export interface CostTotals {
    onDemand: number;
    optimised: number;
}

/** The plan's `cost` section. */
export interface CostSection {
    currency: "USD";
    hoursPerMonth: number;
    /** The load profile the per-request lines use, and this stack's share of it. */
    load: { peakRps: number; share: number; requestsPerMonth: number };
    fixed: CostTotals;
    perRequest: CostTotals;
    /** Fixed by spec category. */
    byCategory: Record<CostCategory, CostTotals>;
    lines: CostLine[];
    unpriced: UnpricedItem[];
}

/** What a cost function gets: the plan, its region and zone, prices, load. */
export interface CostContext {
    plan: PlanFile;
    all: ReadonlyMap<string, PlanFile>;
    region: string;
    zone?: string;
    role: string;
    prices: PriceTable;
    load: LoadProfile;
    /** Requests a month reaching this stack's part of the system (its zone's share, or all at the edge). */
    requestsPerMonth: number;
    byUrn: ReadonlyMap<string, CapturedResource>;
}

/** A line before the optimisation is applied. */
export type DraftLine = Omit<CostLine, "optimised"> & {
    optimisation: Optimisation;
    /** Node groups: minSize / desiredSize, the part off-peak scale-down cannot remove. */
    floorShare?: number;
    /** Node groups: an x86 family the Graviton assumption may reprice. */
    x86?: boolean;
};

/** A cost function of one resource type: its lines, or unpriced items it found. */
export type CostFunction = (r: CapturedResource, ctx: CostContext) => (DraftLine | UnpricedItem)[];
