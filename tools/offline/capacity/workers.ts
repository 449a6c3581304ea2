import type { PlanFile } from "../plan-file";
import { ISTIO_SIDECAR } from "./facts/daemonsets";
import type { PlannedNodeGroup } from "./plan-reader";
import { obj, ofType, workloadRequestsOf } from "./plan-reader";
import type { CapacityTarget } from "./types";
import { WORKER, WORKER_POD } from "../../../components/worker-scaling";
import { WORKER_NODE_SELECTOR } from "../../../components/worker-deployment";
import type { NodeSizing } from "./types";

const WORKLOAD_CLASS_LABEL = "bookedbarber.com/workload-class";
/** The node group the worker lands on: it has no toleration for the compute group's taint, so the untainted general group. */
export const WORKER_WORKLOAD_CLASS = WORKER_NODE_SELECTOR[WORKLOAD_CLASS_LABEL];

/**
 * The background-job workers at their ScaledObject's maxReplicaCount, on the node group their
 * Deployment selects (its nodeSelector's workload class): nodes they need on top of the group's floor
 * (which runs the system add-ons), and whether the group's maxSize has room for them. Requests come
 * from the worker Deployment in the plan (WORKER_POD where the plan has none), plus the sidecar.
 * Undefined when the plan scales no worker. A standby plans the same, so a failover counts them too.
 */
export function workerCapacity(
    plan: PlanFile,
    groups: PlannedNodeGroup[],
    podsPerNode: (type: string, pod: { cpuMillis: number; memoryMiB: number }) => Pick<NodeSizing, "podsPerNode" | "instanceType">,
): { nodes: number; target: CapacityTarget } | undefined {
    const scaled = ofType(plan, "kubernetes:keda.sh/v1alpha1:ScaledObject").find((r) => obj(r.inputs.metadata).name === WORKER);
    if (!scaled) return undefined;
    const max = Number(obj(scaled.inputs.spec).maxReplicaCount ?? 0);
    const deployment = plan.resources.find((r) => /:(Deployment|Rollout)$/.test(r.type) && obj(r.inputs.metadata).name === WORKER);
    const selected = obj(obj(obj(obj(deployment?.inputs.spec).template).spec).nodeSelector)[WORKLOAD_CLASS_LABEL];
    const workloadClass = typeof selected === "string" ? selected : WORKER_WORKLOAD_CLASS;
    const app = workloadRequestsOf(plan, WORKER) ?? { cpuMillis: WORKER_POD.cpuMillicores, memoryMiB: WORKER_POD.memoryMiB };
    const pod = { cpuMillis: app.cpuMillis + ISTIO_SIDECAR.cpuMillis, memoryMiB: app.memoryMiB + ISTIO_SIDECAR.memoryMiB };
    const group = groups.find((g) => g.workloadClass === workloadClass);
    if (!group) {
        return {
            nodes: 0,
            target: {
                target: "workers at maxReplicaCount",
                met: false,
                limiting: `${workloadClass} node group`,
                utilisation: Infinity,
                detail: `no node group labelled workload-class=${workloadClass}`,
            },
        };
    }
    const sizing = [...group.instanceTypes].map((t) => podsPerNode(t, pod)).sort((a, b) => a.podsPerNode - b.podsPerNode)[0];
    const nodes = sizing.podsPerNode > 0 ? Math.ceil(max / sizing.podsPerNode) : Infinity;
    const room = group.maxSize - group.minSize;
    return {
        nodes,
        target: {
            target: `workers at maxReplicaCount within the ${workloadClass} group's headroom`,
            met: nodes <= room,
            limiting: `${workloadClass} node group maxSize - minSize`,
            utilisation: room > 0 ? nodes / room : Infinity,
            detail: `${max} workers (${pod.cpuMillis}m/${pod.memoryMiB}Mi with the sidecar${deployment ? "" : "; no worker Deployment in the plan, WORKER_POD assumed"}) / ${sizing.podsPerNode} per ${sizing.instanceType} = ${nodes} nodes above the group's ${group.minSize}; headroom ${room}`,
        },
    };
}
