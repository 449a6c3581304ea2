import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../../stacks/stack-files";

/** One entry of pricing/prices.json. */
export interface PriceEntry {
    unit: string;
    /** USD per unit by region (or by CloudFront geography when byGeography). */
    usd: Record<string, number>;
    /** Regional uplift class (pricing/regions.json) for regions usd leaves out. */
    uplift?: string;
    /** The same price in every region. */
    sameInAllRegions?: boolean;
    byGeography?: boolean;
    /** Volume tiers by geography: [upper bound in units or null for the rest, price]. */
    tiers?: Record<string, [number | null, number][]>;
    source: string;
    retrieved: string;
    basis: string;
}

export interface Uplift {
    source: string;
    retrieved: string;
    basis: string;
    factors: Record<string, number>;
}

export interface OptimisationAssumptions {
    savingsPlans: { share: number; discount: number; source: string; retrieved: string; basis: string };
    reserved: { share: number; discount: number; source: string; retrieved: string; basis: string };
    spot: { discount: number; source: string; retrieved: string; basis: string };
    graviton: { enabled: boolean; priceRatio: number; source: string; retrieved: string; basis: string };
    offPeak: { hoursShare: number; reduction: number; source: string; retrieved: string; basis: string };
}

export interface ResourceTypeLists {
    free: Record<string, string>;
    unpriced: Record<string, string>;
}

/** A price as a cost line uses it: the figure for the region and how it was found. */
export interface Price {
    usd: number;
    unit: string;
    basis: string;
}

export class PriceTable {
    constructor(
        readonly prices: Readonly<Record<string, PriceEntry>>,
        readonly uplifts: Readonly<Record<string, Uplift>>,
        readonly optimisation: OptimisationAssumptions,
        readonly types: ResourceTypeLists,
    ) {}

    /** The price of `id` in `region`, or undefined when the table has none (the line is then unpriced). */
    get(id: string, region: string): Price | undefined {
        const e = this.prices[id];
        if (!e) return undefined;
        const own = e.usd[region];
        if (own !== undefined) return { usd: own, unit: e.unit, basis: `${e.basis}; ${region} list price (${e.source}, ${e.retrieved})` };
        const base = e.usd["us-east-1"];
        if (base === undefined) return undefined;
        if (e.sameInAllRegions) return { usd: base, unit: e.unit, basis: `${e.basis}; same price in every region (${e.source}, ${e.retrieved})` };
        const factor = e.uplift ? this.uplifts[e.uplift]?.factors[region] : undefined;
        if (factor === undefined) return undefined;
        return {
            usd: base * factor,
            unit: e.unit,
            basis:
                factor === 1
                    ? `${e.basis}; us-east-1 price, same in ${region} (${e.source}, ${e.retrieved})`
                    : `${e.basis}; us-east-1 price x ${factor} regional uplift assumed for ${region} (pricing/regions.json) (${e.source}, ${e.retrieved})`,
        };
    }

    /** A CloudFront-style price by viewer geography (us, eu, apac). */
    byGeography(id: string, geography: string): Price | undefined {
        const e = this.prices[id];
        const usd = e?.usd[geography];
        if (!e || usd === undefined) return undefined;
        return { usd, unit: e.unit, basis: `${e.basis}; ${geography} viewers (${e.source}, ${e.retrieved})` };
    }

    /** Cost of `quantity` units under the entry's volume tiers for a geography (first-tier price when it has none). */
    tiered(id: string, geography: string, quantity: number): { usd: number; basis: string } | undefined {
        const e = this.prices[id];
        if (!e) return undefined;
        const tiers = e.tiers?.[geography];
        const flat = e.usd[geography];
        if (!tiers)
            return flat === undefined
                ? undefined
                : { usd: quantity * flat, basis: `${e.basis}; ${geography} at ${flat} per ${e.unit} (${e.source}, ${e.retrieved})` };
        let left = quantity;
        let usd = 0;
        let lower = 0;
        for (const [upper, price] of tiers) {
            const span = upper === null ? left : Math.min(left, upper - lower);
            usd += span * price;
            left -= span;
            if (upper !== null) lower = upper;
            if (left <= 0) break;
        }
        return { usd, basis: `${e.basis}; ${geography} volume tiers (${e.source}, ${e.retrieved})` };
    }
}

/** AWS's instance size normalization factors, relative to large (large = 4 units): sizes are priced linearly. */
const SIZE_FACTORS: Readonly<Record<string, number>> = {
    nano: 0.0625,
    micro: 0.125,
    small: 0.25,
    medium: 0.5,
    large: 1,
    xlarge: 2,
    metal: NaN,
};

/** The size's multiple of a large (2xlarge = 4, 16xlarge = 32), or undefined for sizes without a linear price. */
export function sizeFactor(size: string): number | undefined {
    if (size in SIZE_FACTORS) return Number.isNaN(SIZE_FACTORS[size]) ? undefined : SIZE_FACTORS[size];
    const m = /^(\d+)xlarge$/.exec(size);
    return m ? Number(m[1]) * 2 : undefined;
}

function readJson<T>(file: string): T {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

let cached: PriceTable | undefined;

/** The table in pricing/ (read once per process). */
export function loadPriceTable(root: string = projectRoot()): PriceTable {
    if (cached && root === projectRoot()) return cached;
    const dir = path.join(root, "pricing");
    const table = new PriceTable(
        readJson<{ prices: Record<string, PriceEntry> }>(path.join(dir, "prices.json")).prices,
        readJson<{ uplifts: Record<string, Uplift> }>(path.join(dir, "regions.json")).uplifts,
        readJson<OptimisationAssumptions>(path.join(dir, "optimisation.json")),
        readJson<ResourceTypeLists>(path.join(dir, "resource-types.json")),
    );
    if (root === projectRoot()) cached = table;
    return table;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const SOURCE_RE = /^https:\/\/(aws\.amazon\.com|pricing\.us-east-1\.amazonaws\.com|docs\.aws\.amazon\.com)\//;

/** What is wrong with the table: a price or assumption without an AWS source, a date, a basis, or a usable figure. */
export function priceTableProblems(t: PriceTable, today: Date = new Date()): string[] {
    const problems: string[] = [];
    const dated = (what: string, e: { source?: string; retrieved?: string; basis?: string }, sourcePattern = SOURCE_RE) => {
        if (!e.source || !sourcePattern.test(e.source))
            problems.push(`${what}: source must be an AWS pricing page or Price List API URL (got ${JSON.stringify(e.source)})`);
        if (!e.retrieved || !DATE_RE.test(e.retrieved) || Number.isNaN(Date.parse(e.retrieved)) || Date.parse(e.retrieved) > today.getTime())
            problems.push(`${what}: retrieved must be a past date YYYY-MM-DD (got ${JSON.stringify(e.retrieved)})`);
        if (!e.basis || e.basis.trim().length < 10) problems.push(`${what}: basis must say what the figure is and how exact`);
    };
    for (const [id, e] of Object.entries(t.prices)) {
        dated(`prices.${id}`, e);
        const figures = Object.entries(e.usd ?? {});
        if (!figures.length) problems.push(`prices.${id}: has no usd figure`);
        for (const [where, v] of figures)
            if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
                problems.push(`prices.${id}.usd.${where}: must be a number >= 0 (got ${JSON.stringify(v)})`);
        if (!e.byGeography && e.usd && e.usd["us-east-1"] === undefined) problems.push(`prices.${id}: needs a us-east-1 figure, the base of regional uplifts`);
        if (e.uplift && !t.uplifts[e.uplift]) problems.push(`prices.${id}: uplift ${JSON.stringify(e.uplift)} is not in pricing/regions.json`);
        if (!e.byGeography && !e.sameInAllRegions && !e.uplift && Object.keys(e.usd ?? {}).length < 6)
            problems.push(`prices.${id}: lists only some regions but names no uplift and is not sameInAllRegions`);
    }
    for (const [id, u] of Object.entries(t.uplifts)) dated(`regions.${id}`, u);
    // The optimisation defaults may cite the spec as well as AWS.
    for (const [id, a] of Object.entries(t.optimisation))
        if (id !== "$comment")
            dated(`optimisation.${id}`, a as { source?: string; retrieved?: string; basis?: string }, /(https:\/\/aws\.amazon\.com\/|spec ')/);
    for (const kind of ["free", "unpriced"] as const) {
        for (const [type, reason] of Object.entries(t.types[kind]))
            if (!type.startsWith("$") && (!reason || reason.trim().length < 8)) problems.push(`resource-types.${kind}.${type}: needs a reason`);
    }
    return problems;
}
