import { plannedReleases } from "../../../charts/releases";
import { ProvidedService, releaseServiceAccounts } from "../../../charts/services";
import type { PlanFile } from "../../plan-file";
import type { ReadinessItem } from "../types";

/**
 * ServiceAccounts an EKS add-on creates: the EBS CSI driver's controller runs as ebs-csi-controller-sa
 * in kube-system (https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html, "Step 1: Create an IAM role").
 */
export const ADDON_SERVICE_ACCOUNTS: Readonly<Record<string, readonly { namespace: string; name: string }[]>> = {
    "aws-ebs-csi-driver": [{ namespace: "kube-system", name: "ebs-csi-controller-sa" }],
};

const SERVICE_ACCOUNT_TYPE = "kubernetes:core/v1:ServiceAccount";
const POD_IDENTITY_TYPE = "aws:eks/podIdentityAssociation:PodIdentityAssociation";
const ADDON_TYPE = "aws:eks/addon:Addon";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every ServiceAccount the plan creates: its own objects, the releases' (by chart facts), the EKS add-ons'. */
export function providedServiceAccounts(plan: PlanFile): ProvidedService[] {
    const own = plan.resources
        .filter((r) => r.type === SERVICE_ACCOUNT_TYPE)
        .map((r) => {
            const meta = (r.inputs.metadata ?? {}) as Obj;
            return { name: String(meta.name ?? r.name), namespace: String(meta.namespace ?? "default"), ports: [], createdBy: `ServiceAccount ${r.name}` };
        });
    const addons = plan.resources
        .filter((r) => r.type === ADDON_TYPE)
        .flatMap((r) =>
            (ADDON_SERVICE_ACCOUNTS[String(r.inputs.addonName)] ?? []).map((sa) => ({
                ...sa,
                ports: [],
                createdBy: `EKS add-on ${String(r.inputs.addonName)}`,
            })),
        );
    return [...own, ...plannedReleases(plan.resources).flatMap(releaseServiceAccounts), ...addons];
}

/** Every `serviceAccountName` in the pod templates the program writes (its Deployments, Jobs) names an account that exists. */
function podServiceAccountItems(plan: PlanFile, accounts: readonly ProvidedService[]): ReadinessItem[] {
    const items: ReadinessItem[] = [];
    for (const r of plan.resources.filter((x) => x.type.startsWith("kubernetes:") && x.type !== "kubernetes:helm.sh/v3:Release")) {
        const ns = String(((r.inputs.metadata ?? {}) as Obj).namespace ?? "default");
        const names = new Set<string>();
        const walk = (v: unknown): void => {
            if (Array.isArray(v)) v.forEach(walk);
            else if (isObj(v)) {
                for (const [k, x] of Object.entries(v)) {
                    if (k === "serviceAccountName" && typeof x === "string") names.add(x);
                    else walk(x);
                }
            }
        };
        walk(r.inputs.spec);
        for (const sa of names) {
            const subject = `${r.name} pods -> serviceaccount ${ns}/${sa}`;
            const match = accounts.find((a) => a.namespace === ns && a.name === sa);
            items.push(
                match
                    ? { subject, detail: match.createdBy }
                    : {
                          subject,
                          detail: "pod template",
                          problem: `nothing in the plan creates ServiceAccount ${sa} in namespace ${ns}: the pods would not be admitted`,
                      },
            );
        }
    }
    return items;
}

export function podIdentityItems(plan: PlanFile): ReadinessItem[] {
    const accounts = providedServiceAccounts(plan);
    return [
        ...podServiceAccountItems(plan, accounts),
        ...plan.resources
            .filter((r) => r.type === POD_IDENTITY_TYPE)
            .map((r) => {
                const ns = String(r.inputs.namespace);
                const sa = String(r.inputs.serviceAccount);
                const subject = `${r.name} -> serviceaccount ${ns}/${sa}`;
                const match = accounts.find((a) => a.namespace === ns && a.name === sa);
                if (match) return { subject, detail: match.createdBy };
                const there = accounts
                    .filter((a) => a.namespace === ns)
                    .map((a) => a.name)
                    .join(", ");
                return {
                    subject,
                    detail: "EKS Pod Identity association",
                    problem: `nothing in the plan creates ServiceAccount ${sa} in namespace ${ns} (ServiceAccounts there: ${there || "none"}): the pods would run without the role`,
                };
            }),
    ];
}
