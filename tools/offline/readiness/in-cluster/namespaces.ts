import { plannedReleases } from "../../../charts/releases";
import type { PlanFile } from "../../plan-file";
import type { ReadinessItem } from "../types";

const NAMESPACE_TYPE = "kubernetes:core/v1:Namespace";

type Obj = Record<string, unknown>;

/** Revisions the plan's istiod releases inject for, and whether one of them takes `istio-injection=enabled`. */
function istioRevisions(plan: PlanFile): { revisions: Set<string>; defaultServed: boolean; any: boolean } {
    const revisions = new Set<string>();
    let defaultServed = false;
    const istiods = plannedReleases(plan.resources).filter((r) => r.chart === "istiod");
    for (const r of istiods) {
        const rev = typeof r.values.revision === "string" ? r.values.revision : "";
        const tags = Array.isArray(r.values.revisionTags) ? r.values.revisionTags.map(String) : [];
        // templates/mutatingwebhook.yaml: the `istio-injection=enabled` selector exists only without a
        // revision; templates/revision-tags-mwc.yaml adds it for a revision tag named "default".
        if (rev === "" || tags.includes("default")) defaultServed = true;
        revisions.add(rev === "" ? "default" : rev);
        for (const t of tags) revisions.add(t);
    }
    return { revisions, defaultServed, any: istiods.length > 0 };
}

export function injectionItems(plan: PlanFile): ReadinessItem[] {
    const { revisions, defaultServed, any } = istioRevisions(plan);
    const items: ReadinessItem[] = [];
    for (const r of plan.resources.filter((x) => x.type === NAMESPACE_TYPE)) {
        const meta = (r.inputs.metadata ?? {}) as Obj;
        const labels = (meta.labels ?? {}) as Record<string, unknown>;
        const subject = `namespace ${String(meta.name ?? r.name)} sidecar injection`;
        const legacy = labels["istio-injection"];
        const rev = labels["istio.io/rev"];
        if (legacy === undefined && rev === undefined) continue;
        const served = [...revisions].join(", ") || "none";
        if (!any) {
            items.push({ subject, detail: "labelled", problem: "asks for sidecar injection, but no istiod release is in this plan" });
        } else if (legacy === "enabled") {
            items.push(
                defaultServed
                    ? { subject, detail: "istio-injection=enabled, served by the default revision" }
                    : {
                          subject,
                          detail: "istio-injection=enabled",
                          problem: `istio-injection=enabled selects only a default-revision istiod or a "default" revision tag, and istiod here serves revision ${served}: label the namespace istio.io/rev=<revision> instead`,
                      },
            );
        } else if (typeof rev === "string") {
            items.push(
                revisions.has(rev)
                    ? { subject, detail: `istio.io/rev=${rev}, served by istiod` }
                    : { subject, detail: `istio.io/rev=${rev}`, problem: `no istiod serves revision ${rev} (served: ${served})` },
            );
        }
    }
    return items;
}

/** Namespaces every EKS cluster has before anything is installed. */
export const BUILT_IN_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** Every namespace something is installed into exists: built in, a Namespace of the plan, or made by a release (createNamespace). */
export function namespaceItems(plan: PlanFile): ReadinessItem[] {
    const created = new Map<string, string>(BUILT_IN_NAMESPACES.map((n) => [n, "built in"]));
    for (const r of plan.resources.filter((x) => x.type === NAMESPACE_TYPE))
        created.set(String(((r.inputs.metadata ?? {}) as Obj).name ?? r.name), `Namespace ${r.name}`);
    for (const r of plan.resources.filter((x) => x.type === "kubernetes:helm.sh/v3:Release" && x.inputs.createNamespace === true)) {
        if (!created.has(String(r.inputs.namespace))) created.set(String(r.inputs.namespace), `release ${String(r.inputs.name)} (createNamespace)`);
    }
    const used = new Map<string, string[]>();
    for (const r of plan.resources) {
        if (!r.type.startsWith("kubernetes:") || r.type === NAMESPACE_TYPE || r.type.startsWith("pulumi:")) continue;
        const meta = (r.inputs.metadata ?? {}) as Obj;
        const ns = r.type === "kubernetes:helm.sh/v3:Release" ? r.inputs.namespace : meta.namespace;
        if (typeof ns === "string") used.set(ns, [...(used.get(ns) ?? []), r.name]);
    }
    return [...used].map(([ns, users]) => {
        const subject = `namespace ${ns} (${users.length} object${users.length === 1 ? "" : "s"}, e.g. ${users[0]})`;
        const by = created.get(ns);
        return by
            ? { subject, detail: by }
            : {
                  subject,
                  detail: "used",
                  problem: `nothing in the plan creates namespace ${ns} and it is not built in: ${users.slice(0, 3).join(", ")} would fail`,
              };
    });
}
