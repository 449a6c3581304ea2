import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

const ANONYMOUS = ["system:anonymous", "system:unauthenticated"];

interface Subject {
    kind?: string;
    name?: string;
}

export const k8sAdminBindings = resourceRule<{ adminGroups: string[] }>({
    name: "k8s-admin-bindings",
    description:
        "Kubernetes RBAC bindings must not grant cluster-admin to anyone but an allowed admin group, and must not bind any role to anonymous or unauthenticated users.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["least-privilege", "kubernetes", "rbac"],
    resourceTypes: ["kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"],
    remediation:
        "grant cluster-admin through an EKS access entry for the MFA-only admin role (cluster-admin-mfa-only), or bind it only to a group listed in this rule's adminGroups config; bind view/edit roles to named groups, never to system:anonymous or system:unauthenticated.",
    config: {
        adminGroups: {
            type: "array",
            items: { type: "string" },
            default: [],
            description:
                "Kubernetes groups that may be bound to cluster-admin (each must map only to MFA roles). Empty: cluster-admin comes only from EKS access entries.",
        },
    },
    check: ({ props, config }, report) => {
        const subjects = asArray<Subject>(props.subjects);
        for (const s of subjects) {
            if (s.name && ANONYMOUS.includes(s.name))
                report(`The binding grants ${props.roleRef?.name} to ${s.name}: anyone who can reach the API server gets it.`);
        }
        if (props.roleRef?.kind !== "ClusterRole" || props.roleRef?.name !== "cluster-admin") return;
        for (const s of subjects) {
            if (s.kind !== "Group" || !config.adminGroups.includes(s.name ?? ""))
                report(`The binding grants cluster-admin to ${s.kind} ${s.name}, which is not an allowed admin group.`);
        }
    },
});
