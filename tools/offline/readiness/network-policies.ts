import { APP_NAMESPACE, BACKEND, BACKEND_PORT, INGRESS_NAMESPACE, ISTIO_NAMESPACE } from "../../../components/regional-cluster/manifests";
import {
    APP_NAME_LABEL,
    AWS_API_PORT,
    CACHE_PORT,
    DNS_POD_LABELS,
    DNS_PORT,
    GATEWAY_POD_LABELS,
    ISTIO_METRICS_PORT,
    ISTIOD_POD_LABELS,
    ISTIOD_XDS_PORT,
    MONITORING_NAMESPACE,
    OTLP_PORTS,
    POD_IDENTITY_AGENT,
} from "../../../components/regional-cluster/network-policies";
import { WORKER } from "../../../components/worker-scaling";
import { TRACING_NAMESPACE } from "../../../components/observability/kubernetes";
import { platformHops, platformWorkloads } from "./platform-hops";
import type { PlanFile } from "../plan-file";
import { addressesIn } from "./in-cluster/services";
import type { ReadinessItem, ReadinessSection } from "./types";

type Obj = Record<string, any>;
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

/** One end of a hop: pods in a namespace with labels, or an address outside the cluster's pods. */
export type Peer = { namespace: string; labels: Record<string, string> } | { ip: string; what: string };
export interface Hop {
    subject: string;
    from: Peer;
    to: Peer;
    port: number;
    protocol: "TCP" | "UDP";
    /** For a scrape the model knows the endpoint of: the scheme it uses and the value that sets it (platform-hops.ts chartScrapes). */
    scrape?: { scheme: string; setting?: string };
}

const isPod = (p: Peer): p is { namespace: string; labels: Record<string, string> } => "namespace" in p;
const matches = (selector: Obj | undefined, labels: Record<string, string>) =>
    Object.entries((selector?.matchLabels ?? {}) as Record<string, string>).every(([k, v]) => labels[k] === v) &&
    ((selector?.matchExpressions ?? []) as Obj[]).every((e) =>
        e.operator === "In" ? (e.values ?? []).includes(labels[e.key]) : e.operator === "Exists" ? e.key in labels : true,
    );

export function ipInCidr(ip: string, cidr: string): boolean {
    const [base, bits] = cidr.split("/");
    const n = (a: string) => a.split(".").reduce((x, o) => (x << 8) + Number(o), 0) >>> 0;
    const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
    return (n(ip) & mask) === (n(base) & mask);
}

/**
 * Whether `direction` traffic between `pod` and `peer` on port/protocol is allowed by the NetworkPolicies of
 * the pod's namespace (Kubernetes semantics: a pod no policy selects for that direction is not isolated; an
 * isolated pod accepts what any selecting policy's rules allow; empty peers or ports mean all).
 */
export function allowedBy(
    policies: readonly Obj[],
    namespaceLabels: (ns: string) => Record<string, string>,
    direction: "Ingress" | "Egress",
    pod: { namespace: string; labels: Record<string, string> },
    peer: Peer,
    port: number,
    protocol: string,
): boolean {
    const selecting = policies.filter(
        (p) =>
            p.metadata?.namespace === pod.namespace &&
            matches(p.spec?.podSelector, pod.labels) &&
            ((p.spec?.policyTypes as string[] | undefined) ?? (direction === "Ingress" ? ["Ingress"] : p.spec?.egress ? ["Egress"] : [])).includes(direction),
    );
    if (!selecting.length) return true;
    const key = direction === "Ingress" ? "ingress" : "egress";
    const peersKey = direction === "Ingress" ? "from" : "to";
    return selecting.some((p) =>
        ((p.spec?.[key] ?? []) as Obj[]).some((rule) => {
            const ports = (rule.ports ?? []) as Obj[];
            const portOk =
                !ports.length ||
                ports.some(
                    (x) =>
                        (x.protocol ?? "TCP") === protocol &&
                        (x.port === undefined || x.port === port || (x.endPort !== undefined && port >= x.port && port <= x.endPort)),
                );
            const peers = (rule[peersKey] ?? []) as Obj[];
            const peerOk =
                !peers.length ||
                peers.some((x) => {
                    if (x.ipBlock)
                        return !isPod(peer) && ipInCidr(peer.ip, x.ipBlock.cidr) && !((x.ipBlock.except ?? []) as string[]).some((e) => ipInCidr(peer.ip, e));
                    if (!isPod(peer)) return false;
                    const nsOk = x.namespaceSelector ? matches(x.namespaceSelector, namespaceLabels(peer.namespace)) : peer.namespace === pod.namespace;
                    return nsOk && (x.podSelector ? matches(x.podSelector, peer.labels) : true);
                });
            return portOk && peerOk;
        }),
    );
}

/** The first host address of an IPv4 CIDR (an address the data tier's ENIs may have). */
const firstHost = (cidr: string) => cidr.replace(/\.\d+\/\d+$/, ".10");

/**
 * The in-cluster hops the plan relies on for the apps, with both ends' pod labels: the ingress gateway to the
 * backend (the plan's VirtualService destinations), the apps to PgBouncer (the shard catalog's pooler addresses,
 * resolved to the Services' selectors), and what every meshed app pod needs (DNS, istiod, Prometheus scrapes,
 * OTLP to the collector, the cache in the VPC, Pod Identity, AWS APIs). App pods are selected by
 * `app.kubernetes.io/name` (BACKEND, WORKER).
 */
export function appHops(plan: PlanFile): Hop[] {
    const apps = [BACKEND, WORKER].map((name) => ({ namespace: APP_NAMESPACE, labels: { [APP_NAME_LABEL]: name } }));
    const hops: Hop[] = [];
    const services = new Map(
        plan.resources
            .filter((r) => r.type === "kubernetes:core/v1:Service")
            .map((r) => [`${(r.inputs as Obj).metadata?.name}.${(r.inputs as Obj).metadata?.namespace}`, r.inputs as Obj]),
    );
    for (const vs of plan.resources.filter((r) => r.type === "kubernetes:networking.istio.io/v1:VirtualService")) {
        for (const route of ((vs.inputs.spec as Obj)?.http ?? []) as Obj[])
            for (const d of (route.route ?? []) as Obj[]) {
                const [svc, ns] = String(d.destination?.host ?? "").split(".");
                if (ns !== APP_NAMESPACE) continue;
                // The route names a Service; the pods behind it are its selector's (a Rollout's canary and preview
                // Services select the same pods as the stable one, under another name).
                const selector = (services.get(`${svc}.${ns}`)?.spec?.selector ?? { [APP_NAME_LABEL]: svc }) as Record<string, string>;
                hops.push({
                    subject: `ingress gateway -> ${svc}.${ns}:${d.destination?.port?.number ?? BACKEND_PORT}`,
                    from: { namespace: INGRESS_NAMESPACE, labels: { ...GATEWAY_POD_LABELS } },
                    to: { namespace: ns, labels: { ...selector } },
                    port: d.destination?.port?.number ?? BACKEND_PORT,
                    protocol: "TCP",
                });
            }
    }
    const vpcCidr = String((plan.outputs as Obj | undefined)?.vpcCidr ?? "10.0.0.0/16");
    // The OpenTelemetry collector where the plan installs it (its release's namespace and the chart's pod labels).
    const otel = platformWorkloads(plan, APP_NAMESPACE).find((w) => /collector$/.test(w.component));
    const collector = otel
        ? { namespace: otel.namespace, labels: { ...otel.labels } }
        : { namespace: TRACING_NAMESPACE, labels: { "app.kubernetes.io/name": "opentelemetry-collector" } };
    for (const app of apps) {
        const name = app.labels[APP_NAME_LABEL];
        const seen = new Set<string>();
        for (const a of addressesIn(plan).filter((x) => x.consumer.includes("catalog") && x.namespace && x.namespace !== APP_NAMESPACE)) {
            const svc = services.get(`${a.name}.${a.namespace}`);
            if (!svc || seen.has(`${a.name}.${a.namespace}`)) continue;
            seen.add(`${a.name}.${a.namespace}`);
            for (const p of (svc.spec?.ports ?? []) as Obj[]) {
                const port = typeof p.targetPort === "number" ? p.targetPort : p.port;
                hops.push({
                    subject: `${name} -> ${a.name}.${a.namespace}:${port}`,
                    from: app,
                    to: { namespace: String(a.namespace), labels: svc.spec?.selector ?? {} },
                    port,
                    protocol: "TCP",
                });
            }
        }
        hops.push(
            {
                subject: `${name} -> kube-dns (UDP ${DNS_PORT})`,
                from: app,
                to: { namespace: "kube-system", labels: { ...DNS_POD_LABELS } },
                port: DNS_PORT,
                protocol: "UDP",
            },
            {
                subject: `${name} -> kube-dns (TCP ${DNS_PORT})`,
                from: app,
                to: { namespace: "kube-system", labels: { ...DNS_POD_LABELS } },
                port: DNS_PORT,
                protocol: "TCP",
            },
            {
                subject: `${name} sidecar -> istiod:${ISTIOD_XDS_PORT}`,
                from: app,
                to: { namespace: ISTIO_NAMESPACE, labels: { ...ISTIOD_POD_LABELS } },
                port: ISTIOD_XDS_PORT,
                protocol: "TCP",
            },
            {
                subject: `prometheus -> ${name}:${ISTIO_METRICS_PORT}`,
                from: { namespace: MONITORING_NAMESPACE, labels: { "app.kubernetes.io/name": "prometheus" } },
                to: app,
                port: ISTIO_METRICS_PORT,
                protocol: "TCP",
            },
            ...OTLP_PORTS.map((port): Hop => ({ subject: `${name} -> otel collector:${port}`, from: app, to: collector, port, protocol: "TCP" })),
            {
                subject: `${name} -> cache in ${vpcCidr}:${CACHE_PORT}`,
                from: app,
                to: { ip: firstHost(vpcCidr), what: "ElastiCache" },
                port: CACHE_PORT,
                protocol: "TCP",
            },
            {
                subject: `${name} -> Pod Identity agent`,
                from: app,
                to: { ip: POD_IDENTITY_AGENT.cidr.split("/")[0], what: "Pod Identity agent" },
                port: POD_IDENTITY_AGENT.port,
                protocol: "TCP",
            },
            {
                subject: `${name} -> AWS APIs:${AWS_API_PORT}`,
                from: app,
                to: { ip: "52.94.0.10", what: "an AWS regional endpoint" },
                port: AWS_API_PORT,
                protocol: "TCP",
            },
        );
    }
    return hops;
}

/** Whether a hop is allowed at both ends: the source's egress and the destination's ingress. */
export function hopAllowed(plan: PlanFile, hop: Hop): { egress: boolean; ingress: boolean } {
    const policies = plan.resources.filter((r) => r.type === NETWORK_POLICY).map((r) => r.inputs as Obj);
    const nsLabels = new Map(
        plan.resources
            .filter((r) => r.type === "kubernetes:core/v1:Namespace")
            .map((r) => [String((r.inputs as Obj).metadata?.name), ((r.inputs as Obj).metadata?.labels ?? {}) as Record<string, string>]),
    );
    const labelsOf = (ns: string) => ({ ...(nsLabels.get(ns) ?? {}), "kubernetes.io/metadata.name": ns });
    return {
        egress: !isPod(hop.from) || allowedBy(policies, labelsOf, "Egress", hop.from, hop.to, hop.port, hop.protocol),
        ingress: !isPod(hop.to) || allowedBy(policies, labelsOf, "Ingress", hop.to, hop.from, hop.port, hop.protocol),
    };
}

/**
 * Every in-cluster hop the apps rely on is allowed by the NetworkPolicies at both ends; a hop a default-deny
 * cuts is a 502 or a timeout after the deploy. Only stacks that plan NetworkPolicies are judged.
 */
export function networkPolicies(plan: PlanFile): ReadinessSection {
    const title = "network policies";
    if (!plan.resources.some((r) => r.type === NETWORK_POLICY)) return { title, items: [] };
    const items: ReadinessItem[] = [
        ...namespaceCoverage(plan),
        ...[...appHops(plan), ...platformHops(plan, APP_NAMESPACE)].map((hop) => {
            const { egress, ingress } = hopAllowed(plan, hop);
            const cut = [!egress ? "the source's egress" : "", !ingress ? "the destination's ingress" : ""].filter(Boolean);
            return cut.length
                ? {
                      subject: hop.subject,
                      detail: `${hop.protocol} ${hop.port}`,
                      problem: `not allowed by ${cut.join(" or ")} NetworkPolicies: add an allow rule (components/regional-cluster/network-policies.ts for the app namespace, platform-network-policies.ts for the others)`,
                  }
                : { subject: hop.subject, detail: `${hop.protocol} ${hop.port} allowed at both ends` };
        }),
    ];
    return { title, items };
}

/**
 * kube-system is not default-denied: it hosts CoreDNS, kube-proxy, the VPC CNI and EKS-managed add-ons whose
 * traffic the platform does not define (docs/runtime-security.md). `default` runs nothing of the platform's.
 */
export const NOT_DEFAULT_DENIED = ["kube-system", "default"];

/** kube-system charts left without a NetworkPolicy, by chart, with the reason. */
export const KUBE_SYSTEM_OPEN: Readonly<Record<string, string>> = {
    "secrets-store-csi-driver-provider-aws":
        "the Secrets Store CSI driver and its AWS provider run as node DaemonSets (the driver reaches the kubelet over a Unix socket; the provider calls Secrets Manager for the mounting pods); their traffic is not yet sourced here, and issue 15 keeps only one in-cluster secret mechanism (docs/runtime-security.md)",
};

/** A policy that selects every pod for both directions and allows nothing: what a namespace's default deny is. */
const isDefaultDeny = (spec: Obj | undefined) =>
    !!spec &&
    !Object.keys(spec.podSelector?.matchLabels ?? {}).length &&
    !(spec.podSelector?.matchExpressions ?? []).length &&
    ["Ingress", "Egress"].every((t) => ((spec.policyTypes ?? []) as string[]).includes(t)) &&
    !(spec.ingress ?? []).length &&
    !(spec.egress ?? []).length;

/**
 * Every namespace the plan creates or installs a chart into has a default deny for ingress and egress (except
 * NOT_DEFAULT_DENIED), and no NetworkPolicy lands in a namespace the plan does not create or install into (it
 * would fail to apply: a component that stopped installing there leaves its policies behind).
 */
export function namespaceCoverage(plan: PlanFile): ReadinessItem[] {
    const owned = new Set([
        ...plan.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => String((r.inputs as Obj).metadata?.name)),
        ...plan.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release").map((r) => String((r.inputs as Obj).namespace ?? "default")),
    ]);
    const policies = plan.resources.filter((r) => r.type === NETWORK_POLICY).map((r) => r.inputs as Obj);
    const items: ReadinessItem[] = [...owned].sort().map((ns) => {
        if (NOT_DEFAULT_DENIED.includes(ns))
            return {
                subject: `namespace ${ns}`,
                detail: "not default-denied by design: the platform's add-ons there are isolated one by one (docs/runtime-security.md)",
            };
        const count = policies.filter((p) => p.metadata?.namespace === ns).length;
        return policies.some((p) => p.metadata?.namespace === ns && isDefaultDeny(p.spec))
            ? { subject: `namespace ${ns}`, detail: `default deny (ingress and egress) and ${count - 1} allow policies` }
            : {
                  subject: `namespace ${ns}`,
                  detail: "no default deny",
                  problem: `namespace ${ns} has no NetworkPolicy denying all ingress and egress: add it to components/regional-cluster/platform-network-policies.ts (or network-policies.ts for the app namespace)`,
              };
    });
    // kube-system: each add-on release's pods are selected, for both directions, by some policy there.
    for (const w of platformWorkloads(plan, APP_NAMESPACE).filter((x) => x.namespace === "kube-system")) {
        const isolating = policies.filter(
            (p) =>
                p.metadata?.namespace === "kube-system" &&
                matches(p.spec?.podSelector, w.labels) &&
                ["Ingress", "Egress"].every((t) => ((p.spec?.policyTypes ?? []) as string[]).includes(t)),
        );
        items.push(
            isolating.length
                ? { subject: `kube-system add-on ${w.component}`, detail: `isolated by ${isolating.map((p) => p.metadata?.name).join(", ")}` }
                : {
                      subject: `kube-system add-on ${w.component}`,
                      detail: "open",
                      problem: `no NetworkPolicy in kube-system selects ${w.component}'s pods (${JSON.stringify(w.labels)}) for ingress and egress: add it to kubeSystemAddonPolicySpecs (components/regional-cluster/platform-network-policies.ts)`,
                  },
        );
    }
    // A kube-system release whose pods the charts' facts do not describe cannot be judged: a problem, unless exempt with a reason.
    const described = new Set(
        platformWorkloads(plan, APP_NAMESPACE)
            .filter((x) => x.namespace === "kube-system")
            .map((x) => x.component.split("/")[0]),
    );
    for (const r of plan.resources.filter(
        (x) => x.type === "kubernetes:helm.sh/v3:Release" && (x.inputs as Obj).namespace === "kube-system" && !described.has(String((x.inputs as Obj).name)),
    )) {
        const rel = r.inputs as Obj;
        const reason = KUBE_SYSTEM_OPEN[String(rel.chart)];
        items.push(
            reason
                ? { subject: `kube-system add-on ${rel.name}`, detail: `open: ${reason}` }
                : {
                      subject: `kube-system add-on ${rel.name}`,
                      detail: "open",
                      problem: `kube-system release ${rel.name} (${rel.chart}) has no pod facts (test/upstream/charts/${rel.chart}/${rel.version}/pods.json) and no NetworkPolicy: add both, or list it in KUBE_SYSTEM_OPEN with a reason`,
                  },
        );
    }
    for (const ns of new Set(policies.map((p) => String(p.metadata?.namespace))))
        if (!owned.has(ns))
            items.push({
                subject: `namespace ${ns}`,
                detail: "NetworkPolicies only",
                problem: `NetworkPolicies target namespace ${ns}, which the plan neither creates nor installs a chart into: drop it from the namespaces given to platformNetworkPolicies (stacks/regional.ts)`,
            });
    return items;
}
