import type { PlanFile } from "../plan-file";
import { containersOf, plannedPodSpecs } from "./pod-specs";
import type { ReadinessItem, ReadinessSection } from "./types";

type Obj = Record<string, any>;

/**
 * The Pod Security Standards' "baseline" and "restricted" controls this check applies, as data. Source:
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/ (the policy tables; restricted includes
 * every baseline control), retrieved 2026-11-29, for profile versions up to v1.35.
 */
export const POD_SECURITY_STANDARDS = {
    source: "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
    retrieved: "2026-11-29",
    baseline: {
        /** "Host Namespaces": spec.hostNetwork, spec.hostPID, spec.hostIPC must be unset or false. */
        hostNamespaces: ["hostNetwork", "hostPID", "hostIPC"],
        /** "Capabilities": adding beyond this list is forbidden. */
        allowedAddedCapabilities: [
            "AUDIT_WRITE",
            "CHOWN",
            "DAC_OVERRIDE",
            "FOWNER",
            "FSETID",
            "KILL",
            "MKNOD",
            "NET_BIND_SERVICE",
            "SETFCAP",
            "SETGID",
            "SETPCAP",
            "SETUID",
            "SYS_CHROOT",
        ],
        /** "Sysctls": the safe set. */
        allowedSysctls: [
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports",
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes",
        ],
        /** "SELinux": allowed seLinuxOptions.type values. */
        allowedSeLinuxTypes: ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"],
        /** "AppArmor": allowed appArmorProfile.type values. */
        allowedAppArmorTypes: ["RuntimeDefault", "Localhost"],
        /** "/proc Mount Type". */
        allowedProcMount: ["Default"],
    },
    restricted: {
        /** "Volume Types": only these volume sources. */
        allowedVolumeTypes: ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"],
        /** "Seccomp": the profile must be set, to one of these, at pod level or on every container. */
        allowedSeccompTypes: ["RuntimeDefault", "Localhost"],
        /** "Capabilities": containers must drop ALL and may add only these. */
        mustDrop: "ALL",
        allowedAddedCapabilities: ["NET_BIND_SERVICE"],
    },
} as const;

const PSA_ENFORCE = "pod-security.kubernetes.io/enforce";

/** Namespaces of the plan by the Pod Security level they enforce, with whether Istio injects a sidecar there. */
function namespaceLevels(plan: PlanFile): Map<string, { level: string; meshed: boolean }> {
    const out = new Map<string, { level: string; meshed: boolean }>();
    for (const r of plan.resources.filter((x) => x.type === "kubernetes:core/v1:Namespace")) {
        const meta = (r.inputs.metadata ?? {}) as Obj;
        const labels = (meta.labels ?? {}) as Obj;
        const level = labels[PSA_ENFORCE];
        if (typeof level === "string")
            out.set(String(meta.name ?? r.name), { level, meshed: labels["istio.io/rev"] !== undefined || labels["istio-injection"] === "enabled" });
    }
    return out;
}

/** What one pod spec breaks of "restricted" (baseline included). `meshed`: Istio adds containers with no seccomp profile. */
export function restrictedViolations(spec: Obj, meshed = false): string[] {
    const std = POD_SECURITY_STANDARDS;
    const v: string[] = [];
    const pod = (spec.securityContext ?? {}) as Obj;
    for (const k of std.baseline.hostNamespaces) if (spec[k] === true) v.push(`spec.${k} is true`);
    for (const vol of (spec.volumes ?? []) as Obj[]) {
        const kinds = Object.keys(vol).filter((k) => k !== "name");
        const bad = kinds.filter((k) => !(std.restricted.allowedVolumeTypes as readonly string[]).includes(k));
        if (bad.length) v.push(`volume ${vol.name} is ${bad.join(", ")} (allowed: ${std.restricted.allowedVolumeTypes.join(", ")})`);
    }
    for (const s of (pod.sysctls ?? []) as Obj[])
        if (!(std.baseline.allowedSysctls as readonly string[]).includes(s.name)) v.push(`sysctl ${s.name} is not in the safe set`);
    const podSeccomp = pod.seccompProfile?.type;
    if (podSeccomp !== undefined && !(std.restricted.allowedSeccompTypes as readonly string[]).includes(podSeccomp))
        v.push(`pod seccompProfile.type is ${podSeccomp}`);
    if (meshed && podSeccomp === undefined) v.push("no pod-level seccompProfile: Istio's injected containers set none, so the pod would be refused");
    if (pod.runAsUser === 0) v.push("pod runAsUser is 0");
    const checkSelinuxAppArmor = (ctx: Obj, where: string) => {
        const se = ctx.seLinuxOptions;
        if (se && (!(std.baseline.allowedSeLinuxTypes as readonly string[]).includes(se.type ?? "") || se.user !== undefined || se.role !== undefined))
            v.push(`${where} seLinuxOptions ${JSON.stringify(se)}`);
        const aa = ctx.appArmorProfile?.type;
        if (aa !== undefined && !(std.baseline.allowedAppArmorTypes as readonly string[]).includes(aa)) v.push(`${where} appArmorProfile.type is ${aa}`);
        if (ctx.windowsOptions?.hostProcess === true) v.push(`${where} windowsOptions.hostProcess is true`);
    };
    checkSelinuxAppArmor(pod, "pod");
    for (const { list, container } of containersOf(spec)) {
        const where = `${list} ${container.name}`;
        const sc = (container.securityContext ?? {}) as Obj;
        checkSelinuxAppArmor(sc, where);
        if (sc.privileged === true) v.push(`${where} is privileged`);
        if (sc.allowPrivilegeEscalation !== false)
            v.push(`${where} allowPrivilegeEscalation is ${JSON.stringify(sc.allowPrivilegeEscalation)} (must be false)`);
        if (sc.runAsNonRoot !== true && pod.runAsNonRoot !== true) v.push(`${where} runAsNonRoot is not true (pod or container)`);
        if (sc.runAsNonRoot === false) v.push(`${where} runAsNonRoot is false`);
        if (sc.runAsUser === 0) v.push(`${where} runAsUser is 0`);
        const seccomp = sc.seccompProfile?.type ?? podSeccomp;
        if (!(std.restricted.allowedSeccompTypes as readonly string[]).includes(seccomp))
            v.push(`${where} seccompProfile is ${JSON.stringify(seccomp ?? "unset")} (pod or container: ${std.restricted.allowedSeccompTypes.join(" or ")})`);
        const caps = (sc.capabilities ?? {}) as Obj;
        if (!((caps.drop ?? []) as string[]).includes(std.restricted.mustDrop)) v.push(`${where} does not drop ALL capabilities`);
        const added = ((caps.add ?? []) as string[]).filter((c) => !(std.restricted.allowedAddedCapabilities as readonly string[]).includes(c));
        if (added.length) v.push(`${where} adds ${added.join(", ")}`);
        if (sc.procMount !== undefined && !(std.baseline.allowedProcMount as readonly string[]).includes(sc.procMount))
            v.push(`${where} procMount is ${sc.procMount}`);
        for (const p of (container.ports ?? []) as Obj[]) if (p.hostPort) v.push(`${where} uses hostPort ${p.hostPort}`);
    }
    return v;
}

/**
 * Every pod spec the plan puts into a namespace that enforces Pod Security "restricted" meets it, so the API
 * server does not refuse the platform's own pods. Reads the plan's Pods, Deployments, StatefulSets, DaemonSets,
 * ReplicaSets, Jobs, CronJobs and Rollouts; Helm releases render in the cluster and are not seen here (none is
 * installed into a restricted namespace).
 */
export function podSecurity(plan: PlanFile): ReadinessSection {
    const title = "pod security (restricted)";
    const levels = namespaceLevels(plan);
    const items: ReadinessItem[] = [];
    for (const [ns, { level }] of levels) if (level === "restricted") items.push({ subject: `namespace ${ns}`, detail: "enforces restricted" });
    for (const pod of plannedPodSpecs(plan)) {
        const ns = levels.get(pod.namespace);
        if (ns?.level !== "restricted") continue;
        const v = restrictedViolations(pod.spec, ns.meshed);
        items.push(
            v.length
                ? {
                      subject: pod.subject,
                      detail: "pod spec",
                      problem: `namespace ${pod.namespace} enforces restricted and would refuse it: ${v.join("; ")} (use \`restricted\` from components/sharded-database/pod-common.ts and a pod-level seccompProfile RuntimeDefault with runAsNonRoot)`,
                  }
                : { subject: pod.subject, detail: "meets restricted" },
        );
    }
    return { title, items };
}
