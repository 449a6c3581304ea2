import { resourceRule } from "../../lib/rule";
import { asArray, isTrue } from "../../lib/props";

/** The only capability a non-root container may add (binding ports below 1024). */
const ALLOWED_CAPABILITIES = ["NET_BIND_SERVICE"];

/** The pod template of a workload object, by kind. */
function podSpec(type: string, props: Record<string, any>): Record<string, any> | undefined {
    if (type.endsWith(":Pod")) return props.spec;
    if (type.endsWith(":CronJob")) return props.spec?.jobTemplate?.spec?.template?.spec;
    return props.spec?.template?.spec;
}

/**
 * Workloads the program writes as manifests (charts' pods are the charts' business, pinned by
 * helm-release-pinned) meet Pod Security "restricted" on the points that matter for a breakout:
 * no host namespaces or host paths, no privileged or escalating containers, non-root, no added
 * capabilities (CIS EKS 4.2; spec: "Security & Compliance Framework").
 */
export const k8sWorkloadHardened = resourceRule({
    name: "k8s-workload-hardened",
    description: "Kubernetes workloads must run as non-root without privilege, privilege escalation, added capabilities, host namespaces or host paths.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["least-privilege", "kubernetes", "pod-security"],
    resourceTypes: [
        "kubernetes:apps/v1:Deployment",
        "kubernetes:apps/v1:StatefulSet",
        "kubernetes:apps/v1:DaemonSet",
        "kubernetes:batch/v1:Job",
        "kubernetes:batch/v1:CronJob",
        "kubernetes:core/v1:Pod",
        // The backend's Argo Rollout: its pod template sits where a Deployment's does (spec.template.spec).
        "kubernetes:argoproj.io/v1alpha1:Rollout",
    ],
    remediation:
        "set the pod's securityContext { runAsNonRoot: true, seccompProfile: RuntimeDefault } and every container's { allowPrivilegeEscalation: false, capabilities: { drop: [\"ALL\"] } }; drop hostNetwork/hostPID/hostIPC and hostPath volumes.",
    check: ({ type, props }, report) => {
        const spec = podSpec(type, props);
        if (!spec || typeof spec !== "object") return;
        for (const host of ["hostNetwork", "hostPID", "hostIPC"])
            if (isTrue(spec[host])) report(`${host} is true: the pod shares the node's ${host.slice(4)} namespace.`);
        for (const v of asArray<Record<string, any>>(spec.volumes)) if (v.hostPath) report(`Volume ${v.name} mounts host path ${v.hostPath.path}.`);
        const podNonRoot = spec.securityContext?.runAsNonRoot;
        const containers = [
            ...asArray<Record<string, any>>(spec.initContainers),
            ...asArray<Record<string, any>>(spec.containers),
            ...asArray<Record<string, any>>(spec.ephemeralContainers),
        ];
        for (const c of containers) {
            const sc = c.securityContext ?? {};
            if (isTrue(sc.privileged)) report(`Container ${c.name} is privileged.`);
            if (sc.allowPrivilegeEscalation !== false && sc.allowPrivilegeEscalation !== "false")
                report(`Container ${c.name} does not set allowPrivilegeEscalation: false.`);
            if (!isTrue(sc.runAsNonRoot ?? podNonRoot) || sc.runAsUser === 0)
                report(`Container ${c.name} may run as root (runAsNonRoot is not true for it or its pod).`);
            const added = asArray<string>(sc.capabilities?.add).filter((cap) => !ALLOWED_CAPABILITIES.includes(cap));
            if (added.length) report(`Container ${c.name} adds capabilities ${added.join(", ")}.`);
        }
    },
});
