import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { RELEASE_TYPE } from "../../../tools/charts/releases";
import { chartFacts } from "../../../tools/charts/vendored";
import {
    EXPORTER_WEB_CONFIG_KEY,
    ExporterTls,
    KPS_NODE_EXPORTER_DEFAULT_ARGS,
    KUBE_STATE_METRICS_SERVICE,
    KUBE_STATE_METRICS_TLS,
    NODE_EXPORTER_SERVICE,
    NODE_EXPORTER_TLS,
} from "../../../components/observability/exporter-tls";
import { helmFullname } from "../../../tools/charts/services";
import type { CapturedResource } from "../../../tools/offline/mock-engine";
import { allStacks } from "../../support/fixtures";

type Obj = Record<string, any>;
const upstream = (...p: string[]) => JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "..", "test", "upstream", ...p), "utf8"));
const facts = upstream("tls", "exporter-tls.json");
const toolkit = upstream("tls", "prometheus-web-tls.json").exporterToolkitTls;

/** kube-state-metrics's and node-exporter's TLS against their sources (test/upstream/tls/exporter-tls.json). */
describe("the exporters' TLS agrees with its sources", () => {
    let resources: CapturedResource[];
    let kps: Obj;
    const configMap = (tls: ExporterTls) =>
        resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && (r.inputs as Obj).metadata?.name === tls.configMapName)!.inputs as Obj;
    const issuerEnv = (tls: ExporterTls) =>
        Object.fromEntries(
            resources
                .filter((r) => r.type === "kubernetes:batch/v1:Job")
                .map((r) => (r.inputs as Obj).spec.template.spec.containers[0].env as Obj[])
                .find((e) => e.some((x) => x.name === "SECRET_NAME" && x.value === tls.secretName))!
                .map((x) => [x.name, x.value]),
        );

    before(async () => {
        resources = (await allStacks())["eu-west-1"].resources;
        kps = (resources.find((r) => r.type === RELEASE_TYPE && r.inputs.chart === "kube-prometheus-stack")!.inputs as Obj).values as Obj;
    });

    it("vendors the subchart versions kube-prometheus-stack pins, and names their Services as the subcharts' fullname helpers do", () => {
        const source = chartFacts("kube-prometheus-stack", "77.12.0")!.source;
        for (const chart of ["kube-state-metrics", "prometheus-node-exporter"])
            expect(source.subcharts?.[chart], chart).to.equal(`${chart}/${facts.kubePrometheusStackSubcharts[chart]}`);
        const fullname = (chart: string) => {
            const sub = chartFacts(chart, facts.kubePrometheusStackSubcharts[chart])!;
            return helmFullname(sub.services!, chart, "kube-prometheus-stack", kps[chart] ?? {});
        };
        expect(KUBE_STATE_METRICS_SERVICE).to.equal(fullname("kube-state-metrics"));
        expect(NODE_EXPORTER_SERVICE).to.equal(fullname("prometheus-node-exporter"));
        // The flags below exist at the versions the charts run: neither release overrides the image.
        expect(kps["kube-state-metrics"].image).to.equal(undefined);
        expect(kps["prometheus-node-exporter"].image).to.equal(undefined);
    });

    it("writes exporter-toolkit web configs with tls_server_config keys it has, the certificate from the mounted Secret, TLS 1.3", () => {
        for (const tls of [KUBE_STATE_METRICS_TLS, NODE_EXPORTER_TLS]) {
            const config = parse(configMap(tls).data[EXPORTER_WEB_CONFIG_KEY]) as Obj;
            expect(Object.keys(config), tls.secretName).to.deep.equal([facts.exporterToolkitServerConfig.section]);
            const server = config.tls_server_config as Obj;
            for (const k of Object.keys(server)) expect(facts.exporterToolkitServerConfig.keys, k).to.include(k);
            expect(server).to.deep.equal({ cert_file: `${tls.tlsDir}/tls.crt`, key_file: `${tls.tlsDir}/tls.key`, min_version: "TLS13" });
            expect(toolkit.minVersions).to.include(server.min_version);
            expect(tls.webConfigFile).to.equal(`${tls.configDir}/${EXPORTER_WEB_CONFIG_KEY}`);
        }
    });

    it("gives kube-state-metrics --tls-config, the Secret and the web config mounted, HTTPS probes and an https ServiceMonitor", () => {
        const ksm = kps["kube-state-metrics"] as Obj;
        const tls = KUBE_STATE_METRICS_TLS;
        expect(ksm[facts.kubeStateMetricsChart.argsValue]).to.deep.equal([`${facts.kubeStateMetrics.flag}=${tls.webConfigFile}`]);
        const [volumes, mounts] = facts.kubeStateMetricsChart.volumeValues as [string, string];
        const mountedAt = (dir: string) => (ksm[volumes] as Obj[]).find((v) => v.name === (ksm[mounts] as Obj[]).find((m) => m.mountPath === dir)?.name);
        expect(mountedAt(tls.tlsDir)?.secret).to.deep.equal({ secretName: tls.secretName });
        expect(mountedAt(tls.configDir)?.configMap).to.deep.equal({ name: tls.configMapName });
        // Both probed ports serve TLS (the flag applies to the metrics and the telemetry server).
        expect(facts.kubeStateMetrics.appliesTo).to.have.length(2);
        for (const probe of ["livenessProbe", "readinessProbe"]) {
            const at = String(facts.kubeStateMetricsChart.probes[probe].schemeValue).split(".");
            expect(
                at.reduce((o: Obj, k) => o?.[k], ksm),
                probe,
            ).to.equal("https");
        }
        expect(ksm.startupProbe?.enabled ?? facts.kubeStateMetricsChart.probes.startupProbe.default).to.equal(false);
        const [scheme, tlsConfig] = [facts.kubeStateMetricsChart.serviceMonitor.scheme[0], facts.kubeStateMetricsChart.serviceMonitor.tlsConfig[0]].map(
            (p: string) => p.split(".").reduce((o: Obj, k) => o?.[k], ksm),
        );
        expect(scheme).to.equal("https");
        expect(tlsConfig).to.deep.equal({ ca: { secret: { name: tls.secretName, key: "ca.crt" } }, serverName: tls.dnsNames[0] });
    });

    it("gives node-exporter kube-prometheus-stack's own arguments and --web.config.file, the Secret and the web config mounted, HTTPS probes and an https ServiceMonitor", () => {
        const ne = kps["prometheus-node-exporter"] as Obj;
        const tls = NODE_EXPORTER_TLS;
        // A list replaces the chart's: the defaults are restated, as the vendored values have them.
        const chartDefaults = (chartFacts("kube-prometheus-stack", "77.12.0")!.values["prometheus-node-exporter"] as Obj).extraArgs;
        expect(KPS_NODE_EXPORTER_DEFAULT_ARGS).to.deep.equal(chartDefaults);
        expect(ne[facts.nodeExporterChart.argsValue]).to.deep.equal([...chartDefaults, `${facts.nodeExporter.flag}=${tls.webConfigFile}`]);
        expect(ne.secrets).to.deep.equal([{ name: tls.secretName, mountPath: tls.tlsDir }]);
        expect(ne.configmaps).to.deep.equal([{ name: tls.configMapName, mountPath: tls.configDir }]);
        for (const probe of ["livenessProbe", "readinessProbe"]) {
            const at = String(facts.nodeExporterChart.probes[probe].schemeValue).split(".");
            expect(
                at.reduce((o: Obj, k) => o?.[k], ne),
                probe,
            ).to.equal("https");
        }
        expect(ne.prometheus.monitor.scheme).to.equal("https");
        // One certificate for every node: the scrape checks the Service's name, not the node IP it dials.
        expect(ne.prometheus.monitor.tlsConfig).to.deep.equal({ ca: { secret: { name: tls.secretName, key: "ca.crt" } }, serverName: tls.dnsNames[0] });
        expect(ne.hostNetwork ?? facts.nodeExporterChart.hostNetwork).to.equal(true);
    });

    it("issues each certificate for the names the scrape checks, and restarts nothing on renewal (exporter-toolkit re-reads per connection, Prometheus re-reads CA files)", () => {
        expect(toolkit.reloadsPerConnection).to.match(/GetConfigForClient/);
        for (const tls of [KUBE_STATE_METRICS_TLS, NODE_EXPORTER_TLS]) {
            const env = issuerEnv(tls);
            expect(env.NAMESPACE).to.equal("monitoring");
            expect(String(env.DNS_NAMES).split(",")).to.include(tls.dnsNames[0]);
            expect(env.RESTART_ON_RENEW).to.equal("");
        }
    });
});
