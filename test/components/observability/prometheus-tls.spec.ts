import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { RELEASE_TYPE } from "../../../tools/charts/releases";
import { ALERTMANAGER_WEB_TLS_SECRET, PROMETHEUS_CA_DIR, PROMETHEUS_WEB_TLS_MIN_VERSION } from "../../../components/observability/prometheus-tls";
import { OTEL_COLLECTOR_DEPLOYMENT } from "../../../components/observability/kubernetes";
import { ARGO_ROLLOUTS_SSL_CERT_DIR } from "../../../components/regional-cluster/delivery";
import type { CapturedResource } from "../../../tools/offline/mock-engine";
import { allStacks } from "../../support/fixtures";

type Obj = Record<string, any>;
const facts = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "..", "test", "upstream", "tls", "prometheus-web-tls.json"), "utf8"));

/** Prometheus's TLS web port and its clients against their sources (test/upstream/tls/prometheus-web-tls.json). */
describe("Prometheus's web TLS and its clients agree with their sources", () => {
    let resources: CapturedResource[];
    const values = (chart: string): Obj => (resources.find((r) => r.type === RELEASE_TYPE && r.inputs.chart === chart)!.inputs as Obj).values as Obj;

    before(async () => {
        resources = (await allStacks())["eu-west-1"].resources;
    });

    it("writes web.tlsConfig with WebTLSConfig's fields, the certificate from a Secret, and a floor exporter-toolkit knows above its TLS 1.2 default", () => {
        const tls = values("kube-prometheus-stack").prometheus.prometheusSpec.web.tlsConfig as Obj;
        for (const k of Object.keys(tls)) expect(facts.prometheusOperatorWebTLSConfig.fields, k).to.include(k);
        for (const ref of [tls.cert]) for (const k of Object.keys(ref)) expect(facts.prometheusOperatorWebTLSConfig.secretOrConfigMap).to.include(k);
        expect(facts.exporterToolkitTls.minVersions).to.include(PROMETHEUS_WEB_TLS_MIN_VERSION);
        expect(tls.minVersion).to.equal("TLS13");
        expect(facts.exporterToolkitTls.defaultMinVersion).to.equal("TLS12");
    });

    it("replaces the chart's Prometheus data source, which has no TLS settings, with its own under the chart's uid", () => {
        const grafana = values("kube-prometheus-stack").grafana as Obj;
        expect(facts.kubePrometheusStackDefaultDatasource.tlsSettings).to.equal(false);
        expect(grafana.sidecar.datasources.defaultDatasourceEnabled).to.equal(false);
        const ours = (grafana.additionalDataSources as Obj[]).filter((d) => d.type === "prometheus");
        expect(ours).to.have.length(1);
        expect(ours[0].uid).to.equal(facts.kubePrometheusStackDefaultDatasource.uid);
        expect(ours[0].isDefault).to.equal(true);
        const caSettings = facts.grafanaProvisioningExpansion.caSettings as string[];
        expect(caSettings).to.include.members(["jsonData.tlsAuthWithCACert", "secureJsonData.tlsCACert"]);
        expect(ours[0].secureJsonData.tlsCACert).to.match(/^\$__file\{.+\}$/);
        expect(facts.grafanaProvisioningExpansion.fileExpander).to.equal("$__file{<path>}");
    });

    it("passes prometheus-adapter only flags its version has", () => {
        for (const a of values("prometheus-adapter").extraArguments as string[]) {
            const flag = /^--([a-z0-9-]+)/.exec(a)?.[1];
            expect(facts.prometheusAdapterFlags.flags, a).to.include(flag);
        }
    });

    it("gives the analyses' Prometheus provider only PrometheusMetric's fields, never insecure, and the controller the CA through SSL_CERT_DIR", () => {
        const metrics = resources
            .filter((r) => r.type === "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate")
            .flatMap((r) => ((r.inputs as Obj).spec.metrics as Obj[]).map((m) => m.provider.prometheus as Obj | undefined))
            .filter(Boolean) as Obj[];
        expect(metrics.length).to.be.greaterThan(0);
        for (const m of metrics) {
            for (const k of Object.keys(m)) expect(facts.argoRolloutsPrometheusMetric.fields, k).to.include(k);
            expect(m.insecure).to.not.equal(true);
        }
        expect(facts.argoRolloutsPrometheusMetric.caField).to.equal(false);
        expect(ARGO_ROLLOUTS_SSL_CERT_DIR.split(facts.goSslCertDir.separator)).to.include(PROMETHEUS_CA_DIR);
        const env = (values("argo-rollouts").controller.extraEnv as Obj[]).find((e) => e.name === facts.goSslCertDir.variable);
        expect(env?.value).to.equal(ARGO_ROLLOUTS_SSL_CERT_DIR);
    });

    it("sends alerts over TLS through the chart's own alerting endpoint (scheme and tlsConfig from alertmanagerSpec), with nothing to restart: Prometheus re-reads CA files", () => {
        const v = values("kube-prometheus-stack");
        expect(facts.kubePrometheusStackAlertingEndpoint.fromValues).to.include.members([
            "alertmanager.alertmanagerSpec.scheme",
            "alertmanager.alertmanagerSpec.tlsConfig",
        ]);
        expect(v.prometheus.prometheusSpec.alertingEndpoints ?? []).to.deep.equal([]);
        expect(v.alertmanager.alertmanagerSpec.scheme).to.equal("https");
        for (const k of Object.keys(v.alertmanager.alertmanagerSpec.web.tlsConfig)) expect(facts.prometheusOperatorWebTLSConfig.fields, k).to.include(k);
        expect(facts.prometheusClientCaReload.reloads).to.equal(true);
        const env = resources
            .filter((r) => r.type === "kubernetes:batch/v1:Job")
            .map((r) => (r.inputs as Obj).spec.template.spec.containers[0].env as Obj[])
            .find((e) => e.some((x) => x.name === "SECRET_NAME" && x.value === ALERTMANAGER_WEB_TLS_SECRET))!;
        expect(env.find((x) => x.name === "RESTART_ON_RENEW")!.value).to.equal("");
    });

    it("restarts the OTel collector on Jaeger's renewal because configtls never re-reads ca_file", () => {
        expect(facts.otelConfigtlsCaReload.caFileReloaded).to.equal(false);
        const env = resources
            .filter((r) => r.type === "kubernetes:batch/v1:Job")
            .map((r) => (r.inputs as Obj).spec.template.spec.containers[0].env as Obj[])
            .find((e) => e.some((x) => x.name === "SECRET_NAME" && x.value === "jaeger-otlp-tls"))!;
        expect(env.find((x) => x.name === "RESTART_ON_RENEW")!.value).to.include(OTEL_COLLECTOR_DEPLOYMENT);
    });
});
