import type { CapturedResource } from "../mock-engine";
import type { PlanFile } from "../plan-file";
import type { ReadinessItem, ReadinessSection } from "./types";

type Any = Record<string, any>;

/** An object the Kubernetes API addresses: what a scaleTargetRef, targetRef or describedObject names. */
export interface ObjectRef {
    apiVersion: string;
    kind: string;
    namespace: string;
    name: string;
}

/**
 * Kinds a scaler may target: they implement the `scale` subresource (apps/v1 Deployment, StatefulSet,
 * ReplicaSet; Argo Rollouts' Rollout declares it in its CRD), so an HPA, KEDA or a VPA can read and
 * set their replica count, and their pod template is what a PodDisruptionBudget protects.
 */
export const SCALABLE_KINDS: ReadonlySet<string> = new Set(["apps/v1/Deployment", "apps/v1/StatefulSet", "apps/v1/ReplicaSet", "argoproj.io/v1alpha1/Rollout"]);

const key = (r: ObjectRef) => `${r.apiVersion}/${r.kind} ${r.namespace}/${r.name}`;

/** apiVersion and kind of a Kubernetes resource from its Pulumi type ("kubernetes:apps/v1:Deployment", "kubernetes:core/v1:Service"). */
export function kubernetesKindOf(type: string): { apiVersion: string; kind: string } | undefined {
    const m = /^kubernetes:([^:]+):([^:]+)$/.exec(type);
    if (!m || m[1].startsWith("helm.sh/") || m[1].startsWith("yaml")) return undefined;
    return { apiVersion: m[1].replace(/^core\//, ""), kind: m[2] };
}

/** Every Kubernetes object the plan creates itself (not what a Helm release renders), as the API would address it. */
export function objectsOf(plan: PlanFile): (ObjectRef & { resource: CapturedResource })[] {
    return plan.resources.flatMap((r) => {
        const k = kubernetesKindOf(r.type);
        const meta = (r.inputs.metadata ?? {}) as Any;
        if (!k || typeof meta.name !== "string") return [];
        return [{ ...k, namespace: String(meta.namespace ?? "default"), name: meta.name, resource: r }];
    });
}

/** Whether a label selector (matchLabels and matchExpressions) selects pods with these labels. */
export function selects(selector: Any | undefined, labels: Record<string, string>): boolean {
    if (!selector) return false;
    const byLabels = Object.entries((selector.matchLabels ?? {}) as Record<string, string>).every(([k, v]) => labels[k] === v);
    const byExpressions = ((selector.matchExpressions ?? []) as Any[]).every((e) => {
        const has = Object.prototype.hasOwnProperty.call(labels, e.key);
        switch (e.operator) {
            case "In":
                return has && (e.values ?? []).includes(labels[e.key]);
            case "NotIn":
                return !has || !(e.values ?? []).includes(labels[e.key]);
            case "Exists":
                return has;
            case "DoesNotExist":
                return !has;
            default:
                return false;
        }
    });
    const empty = Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
    return !empty && byLabels && byExpressions;
}

/**
 * A Kubernetes label selector string ("app=x,tier!=y,z,!w": equality-based terms, as KEDA's
 * kubernetes-workload `podSelector` takes it) as a LabelSelector object, or undefined for set-based
 * terms ("env in (a,b)"), which this check does not read.
 */
export function parseSelector(text: string): Any | undefined {
    if (/[()]|\s(in|notin)\s/.test(text)) return undefined;
    const matchLabels: Record<string, string> = {};
    const matchExpressions: Any[] = [];
    for (const term of text
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean)) {
        const m = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
        if (m && m[2] === "!=") matchExpressions.push({ key: m[1], operator: "NotIn", values: [m[3]] });
        else if (m) matchLabels[m[1]] = m[3];
        else if (term.startsWith("!")) matchExpressions.push({ key: term.slice(1), operator: "DoesNotExist" });
        else matchExpressions.push({ key: term, operator: "Exists" });
    }
    return { matchLabels, matchExpressions };
}

interface Reference {
    from: string;
    via: string;
    to: ObjectRef;
    scalable: boolean;
}

/** The references a plan's scalers make: HPA scaleTargetRef and Object metrics, KEDA scaleTargetRef, VPA targetRef. */
function referencesOf(plan: PlanFile): Reference[] {
    const refs: Reference[] = [];
    for (const o of objectsOf(plan)) {
        const spec = (o.resource.inputs.spec ?? {}) as Any;
        const from = `${o.kind} ${o.namespace}/${o.name}`;
        const ref = (r: Any | undefined, via: string, scalable: boolean, defaults: Partial<ObjectRef> = {}) => {
            if (!r) return;
            refs.push({
                from,
                via,
                scalable,
                to: {
                    apiVersion: String(r.apiVersion ?? defaults.apiVersion ?? ""),
                    kind: String(r.kind ?? defaults.kind ?? ""),
                    namespace: o.namespace,
                    name: String(r.name ?? ""),
                },
            });
        };
        if (o.kind === "HorizontalPodAutoscaler") {
            ref(spec.scaleTargetRef, "scaleTargetRef", true);
            for (const m of (spec.metrics ?? []) as Any[]) if (m.type === "Object") ref(m.object?.describedObject, `metric ${m.object?.metric?.name}`, false);
        } else if (o.apiVersion.startsWith("keda.sh/") && o.kind === "ScaledObject") {
            // KEDA's defaults when the ref leaves them out (ScaledObject spec: apps/v1 Deployment).
            ref(spec.scaleTargetRef, "scaleTargetRef", true, { apiVersion: "apps/v1", kind: "Deployment" });
        } else if (o.apiVersion.startsWith("autoscaling.k8s.io/") && o.kind === "VerticalPodAutoscaler") {
            ref(spec.targetRef, "targetRef", true);
        }
    }
    return refs;
}

/**
 * Every scaler and disruption budget points at a workload the plan creates: an HPA's and a KEDA
 * ScaledObject's scaleTargetRef, a VPA's targetRef and an HPA Object metric's describedObject resolve
 * to an object of the same apiVersion, kind, namespace and name (a scaler's to a kind with the scale
 * subresource), and each PodDisruptionBudget's selector matches the pod template of a workload in its
 * namespace. A dangling reference deploys without error and does nothing: the HPA reports
 * FailedGetScale, KEDA never scales, the PDB protects no pod.
 */
export function scaleTargets(plan: PlanFile): ReadinessSection {
    const section: ReadinessSection = { title: "scale targets", items: [] };
    const objects = objectsOf(plan);
    const byKey = new Map(objects.map((o) => [key(o), o]));
    const items: ReadinessItem[] = [];
    for (const ref of referencesOf(plan)) {
        const subject = `${ref.from} ${ref.via} -> ${key(ref.to)}`;
        const found = byKey.get(key(ref.to));
        if (found && ref.scalable && !SCALABLE_KINDS.has(`${ref.to.apiVersion}/${ref.to.kind}`)) {
            items.push({
                subject,
                detail: "created by the plan",
                problem: `${ref.to.kind} has no scale subresource; target one of ${[...SCALABLE_KINDS].join(", ")}`,
            });
        } else if (found) {
            items.push({ subject, detail: `created by the plan (${found.resource.name})` });
        } else {
            const sameName = objects
                .filter((o) => o.name === ref.to.name && o.namespace === ref.to.namespace && (!ref.scalable || SCALABLE_KINDS.has(`${o.apiVersion}/${o.kind}`)))
                .map((o) => `${o.apiVersion}/${o.kind}`);
            items.push({
                subject,
                detail: "not created by the plan",
                problem: `${ref.from} targets ${key(ref.to)}, which the plan does not create${sameName.length ? ` (it has ${sameName.join(", ")} of that name)` : ""}: nothing is scaled`,
            });
        }
    }
    const workloads = objects.filter((o) => SCALABLE_KINDS.has(`${o.apiVersion}/${o.kind}`));
    const templateLabels = (w: (typeof workloads)[number]) =>
        (((w.resource.inputs.spec ?? {}) as Any).template?.metadata?.labels ?? {}) as Record<string, string>;
    // KEDA kubernetes-workload triggers count pods by a selector: one that matches no pod template counts 0 for ever.
    for (const so of objects.filter((o) => o.apiVersion.startsWith("keda.sh/") && o.kind === "ScaledObject")) {
        for (const t of ((((so.resource.inputs.spec ?? {}) as Any).triggers ?? []) as Any[]).filter((x) => x.type === "kubernetes-workload")) {
            const text = String(t.metadata?.podSelector ?? "");
            const subject = `ScaledObject ${so.namespace}/${so.name} trigger ${t.name ?? t.type} podSelector "${text}"`;
            const selector = parseSelector(text);
            const matched = workloads.filter((w) => w.namespace === so.namespace && selects(selector, templateLabels(w)));
            if (!selector) items.push({ subject, detail: "set-based selector, not read by this check" });
            else if (matched.length) items.push({ subject, detail: `counts the pods of ${matched.map((w) => `${w.kind} ${w.name}`).join(", ")}` });
            else
                items.push({
                    subject,
                    detail: "matches no pod template",
                    problem: `it matches the pod template of no workload the plan creates in ${so.namespace}: the trigger counts 0 pods`,
                });
        }
    }
    for (const pdb of objects.filter((o) => o.apiVersion === "policy/v1" && o.kind === "PodDisruptionBudget")) {
        const selector = ((pdb.resource.inputs.spec ?? {}) as Any).selector as Any | undefined;
        const subject = `PodDisruptionBudget ${pdb.namespace}/${pdb.name}`;
        const matched = workloads.filter((w) => w.namespace === pdb.namespace && selects(selector, templateLabels(w)));
        items.push(
            matched.length
                ? { subject, detail: `protects the pods of ${matched.map((w) => `${w.kind} ${w.name}`).join(", ")}` }
                : {
                      subject,
                      detail: "selects no pod template",
                      problem: `its selector ${JSON.stringify(selector ?? null)} matches the pod template of no workload the plan creates in ${pdb.namespace}: it protects nothing`,
                  },
        );
    }
    section.items = items;
    return section;
}
