/**
 * The hops the platform's own pods rely on, per component, built from what the plan installs: the Helm releases
 * (chart -> namespace, release name, values), the charts' pod labels and ports (test/upstream/charts/<chart>/<version>/pods.json),
 * the Deployments and Jobs the program writes itself (PgBouncer, migrations, the OpenSearch bootstrap), the
 * namespaces that join the mesh, and the ServiceMonitors Prometheus scrapes. docs/runtime-security.md.
 */
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { CHARTS_DIR, chartFacts } from "../../charts/vendored";
import { valueAt } from "../../charts/services";
import { coalesce } from "../../charts/values-check";
import { API_SERVER_PORT, AURORA_PORT, KUBELET_PORT, NODE_SCRAPE_PORTS } from "../../../components/regional-cluster/platform-network-policies";
import { AWS_API_PORT, DNS_POD_LABELS, DNS_PORT, POD_IDENTITY_AGENT } from "../../../components/regional-cluster/network-policies";
import type { PlanFile } from "../plan-file";
import { CERTIFICATE_ISSUER_POD_LABELS } from "../../../components/self-signed-certificate";
import type { Hop, Peer } from "./network-policies";

type Obj = Record<string, any>;
type Labels = Record<string, string>;
interface PodFact {
    workload: string;
    labels: Labels;
    ports: Record<string, number>;
    /** Annotations the chart's pod template writes itself. */
    annotations?: Labels;
    /** The values (dotted paths in the chart's own values) the pod template adds to its labels and annotations. */
    values?: { labels?: string; annotations?: string };
}
export interface Workload {
    component: string;
    namespace: string;
    labels: Labels;
    ports: Record<string, number>;
    /** The pod template's annotations (the sidecar injector reads traffic.sidecar.istio.io/* there). */
    annotations?: Labels;
}

const RELEASE = "kubernetes:helm.sh/v3:Release";
/** The Istio agent's merged Prometheus telemetry port (pilot-agent's status port, 15020). */
const MERGED_METRICS_PORT = 15020;

const podsCache = new Map<string, PodFact[]>();
/** The chart's pod facts at a version, or none when not vendored. */
export function chartPods(chart: string, version: string): PodFact[] {
    const key = `${chart}/${version}`;
    if (!podsCache.has(key)) {
        const file = join(CHARTS_DIR(), chart, version, "pods.json");
        podsCache.set(key, existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { pods: PodFact[] }).pods : []);
    }
    return podsCache.get(key)!;
}

/**
 * A release's pod facts with the values their chart reads: its chart's (the release's values), and its enabled subcharts'
 * (kube-prometheus-stack's Grafana, the values under the subchart's key), as "<chart>/<version>" references in the chart's services.json.
 */
function releasePods(rel: Obj): { fact: PodFact; values: Obj }[] {
    const own = (rel.values ?? {}) as Obj;
    const subcharts = Object.entries(chartFacts(String(rel.chart), String(rel.version))?.services?.subcharts ?? {})
        .filter(([key]) => own[key]?.enabled !== false)
        .flatMap(([key, ref]) => chartPods(ref.split("/")[0], ref.split("/")[1]).map((fact) => ({ fact, values: (own[key] ?? {}) as Obj })));
    return [...chartPods(String(rel.chart), String(rel.version)).map((fact) => ({ fact, values: own })), ...subcharts];
}

/**
 * A values map at a dotted path merged over `base` as Helm merges a user map over the chart's (pod labels and
 * annotations): each key set replaces the chart's, and a key set to null removes it.
 */
function mergedMap(base: Labels, values: Obj, path: string | undefined): Labels {
    const v = path ? valueAt(values, path) : undefined;
    const out: Labels = { ...base };
    for (const [k, x] of Object.entries(v && typeof v === "object" ? (v as Obj) : {})) {
        if (x === null || x === undefined) delete out[k];
        else out[k] = String(x);
    }
    return out;
}

/** A pod fact's labels for a release: `{release}` is the release name; `{values}: <key>` copies a values map (the gateway's `labels`). */
function labelsFor(fact: PodFact, release: Obj, values: Obj): Labels {
    const out: Labels = {};
    for (const [k, v] of Object.entries(fact.labels)) {
        if (k === "{values}") Object.assign(out, values[v] ?? {});
        else out[k] = v.replace("{release}", String(release.name));
    }
    // The chart's pod labels value (Grafana's podLabels joins it to the mesh).
    return mergedMap(out, values, fact.values?.labels);
}

/** Every platform workload the plan installs: one per chart pod fact, and the program's own Deployments and Jobs outside the app namespace. */
export function platformWorkloads(plan: PlanFile, appNamespace: string): Workload[] {
    const out: Workload[] = [];
    for (const r of plan.resources.filter((x) => x.type === RELEASE)) {
        const rel = r.inputs as Obj;
        for (const { fact, values } of releasePods(rel))
            out.push({
                component: `${rel.name}/${fact.workload}`.replace(/^(.+)\/\1$/, "$1"),
                namespace: String(rel.namespace),
                labels: labelsFor(fact, rel, values),
                ports: fact.ports,
                annotations: mergedMap(fact.annotations ?? {}, values, fact.values?.annotations),
            });
    }
    const WRITTEN = ["kubernetes:apps/v1:Deployment", "kubernetes:batch/v1:Job", "kubernetes:batch/v1:CronJob"];
    for (const r of plan.resources.filter((x) => WRITTEN.includes(x.type))) {
        const i = r.inputs as Obj;
        const namespace = i.metadata?.namespace;
        // A CronJob's pods come from its job template.
        const template = (r.type === "kubernetes:batch/v1:CronJob" ? i.spec?.jobTemplate?.spec?.template : i.spec?.template) as Obj | undefined;
        const labels = (template?.metadata?.labels ?? {}) as Labels;
        if (!namespace || namespace === appNamespace) continue;
        const component = labels["app.kubernetes.io/name"] ?? i.metadata?.name;
        if (out.some((w) => w.namespace === namespace && w.component === component)) continue;
        const ports = Object.fromEntries(
            ((template?.spec?.containers ?? []) as Obj[]).flatMap((c) =>
                ((c.ports ?? []) as Obj[]).map((p) => [p.name ?? String(p.containerPort), p.containerPort]),
            ),
        );
        out.push({ component, namespace, labels, ports, annotations: { ...((template?.metadata?.annotations ?? {}) as Labels) } });
    }
    return out;
}

interface ChartMonitor {
    name: string;
    when: string[];
    /** The pods of a chart workload, pods by namespace and labels, or the nodes (a host-network exporter). */
    target: { workload?: string; namespace?: string; labels?: Labels; peer?: "nodes" };
    ports: { name: string; podPort?: string; value?: string; port?: number; scheme?: string; schemeValue?: string | string[] }[];
}

type ChartScrape = { monitor: string; target: Workload | "nodes"; port: number; scrape: { scheme: string; setting?: string } };

/**
 * The ServiceMonitors a chart creates itself (test/upstream/charts/<chart>/<version>/monitors.json), rendered where every
 * `when` value of the chart's defaults merged with the release's values is truthy: each target's pods and port.
 */
export function chartScrapes(rel: Obj, workloads: readonly Workload[]): ChartScrape[] {
    const file = join(CHARTS_DIR(), String(rel.chart), String(rel.version), "monitors.json");
    if (!existsSync(file)) return [];
    const values = coalesce(chartFacts(String(rel.chart), String(rel.version))?.values ?? {}, rel.values ?? {});
    const out: ChartScrape[] = [];
    for (const m of (JSON.parse(readFileSync(file, "utf8")) as { monitors: ChartMonitor[] }).monitors) {
        if (!m.when.every((path) => !!valueAt(values, path))) continue;
        const targets: (Workload | "nodes")[] =
            m.target.peer === "nodes"
                ? ["nodes"]
                : m.target.workload
                  ? workloads.filter((w) => w.namespace === String(rel.namespace) && w.component === `${rel.name}/${m.target.workload}`)
                  : [{ component: m.name, namespace: String(m.target.namespace), labels: { ...(m.target.labels ?? {}) }, ports: {} }];
        for (const target of targets)
            for (const p of m.ports) {
                const port = p.port ?? (p.podPort && target !== "nodes" ? target.ports[p.podPort] : Number(valueAt(values, String(p.value))));
                // The endpoint's scheme: fixed, or the first value the template reads that is set (none: the operator's default, http).
                const paths = p.schemeValue === undefined ? [] : [p.schemeValue].flat();
                const scheme = p.scheme ?? String(paths.map((x) => valueAt(values, x)).find(Boolean) || "http");
                const setting = paths.length ? `${String(rel.chart)} ${paths[0]}` : undefined;
                if (Number.isInteger(port) && port > 0) out.push({ monitor: m.name, target, port, scrape: { scheme, ...(setting ? { setting } : {}) } });
            }
    }
    return out;
}

/** The first host address of an IPv4 CIDR: stands for the API server's ENIs, the NLB, the nodes, Aurora and OpenSearch in the VPC. */
export const inVpc = (cidr: string) => cidr.replace(/\.\d+\/\d+$/, ".10");
/** An address outside the VPC: an AWS public regional endpoint reached through NAT. */
const PUBLIC_AWS = "52.94.0.10";

/**
 * The platform's hops, per component. Where a peer is outside the cluster's pods it is an address: the VPC (the API
 * server's ENIs, the NLB, the kubelets, Aurora, OpenSearch), a public AWS endpoint, or the Pod Identity agent.
 */
export function platformHops(plan: PlanFile, appNamespace: string): Hop[] {
    const vpcCidr = String((plan.outputs as Obj | undefined)?.vpcCidr ?? "10.0.0.0/16");
    const vpc = (what: string): Peer => ({ ip: inVpc(vpcCidr), what });
    const publicAws = (what: string): Peer => ({ ip: PUBLIC_AWS, what });
    const podIdentity: Peer = { ip: POD_IDENTITY_AGENT.cidr.split("/")[0], what: "Pod Identity agent" };
    const workloads = platformWorkloads(plan, appNamespace);
    const releases = plan.resources.filter((r) => r.type === RELEASE).map((r) => r.inputs as Obj);
    const find = (component: RegExp) => workloads.filter((w) => component.test(w.component));
    const pod = (w: Workload) => ({ namespace: w.namespace, labels: { ...w.labels } });
    const hops: Hop[] = [];
    const hop = (subject: string, from: Peer, to: Peer, port: number, protocol: "TCP" | "UDP" = "TCP") => hops.push({ subject, from, to, port, protocol });

    const meshed = new Set(
        plan.resources
            .filter((r) => r.type === "kubernetes:core/v1:Namespace" && (r.inputs as Obj).metadata?.labels?.["istio.io/rev"])
            .map((r) => String((r.inputs as Obj).metadata.name)),
    );
    const [istiod] = find(/^istiod.*\/istiod$|^istiod[^/]*$/);
    const [prometheus] = find(/\/prometheus$/);
    const [jaeger] = find(/^jaeger/);

    for (const w of workloads) {
        hop(`${w.component} -> kube-dns (UDP ${DNS_PORT})`, pod(w), { namespace: "kube-system", labels: { ...DNS_POD_LABELS } }, DNS_PORT, "UDP");
        hop(`${w.component} -> kube-dns (TCP ${DNS_PORT})`, pod(w), { namespace: "kube-system", labels: { ...DNS_POD_LABELS } }, DNS_PORT, "TCP");
        // Sidecars in meshed namespaces (and the gateway, an Envoy itself) fetch config from istiod; Jobs skip injection.
        const injected =
            (meshed.has(w.namespace) || w.labels["istio.io/rev"] !== undefined) &&
            !plan.resources.some(
                (r) =>
                    r.type === "kubernetes:batch/v1:Job" &&
                    (r.inputs as Obj).metadata?.namespace === w.namespace &&
                    (r.inputs as Obj).spec?.template?.metadata?.labels?.["app.kubernetes.io/name"] === w.component,
            );
        if (istiod && (injected || w.component.endsWith("/gateway")))
            hop(`${w.component} -> istiod:${istiod.ports["xds-tls"]}`, pod(w), pod(istiod), istiod.ports["xds-tls"]);
        // Prometheus scrapes each workload's metrics port (ServiceMonitors and PodMonitors; kube-prometheus-stack's own).
        // An injected pod that asks for a scrape with prometheus.io annotations is scraped on the agent's merged-metrics port:
        // the injector rewrites the annotations to 15020 and the agent fetches the metrics port inside the pod (Istio's
        // metrics merging, on by default; the istio-sidecars PodMonitor scrapes it).
        const merged = injected && w.annotations?.["prometheus.io/scrape"] === "true";
        if (prometheus && w !== prometheus && w.ports.metrics)
            if (merged) hop(`prometheus -> ${w.component}:${MERGED_METRICS_PORT} (merged metrics)`, pod(prometheus), pod(w), MERGED_METRICS_PORT);
            else hop(`prometheus -> ${w.component}:${w.ports.metrics}`, pod(prometheus), pod(w), w.ports.metrics);
    }
    if (istiod) {
        hop(`API server -> istiod webhook:${istiod.ports.webhook}`, vpc("the EKS API server's ENIs"), pod(istiod), istiod.ports.webhook);
        hop(`istiod -> API server:${API_SERVER_PORT}`, pod(istiod), vpc("the EKS API server's ENIs"), API_SERVER_PORT);
    }
    // The NLB to the gateway: each port of the gateway's Service, on its targetPort (the release's values).
    for (const rel of releases.filter((r) => r.chart === "gateway")) {
        const gw = workloads.find((w) => w.component === `${rel.name}/gateway`);
        if (!gw) continue;
        for (const p of ((rel.values as Obj | undefined)?.service?.ports ?? []) as Obj[]) {
            const port = typeof p.targetPort === "number" ? p.targetPort : p.port;
            hop(`NLB -> ${rel.name}:${port}`, vpc("the NLB's private addresses"), pod(gw), port);
        }
    }
    for (const w of find(/^pgbouncer$/)) hop(`pgbouncer -> Aurora:${AURORA_PORT}`, pod(w), vpc("Aurora"), AURORA_PORT);
    for (const w of find(/^directory-migrate$/)) {
        hop(`directory-migrate -> Aurora:${AURORA_PORT}`, pod(w), vpc("Aurora"), AURORA_PORT);
        hop(`directory-migrate -> RDS trust store:${AWS_API_PORT}`, pod(w), publicAws("truststore.pki.rds.amazonaws.com"), AWS_API_PORT);
    }
    if (prometheus) {
        // A chart ServiceMonitor of a host-network exporter (node-exporter) gives its node hop the endpoint's scheme.
        const nodeScrapes = releases
            .filter((r) => r.chart === "kube-prometheus-stack")
            .flatMap((rel) => chartScrapes(rel, workloads).filter((c) => c.target === "nodes"));
        for (const port of NODE_SCRAPE_PORTS) {
            const scrape = nodeScrapes.find((c) => c.port === port)?.scrape;
            hops.push({
                subject: `prometheus -> nodes:${port}`,
                from: pod(prometheus),
                to: vpc("the nodes"),
                port,
                protocol: "TCP",
                ...(scrape ? { scrape } : {}),
            });
        }
        hop(`prometheus -> API server:${API_SERVER_PORT}`, pod(prometheus), vpc("the EKS API server's ENIs"), API_SERVER_PORT);
        // The ServiceMonitors' targets: the Services' pods in the namespaces named.
        for (const sm of plan.resources.filter((r) => r.type === "kubernetes:monitoring.coreos.com/v1:ServiceMonitor")) {
            const spec = (sm.inputs as Obj).spec ?? {};
            for (const ns of (spec.namespaceSelector?.matchNames ?? []) as string[])
                for (const w of workloads.filter(
                    (x) => x.namespace === ns && Object.entries(spec.selector?.matchLabels ?? {}).every(([k, v]) => x.labels[k] === v),
                ))
                    if (w.ports.metrics)
                        hop(
                            `prometheus -> ${w.component}:${w.ports.metrics} (ServiceMonitor ${(sm.inputs as Obj).metadata?.name})`,
                            pod(prometheus),
                            pod(w),
                            w.ports.metrics,
                        );
        }
        // The chart's own ServiceMonitors (self-monitoring, the operator, CoreDNS, kube-state-metrics, Grafana), where the
        // hops above do not already reach the same pods on the same port.
        for (const rel of releases.filter((r) => r.chart === "kube-prometheus-stack"))
            for (const { monitor, target, port, scrape } of chartScrapes(rel, workloads)) {
                if (target === "nodes") continue;
                const to = { namespace: target.namespace, labels: { ...target.labels } };
                const known = hops.some(
                    (h) =>
                        "namespace" in h.to && h.port === port && h.to.namespace === to.namespace && JSON.stringify(h.to.labels) === JSON.stringify(to.labels),
                );
                if (!known)
                    hops.push({
                        subject: `prometheus -> ${target.component}:${port} (chart ServiceMonitor ${monitor})`,
                        from: pod(prometheus),
                        to,
                        port,
                        protocol: "TCP",
                        scrape,
                    });
            }
        for (const am of find(/\/alertmanager$/)) {
            hop(`prometheus -> alertmanager:${am.ports.web}`, pod(prometheus), pod(am), am.ports.web);
            hop(`alertmanager -> alertmanager:${am.ports.cluster} (TCP)`, pod(am), pod(am), am.ports.cluster, "TCP");
            hop(`alertmanager -> alertmanager:${am.ports.cluster} (UDP)`, pod(am), pod(am), am.ports.cluster, "UDP");
            hop(`alertmanager -> SNS:${AWS_API_PORT}`, pod(am), publicAws("SNS"), AWS_API_PORT);
            hop("alertmanager -> Pod Identity agent", pod(am), podIdentity, POD_IDENTITY_AGENT.port);
        }
        for (const g of find(/\/grafana$/)) {
            hop(`grafana -> prometheus:${prometheus.ports.web}`, pod(g), pod(prometheus), prometheus.ports.web);
            if (jaeger) hop(`grafana -> jaeger query:${jaeger.ports.query}`, pod(g), pod(jaeger), jaeger.ports.query);
        }
        for (const c of find(/^argo-rollouts/))
            hop(`${c.component} (analysis) -> prometheus:${prometheus.ports.web}`, pod(c), pod(prometheus), prometheus.ports.web);
    }
    for (const op of find(/\/prometheus-operator$/))
        hop(`API server -> prometheus-operator webhook:${op.ports.https}`, vpc("the EKS API server's ENIs"), pod(op), op.ports.https);
    // Controllers that watch or write Kubernetes objects.
    for (const c of find(/prometheus-operator$|kube-state-metrics$|\/grafana$|^fluent-bit|^argo-rollouts|^keda\/operator|^keda\/metrics-apiserver/))
        hop(`${c.component} -> API server:${API_SERVER_PORT}`, pod(c), vpc("the EKS API server's ENIs"), API_SERVER_PORT);
    for (const f of find(/^fluent-bit/)) {
        hop(`${f.component} -> OpenSearch:${AWS_API_PORT}`, pod(f), vpc("OpenSearch in the data subnets"), AWS_API_PORT);
        hop(`${f.component} -> Pod Identity agent`, pod(f), podIdentity, POD_IDENTITY_AGENT.port);
    }
    for (const b of find(/^opensearch-bootstrap$/)) {
        hop(`opensearch-bootstrap -> OpenSearch:${AWS_API_PORT}`, pod(b), vpc("OpenSearch in the data subnets"), AWS_API_PORT);
        hop("opensearch-bootstrap -> Pod Identity agent", pod(b), podIdentity, POD_IDENTITY_AGENT.port);
    }
    // The collector exports where its values say (the otlp exporters' endpoints at Jaeger's Service), else the chart's OTLP port.
    const exporterPorts = releases
        .filter((r) => r.chart === "opentelemetry-collector")
        .flatMap((r) => Object.values(((r.values as Obj | undefined)?.config?.exporters ?? {}) as Record<string, Obj>))
        .map((e) => /^(?:https?:\/\/)?jaeger[.:][^:]*:(\d+)/.exec(String(e?.endpoint ?? ""))?.[1])
        .filter(Boolean)
        .map(Number);
    for (const c of find(/\/collector$|^otel-collector/))
        if (jaeger) {
            for (const port of exporterPorts.length ? exporterPorts : [jaeger.ports.otlp]) hop(`${c.component} -> jaeger:${port}`, pod(c), pod(jaeger), port);
        }
    // Certificate issuers write their Secret through the API server.
    for (const w of workloads.filter((x) => Object.entries(CERTIFICATE_ISSUER_POD_LABELS).every(([k, v]) => x.labels[k] === v))) {
        hop(`${w.component} -> API server:${API_SERVER_PORT}`, pod(w), vpc("the EKS API server's ENIs"), API_SERVER_PORT);
    }
    if (jaeger) {
        hop(`jaeger -> OpenSearch:${AWS_API_PORT}`, pod(jaeger), vpc("OpenSearch in the data subnets"), AWS_API_PORT);
        hop("jaeger -> Pod Identity agent", pod(jaeger), podIdentity, POD_IDENTITY_AGENT.port);
    }
    const [kedaOperator] = find(/^keda\/operator$/);
    for (const m of find(/^keda\/metrics-apiserver$/)) {
        hop(`API server -> keda metrics API:${m.ports.https}`, vpc("the EKS API server's ENIs"), pod(m), m.ports.https);
        if (kedaOperator) hop(`keda metrics API -> keda operator:${kedaOperator.ports.grpc}`, pod(m), pod(kedaOperator), kedaOperator.ports.grpc);
    }
    for (const w of find(/^keda\/admission-webhooks$/))
        hop(`API server -> keda webhooks:${w.ports.https}`, vpc("the EKS API server's ENIs"), pod(w), w.ports.https);
    if (kedaOperator) {
        hop(`keda operator -> SQS/CloudWatch:${AWS_API_PORT}`, pod(kedaOperator), publicAws("SQS"), AWS_API_PORT);
        hop("keda operator -> Pod Identity agent", pod(kedaOperator), podIdentity, POD_IDENTITY_AGENT.port);
    }
    // kube-system add-ons: aggregated APIs and webhooks the API server calls, and what they call.
    const api = (w: Workload, port: number, what: string) =>
        hop(`API server -> ${w.component} ${what}:${port}`, vpc("the EKS API server's ENIs"), pod(w), port);
    for (const w of find(/^metrics-server$/)) {
        api(w, w.ports.https, "(metrics API)");
        hop(`metrics-server -> kubelets:${KUBELET_PORT}`, pod(w), vpc("the nodes"), KUBELET_PORT);
    }
    for (const w of find(/^prometheus-adapter$/)) {
        api(w, w.ports.https, "(custom metrics API)");
        if (prometheus) hop(`prometheus-adapter -> prometheus:${prometheus.ports.web}`, pod(w), pod(prometheus), prometheus.ports.web);
    }
    for (const w of find(/^aws-load-balancer-controller$/)) api(w, w.ports.webhook, "webhook");
    for (const w of find(/^(cluster-autoscaler|aws-load-balancer-controller)$/)) {
        hop(`${w.component} -> AWS APIs:${AWS_API_PORT}`, pod(w), publicAws("EC2, Auto Scaling, ELBv2"), AWS_API_PORT);
        hop(`${w.component} -> Pod Identity agent`, pod(w), podIdentity, POD_IDENTITY_AGENT.port);
    }
    for (const w of find(/^(metrics-server|prometheus-adapter|cluster-autoscaler|aws-load-balancer-controller|vertical-pod-autoscaler\/recommender)$/))
        hop(`${w.component} -> API server:${API_SERVER_PORT}`, pod(w), vpc("the EKS API server's ENIs"), API_SERVER_PORT);
    return hops;
}
