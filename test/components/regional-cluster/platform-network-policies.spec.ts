import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import * as np from "../../../components/regional-cluster/platform-network-policies";
import {
    GRAFANA_POD_LABELS,
    PLATFORM_NAMESPACES,
    platformNetworkPolicies,
    PROMETHEUS_POD_LABELS,
} from "../../../components/regional-cluster/platform-network-policies";
import { ISTIOD_POD_LABELS } from "../../../components/regional-cluster/network-policies";
import { PlanFile } from "../../../tools/offline/plan-file";
import { networkPolicies } from "../../../tools/offline/readiness/network-policies";
import { chartPods } from "../../../tools/offline/readiness/platform-hops";
import { RunResult } from "../../../tools/offline/stack-runner";
import { allStacks, ofType, REGIONAL_STACKS } from "../../support/fixtures";

type Obj = Record<string, any>;
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const CHARTS = join(__dirname, "..", "..", "..", "..", "test", "upstream", "charts");

describe("NetworkPolicies: default deny in every platform namespace, and every platform hop allowed (issue 15)", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });
    const run = () => runs["eu-west-1"];
    const copy = () => JSON.parse(JSON.stringify(run().resources)) as Obj[];
    const planOf = (resources: Obj[], r = run()) => ({ stack: r.stack, resources, outputs: r.outputs }) as unknown as PlanFile;
    const section = (resources: Obj[]) => networkPolicies(planOf(resources));
    const problems = (resources: Obj[]) =>
        section(resources)
            .items.filter((i) => i.problem)
            .map((i) => i.subject)
            .sort();
    const without = (namespace: string, policy: string) =>
        copy().filter((r) => !(r.type === NP && r.inputs.metadata.namespace === namespace && r.inputs.metadata.name === policy));
    let subjects: string[];
    before(() => {
        subjects = section(run().resources as Obj[]).items.map((i) => i.subject);
    });
    const carried = (re: RegExp) => subjects.filter((s) => re.test(s)).sort();

    it("every regional stack default-denies every namespace it creates or installs into, except kube-system, with no problem", () => {
        for (const stack of REGIONAL_STACKS) {
            const s = networkPolicies(planOf(runs[stack].resources as Obj[], runs[stack]));
            expect(
                s.items.filter((i) => i.problem),
                stack,
            ).to.deep.equal([]);
            const denies = ofType(runs[stack], NP).filter((p) => (p.inputs.metadata as Obj).name === "default-deny");
            expect(denies.map((p) => (p.inputs.metadata as Obj).namespace).sort(), stack).to.deep.equal(["bookedbarber", ...PLATFORM_NAMESPACES].sort());
            for (const d of denies) expect(d.inputs.spec).to.deep.equal({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
            expect(s.items.find((i) => i.subject === "namespace kube-system")?.detail).to.match(/not default-denied by design/);
        }
    });

    it("checks a hop table per component, built from the plan's releases, Deployments, Jobs and ServiceMonitors", () => {
        expect(subjects).to.include.members([
            "istio-ingressgateway/gateway -> istiod:15012",
            "pgbouncer -> istiod:15012",
            "API server -> istiod webhook:15017",
            "istiod -> API server:443",
            "NLB -> istio-ingressgateway:8443",
            "NLB -> istio-ingressgateway:15021",
            "pgbouncer -> Aurora:5432",
            "directory-migrate -> Aurora:5432",
            "directory-migrate -> RDS trust store:443",
            "prometheus -> nodes:10250",
            "prometheus -> istiod-1-30/istiod:15014 (ServiceMonitor istiod)",
            "prometheus -> alertmanager:9093",
            "alertmanager -> alertmanager:9094 (UDP)",
            "grafana -> prometheus:9090",
            "grafana -> jaeger query:16686",
            "otel-collector/collector -> jaeger:4319",
            "jaeger -> OpenSearch:443",
            "fluent-bit -> OpenSearch:443",
            "API server -> keda metrics API:6443",
            "keda metrics API -> keda operator:9666",
            "keda operator -> SQS/CloudWatch:443",
            "argo-rollouts/controller (analysis) -> prometheus:9090",
        ]);
        // Every platform workload resolves names.
        for (const w of [
            "istiod-1-30/istiod",
            "kube-prometheus-stack/prometheus",
            "kube-prometheus-stack/grafana",
            "jaeger",
            "keda/operator",
            "pgbouncer",
            "directory-migrate",
        ])
            expect(subjects).to.include(`${w} -> kube-dns (UDP 53)`);
    });

    describe("mutations: drop an allow, and exactly the hops it carried are reported", () => {
        it("istio-system allow-istiod: every sidecar's and the gateway's xDS, and the API server's webhook calls", () => {
            const expected = carried(/-> istiod:15012$|-> istiod webhook/);
            expect(expected.length).to.be.greaterThan(5);
            expect(problems(without("istio-system", "allow-istiod"))).to.deep.equal(expected);
        });
        it("istio-ingress allow-gateway: the NLB's traffic and health checks, and the gateway's routes to the backend", () => {
            expect(problems(without("istio-ingress", "allow-gateway"))).to.deep.equal(carried(/^NLB -> |^ingress gateway -> /));
        });
        it("database allow-pgbouncer: every app's pooler hops and PgBouncer to Aurora", () => {
            expect(problems(without("database", "allow-pgbouncer"))).to.deep.equal(carried(/-> shard-\d-r[wo]\.database:|^pgbouncer -> Aurora/));
        });
        it("database allow-migrations: the migration Jobs' Aurora and trust-store hops", () => {
            expect(problems(without("database", "allow-migrations"))).to.deep.equal(carried(/^directory-migrate -> (Aurora|RDS)/));
        });
        it("monitoring allow-dns: name resolution of every monitoring workload but Prometheus (whose scrape egress reaches every pod), nothing else", () => {
            expect(problems(without("monitoring", "allow-dns"))).to.deep.equal(
                carried(
                    /^(kube-prometheus-stack\/(?!prometheus )|fluent-bit|opensearch-bootstrap|(prometheus|alertmanager)-web-tls-issuer|alertmanager-cluster-tls-issuer|(kube-state-metrics|node-exporter)-tls-issuer).* -> kube-dns/,
                ),
            );
        });
        it("keda allow-keda: KEDA's API server, metrics API, webhook, AWS and operator hops", () => {
            expect(problems(without("keda", "allow-keda"))).to.deep.equal(
                carried(/^(API server -> keda|keda metrics API|keda operator -> |keda\/(operator|metrics-apiserver) -> API server)/),
            );
        });
        it("tracing allow-otlp: the apps' OTLP, the collector's export, Grafana's trace queries and Jaeger's storage", () => {
            expect(problems(without("tracing", "allow-otlp"))).to.deep.equal(
                carried(/-> otel collector:|-> jaeger:4319|-> jaeger query|^jaeger -> (OpenSearch|Pod Identity)/),
            );
        });
        it("istio-ingress and tracing allow-certificate-issuer: exactly the issuers' writes of their certificate Secret", () => {
            expect(problems(without("istio-ingress", "allow-certificate-issuer"))).to.deep.equal(["ingress-gateway-tls-issuer -> API server:443"]);
            expect(carried(/-tls-issuer -> API server/)).to.deep.equal([
                "alertmanager-cluster-tls-issuer -> API server:443",
                "alertmanager-web-tls-issuer -> API server:443",
                "ingress-gateway-tls-issuer -> API server:443",
                "jaeger-otlp-tls-issuer -> API server:443",
                "kube-state-metrics-tls-issuer -> API server:443",
                "node-exporter-tls-issuer -> API server:443",
                "prometheus-web-tls-issuer -> API server:443",
            ]);
            // In monitoring, allow-controllers already lets every pod reach the API server: the issuers there ride on it.
            expect(problems(without("monitoring", "allow-controllers"))).to.include.members([
                "prometheus-web-tls-issuer -> API server:443",
                "alertmanager-web-tls-issuer -> API server:443",
                "alertmanager-cluster-tls-issuer -> API server:443",
                "kube-state-metrics-tls-issuer -> API server:443",
                "node-exporter-tls-issuer -> API server:443",
            ]);
        });
        it("the collector's export to Jaeger follows the exporter's endpoint (TLS port 4319): a policy without that port cuts it", () => {
            expect(carried(/collector -> jaeger:/)).to.deep.equal(["otel-collector/collector -> jaeger:4319"]);
            const rs = copy();
            const spec = rs.find((r) => r.type === NP && r.inputs.metadata.namespace === "tracing" && r.inputs.metadata.name === "allow-otlp")!.inputs.spec;
            spec.ingress = spec.ingress.filter((rule: Obj) => !rule.ports.some((p: Obj) => p.port === 4319));
            expect(problems(rs)).to.deep.equal(["otel-collector/collector -> jaeger:4319"]);
        });
        it("kube-system addon-metrics-server dropped: the add-on is reported open (unselected pods are not isolated, so its hops pass)", () => {
            expect(problems(without("kube-system", "addon-metrics-server"))).to.deep.equal(["kube-system add-on metrics-server"]);
        });
        it("kube-system addon-prometheus-adapter narrowed to ingress only: its egress is no longer isolated, and that is reported", () => {
            const rs = copy();
            rs.find((r) => r.type === NP && r.inputs.metadata.name === "addon-prometheus-adapter")!.inputs.spec.policyTypes = ["Ingress"];
            expect(problems(rs)).to.deep.equal(["kube-system add-on prometheus-adapter"]);
        });
        it("kube-system addon-cluster-autoscaler without its AWS egress: exactly the AWS API hop", () => {
            const rs = copy();
            const spec = rs.find((r) => r.type === NP && r.inputs.metadata.name === "addon-cluster-autoscaler")!.inputs.spec;
            spec.egress = spec.egress.filter((e: Obj) => !(e.to?.[0]?.ipBlock?.cidr === "0.0.0.0/0"));
            expect(problems(rs)).to.deep.equal(["cluster-autoscaler -> AWS APIs:443"]);
        });
        it("a kube-system release with no pod facts and no exemption is reported", () => {
            const rs = copy();
            rs.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "secrets-store-csi-driver-provider-aws")!.inputs.chart =
                "some-new-addon";
            expect(problems(rs)).to.deep.equal(["kube-system add-on secrets-provider-aws"]);
        });
        it("a namespace without a default deny is reported, by name", () => {
            expect(problems(without("tracing", "default-deny"))).to.deep.equal(["namespace tracing"]);
        });
        it("a default deny narrowed to some pods is no default deny", () => {
            const rs = copy();
            rs.find((r) => r.type === NP && r.inputs.metadata.namespace === "keda" && r.inputs.metadata.name === "default-deny")!.inputs.spec.podSelector = {
                matchLabels: { app: "keda-operator" },
            };
            expect(problems(rs)).to.deep.equal(["namespace keda"]);
        });
        it("policies left in a namespace the plan no longer installs into are reported (a chart removed, its policies kept)", () => {
            const rs = copy().filter(
                (r) =>
                    !(r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "argo-rollouts") &&
                    !(r.type === "kubernetes:core/v1:Namespace" && r.inputs.metadata?.name === "argo-rollouts"),
            );
            expect(problems(rs)).to.deep.equal(["namespace argo-rollouts"]);
        });
        it("a gateway port the policies do not admit is reported (the NLB -> gateway hop follows the release's Service ports)", () => {
            const rs = copy();
            const gw = rs.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "gateway")!;
            gw.inputs.values.service.ports.push({ name: "https-alt", port: 9443, protocol: "TCP", targetPort: 9443 });
            expect(problems(rs)).to.deep.equal(["NLB -> istio-ingressgateway:9443"]);
        });
    });

    it("refuses a namespace it has no policy set for, before registering anything", () => {
        expect(() => platformNetworkPolicies("x", { vpcCidr: "10.0.0.0/16", namespaces: ["nope" as never] }, {})).to.throw(
            /namespaces \["nope"\] have no policy set; known: istio-system/,
        );
    });

    describe("agrees with the charts' facts (test/upstream/charts/*/pods.json and values.yaml)", () => {
        const values = (chart: string) => parse(readFileSync(join(CHARTS, chart, "values.yaml"), "utf8")) as Obj;
        const pods = (chart: string, version: string, workload: string) => chartPods(chart, version).find((p) => p.workload === workload)!;
        it("pod labels the policies select", () => {
            expect(pods("istiod", "1.30.1", "istiod").labels).to.include(ISTIOD_POD_LABELS);
            expect(pods("kube-prometheus-stack", "77.12.0", "prometheus").labels).to.include(PROMETHEUS_POD_LABELS);
            expect(pods("kube-prometheus-stack", "77.12.0", "alertmanager").labels).to.include(np.ALERTMANAGER_POD_LABELS);
            expect(pods("grafana", "10.0.0", "grafana").labels).to.include(GRAFANA_POD_LABELS);
        });
        it("ports the policies open", () => {
            expect(pods("istiod", "1.30.1", "istiod").ports.webhook).to.equal(np.ISTIOD_WEBHOOK_PORT);
            expect(pods("kube-prometheus-stack", "77.12.0", "prometheus").ports.web)
                .to.equal(np.PROMETHEUS_PORT)
                .and.to.equal(values("kube-prometheus-stack/77.12.0").prometheus.service.port);
            expect(pods("kube-prometheus-stack", "77.12.0", "alertmanager").ports).to.deep.include({
                web: np.ALERTMANAGER_PORT,
                cluster: np.ALERTMANAGER_CLUSTER_PORT,
            });
            expect(values("kube-prometheus-stack/77.12.0").prometheusOperator.tls.internalPort).to.equal(np.PROMETHEUS_OPERATOR_WEBHOOK_PORT);
            expect(values("kube-prometheus-stack/77.12.0").kubeProxy.service.targetPort).to.be.oneOf(np.NODE_SCRAPE_PORTS);
            expect(values("keda/2.20.2").service.portHttpsTarget).to.equal(np.KEDA_METRICS_API_PORT);
            expect(pods("keda", "2.20.2", "admission-webhooks").ports.https).to.equal(np.KEDA_WEBHOOK_PORT);
            expect(pods("keda", "2.20.2", "operator").ports.grpc).to.equal(np.KEDA_OPERATOR_GRPC_PORT);
            expect(pods("jaeger", "4.11.1", "jaeger").ports.query).to.equal(np.JAEGER_QUERY_PORT);
            expect(values("grafana/10.0.0").service.targetPort).to.equal(pods("grafana", "10.0.0", "grafana").ports.http);
        });
        it("every pods.json names its source and retrieval date", () => {
            for (const ref of [
                "istiod/1.30.1",
                "gateway/1.30.1",
                "kube-prometheus-stack/77.12.0",
                "grafana/10.0.0",
                "opentelemetry-collector/0.136.0",
                "jaeger/4.11.1",
                "keda/2.20.2",
                "argo-rollouts/2.41.0",
                "fluent-bit/0.53.0",
            ]) {
                const f = JSON.parse(readFileSync(join(CHARTS, ref, "pods.json"), "utf8")) as Obj;
                expect(f.source, ref).to.match(/^https:\/\/github\.com\//);
                expect(f.retrieved, ref).to.match(/^\d{4}-\d{2}-\d{2}$/);
            }
        });
    });
});
