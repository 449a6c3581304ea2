/**
 * Encryption in transit for every hop of the NetworkPolicy model (issue 15; docs/encryption-in-transit.md): the app
 * hops and the platform hops (network-policies.ts appHops, platform-hops.ts platformHops) each get a transit verdict.
 * A hop the hop-by-hop walk of in-transit.ts already judges is mapped to that verdict; the others are judged by their
 * server (component and port) from sourced facts (test/upstream/transit/servers.json): TLS always, TLS when a plan
 * setting turns it on, host-local, or no TLS, in which case the hop rides the Nitro floor (AWS Nitro in-transit
 * encryption between listed instance types in one VPC) and is valid only when every node type of the plan encrypts.
 * A hop with no verdict is a problem: a new platform hop must be classified before it ships.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import { encryptsInTransit } from "../../../policies/lib/nitro-in-transit";
import { POD_IDENTITY_AGENT } from "../../../components/regional-cluster/network-policies";
import { projectRoot } from "../../../stacks/stack-files";
import { plannedReleases } from "../../charts/releases";
import type { PlanFile } from "../plan-file";
import type { Hop } from "./in-transit";
import { clusterTlsOf, TOOLKIT_VERSIONS } from "./cluster-tls";
import { appHops, ipInCidr, type Hop as NetworkHop, type Peer } from "./network-policies";
import { platformHops, platformWorkloads } from "./platform-hops";

type Obj = Record<string, any>;
type Labels = Record<string, string>;

/** Where a peer is: a pod, or the kind of address the NetworkPolicy model gives it. */
export type PeerKind = "pod" | "api-server" | "nodes" | "nlb" | "aurora" | "opensearch" | "elasticache" | "pod-identity" | "vpc" | "aws-public";

/** A server's transit facts, as recorded in test/upstream/transit/servers.json. */
export interface ServerFact {
    server: string;
    match: { peer?: PeerKind; from?: PeerKind; labels?: Labels; port?: number; portNames?: string[]; paths?: string[] };
    /** tls: always; setting: TLS when `setting` is in the plan; offered: TLS exists, not configured; no-tls; host-local; no-data-probe. */
    transit: "tls" | "setting" | "offered" | "no-tls" | "host-local" | "no-data-probe";
    /**
     * The plan setting that turns TLS on: a value of the chart's release (truthy), or, with `flag`, an argument list at
     * `path` that passes `<flag>=<file>`, an exporter-toolkit web config file the plan provides (exporterWebConfigOf), or,
     * with `check: "cluster-tls"`, a Prometheus Operator ClusterTLSConfig that serves and verifies (cluster-tls.ts).
     */
    setting?: { chart: string; path: string; flag?: string; check?: "cluster-tls" };
    speaks: string;
    floor?: string;
    source: string;
    basis: string;
}

/** How a hop is encrypted, for the figures and the docs. */
export type TransitClass =
    "mapped" | "mesh" | "refused" | "tls" | "tls-configured" | "host-local" | "nitro-no-tls" | "nitro-tls-not-configured" | "no-data-probe" | "unclassified";

export interface Verdict {
    /** The NetworkPolicy model's hop subject. */
    subject: string;
    class: TransitClass;
    /** The transit hop that carries the verdict (an existing hop's name, or a row of its own). */
    hop: Hop;
}

export const NITRO_FLOOR = "Nitro AEAD 256-bit (no TLS)";

/**
 * Servers that offer TLS the platform has not configured yet: their hops ride the Nitro floor only, each with why
 * it is not configured yet (docs/encryption-in-transit.md, "What rides Nitro only"). A server of that class not
 * listed here is a problem, and test/tools/offline/readiness/platform-transit.spec.ts fails when an entry matches no
 * hop of the default plans, so the list can only shrink.
 */
export const TLS_OFFERED_NOT_CONFIGURED: Readonly<Record<string, string>> = {
    "Grafana web":
        "grafana.ini [server] protocol https needs a certificate Secret mounted in Grafana's pod, HTTPS probes, an https ServiceMonitor with the CA, the password-sync sidecar and the chart's dashboard and datasource sidecars (reloadURL http://localhost:3000/...) in the same pod moved to https with the CA (the certificate's name resolved to 127.0.0.1): not built yet (port 3000 is already left out of Grafana's own mesh sidecar, traffic.sidecar.istio.io/excludeInboundPorts, so Prometheus reaches Grafana itself)",
};

/**
 * Plain-text hops that carry no data: load balancer health checks, which ask for a status code. Nitro does not
 * cover them (a load balancer is in the path), so each is listed with its reason; an unlisted one is a problem.
 */
export const NO_DATA_PROBES: Readonly<Record<string, string>> = {
    "Istio gateway readiness (load balancer health check)":
        "the NLB target group's health check GETs /healthz/ready on the gateway's status port 15021, which Envoy serves only in plain HTTP; the answer is a status code, and traffic itself goes to the TLS port 8443",
};

let facts: ServerFact[] | undefined;
/** The sourced server facts (test/upstream/transit/servers.json). */
export function serverFacts(): ServerFact[] {
    facts ??= (JSON.parse(readFileSync(join(projectRoot(), "test", "upstream", "transit", "servers.json"), "utf8")) as { servers: ServerFact[] }).servers;
    return facts;
}

/** Node instance types the plan can run: managed node groups' instanceTypes and launch templates' instanceType. */
export function nodeTypes(plan: PlanFile): string[] {
    const out = new Set<string>();
    for (const r of plan.resources) {
        const i = (r.inputs ?? {}) as Obj;
        if (r.type === "aws:eks/nodeGroup:NodeGroup" || r.type === "eks:index:ManagedNodeGroup")
            for (const t of (i.instanceTypes ?? []) as string[]) out.add(String(t));
        if (r.type === "aws:ec2/launchTemplate:LaunchTemplate" && i.instanceType) out.add(String(i.instanceType));
    }
    return [...out].sort();
}

/** Whether the Nitro floor holds for the plan: node types exist and every one encrypts in transit. */
export function nitroFloor(plan: PlanFile): { holds: boolean; types: string[]; outside: string[] } {
    const types = nodeTypes(plan);
    const outside = types.filter((t) => !encryptsInTransit(t));
    return { holds: types.length > 0 && outside.length === 0, types, outside };
}

export function peerKind(p: Peer, vpcCidr: string): PeerKind {
    if ("namespace" in p) return "pod";
    if (p.ip === POD_IDENTITY_AGENT.cidr.split("/")[0]) return "pod-identity";
    const kinds: [RegExp, PeerKind][] = [
        [/API server/, "api-server"],
        [/\bnodes\b/, "nodes"],
        [/\bNLB\b/, "nlb"],
        [/Aurora/, "aurora"],
        [/OpenSearch/, "opensearch"],
        [/ElastiCache/, "elasticache"],
    ];
    const named = kinds.find(([re]) => re.test(p.what));
    if (named) return named[1];
    return ipInCidr(p.ip, vpcCidr) ? "vpc" : "aws-public";
}

const within = (want: Labels | undefined, labels: Labels) => Object.entries(want ?? {}).every(([k, v]) => labels[k] === v);

/** The server fact of a hop: its source kind, destination kind, labels and port. */
export function serverOf(h: NetworkHop, vpcCidr: string): ServerFact | undefined {
    const to = peerKind(h.to, vpcCidr);
    const from = peerKind(h.from, vpcCidr);
    return serverFacts().find((f) => {
        const m = f.match;
        if (m.from && m.from !== from) return false;
        if (m.peer && m.peer !== to) return false;
        if (m.labels && !("namespace" in h.to && within(m.labels, h.to.labels))) return false;
        if (m.port !== undefined && m.port !== h.port) return false;
        return !!(m.from || m.peer || m.labels || m.port !== undefined);
    });
}

/** A dotted values path of the plan's release of `chart`, or undefined. */
function releaseSetting(plan: PlanFile, chart: string, path: string): unknown {
    const rel = plannedReleases(plan.resources).find((r) => r.chart === chart);
    return path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Obj)[k] : undefined), rel?.values);
}

/**
 * The ConfigMap the chart's values mount at `dir`: a `configmaps` entry (prometheus-node-exporter: `{ name, mountPath }`,
 * the volume named for the ConfigMap), or a volume mount whose volume is a ConfigMap (`volumes`/`volumeMounts`, with
 * their `extra` forms).
 */
function configMapMountedAt(values: Obj, dir: string): string | undefined {
    const listed = ((values.configmaps ?? []) as Obj[]).find((m) => m.mountPath === dir)?.name as string | undefined;
    if (listed) return listed;
    const mount = [...((values.volumeMounts ?? []) as Obj[]), ...((values.extraVolumeMounts ?? []) as Obj[])].find((m) => m.mountPath === dir);
    const volume = mount && [...((values.volumes ?? []) as Obj[]), ...((values.extraVolumes ?? []) as Obj[])].find((v) => v.name === mount.name);
    return volume?.configMap?.name as string | undefined;
}

/**
 * An exporter's web config as the plan gives it: the `<flag>=<file>` argument in the release's list at `path`, the
 * ConfigMap those values mount at the file's directory, and that ConfigMap in the release's namespace with a key of the
 * file's name. Undefined when the flag is not passed; a problem when the file is not mounted or not in the plan, or has
 * no certificate and key in its tls_server_config. The floor is its min_version.
 */
export function exporterWebConfigOf(
    plan: PlanFile,
    setting: { chart: string; path: string; flag?: string },
): { file: string; floor: string; problem?: string } | undefined {
    const args = releaseSetting(plan, setting.chart, setting.path);
    const arg = (Array.isArray(args) ? (args as unknown[]) : []).map(String).find((a) => a.startsWith(`${setting.flag}=`));
    if (!arg) return undefined;
    const file = arg.slice(String(setting.flag).length + 1);
    const namespace = plannedReleases(plan.resources).find((r) => r.chart === setting.chart)?.namespace;
    const dir = file.slice(0, file.lastIndexOf("/"));
    const key = file.slice(file.lastIndexOf("/") + 1);
    const values = (releaseSetting(plan, setting.chart, setting.path.split(".").slice(0, -1).join(".")) ?? {}) as Obj;
    const name = configMapMountedAt(values, dir);
    if (!name)
        return { file, floor: "none", problem: `plaintext: ${setting.flag}=${file} but the values mount no ConfigMap at ${dir}: the exporter would not start` };
    const configMap = plan.resources.find(
        (r) => r.type === "kubernetes:core/v1:ConfigMap" && (r.inputs as Obj).metadata?.namespace === namespace && (r.inputs as Obj).metadata?.name === name,
    );
    const text = ((configMap?.inputs as Obj | undefined)?.data ?? {})[key] as string | undefined;
    if (typeof text !== "string")
        return {
            file,
            floor: "none",
            problem: `plaintext: ${setting.flag}=${file} but no ConfigMap ${namespace}/${name} with ${key} is in the plan: the exporter would not start`,
        };
    const tls = ((parse(text) ?? {}) as Obj).tls_server_config as Obj | undefined;
    if (!tls?.cert_file || !tls?.key_file)
        return {
            file,
            floor: "none",
            problem: `plaintext: the web config ${file} has no tls_server_config with cert_file and key_file, so the exporter serves HTTP`,
        };
    const floor = TOOLKIT_VERSIONS[String(tls.min_version ?? "TLS12")];
    if (!floor)
        return {
            file,
            floor: "none",
            problem: `the web config ${file} sets min_version ${tls.min_version}; exporter-toolkit takes ${Object.keys(TOOLKIT_VERSIONS).join(", ")}`,
        };
    return { file, floor };
}

/** The verdict a server fact gives a hop named `hop`. */
export function judgeByServer(
    plan: PlanFile,
    hop: string,
    fact: ServerFact,
    path: { throughLoadBalancer: boolean; inVpc: boolean },
): { class: TransitClass; hop: Hop } {
    const evidence = `${fact.server}: ${fact.basis} (${fact.source})`;
    if (fact.transit === "tls") return { class: "tls", hop: { hop, protocol: fact.speaks, floor: fact.floor ?? "TLS 1.2", evidence } };
    if (fact.transit === "host-local")
        return {
            class: "host-local",
            hop: { hop, protocol: `${fact.speaks} on a link-local address of the pod's own node`, floor: "host-local (never leaves the node)", evidence },
        };
    if (fact.transit === "no-data-probe")
        return {
            class: "no-data-probe",
            hop: {
                hop,
                protocol: `${fact.speaks} health check (a status code, no application data)`,
                floor: "none (carries no data)",
                evidence,
                problem: NO_DATA_PROBES[fact.server] ? undefined : `plaintext: ${fact.server} is a plain-text probe not listed in NO_DATA_PROBES with a reason`,
            },
        };
    if (fact.transit === "setting" && fact.setting?.flag) {
        const web = exporterWebConfigOf(plan, fact.setting);
        if (web)
            return {
                class: web.problem ? "nitro-tls-not-configured" : "tls-configured",
                hop: {
                    hop,
                    protocol: `${fact.speaks} over TLS (${fact.setting.flag})`,
                    floor: web.problem ? "none" : web.floor,
                    evidence: `${fact.setting.path}: ${fact.setting.flag}=${web.file}; ${evidence}`,
                    problem: web.problem,
                },
            };
    } else if (fact.transit === "setting" && fact.setting?.check === "cluster-tls") {
        const tls = clusterTlsOf(releaseSetting(plan, fact.setting.chart, fact.setting.path), fact.setting.path);
        if (tls)
            return {
                class: tls.problem ? "nitro-tls-not-configured" : "tls-configured",
                hop: {
                    hop,
                    protocol: `${fact.speaks} over mutual TLS (${fact.setting.path})`,
                    floor: tls.floor,
                    evidence: `${fact.setting.path} set; ${evidence}`,
                    problem: tls.problem,
                },
            };
    } else if (fact.transit === "setting" && fact.setting) {
        const value = releaseSetting(plan, fact.setting.chart, fact.setting.path);
        if (value !== undefined && value !== null && value !== false)
            return {
                class: "tls-configured",
                hop: {
                    hop,
                    protocol: `${fact.speaks} over TLS (${fact.setting.path})`,
                    floor: fact.floor ?? "TLS 1.2",
                    evidence: `${fact.setting.path} set; ${evidence}`,
                },
            };
    }
    const offered = fact.transit !== "no-tls";
    const nitro = nitroFloor(plan);
    const protocol = `${fact.speaks} (${offered ? "TLS offered, not configured" : "no TLS offered"}) over Nitro in-transit encryption`;
    const why = path.throughLoadBalancer
        ? "the hop passes through a load balancer, which Nitro in-transit encryption does not cover"
        : !path.inVpc
          ? "the hop leaves the VPC, which Nitro in-transit encryption does not cover"
          : !nitro.types.length
            ? "the plan has no node instance types to judge"
            : nitro.outside.length
              ? `node types ${nitro.outside.join(", ")} do not encrypt traffic between instances (AWS Nitro; policies/lib/nitro-in-transit.ts)`
              : offered && !TLS_OFFERED_NOT_CONFIGURED[fact.server]
                ? "it is not listed in TLS_OFFERED_NOT_CONFIGURED with a reason"
                : undefined;
    return {
        class: offered ? "nitro-tls-not-configured" : "nitro-no-tls",
        hop: {
            hop,
            protocol,
            floor: why ? "none" : NITRO_FLOOR,
            evidence: `node types ${nitro.types.join(", ") || "none"}; ${evidence}`,
            problem: why
                ? `plaintext: ${fact.server} speaks ${fact.speaks} without TLS and ${why}${offered ? `; configure its TLS${fact.setting ? ` (${fact.setting.path})` : ""}` : ""}`
                : undefined,
        },
    };
}

/**
 * NetworkPolicy hops that in-transit.ts already walks with more evidence (the client's TLS settings, the data
 * tier's parameters): the verdict is that hop's. Each rule names the model's hop and the transit hop it maps to.
 */
const MAPPED: readonly { np: (h: NetworkHop, to: PeerKind, from: PeerKind) => boolean; transit: (h: NetworkHop) => RegExp }[] = [
    { np: (h) => /^ingress gateway -> /.test(h.subject), transit: (h) => new RegExp(`^ingress gateway \\S+ → ${(h.to as { namespace: string }).namespace}$`) },
    { np: (h, to) => to === "pod" && (h.to as { labels: Labels }).labels["app.kubernetes.io/name"] === "pgbouncer", transit: () => /^\S+ app → PgBouncer / },
    { np: (h) => / -> otel collector:\d+$/.test(h.subject), transit: () => /^\S+ app → OTel collector/ },
    { np: (h, to) => to === "elasticache", transit: () => /^\S+ app → ElastiCache / },
    { np: (h, to) => to === "aurora" && /^pgbouncer /.test(h.subject), transit: () => /^PgBouncer \S+ → Aurora / },
    { np: (h, to, from) => from === "nlb" && to === "pod", transit: (h) => new RegExp(`^load balancer → \\S+ targets :${h.port} `) },
    { np: (h) => /-> jaeger:\d+$/.test(h.subject) && /collector/.test(h.subject), transit: () => /^OTel collector → Jaeger/ },
    { np: (h, to) => to === "opensearch" && /^fluent-bit/.test(h.subject), transit: () => /^Fluent Bit .* → OpenSearch$/ },
    { np: (h, to) => to === "opensearch" && /^jaeger /.test(h.subject), transit: () => /^Jaeger → OpenSearch/ },
    { np: (h) => /^grafana -> prometheus:/.test(h.subject), transit: () => /^Grafana → Prometheus data source/ },
    { np: (h) => /^grafana -> jaeger query:/.test(h.subject), transit: () => /^Grafana → Jaeger data source/ },
    { np: (h) => /^prometheus-adapter -> prometheus:/.test(h.subject), transit: () => /^prometheus-adapter → Prometheus/ },
    { np: (h) => /^argo-rollouts\S* \(analysis\) -> prometheus:/.test(h.subject), transit: () => /^Argo Rollouts analysis \S+ → Prometheus/ },
];

/** A Job or Deployment's container env value for pods with these labels (the migration's PGSSLMODE). */
function podEnv(plan: PlanFile, ns: string, labels: Labels, name: string): string | undefined {
    for (const r of plan.resources.filter((x) => ["kubernetes:batch/v1:Job", "kubernetes:apps/v1:Deployment"].includes(x.type))) {
        const i = r.inputs as Obj;
        if (i.metadata?.namespace !== ns || !within(labels, (i.spec?.template?.metadata?.labels ?? {}) as Labels)) continue;
        for (const c of (i.spec?.template?.spec?.containers ?? []) as Obj[]) {
            const e = ((c.env ?? []) as Obj[]).find((x) => x.name === name);
            if (e) return String(e.value);
        }
    }
    return undefined;
}

/** Verdicts the plan decides outside the server facts: a client's own TLS to Aurora, the OpenSearch domain's HTTPS enforcement. */
function judgeByPlan(plan: PlanFile, h: NetworkHop, to: PeerKind): { class: TransitClass; hop: Hop } | undefined {
    const name = h.subject.replace(/ -> /g, " → ");
    if (to === "aurora" && "namespace" in h.from) {
        const mode = podEnv(plan, h.from.namespace, h.from.labels, "PGSSLMODE") ?? "prefer (libpq default)";
        const verifies = ["verify-full", "verify-ca"].includes(mode);
        // Aurora's floor is its cluster parameter group's ssl_min_protocol_version; libpq's own default is TLS 1.2.
        const min = plan.resources
            .filter((r) => r.type === "aws:rds/clusterParameterGroup:ClusterParameterGroup")
            .flatMap((r) => ((r.inputs as Obj).parameters ?? []) as Obj[])
            .find((p) => p.name === "ssl_min_protocol_version")?.value as string | undefined;
        return {
            class: "tls",
            hop: {
                hop: name,
                protocol: `PostgreSQL over TLS (${mode})`,
                floor: min ? min.replace(/^TLSv/, "TLS ") : "TLS 1.2",
                evidence: `PGSSLMODE ${mode} on the pods' containers; Aurora ssl_min_protocol_version ${min ?? "unset"}`,
                problem: verifies ? undefined : `PGSSLMODE ${mode} does not verify Aurora's certificate: set verify-full with the RDS CA bundle`,
            },
        };
    }
    if (to === "opensearch") {
        const d = plan.resources.find((r) => r.type === "aws:opensearch/domain:Domain");
        const ep = ((d?.inputs as Obj | undefined)?.domainEndpointOptions ?? {}) as Obj;
        return {
            class: "tls",
            hop: {
                hop: name,
                protocol: "HTTPS (SigV4; the domain enforces HTTPS)",
                floor: /TLS-1-2/.test(String(ep.tlsSecurityPolicy)) ? "TLS 1.2" : "unknown",
                evidence: `domain enforceHttps ${ep.enforceHttps}, tlsSecurityPolicy ${ep.tlsSecurityPolicy}`,
                problem: ep.enforceHttps === true ? undefined : "the OpenSearch domain does not enforce HTTPS",
            },
        };
    }
    return undefined;
}

const CLUSTER_TYPES = ["eks:index:Cluster", "aws:eks/cluster:Cluster"];

/**
 * A scrape whose endpoint scheme disagrees with its server: a server that serves only TLS once its setting is on
 * refuses a plain-HTTP scrape (the target goes down), and an https scrape of a server without TLS fails the handshake.
 */
function scrapeMismatch(v: { class: TransitClass; hop: Hop }, h: NetworkHop, fact: ServerFact): { class: TransitClass; hop: Hop } {
    if (!h.scrape || v.hop.problem) return v;
    const tls = v.class === "tls" || v.class === "tls-configured";
    const https = h.scrape.scheme === "https";
    if (tls === https) return v;
    const fix = h.scrape.setting ? `set ${h.scrape.setting} to ${tls ? "https (with its tlsConfig and the CA)" : "http"}` : "fix the endpoint's scheme";
    return {
        ...v,
        hop: {
            ...v.hop,
            problem: `the scrape of ${fact.server} uses ${h.scrape.scheme} but the server ${tls ? "serves only TLS" : "does not serve TLS"}: the target would be down; ${fix}`,
        },
    };
}

interface SidecarInbound {
    interception: {
        includeInboundPortsAnnotation: string;
        includeInboundPortsDefault: string;
        excludeInboundPortsAnnotation: string;
        neverIntercepted: number[];
    };
    gatewayTemplate: { templatesAnnotation: string; noInterception: string[] };
}
let inbound: SidecarInbound | undefined;
/** How the injected sidecar intercepts inbound traffic (test/upstream/istio/sidecar-inbound.json). */
export function sidecarInbound(): SidecarInbound {
    inbound ??= JSON.parse(readFileSync(join(projectRoot(), "test", "upstream", "istio", "sidecar-inbound.json"), "utf8")) as SidecarInbound;
    return inbound;
}

const portList = (v: string | undefined) =>
    String(v ?? "")
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);

/**
 * Whether the sidecar of pods with these annotations intercepts inbound `port`: istio-iptables redirects the
 * includeInboundPorts annotation's ports (default "*", all) except the agent's own and the excludeInboundPorts annotation's;
 * a pod injected with the gateway template has no inbound redirect at all.
 */
export function interceptsInbound(annotations: Labels, port: number, mesh: { includeInboundPorts?: string; excludeInboundPorts?: string } = {}): boolean {
    const f = sidecarInbound();
    if (portList(annotations[f.gatewayTemplate.templatesAnnotation]).some((t) => f.gatewayTemplate.noInterception.includes(t))) return false;
    if (f.interception.neverIntercepted.includes(port)) return false;
    // The pod's annotation, else istiod's global.proxy value (the injection template's `annotation` default).
    const excluded = annotations[f.interception.excludeInboundPortsAnnotation] ?? mesh.excludeInboundPorts;
    if (portList(excluded).includes(String(port))) return false;
    const include = portList(
        annotations[f.interception.includeInboundPortsAnnotation] ?? mesh.includeInboundPorts ?? f.interception.includeInboundPortsDefault,
    );
    return include.includes("*") || include.includes(String(port));
}

/** istiod's global.proxy include/exclude inbound ports in the plan (the injection template's defaults), when set. */
function meshInboundDefaults(plan: PlanFile): { includeInboundPorts?: string; excludeInboundPorts?: string } {
    const proxy = ((plannedReleases(plan.resources).find((r) => r.chart === "istiod")?.values.global as Obj | undefined)?.proxy ?? {}) as Obj;
    return {
        ...(typeof proxy.includeInboundPorts === "string" ? { includeInboundPorts: proxy.includeInboundPorts } : {}),
        ...(typeof proxy.excludeInboundPorts === "string" ? { excludeInboundPorts: proxy.excludeInboundPorts } : {}),
    };
}

/** The pod template annotations of the pods a peer selects: a platform workload's, else the plan's Deployments, StatefulSets and DaemonSets. */
function podAnnotations(
    plan: PlanFile,
    workloads: readonly { namespace: string; labels: Labels; annotations?: Labels }[],
    peer: { namespace: string; labels: Labels },
): Labels {
    const w = workloads.find((x) => x.namespace === peer.namespace && within(peer.labels, x.labels));
    if (w) return w.annotations ?? {};
    const POD_OWNERS = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet"];
    const r = plan.resources.find(
        (x) =>
            POD_OWNERS.includes(x.type) &&
            (x.inputs as Obj).metadata?.namespace === peer.namespace &&
            within(peer.labels, ((x.inputs as Obj).spec?.template?.metadata?.labels ?? {}) as Labels),
    );
    return ((r?.inputs as Obj | undefined)?.spec?.template?.metadata?.annotations ?? {}) as Labels;
}

/**
 * A hop the server's sidecar refuses: the client is outside the mesh (an address, or a pod without a sidecar), the
 * server's pods are injected under STRICT, and the sidecar intercepts the port. The client then speaks plain text (or
 * its own TLS) to a listener that takes only Istio mTLS, and the target is unreachable.
 */
function refusedBySidecar(plan: PlanFile, h: NetworkHop, mesh: MeshView, annotationsOf: (p: { namespace: string; labels: Labels }) => Labels): Hop | undefined {
    if (!("namespace" in h.to)) return undefined;
    if (mesh.why(h.to.namespace, h.to.labels)) return undefined;
    const clientOutside = "namespace" in h.from ? mesh.why(h.from.namespace, h.from.labels) : `${h.from.what} is not a pod`;
    if (!clientOutside) return undefined;
    const annotations = annotationsOf(h.to);
    if (!interceptsInbound(annotations, h.port, meshInboundDefaults(plan))) return undefined;
    const name = h.subject.replace(/ -> /g, " → ");
    return {
        hop: name,
        protocol: "refused (no mTLS client to a STRICT sidecar)",
        floor: "none",
        evidence: `client outside the mesh (${clientOutside}); server pods in ${h.to.namespace} injected under STRICT, port ${h.port} intercepted (${sidecarInbound().interception.excludeInboundPortsAnnotation}: ${annotations[sidecarInbound().interception.excludeInboundPortsAnnotation] ?? "unset"})`,
        problem: `refused by the server's sidecar under STRICT mTLS: the target is unreachable (${h.subject}); the client is outside the mesh and port ${h.port} is intercepted: for a metrics-only port, exclude it from inbound interception on the server's pods (${sidecarInbound().interception.excludeInboundPortsAnnotation}), or bring the client into the mesh`,
    };
}

/** The subject's client part ("prometheus", "bookedbarber-backend sidecar"). */
const clientOf = (subject: string) => subject.split(" -> ")[0];

/** The mesh as in-transit.ts reads it: why pods are not in the mesh under STRICT mTLS (undefined when they are), and its TLS floor. */
export interface MeshView {
    why: (namespace: string, labels: Labels) => string | undefined;
    floor: string;
}

/**
 * Every hop of the NetworkPolicy model with its transit verdict, and the rows those verdicts add to the hop table.
 * `existing` is the hop-by-hop walk of in-transit.ts: a mapped hop's verdict is its row there. The other hops are
 * grouped into rows by server, port and verdict, named for their client when there is one, "pods" when several.
 */
export function platformTransit(plan: PlanFile, appNamespace: string, existing: readonly Hop[], mesh: MeshView): { verdicts: Verdict[]; rows: Hop[] } {
    // The model describes a cluster's pods: a stack without a cluster (global, bootstrap) has none of these hops.
    if (!plan.resources.some((r) => CLUSTER_TYPES.includes(r.type))) return { verdicts: [], rows: [] };
    const vpcCidr = String((plan.outputs as Obj | undefined)?.vpcCidr ?? "10.0.0.0/16");
    const model = [...appHops(plan), ...platformHops(plan, appNamespace)];
    const workloads = platformWorkloads(plan, appNamespace);
    const annotationsOf = (p: { namespace: string; labels: Labels }) => podAnnotations(plan, workloads, p);
    const judged = model.map((h): { subject: string; class: TransitClass; hop: Hop; client: string; server: string } => {
        const to = peerKind(h.to, vpcCidr);
        const from = peerKind(h.from, vpcCidr);
        const base = { subject: h.subject, client: clientOf(h.subject) };
        // A sidecar that refuses the client decides first: no walk or server fact makes the hop reachable.
        const refused = refusedBySidecar(plan, h, mesh, annotationsOf);
        if (refused) return { ...base, class: "refused", server: refused.hop, hop: refused };
        const mapped = MAPPED.find((m) => m.np(h, to, from));
        const target = mapped && existing.find((x) => mapped.transit(h).test(x.hop));
        if (target) return { ...base, class: "mapped", hop: target, server: "" };
        const planned = judgeByPlan(plan, h, to);
        if (planned) return { ...base, ...planned, server: `${to === "aurora" ? "Aurora" : "OpenSearch"} :${h.port}` };
        const fact = serverOf(h, vpcCidr);
        const direct = h.subject.replace(/ -> /g, " → ");
        // Pod to pod with both ends injected and STRICT: the sidecars carry it in mTLS. Ports the sidecar does not
        // intercept (Istio's own 150xx) have server facts, which come first.
        if (!fact && "namespace" in h.from && "namespace" in h.to && !mesh.why(h.from.namespace, h.from.labels) && !mesh.why(h.to.namespace, h.to.labels))
            return {
                ...base,
                class: "mesh",
                server: direct,
                hop: { hop: direct, protocol: "Istio mTLS", floor: mesh.floor, evidence: "both ends in the mesh, STRICT" },
            };
        if (!fact)
            return {
                ...base,
                class: "unclassified",
                server: direct,
                hop: {
                    hop: direct,
                    protocol: "unknown",
                    floor: "none",
                    evidence: `${h.protocol} ${h.port} from ${from} to ${to}`,
                    problem: `no transit verdict: no server fact matches this hop (${h.protocol} ${h.port}); add the server to test/upstream/transit/servers.json with its source, or map the hop in tools/offline/readiness/platform-transit.ts`,
                },
            };
        const judgedByServer = judgeByServer(plan, "", fact, { throughLoadBalancer: from === "nlb", inVpc: to !== "aws-public" });
        const v = scrapeMismatch(judgedByServer, h, fact);
        // A fact for any port (the API server's webhook and aggregated-API calls) makes one row for all of them.
        return { ...base, class: v.class, server: fact.match.port === undefined ? fact.server : `${fact.server} :${h.port}`, hop: v.hop };
    });
    // Group the judged hops into rows: one per server and port, verdict and problem; UDP and TCP together.
    const groups = new Map<string, typeof judged>();
    for (const j of judged.filter((x) => x.class !== "mapped")) {
        const key = `${j.server}|${j.hop.protocol}|${j.hop.floor}|${j.hop.problem ?? ""}`;
        groups.set(key, [...(groups.get(key) ?? []), j]);
    }
    const rowOf = new Map<string, Hop>();
    const rows: Hop[] = [];
    for (const [key, members] of groups) {
        const clients = [...new Set(members.map((m) => m.client))];
        const first = members[0];
        const row: Hop = {
            ...first.hop,
            hop:
                first.class === "mesh" || first.class === "unclassified" || first.class === "refused"
                    ? first.hop.hop
                    : `${clients.length === 1 ? clients[0] : "pods"} → ${first.server}`,
            evidence: clients.length > 1 ? `clients: ${clients.join(", ")}; ${first.hop.evidence}` : first.hop.evidence,
        };
        rows.push(row);
        rowOf.set(key, row);
    }
    const verdicts = judged.map((j): Verdict => ({
        subject: j.subject,
        class: j.class,
        hop: j.class === "mapped" ? j.hop : rowOf.get(`${j.server}|${j.hop.protocol}|${j.hop.floor}|${j.hop.problem ?? ""}`)!,
    }));
    return { verdicts, rows };
}
