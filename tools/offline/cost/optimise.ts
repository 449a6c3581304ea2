import type { OptimisationAssumptions } from "./price-table";
import type { DraftLine } from "./types";

/**
 * The optimised monthly figure of a line (pricing/optimisation.json):
 * - on-demand nodes: Graviton repricing (when enabled, x86 only), off-peak scale-down of
 *   the nodes above minSize, then Savings Plans on the committed share;
 * - spot nodes: off-peak scale-down, then the spot discount;
 * - data-tier instances: the reserved share at the reserved discount;
 * - everything else: list price.
 */
export function optimised(d: DraftLine, a: OptimisationAssumptions): number {
    switch (d.optimisation) {
        case "none":
            return d.onDemand;
        case "reserved":
            return d.onDemand * (1 - a.reserved.share * a.reserved.discount);
        case "ec2-on-demand":
        case "ec2-spot": {
            const graviton = a.graviton.enabled && d.x86 ? a.graviton.priceRatio : 1;
            const floor = d.floorShare ?? 1;
            // Off-peak the group runs at (1 - reduction) of its size, never below minSize.
            const offPeakSize = Math.max(floor, 1 - a.offPeak.reduction);
            const scaled = 1 - a.offPeak.hoursShare + a.offPeak.hoursShare * offPeakSize;
            const discount = d.optimisation === "ec2-spot" ? a.spot.discount : a.savingsPlans.share * a.savingsPlans.discount;
            return d.onDemand * graviton * scaled * (1 - discount);
        }
    }
}
