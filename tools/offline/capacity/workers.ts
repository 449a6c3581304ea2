import type { PlanFile } from "../plan-file";
import { ISTIO_SIDECAR } from "./facts/daemonsets";
import type { PlannedNodeGroup } from "./plan-reader";
import { obj, ofType } from "./plan-reader";
import type { CapacityTarget } from "./types";
import { WORKER, WORKER_POD } from "../../../components/worker-scaling";
import type { NodeSizing } from "./types";

/** The node group the worker lands on: it has no toleration for the compute group's taint, so the untainted general group. */
export const WORKER_WORKLOAD_CLASS = "general";

/**
 * The background-job workers at their ScaledObject's maxReplicaCount, on the general group: nodes
 * they need on top of the group's floor (which runs the system add-ons), and whether the group's
 * maxSize has room for them. Undefined when the plan scales no worker.
 */
export function workerCapacity(plan: PlanFile, groups: PlannedNodeGroup[], podsPerNode: (type: string, pod: { cpuMillis: number; memoryMiB: number }) => Pick<NodeSizing, "podsPerNode" | "instanceType">):
    { nodes: number; target: CapacityTarget } | undefined {
    const scaled = ofType(plan, "kubernetes:keda.sh/v1alpha1:ScaledObject").find((r) => obj(r.inputs.metadata).name === WORKER);
    if (!scaled) return undefined;
    const max = Number(obj(scaled.inputs.spec).maxReplicaCount ?? 0);
    const pod = { cpuMillis: WORKER_POD.cpuMillicores + ISTIO_SIDECAR.cpuMillis, memoryMiB: WORKER_POD.memoryMiB + ISTIO_SIDECAR.memoryMiB };
    const group = groups.find((g) => g.workloadClass === WORKER_WORKLOAD_CLASS);
    if (!group) {
        return { nodes: 0, target: { target: "workers at maxReplicaCount", met: false, limiting: `${WORKER_WORKLOAD_CLASS} node group`, utilisation: Infinity, detail: `no node group labelled workload-class=${WORKER_WORKLOAD_CLASS}` } };
    }
    const sizing = [...group.instanceTypes].map((t) => podsPerNode(t, pod)).sort((a, b) => a.podsPerNode - b.podsPerNode)[0];
    const nodes = sizing.podsPerNode > 0 ? Math.ceil(max / sizing.podsPerNode) : Infinity;
    const room = group.maxSize - group.minSize;
    return {
        nodes,
        target: {
            target: `workers at maxReplicaCount within the ${WORKER_WORKLOAD_CLASS} group's headroom`, met: nodes <= room, limiting: `${WORKER_WORKLOAD_CLASS} node group maxSize - minSize`,
            utilisation: room > 0 ? nodes / room : Infinity,
            detail: `${max} workers (${pod.cpuMillis}m/${pod.memoryMiB}Mi with the sidecar) / ${sizing.podsPerNode} per ${sizing.instanceType} = ${nodes} nodes above the group's ${group.minSize}; headroom ${room}`,
        },
    };
}
