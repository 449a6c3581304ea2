import { capacityOf } from "./capacity";
import type { PlanFile } from "./plan-file";
import { recoveryOf } from "./recovery";

/**
 * Fills in the capacity and recovery sections of every plan of a run. Capacity first, regional stacks
 * before the global one (which sums them up); recovery after, since it reads the standbys' capacity.
 */
export function applyModels(planned: ReadonlyMap<string, PlanFile>): void {
    const role = (p: PlanFile) => String(p.config["bookedbarber:role"]);
    // The bootstrap stack (wave 0) serves no traffic and fails nothing over: it has neither section.
    const modelled = [...planned.values()].filter((p) => MODELLED_ROLES.includes(role(p)));
    const regionalFirst = modelled.sort((a, b) => Number(role(a) === "global") - Number(role(b) === "global"));
    for (const plan of regionalFirst) plan.capacity = capacityOf(plan, planned);
    for (const plan of regionalFirst) plan.recovery = recoveryOf(plan, planned);
}

/** Roles whose stacks serve traffic or orchestrate the failover. */
const MODELLED_ROLES: readonly string[] = ["primary", "standby", "global"];
