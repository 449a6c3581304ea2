import { capacityOf } from "./capacity";
import type { PlanFile } from "./plan-file";
import { recoveryOf } from "./recovery";

/**
 * Fills in the capacity and recovery sections of every plan of a run. Capacity first, regional stacks
 * before the global one (which sums them up); recovery after, since it reads the standbys' capacity.
 */
export function applyModels(planned: ReadonlyMap<string, PlanFile>): void {
    const isGlobal = (p: PlanFile) => Number(p.config["bookedbarber:role"] === "global");
    const regionalFirst = [...planned.values()].sort((a, b) => isGlobal(a) - isGlobal(b));
    for (const plan of regionalFirst) plan.capacity = capacityOf(plan, planned);
    for (const plan of planned.values()) plan.recovery = recoveryOf(plan, planned);
}
