import type { PlanFile } from "../plan-file";
import { ISTIO_SIDECAR, NODE_DAEMONSETS, PodRequests } from "./facts/daemonsets";
import { eniMaxPods, INSTANCE_TYPES } from "./facts/instance-types";
import { EVICTION_HARD_MEMORY_MIB, kubeReservedCpuMillis, kubeReservedMemoryMiB } from "./facts/node-reservations";
import { clusterMaxNodesOf, hpasOf, nodeGroupsOf, PlannedNodeGroup, workloadRequestsOf } from "./plan-reader";
import type { CapacitySection, CapacityTarget, NodeSizing } from "./types";
import { BACKEND_ASSUMPTIONS } from "./workload";
import { BACKEND } from "../../../components/regional-cluster/manifests";
import { workerCapacity } from "./workers";

const ratio = (demand: number, supply: number) => (supply > 0 ? demand / supply : Infinity);

/** Requests of every DaemonSet pod a node runs. */
export function daemonSetOverhead(): PodRequests & { pods: number } {
    const all = Object.values(NODE_DAEMONSETS);
    return { cpuMillis: all.reduce((a, d) => a + d.cpuMillis, 0), memoryMiB: all.reduce((a, d) => a + d.memoryMiB, 0), pods: all.length };
}

/** How many pods of `pod` one node of `instanceType` holds after kubelet reservations and DaemonSets. */
export function podsPerNode(instanceType: string, pod: PodRequests): Omit<NodeSizing, "group" | "minSize" | "maxSize" | "nodesAtPeak"> {
    const t = INSTANCE_TYPES[instanceType];
    if (!t)
        throw new Error(`capacity model: no facts for instance type ${instanceType}; add it to tools/offline/capacity/facts/instance-types.ts with its source`);
    const maxPods = eniMaxPods(t);
    const ds = daemonSetOverhead();
    const cpu = t.vcpu * 1000 - kubeReservedCpuMillis(t.vcpu) - ds.cpuMillis;
    const mem = t.memoryGiB * 1024 - kubeReservedMemoryMiB(maxPods) - EVICTION_HARD_MEMORY_MIB - ds.memoryMiB;
    const byCpu = Math.floor(cpu / pod.cpuMillis);
    const byMem = Math.floor(mem / pod.memoryMiB);
    const byPods = maxPods - ds.pods;
    const podsPer = Math.min(byCpu, byMem, byPods);
    const perNodeLimit = podsPer === byCpu ? "cpu" : podsPer === byMem ? "memory" : "max pods";
    return { instanceType, podsPerNode: Math.max(podsPer, 0), perNodeLimit, allocatableCpuMillis: cpu, allocatableMemoryMiB: Math.floor(mem), maxPods };
}

/** The smallest node a group may launch (a group that mixes types for spot may get any of them). */
function smallestType(g: PlannedNodeGroup, pod: PodRequests): string {
    return [...g.instanceTypes].sort((a, b) => podsPerNode(a, pod).podsPerNode - podsPerNode(b, pod).podsPerNode)[0];
}

/**
 * Backend pods and nodes for `zoneRps` requests per second on this stack's cluster, and whether
 * the HPA, the node group and the cluster autoscaler can reach them.
 */
export function computeCapacity(plan: PlanFile, zoneRps: number): Pick<CapacitySection, "pods" | "nodes" | "targets"> {
    const targets: CapacityTarget[] = [];
    const hpa = hpasOf(plan).find((h) => h.target === BACKEND);
    if (!hpa || hpa.rpsPerPod === undefined) {
        targets.push({
            target: "backend pods",
            met: false,
            limiting: "backend HPA",
            utilisation: Infinity,
            detail: `the plan has no HPA for ${BACKEND} with a requests_per_second target`,
        });
        return { targets };
    }
    const fromPlan = workloadRequestsOf(plan, BACKEND);
    const app = fromPlan ?? BACKEND_ASSUMPTIONS.requests;
    const pod = { cpuMillis: app.cpuMillis + ISTIO_SIDECAR.cpuMillis, memoryMiB: app.memoryMiB + ISTIO_SIDECAR.memoryMiB };
    // The HPA scales on the larger of its metrics: a pod also stops taking load at the CPU target.
    const rpsByCpu = hpa.cpuUtilization !== undefined ? (hpa.cpuUtilization * app.cpuMillis) / (100 * BACKEND_ASSUMPTIONS.cpuMsPerRequest) : Infinity;
    const boundBy = rpsByCpu < hpa.rpsPerPod ? "cpu" : "requests_per_second";
    const rpsPerPod = Math.min(hpa.rpsPerPod, rpsByCpu);
    const needed = Math.ceil(zoneRps / rpsPerPod);
    const pods: NonNullable<CapacitySection["pods"]> = {
        needed,
        rpsPerPod,
        boundBy,
        hpaMax: hpa.maxReplicas,
        requests: pod,
        requestsFrom: fromPlan
            ? `${BACKEND} in the plan, plus the Istio sidecar`
            : `model assumption (no ${BACKEND} workload in the plan: tools/offline/capacity/workload.ts), plus the Istio sidecar`,
    };
    targets.push({
        target: "backend pods within the HPA's maxReplicas",
        met: needed <= hpa.maxReplicas,
        limiting: "backend HPA maxReplicas",
        utilisation: ratio(needed, hpa.maxReplicas),
        detail: `${needed} pods at ${Math.round(rpsPerPod * 10) / 10} rps each (bound by the HPA's ${boundBy} target) for ${zoneRps} rps; HPA max ${hpa.maxReplicas}`,
    });

    const groups = nodeGroupsOf(plan);
    const group = groups.find((g) => g.workloadClass === BACKEND_ASSUMPTIONS.workloadClass);
    if (!group) {
        targets.push({
            target: "backend nodes",
            met: false,
            limiting: `${BACKEND_ASSUMPTIONS.workloadClass} node group`,
            utilisation: Infinity,
            detail: `no node group labelled workload-class=${BACKEND_ASSUMPTIONS.workloadClass}`,
        });
        return { pods, targets };
    }
    const sizing = podsPerNode(smallestType(group, pod), pod);
    const nodesAtPeak = sizing.podsPerNode > 0 ? Math.ceil(needed / sizing.podsPerNode) : Infinity;
    targets.push({
        target: `backend nodes within the ${BACKEND_ASSUMPTIONS.workloadClass} group's maxSize`,
        met: nodesAtPeak <= group.maxSize,
        limiting: `${BACKEND_ASSUMPTIONS.workloadClass} node group maxSize (per node: ${sizing.perNodeLimit})`,
        utilisation: ratio(nodesAtPeak, group.maxSize),
        detail: `${needed} pods / ${sizing.podsPerNode} per ${sizing.instanceType} = ${nodesAtPeak} nodes; maxSize ${group.maxSize}`,
    });
    // The job workers at their maximum, on the general group above its floor.
    const workers = workerCapacity(plan, groups, podsPerNode);
    if (workers) targets.push(workers.target);
    const others = groups.filter((g) => g !== group).reduce((a, g) => a + g.minSize, 0) + (workers?.nodes ?? 0);
    const atPeak = others + Math.max(nodesAtPeak, group.minSize);
    const clusterMax = clusterMaxNodesOf(plan);
    if (clusterMax !== undefined) {
        targets.push({
            target: "nodes at peak within the cluster autoscaler's cap",
            met: atPeak <= clusterMax,
            limiting: "cluster autoscaler max-nodes-total",
            utilisation: ratio(atPeak, clusterMax),
            detail: `${atPeak} nodes (${nodesAtPeak} backend + ${others} other groups' minimum${workers ? ` with ${workers.nodes} for the job workers at their maximum` : ""}); cap ${clusterMax}`,
        });
        const totalMax = groups.reduce((a, g) => a + g.maxSize, 0);
        targets.push({
            target: "node group maximums reach the autoscaler's cap and no further",
            met: totalMax === clusterMax,
            limiting: "node group maxSize sum vs max-nodes-total",
            utilisation: ratio(totalMax, clusterMax),
            detail: `maximums add up to ${totalMax}; cap ${clusterMax}`,
            consistency: true,
        });
    }
    const steadyState = groups.reduce((a, g) => a + g.minSize, 0);
    return {
        pods,
        nodes: { ...sizing, group: group.name, minSize: group.minSize, maxSize: group.maxSize, nodesAtPeak, steadyState, atPeak, clusterMax },
        targets,
    };
}
