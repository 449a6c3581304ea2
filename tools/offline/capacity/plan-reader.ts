import type { CapturedResource } from "../mock-engine";
import type { PlanFile } from "../plan-file";
import type { PodRequests } from "./facts/daemonsets";

/** Plain reads of a plan's resources that the capacity and recovery models share. */
export const ofType = (plan: PlanFile, type: string): CapturedResource[] => plan.resources.filter((r) => r.type === type);
type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj => (v && typeof v === "object" ? (v as Obj) : {});
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface PlannedNodeGroup {
    name: string;
    instanceTypes: string[];
    minSize: number;
    maxSize: number;
    capacityType: string;
    workloadClass?: string;
}

export function nodeGroupsOf(plan: PlanFile): PlannedNodeGroup[] {
    return ofType(plan, "aws:eks/nodeGroup:NodeGroup").map((r) => {
        const scaling = obj(r.inputs.scalingConfig);
        return {
            name: String(r.inputs.nodeGroupName ?? r.name),
            instanceTypes: list(r.inputs.instanceTypes).map(String),
            minSize: Number(scaling.minSize ?? 0),
            maxSize: Number(scaling.maxSize ?? 0),
            capacityType: String(r.inputs.capacityType ?? "ON_DEMAND"),
            workloadClass: obj(r.inputs.labels)["bookedbarber.com/workload-class"] as string | undefined,
        };
    });
}

/** The cluster autoscaler's cap (`max-nodes-total` of its release), if the plan installs it. */
export function clusterMaxNodesOf(plan: PlanFile): number | undefined {
    const release = ofType(plan, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "cluster-autoscaler");
    const v = obj(obj(release?.inputs.values).extraArgs)["max-nodes-total"];
    return typeof v === "number" ? v : undefined;
}

export interface PlannedHpa {
    target: string;
    minReplicas: number;
    maxReplicas: number;
    rpsPerPod?: number;
    /** Target average CPU utilization (% of requests), if the HPA scales on CPU. */
    cpuUtilization?: number;
}

/** HPAs of the plan, with the per-pod requests_per_second target where they have one. */
export function hpasOf(plan: PlanFile): PlannedHpa[] {
    return ofType(plan, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").map((r) => {
        const spec = obj(r.inputs.spec);
        const rps = list(spec.metrics)
            .map(obj)
            .find((m) => m.type === "Pods" && obj(obj(m.pods).metric).name === "requests_per_second");
        const value = rps ? Number(obj(obj(rps.pods).target).averageValue) : undefined;
        const cpu = list(spec.metrics)
            .map(obj)
            .find((m) => m.type === "Resource" && obj(m.resource).name === "cpu");
        const util = cpu ? Number(obj(obj(cpu.resource).target).averageUtilization) : undefined;
        return {
            target: String(obj(spec.scaleTargetRef).name),
            minReplicas: Number(spec.minReplicas ?? 1),
            maxReplicas: Number(spec.maxReplicas ?? 0),
            rpsPerPod: value !== undefined && Number.isFinite(value) ? value : undefined,
            cpuUtilization: util !== undefined && Number.isFinite(util) ? util : undefined,
        };
    });
}

/** "500m" -> 500, "2" -> 2000. */
export function cpuMillis(q: unknown): number {
    const s = String(q ?? "0");
    return s.endsWith("m") ? Number(s.slice(0, -1)) : Math.round(Number(s) * 1000);
}

/** "512Mi" -> 512, "1Gi" -> 1024, plain bytes -> MiB. */
export function memoryMiB(q: unknown): number {
    const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(String(q ?? "0"));
    if (!m) return 0;
    const n = Number(m[1]);
    const factor: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, K: 1e3 / 2 ** 20, M: 1e6 / 2 ** 20, G: 1e9 / 2 ** 20 };
    return m[2] ? n * factor[m[2]] : n / 2 ** 20;
}

/** Summed container requests of the named Deployment or Argo Rollout, if the plan has it. */
export function workloadRequestsOf(plan: PlanFile, name: string): PodRequests | undefined {
    const r = plan.resources.find((x) => /:(Deployment|Rollout)$/.test(x.type) && obj(x.inputs.metadata).name === name);
    if (!r) return undefined;
    const containers = list(obj(obj(obj(r.inputs.spec).template).spec).containers).map(obj);
    return containers.reduce<PodRequests>(
        (acc, c) => {
            const req = obj(obj(c.resources).requests);
            return { cpuMillis: acc.cpuMillis + cpuMillis(req.cpu), memoryMiB: acc.memoryMiB + memoryMiB(req.memory) };
        },
        { cpuMillis: 0, memoryMiB: 0 },
    );
}

/** Zone and role from the stack's config. */
export const zoneOf = (plan: PlanFile) => String(plan.config["bookedbarber:zone"] ?? "");
export const roleOf = (plan: PlanFile) => String(plan.config["bookedbarber:role"] ?? "");
