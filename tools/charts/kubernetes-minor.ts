import { CLUSTER_KEYS } from "../../stacks/config-keys/cluster";
import type { PlanFile } from "../offline/plan-file";

/** The Kubernetes minor a regional plan's cluster runs: its `kubernetesVersion` config, else the key's default. */
export function kubernetesMinorOf(plan: Pick<PlanFile, "config">): string {
    const set = plan.config["bookedbarber:kubernetesVersion"];
    return typeof set === "string" ? set : String(CLUSTER_KEYS.kubernetesVersion.default);
}
