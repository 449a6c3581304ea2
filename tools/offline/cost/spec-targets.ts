/**
 * The spec's cost figures ("Cost Optimization Strategy"): one home, read by the
 * plan table, the tests and docs/cost-model.md.
 */
export const SPEC_MONTHLY_BUDGET = {
    /** "TOTAL MONTHLY: $100,000". */
    onDemand: 100_000,
    /** "Total Optimized Cost: $57,000/month". */
    optimised: 57_000,
} as const;

/** The spec's monthly breakdown by category ("Resource Cost Analysis"), USD. */
export const SPEC_CATEGORY_BUDGET = {
    compute: 45_000,
    database: 26_000,
    cache: 10_000,
    "network-cdn": 14_000,
    "monitoring-security": 5_000,
} as const;

/** Hours in the month the model prices (AWS's pricing pages use 730). */
export const HOURS_PER_MONTH = 730;
