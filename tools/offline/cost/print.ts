import { listStacks } from "../../../stacks/stack-files";
import type { PlanFile } from "../plan-file";
import { formatCostTable } from "./table";

/** The cost table under `npm run plan`: the stacks this run wrote (dependency-only stacks left out). */
export function printCostTable(results: readonly { plan?: PlanFile; dependencyOnly: boolean }[], root?: string): void {
    const lines = formatCostTable(
        results.filter((r) => r.plan && !r.dependencyOnly).map((r) => r.plan!),
        listStacks(root),
    );
    if (lines.length) console.log(lines.join("\n"));
}
