import { plannedReleases } from "../../../charts/releases";
import { ProvidedService, releaseServices } from "../../../charts/services";
import type { PlanFile } from "../../plan-file";
import type { ReadinessItem } from "../types";

/**
 * Services the application's own deploy creates (not this program). None today: the backend's Services
 * (stable/canary or active/preview) are RegionalCluster's (components/regional-cluster/rollout.ts).
 */
export const APPLICATION_SERVICES: readonly ProvidedService[] = [];

const SERVICE_TYPE = "kubernetes:core/v1:Service";

export interface Address {
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
            out.push({
                consumer: `${consumer} ${here}`,
                name: v.name,
                namespace: ownNamespace,
                port: typeof v.port === "number" ? v.port : undefined,
                text: `serviceRef ${v.name}:${String(v.port)}`,
                binding: true,
            });
        } else {
            findAddresses(v, consumer, here, out, ownNamespace);
        }
    }
}

/** Every Service the plan creates: its own Service objects, the releases' (by chart facts), the application's. */
export function providedServices(plan: PlanFile): ProvidedService[] {
    const own = plan.resources
        .filter((r) => r.type === SERVICE_TYPE)
        .map((r) => {
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
    if (policies > 0 && !allowed.includes(target))
        problems.push(`the ALLOW policies in ${service.namespace} admit ports ${[...new Set(allowed)].join(", ")}, not ${target}`);
    const open = plan.resources.some(
        (r) =>
            r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" &&
            (r.inputs.ipProtocol === "-1" || (Number(r.inputs.fromPort) <= target && target <= Number(r.inputs.toPort))),
    );
    if (!open) problems.push(`no security group rule opens ${target}`);
    return problems.length ? `the load balancer reaches the pods on targetPort ${target}, but ${problems.join(" and ")}` : undefined;
}

export function resolve(a: Address, services: readonly ProvidedService[], plan?: PlanFile): ReadinessItem {
    const subject = `${a.consumer} -> ${a.name}.${a.namespace}${a.port ? `:${a.port}` : ""}`;
    const named = services.filter((s) => s.name === a.name);
    const match = named.find((s) => s.namespace === a.namespace);
    if (!match) {
        const elsewhere = named.map((s) => `${s.namespace} (${s.createdBy})`).join(", ");
        const there = services
            .filter((s) => s.namespace === a.namespace)
            .map((s) => s.name)
            .join(", ");
        return {
            subject,
            detail: a.text,
            problem:
                `no Service ${a.name} in namespace ${a.namespace}` +
                (elsewhere ? `; a Service of that name exists in ${elsewhere}` : "") +
                `; Services there: ${there || "none"}`,
        };
    }
    if (a.port !== undefined && match.ports.length > 0 && !match.ports.includes(a.port)) {
        return {
            subject,
            detail: a.text,
            problem: `Service ${a.name}.${a.namespace} (${match.createdBy}) has no port ${a.port}; it serves ${match.ports.join(", ")}`,
        };
    }
    const target = a.binding && a.port !== undefined ? match.targetPorts?.[a.port] : undefined;
    if (plan && target !== undefined) {
        const problem = bindingProblem(plan, match, target);
        const detail = `${match.createdBy}, port ${a.port} -> pods on ${target}`;
        return problem ? { subject, detail, problem } : { subject, detail };
    }
    return { subject, detail: `${match.createdBy}${a.port !== undefined ? `, port ${a.port}` : ""}` };
}
