import { APP_NAMESPACE, BACKEND, BACKEND_PORT } from "../../../components/regional-cluster/manifests";
import { plannedReleases } from "../../charts/releases";
import { ProvidedService, releaseServiceAccounts, releaseServices } from "../../charts/services";
import type { PlanFile } from "../plan-file";
import type { ReadinessCheck, ReadinessItem } from "./types";

/**
 * In-cluster addresses: every Service address one component gives another (a URL in a chart's values,
 * an exporter endpoint, an Istio route destination, a TargetGroupBinding's serviceRef, an address in
 * the stack outputs) must name a Service that the plan creates, in that namespace, on that port. The
 * Services a Helm release creates come from its chart's vendored naming facts
 * (test/upstream/charts/<chart>/<version>/services.json: fullname rules, templates, default ports);
 * the ones the program writes itself from the plan. A namespace that asks for sidecar injection must
 * name a revision that an istiod in the plan serves, and an EKS Pod Identity association must name a
 * ServiceAccount that something in the plan creates (else the pods run without the role's credentials).
 * The in-cluster clients of the region's OpenSearch domain (Fluent Bit, Jaeger) must name a domain of
 * the plan, over HTTPS with SigV4.
 */

/**
 * Services the application's own deploy creates (not this program): the backend the mesh routes to
 * (spec: "Application Scaling Configuration"; the HPA and VPA in the plan target its Deployment).
 */
export const APPLICATION_SERVICES: readonly ProvidedService[] = [
    { name: BACKEND, namespace: APP_NAMESPACE, ports: [BACKEND_PORT], createdBy: "the application's deploy (contract: docs/charts.md)" },
];

/**
 * ServiceAccounts an EKS add-on creates: the EBS CSI driver's controller runs as ebs-csi-controller-sa
 * in kube-system (https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html, "Step 1: Create an IAM role").
 */
export const ADDON_SERVICE_ACCOUNTS: Readonly<Record<string, readonly { namespace: string; name: string }[]>> = {
    "aws-ebs-csi-driver": [{ namespace: "kube-system", name: "ebs-csi-controller-sa" }],
};

const SERVICE_TYPE = "kubernetes:core/v1:Service";
const SERVICE_ACCOUNT_TYPE = "kubernetes:core/v1:ServiceAccount";
const POD_IDENTITY_TYPE = "aws:eks/podIdentityAssociation:PodIdentityAssociation";
const ADDON_TYPE = "aws:eks/addon:Addon";
const NAMESPACE_TYPE = "kubernetes:core/v1:Namespace";

interface Address {
    consumer: string;
    name: string;
    namespace: string;
    port?: number;
    text: string;
    /** A load balancer's binding (TargetGroupBinding serviceRef): traffic reaches the pods on the Service's targetPort. */
    binding?: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** <service>.<namespace>.svc[.cluster.local][:port], with the URL scheme before it when there is one. */
const SVC_RE = /(?:(https?):\/\/)?\b([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?\b(?::(\d+))?/g;

/** A port beside an address in the same object: `port: 9090` or Istio's `port: { number: 8000 }`. */
function siblingPort(obj: Obj): number | undefined {
    const p = obj.port;
    if (typeof p === "number") return p;
    if (isObj(p) && typeof p.number === "number") return p.number;
    return undefined;
}

function parsesAsJson(s: string): unknown {
    try {
        return JSON.parse(s) as unknown;
    } catch {
        return undefined;
    }
}

/** Every Service address in a value tree. */
function findAddresses(value: unknown, consumer: string, path: string, out: Address[], ownNamespace?: string): void {
    if (Array.isArray(value)) {
        value.forEach((v, i) => findAddresses(v, consumer, `${path}[${i}]`, out, ownNamespace));
        return;
    }
    if (!isObj(value)) return;
    for (const [k, v] of Object.entries(value)) {
        const here = path ? `${path}.${k}` : k;
        if (typeof v === "string" && /^\s*[[{]/.test(v) && parsesAsJson(v) !== undefined) {
            // JSON carried in a string (a ConfigMap or SSM parameter): read it as structure, so ports beside hosts count.
            findAddresses(parsesAsJson(v), consumer, here, out, ownNamespace);
        } else if (typeof v === "string") {
            for (const m of v.matchAll(SVC_RE)) {
                const [text, scheme, name, namespace, port] = m;
                const explicit = port ? Number(port) : siblingPort(value);
                const implied = scheme === "https" ? 443 : scheme === "http" ? 80 : undefined;
                out.push({ consumer: `${consumer} ${here}`, name, namespace, port: explicit ?? implied, text });
            }
        } else if (k === "serviceRef" && isObj(v) && typeof v.name === "string" && ownNamespace) {
            // A TargetGroupBinding (or any object) pointing at a Service in its own namespace.
            out.push({ consumer: `${consumer} ${here}`, name: v.name, namespace: ownNamespace, port: typeof v.port === "number" ? v.port : undefined, text: `serviceRef ${v.name}:${String(v.port)}`, binding: true });
        } else {
            findAddresses(v, consumer, here, out, ownNamespace);
        }
    }
}

/** Every Service the plan creates: its own Service objects, the releases' (by chart facts), the application's. */
export function providedServices(plan: PlanFile): ProvidedService[] {
    const own = plan.resources.filter((r) => r.type === SERVICE_TYPE).map((r) => {
        const meta = (r.inputs.metadata ?? {}) as Obj;
        const spec = (r.inputs.spec ?? {}) as Obj;
        const ports = Array.isArray(spec.ports) ? spec.ports.map((p) => Number((p as Obj).port)).filter(Number.isInteger) : [];
        return { name: String(meta.name ?? r.name), namespace: String(meta.namespace ?? "default"), ports, createdBy: `Service ${r.name}` };
    });
    return [...own, ...plannedReleases(plan.resources).flatMap(releaseServices), ...APPLICATION_SERVICES];
}

/** Every address in the plan: in release values, Kubernetes objects and the stack's outputs. */
export function addressesIn(plan: PlanFile): Address[] {
    const out: Address[] = [];
    for (const r of plan.resources) {
        // Kubernetes objects and anything else that carries an address to a reader (an SSM parameter, say).
        if (r.type === SERVICE_TYPE || r.type.startsWith("pulumi:")) continue;
        const meta = (r.inputs.metadata ?? {}) as Obj;
        const ns = typeof meta.namespace === "string" ? meta.namespace : typeof r.inputs.namespace === "string" ? r.inputs.namespace : undefined;
        findAddresses(r.inputs, r.name, "", out, ns);
    }
    findAddresses(plan.outputs, "stack output", "", out);
    return out;
}

/**
 * A load balancer bound to a Service reaches the pods directly on the Service's targetPort (the AWS Load
 * Balancer Controller registers pod IP and targetPort), so that port, not the Service port, must be open
 * in the security groups and admitted by the namespace's Istio ALLOW policies.
 */
function bindingProblem(plan: PlanFile, service: ProvidedService, target: number): string | undefined {
    const allowed: number[] = [];
    let policies = 0;
    for (const r of plan.resources.filter((x) => x.type === "kubernetes:security.istio.io/v1:AuthorizationPolicy")) {
        const meta = (r.inputs.metadata ?? {}) as Obj;
        const spec = (r.inputs.spec ?? {}) as Obj;
        if (meta.namespace !== service.namespace || (spec.action ?? "ALLOW") !== "ALLOW") continue;
        const ports = JSON.stringify(spec.rules ?? []).match(/"ports":\[[^\]]*\]/g) ?? [];
        if (ports.length === 0) continue;
        policies++;
        for (const list of ports) for (const n of list.match(/\d+/g) ?? []) allowed.push(Number(n));
    }
    const problems: string[] = [];
    if (policies > 0 && !allowed.includes(target)) problems.push(`the ALLOW policies in ${service.namespace} admit ports ${[...new Set(allowed)].join(", ")}, not ${target}`);
    const open = plan.resources.some((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" &&
        (r.inputs.ipProtocol === "-1" || (Number(r.inputs.fromPort) <= target && target <= Number(r.inputs.toPort))));
    if (!open) problems.push(`no security group rule opens ${target}`);
    return problems.length ? `the load balancer reaches the pods on targetPort ${target}, but ${problems.join(" and ")}` : undefined;
}

function resolve(a: Address, services: readonly ProvidedService[], plan?: PlanFile): ReadinessItem {
    const subject = `${a.consumer} -> ${a.name}.${a.namespace}${a.port ? `:${a.port}` : ""}`;
    const named = services.filter((s) => s.name === a.name);
    const match = named.find((s) => s.namespace === a.namespace);
    if (!match) {
        const elsewhere = named.map((s) => `${s.namespace} (${s.createdBy})`).join(", ");
        const there = services.filter((s) => s.namespace === a.namespace).map((s) => s.name).join(", ");
        return {
            subject,
            detail: a.text,
            problem: `no Service ${a.name} in namespace ${a.namespace}` +
                (elsewhere ? `; a Service of that name exists in ${elsewhere}` : "") +
                `; Services there: ${there || "none"}`,
        };
    }
    if (a.port !== undefined && match.ports.length > 0 && !match.ports.includes(a.port)) {
        return { subject, detail: a.text, problem: `Service ${a.name}.${a.namespace} (${match.createdBy}) has no port ${a.port}; it serves ${match.ports.join(", ")}` };
    }
    const target = a.binding && a.port !== undefined ? match.targetPorts?.[a.port] : undefined;
    if (plan && target !== undefined) {
        const problem = bindingProblem(plan, match, target);
        const detail = `${match.createdBy}, port ${a.port} -> pods on ${target}`;
        return problem ? { subject, detail, problem } : { subject, detail };
    }
    return { subject, detail: `${match.createdBy}${a.port !== undefined ? `, port ${a.port}` : ""}` };
}

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

function injectionItems(plan: PlanFile): ReadinessItem[] {
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
            items.push(defaultServed
                ? { subject, detail: "istio-injection=enabled, served by the default revision" }
                : { subject, detail: "istio-injection=enabled", problem: `istio-injection=enabled selects only a default-revision istiod or a "default" revision tag, and istiod here serves revision ${served}: label the namespace istio.io/rev=<revision> instead` });
        } else if (typeof rev === "string") {
            items.push(revisions.has(rev)
                ? { subject, detail: `istio.io/rev=${rev}, served by istiod` }
                : { subject, detail: `istio.io/rev=${rev}`, problem: `no istiod serves revision ${rev} (served: ${served})` });
        }
    }
    return items;
}

/** Every ServiceAccount the plan creates: its own objects, the releases' (by chart facts), the EKS add-ons'. */
export function providedServiceAccounts(plan: PlanFile): ProvidedService[] {
    const own = plan.resources.filter((r) => r.type === SERVICE_ACCOUNT_TYPE).map((r) => {
        const meta = (r.inputs.metadata ?? {}) as Obj;
        return { name: String(meta.name ?? r.name), namespace: String(meta.namespace ?? "default"), ports: [], createdBy: `ServiceAccount ${r.name}` };
    });
    const addons = plan.resources.filter((r) => r.type === ADDON_TYPE).flatMap((r) =>
        (ADDON_SERVICE_ACCOUNTS[String(r.inputs.addonName)] ?? []).map((sa) => ({ ...sa, ports: [], createdBy: `EKS add-on ${String(r.inputs.addonName)}` })));
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
            items.push(match ? { subject, detail: match.createdBy } : { subject, detail: "pod template", problem: `nothing in the plan creates ServiceAccount ${sa} in namespace ${ns}: the pods would not be admitted` });
        }
    }
    return items;
}

function podIdentityItems(plan: PlanFile): ReadinessItem[] {
    const accounts = providedServiceAccounts(plan);
    return [...podServiceAccountItems(plan, accounts), ...plan.resources.filter((r) => r.type === POD_IDENTITY_TYPE).map((r) => {
        const ns = String(r.inputs.namespace);
        const sa = String(r.inputs.serviceAccount);
        const subject = `${r.name} -> serviceaccount ${ns}/${sa}`;
        const match = accounts.find((a) => a.namespace === ns && a.name === sa);
        if (match) return { subject, detail: match.createdBy };
        const there = accounts.filter((a) => a.namespace === ns).map((a) => a.name).join(", ");
        return { subject, detail: "EKS Pod Identity association", problem: `nothing in the plan creates ServiceAccount ${sa} in namespace ${ns} (ServiceAccounts there: ${there || "none"}): the pods would run without the role` };
    })];
}

const DOMAIN_TYPE = "aws:opensearch/domain:Domain";
/** An OpenSearch domain endpoint: vpc-<domain>-<id>.<region>.es.amazonaws.com (search- for a public domain). */
const OPENSEARCH_RE = /\b(vpc|search)-([a-z][a-z0-9-]{2,27})-([a-z0-9]+)\.([a-z0-9-]+)\.es\.amazonaws\.com\b/;

/** Fluent Bit classic-config sections ([OUTPUT] and the like) as key -> value maps. */
export function fluentBitSections(text: string): { kind: string; keys: Record<string, string> }[] {
    const out: { kind: string; keys: Record<string, string> }[] = [];
    for (const line of text.split("\n")) {
        const head = /^\s*\[([A-Z]+)\]\s*$/.exec(line);
        if (head) out.push({ kind: head[1], keys: {} });
        else if (out.length > 0) {
            const kv = /^\s*([A-Za-z_.-]+)\s+(.*?)\s*$/.exec(line);
            if (kv) out[out.length - 1].keys[kv[1].toLowerCase()] = kv[2];
        }
    }
    return out;
}

/**
 * Clients of the region's OpenSearch domain inside the cluster: Fluent Bit's opensearch outputs and
 * Jaeger's storage server URLs must name a domain of this plan, in its region, over HTTPS on 443
 * with SigV4 (the domain enforces HTTPS and fine-grained access maps the writers' IAM roles).
 */
function openSearchItems(plan: PlanFile): ReadinessItem[] {
    const domains = plan.resources.filter((r) => r.type === DOMAIN_TYPE).map((r) => String(r.inputs.domainName ?? r.name));
    const region = String(plan.config["aws:region"] ?? "");
    const items: ReadinessItem[] = [];
    const domainProblem = (host: string): string | undefined => {
        const m = OPENSEARCH_RE.exec(host);
        if (!m) return `${host} is not an OpenSearch domain endpoint`;
        if (!domains.includes(m[2])) return `no OpenSearch domain ${m[2]} in this plan (domains: ${domains.join(", ") || "none"})`;
        if (region && m[4] !== region) return `the domain is in ${region}, the endpoint names ${m[4]}`;
        return undefined;
    };
    for (const r of plannedReleases(plan.resources)) {
        if (r.chart === "fluent-bit") {
            const config = (r.values.config ?? {}) as Record<string, unknown>;
            const outputs = typeof config.outputs === "string" ? fluentBitSections(config.outputs) : [];
            for (const o of outputs.filter((x) => x.kind === "OUTPUT" && x.keys.name === "opensearch")) {
                const k = o.keys;
                const subject = `${r.resource} output ${k.match ?? "?"} -> OpenSearch ${k.host ?? "?"}:${k.port ?? "?"}`;
                const wrong = [
                    domainProblem(k.host ?? ""),
                    k.port === "443" ? undefined : `Port ${k.port ?? "unset"}: the domain serves HTTPS on 443`,
                    /^on$/i.test(k.tls ?? "") ? undefined : "TLS is not On: the domain enforces HTTPS",
                    /^on$/i.test(k.aws_auth ?? "") ? undefined : "AWS_Auth is not On: the domain admits SigV4-signed IAM roles only",
                    !region || k.aws_region === region ? undefined : `AWS_Region ${k.aws_region ?? "unset"}, the domain is in ${region}`,
                ].filter((x): x is string => x !== undefined);
                items.push(wrong.length ? { subject, detail: "Fluent Bit opensearch output", problem: wrong.join("; ") } : { subject, detail: "a domain of this plan, HTTPS 443, SigV4" });
            }
        }
        if (r.chart === "jaeger") {
            const urls: string[] = [];
            const walk = (v: unknown, key = ""): void => {
                if (Array.isArray(v)) v.forEach((x) => (key === "server_urls" && typeof x === "string" ? urls.push(x) : walk(x)));
                else if (isObj(v)) for (const [k, x] of Object.entries(v)) walk(x, k);
            };
            walk(r.values.userconfig);
            for (const u of urls) {
                const subject = `${r.resource} storage -> OpenSearch ${u}`;
                let host = "";
                let problem: string | undefined;
                try {
                    const url = new URL(u);
                    host = url.hostname;
                    if (url.protocol !== "https:" || (url.port !== "" && url.port !== "443")) problem = `${u}: the domain serves HTTPS on 443`;
                } catch {
                    problem = `${u} is not a URL`;
                }
                problem = [problem, host ? domainProblem(host) : undefined].filter(Boolean).join("; ") || undefined;
                items.push(problem ? { subject, detail: "Jaeger OpenSearch backend", problem } : { subject, detail: "a domain of this plan, HTTPS 443" });
            }
        }
    }
    return items;
}

/** Namespaces every EKS cluster has before anything is installed. */
export const BUILT_IN_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** Every namespace something is installed into exists: built in, a Namespace of the plan, or made by a release (createNamespace). */
function namespaceItems(plan: PlanFile): ReadinessItem[] {
    const created = new Map<string, string>(BUILT_IN_NAMESPACES.map((n) => [n, "built in"]));
    for (const r of plan.resources.filter((x) => x.type === NAMESPACE_TYPE)) created.set(String(((r.inputs.metadata ?? {}) as Obj).name ?? r.name), `Namespace ${r.name}`);
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
        return by ? { subject, detail: by } : { subject, detail: "used", problem: `nothing in the plan creates namespace ${ns} and it is not built in: ${users.slice(0, 3).join(", ")} would fail` };
    });
}

export const inClusterAddresses: ReadinessCheck = (plan) => {
    const services = providedServices(plan);
    const seen = new Set<string>();
    const items: ReadinessItem[] = [];
    for (const a of addressesIn(plan)) {
        const item = resolve(a, services, plan);
        if (seen.has(item.subject)) continue;
        seen.add(item.subject);
        items.push(item);
    }
    items.push(...namespaceItems(plan), ...injectionItems(plan), ...podIdentityItems(plan), ...openSearchItems(plan));
    return { title: "in-cluster addresses", items };
};
