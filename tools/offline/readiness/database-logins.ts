import { BACKEND_POD_LABELS } from "../../../components/regional-cluster/rollout";
import { WORKER_POD_LABELS } from "../../../components/worker-scaling";
import type { PlanFile } from "../plan-file";
import { allowedBy, type Peer } from "./network-policies";
import { containersOf, plannedPodSpecs, type PlannedPodSpec } from "./pod-specs";
import type { ReadinessItem, ReadinessSection } from "./types";

type Obj = Record<string, any>;
type Pod = { namespace: string; labels: Record<string, string> };

const SPC = "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const CSI_DRIVER = "secrets-store.csi.k8s.io";

/** The workloads that are PgBouncer's clients by design, whatever the policies say (the app's backend and worker). */
export const PGBOUNCER_CLIENTS: readonly { what: string; labels: Readonly<Record<string, string>> }[] = [
    { what: "the backend", labels: BACKEND_POD_LABELS },
    { what: "the worker", labels: WORKER_POD_LABELS },
];

/** One Secrets Manager object of a SecretProviderClass, as the AWS provider reads it. */
interface SpcObject {
    name: string;
    versionLabel?: string;
    files: Record<string, string>;
}

/** A secret's name, from an ARN (`...:secret:<name>-XXXXXX`) or a name: how two references to one secret compare. */
export const secretKey = (ref: string) => (ref.startsWith("arn:") ? (ref.split(":secret:")[1]?.replace(/-[A-Za-z0-9]{6}$/, "") ?? ref) : ref);

/** The `objects` YAML of an AWS SecretProviderClass, read line by line (the shape pod-common.ts writes and the provider's README documents). */
export function spcObjects(yaml: string): SpcObject[] {
    const out: SpcObject[] = [];
    let cur: SpcObject | undefined;
    let path: string | undefined;
    for (const line of String(yaml).split("\n")) {
        const kv = /^\s*(?:- )?(\w+):\s*"?([^"]*)"?\s*$/.exec(line);
        if (!kv) continue;
        const [, key, value] = kv;
        if (key === "objectName") out.push((cur = { name: value, files: {} }));
        else if (cur && key === "objectVersionLabel") cur.versionLabel = value;
        else if (cur && key === "path") path = value;
        else if (cur && key === "objectAlias" && path) {
            cur.files[path] = value;
            path = undefined;
        }
    }
    return out;
}

const labelsOf = (r: { inputs: Obj }, path: string[]) => {
    let v: any = r.inputs;
    for (const k of path) v = v?.[k];
    return (v ?? {}) as Record<string, string>;
};
const has = (labels: Record<string, string>, want: Readonly<Record<string, string>>) => Object.entries(want).every(([k, v]) => labels[k] === v);

/** PgBouncer in the plan: its pods (a container running the pgbouncer image), the ports its Services reach, and the login secrets it holds. */
function pgbouncerOf(plan: PlanFile, specs: PlannedPodSpec[], spcs: Map<string, Obj>) {
    const pods = specs.filter((p) => containersOf(p.spec).some(({ container }) => /\/pgbouncer[:@]/.test(String(container.image))));
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const podLabels = pods.map((p) => ({ namespace: p.namespace, labels: labelsOf(byUrn.get(p.urn)!, ["spec", "template", "metadata", "labels"]) }));
    const ports = new Set<number>();
    for (const svc of plan.resources.filter((r) => r.type === "kubernetes:core/v1:Service")) {
        const sel = ((svc.inputs.spec as Obj)?.selector ?? {}) as Record<string, string>;
        const ns = (svc.inputs.metadata as Obj)?.namespace;
        if (!Object.keys(sel).length || !podLabels.some((p) => p.namespace === ns && has(p.labels, sel))) continue;
        for (const port of ((svc.inputs.spec as Obj)?.ports ?? []) as Obj[]) ports.add(typeof port.targetPort === "number" ? port.targetPort : port.port);
    }
    // The logins it accepts: the current version of each secret its pods mount (the userlist is built from them).
    const logins = new Set<string>();
    for (const p of pods)
        for (const v of (p.spec.volumes ?? []) as Obj[]) {
            const spc = v.csi?.driver === CSI_DRIVER ? spcs.get(`${p.namespace}/${v.csi.volumeAttributes?.secretProviderClass}`) : undefined;
            for (const o of spcObjects(spc?.spec?.parameters?.objects ?? ""))
                if (!o.versionLabel || o.versionLabel === "AWSCURRENT") logins.add(secretKey(o.name));
        }
    return { pods, podLabels, ports: [...ports], logins };
}

/** Why a pod is PgBouncer's client, or undefined: it is the backend or the worker, a NetworkPolicy routes it there, or a mesh policy admits it. */
function clientReason(plan: PlanFile, spec: PlannedPodSpec, labels: Record<string, string>, bouncer: ReturnType<typeof pgbouncerOf>): string | undefined {
    const pod: Pod = { namespace: spec.namespace, labels };
    const byDesign = PGBOUNCER_CLIENTS.find((c) => has(labels, c.labels));
    if (byDesign) return byDesign.what;
    const policies = plan.resources.filter((r) => r.type === NETWORK_POLICY).map((r) => r.inputs as Obj);
    const nsLabels = (ns: string) => ({
        ...(((plan.resources.find((r) => r.type === "kubernetes:core/v1:Namespace" && (r.inputs.metadata as Obj)?.name === ns)?.inputs.metadata as Obj)
            ?.labels ?? {}) as Record<string, string>),
        "kubernetes.io/metadata.name": ns,
    });
    // Explicitly routed: a policy selects the pod for egress (it is isolated) and allows PgBouncer's port.
    const isolated = policies.some(
        (p) => p.metadata?.namespace === pod.namespace && has(labels, p.spec?.podSelector?.matchLabels ?? {}) && (p.spec?.policyTypes ?? []).includes("Egress"),
    );
    for (const target of bouncer.podLabels)
        for (const port of bouncer.ports)
            if (isolated && allowedBy(policies, nsLabels, "Egress", pod, target as Peer, port, "TCP"))
                return `its NetworkPolicies route it to PgBouncer on ${port}`;
    // A mesh ALLOW policy in PgBouncer's namespace that names the pod's ServiceAccount or namespace.
    const sa = spec.spec.serviceAccountName ?? "default";
    for (const ap of plan.resources.filter((r) => r.type === "kubernetes:security.istio.io/v1:AuthorizationPolicy")) {
        const meta = ap.inputs.metadata as Obj;
        if (!bouncer.podLabels.some((b) => b.namespace === meta?.namespace) || ((ap.inputs.spec as Obj)?.action ?? "ALLOW") !== "ALLOW") continue;
        const sources = JSON.stringify((ap.inputs.spec as Obj)?.rules ?? []);
        if (sources.includes(`/ns/${pod.namespace}/sa/${sa}"`) || sources.includes(`"${pod.namespace}"`))
            return `mesh policy ${meta.name} admits it to PgBouncer`;
    }
    return undefined;
}

/** What is wrong with a client's mounted login, or the detail of what it has. */
function loginProblems(plan: PlanFile, spec: PlannedPodSpec, bouncer: ReturnType<typeof pgbouncerOf>, spcs: Map<string, Obj>, region: string) {
    const problems: string[] = [];
    const pod = spec.spec;
    const covered = new Map<string, { files: Record<string, string>; mountPath?: string; volume: string }>();
    for (const v of (pod.volumes ?? []) as Obj[]) {
        if (v.csi?.driver !== CSI_DRIVER) continue;
        const spcName = v.csi.volumeAttributes?.secretProviderClass;
        const spc = spcs.get(`${spec.namespace}/${spcName}`);
        if (!spc) {
            problems.push(`its CSI volume ${v.name} names SecretProviderClass ${spcName}, which the plan does not create in ${spec.namespace}`);
            continue;
        }
        const spcRegion = spc.spec?.parameters?.region;
        // secretObjects makes the driver copy the mounted values into a Kubernetes Secret (etcd): the login must stay on the mount.
        if (((spc.spec?.secretObjects ?? []) as Obj[]).length)
            problems.push(`SecretProviderClass ${spcName} syncs its objects into a Kubernetes Secret (secretObjects): keep the login on the mount only`);
        for (const o of spcObjects(spc.spec?.parameters?.objects ?? "")) {
            const key = secretKey(o.name);
            if (!bouncer.logins.has(key)) continue;
            if (spcRegion !== region) {
                problems.push(
                    `SecretProviderClass ${spcName} reads ${key} in ${spcRegion}, not in its own region ${region} (a standby reads its own replicas)`,
                );
                continue;
            }
            const mount = containersOf(pod)
                .flatMap(({ container }) => (container.volumeMounts ?? []) as Obj[])
                .find((m) => m.name === v.name);
            covered.set(key, { files: o.files, mountPath: mount?.mountPath, volume: v.name });
        }
    }
    const env = JSON.stringify(containersOf(pod).map(({ container }) => container.env ?? []));
    for (const login of bouncer.logins) {
        const got = covered.get(login);
        if (!got) {
            problems.push(`no CSI volume mounts ${login}, a login PgBouncer accepts`);
            continue;
        }
        if (!got.files.username || !got.files.password) {
            problems.push(`${login} is mounted without its username and password files (jmesPath)`);
            continue;
        }
        if (!got.mountPath) {
            problems.push(`no container mounts volume ${got.volume} (${login})`);
            continue;
        }
        for (const f of [got.files.username, got.files.password])
            if (!env.includes(`${got.mountPath}/${f}`)) problems.push(`no env value names ${got.mountPath}/${f}, so the app cannot find ${login}'s login`);
    }
    // Pod Identity: the pod's ServiceAccount's role may read every login.
    const sa = pod.serviceAccountName ?? "default";
    const assoc = plan.resources.find(
        (r) => r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation" && r.inputs.namespace === spec.namespace && r.inputs.serviceAccount === sa,
    );
    const role = plan.resources.find((r) => r.type === "aws:iam/role:Role" && r.identity?.arn === assoc?.inputs.roleArn);
    if (!assoc || !role) problems.push(`ServiceAccount ${spec.namespace}/${sa} has no Pod Identity role, so the CSI driver cannot read its login`);
    else {
        const granted = plan.resources
            .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && (r.inputs.role === role.identity?.id || r.inputs.role === role.inputs.name))
            .flatMap((r) => {
                try {
                    return (JSON.parse(String(r.inputs.policy)).Statement ?? []) as Obj[];
                } catch {
                    return [];
                }
            })
            .filter((s) => s.Effect === "Allow" && [s.Action].flat().includes("secretsmanager:GetSecretValue"))
            .flatMap((s) => [s.Resource].flat().map(String));
        for (const login of bouncer.logins)
            if (!granted.some((r) => secretKey(r.replace(/-\?{6}$/, "")) === login && (!r.startsWith("arn:") || r.split(":")[3] === region)))
                problems.push(`its Pod Identity role ${role.name} may not read ${login} in ${region}`);
    }
    return { problems, detail: `mounts ${covered.size} login(s) PgBouncer accepts, read in ${region}, files named in env, role may read them` };
}

/**
 * PgBouncer's clients have its login: every workload that talks to PgBouncer (the backend, the worker, or any pod a
 * NetworkPolicy or mesh policy routes to it) mounts, through the Secrets Store CSI driver, every login PgBouncer builds
 * its userlist from (the AWSCURRENT version of the secrets its pods mount), read in the stack's own region, with the
 * username and password files named in an env value, and its Pod Identity role may read them. A client without it
 * cannot log in: PgBouncer authenticates clients against that userlist (pgbouncer-config.ts, `auth_file`).
 */
export function databaseLogins(plan: PlanFile): ReadinessSection {
    const title = "database logins";
    const specs = plannedPodSpecs(plan);
    const spcs = new Map(
        plan.resources
            .filter((r) => r.type === SPC)
            .map((r) => [`${(r.inputs.metadata as Obj)?.namespace}/${(r.inputs.metadata as Obj)?.name}`, r.inputs as Obj]),
    );
    const bouncer = pgbouncerOf(plan, specs, spcs);
    if (!bouncer.pods.length) return { title, items: [] };
    const region = String(plan.config["aws:region"] ?? "");
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const items: ReadinessItem[] = [];
    if (!bouncer.logins.size)
        items.push({
            subject: "PgBouncer",
            detail: "no login",
            problem: "PgBouncer's pods mount no login secret through the CSI driver: its userlist is empty",
        });
    for (const spec of specs) {
        if (bouncer.pods.includes(spec)) continue;
        const r = byUrn.get(spec.urn)!;
        const labels = labelsOf(r, r.type.endsWith(":Pod") ? ["metadata", "labels"] : ["spec", "template", "metadata", "labels"]);
        const why = clientReason(plan, spec, labels, bouncer);
        if (!why) continue;
        const { problems, detail } = loginProblems(plan, spec, bouncer, spcs, region);
        items.push(
            problems.length
                ? {
                      subject: `${spec.subject} (${why})`,
                      detail: "no usable login",
                      problem: `${problems.join("; ")}: hand it databaseLoginPod and grantLogin (components/sharded-database/clients.ts)`,
                  }
                : { subject: `${spec.subject} (${why})`, detail },
        );
    }
    return { title, items };
}
