import type { PlanFile } from "../plan-file";

type Obj = Record<string, any>;

/** Where each workload kind keeps its pod spec (Kubernetes API reference: PodTemplateSpec in each kind's spec). */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
    "kubernetes:core/v1:Pod": ["spec"],
    "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
    "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
    "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
    "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
    "kubernetes:argoproj.io/v1alpha1:Rollout": ["spec", "template", "spec"],
};

/** Kinds whose pods the offline checks can see (Helm releases render in the cluster, not in the plan). */
export const POD_SPEC_TYPES = Object.keys(POD_SPEC_PATHS);

/** One pod spec the plan puts in a namespace. */
export interface PlannedPodSpec {
    /** `<Kind> <namespace>/<name>`. */
    subject: string;
    namespace: string;
    spec: Obj;
    /** The plan resource's URN. */
    urn: string;
}

/** Every pod spec in the plan's Kubernetes workloads, with its namespace ("default" when none is set). */
export function plannedPodSpecs(plan: PlanFile): PlannedPodSpec[] {
    const out: PlannedPodSpec[] = [];
    for (const r of plan.resources) {
        const path = POD_SPEC_PATHS[r.type];
        if (!path) continue;
        let spec: any = r.inputs;
        for (const k of path) spec = spec?.[k];
        // A Rollout with workloadRef points at a Deployment, whose own spec is checked.
        if (!spec || typeof spec !== "object") continue;
        const meta = (r.inputs.metadata ?? {}) as Obj;
        const namespace = typeof meta.namespace === "string" ? meta.namespace : "default";
        const kind = r.type.split(":").pop();
        out.push({ subject: `${kind} ${namespace}/${String(meta.name ?? r.name)}`, namespace, spec, urn: r.urn });
    }
    return out;
}

/** Every container of a pod spec with the list it is in. */
export function containersOf(spec: Obj): { list: "containers" | "initContainers" | "ephemeralContainers"; container: Obj }[] {
    const lists = ["containers", "initContainers", "ephemeralContainers"] as const;
    return lists.flatMap((list) => (Array.isArray(spec[list]) ? spec[list] : []).map((container: Obj) => ({ list, container })));
}
