import { expect } from "chai";
import { RELEASE_TYPE } from "../../../../tools/charts/releases";
import { PlanFile, toPlanFile } from "../../../../tools/offline/plan-file";
import { inTransit, transitHops } from "../../../../tools/offline/readiness/in-transit";
import { PROMETHEUS_CA_CONFIGMAP, PROMETHEUS_WEB_TLS_SECRET } from "../../../../components/observability/prometheus-tls";
import { allStacks, REGIONAL_STACKS } from "../../../support/fixtures";

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
type Obj = Record<string, any>;

/** Prometheus's web port over TLS and each of its clients (tools/offline/readiness/prometheus-transit.ts). */
describe("deploy readiness: Prometheus's web port and its clients over TLS", () => {
    let plans: Record<string, PlanFile>;
    const STACK = "eu-west-1";
    const CLIENTS = [
        /^Grafana → Prometheus data source \(https:/,
        /^prometheus-adapter → Prometheus \(https:/,
        /^Argo Rollouts analysis \S+ → Prometheus \(https:/,
        /^Prometheus → its own web port and config-reloader \(self-scrape ServiceMonitor\)$/,
        /^Prometheus → Alertmanager \(alerts\)$/,
        /^Prometheus → Alertmanager's web port and config-reloader \(self-scrape ServiceMonitor\)$/,
    ];
    const mutated = (edit: (plan: PlanFile) => void): PlanFile => {
        const p = clone(plans[STACK]);
        edit(p);
        return p;
    };
    const values = (p: PlanFile, chart: string): Obj => {
        const r = p.resources.find((x) => x.type === RELEASE_TYPE && x.inputs.chart === chart);
        if (!r) throw new Error(`no ${chart} release`);
        return (r.inputs as Obj).values as Obj;
    };
    const analysisMetrics = (p: PlanFile): Obj[] =>
        p.resources.filter((r) => r.type === "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate").flatMap((r) => (r.inputs as Obj).spec.metrics as Obj[]);
    const issuerEnv = (p: PlanFile): Obj[] =>
        p.resources
            .filter((r) => r.type === "kubernetes:batch/v1:Job")
            .map((r) => (r.inputs as Obj).spec.template.spec.containers[0].env as Obj[])
            .find((env) => env.some((e) => e.name === "SECRET_NAME" && e.value === PROMETHEUS_WEB_TLS_SECRET))!;
    /** The problems the check reports, one line per hop. */
    const problems = (p: PlanFile) =>
        inTransit(p, new Map())
            .items.filter((i) => i.problem)
            .map((i) => `${i.subject}: ${i.problem}`)
            .join("\n");

    before(async () => {
        const runs = await allStacks();
        plans = Object.fromEntries(REGIONAL_STACKS.map((s) => [s, toPlanFile(runs[s], { violations: [] })]));
    });

    it("every regional stack: Grafana, prometheus-adapter, the Argo Rollouts analysis and the self-scrape reach Prometheus over HTTPS with a TLS 1.3 floor", () => {
        for (const stack of REGIONAL_STACKS) {
            const hops = transitHops(plans[stack]);
            for (const re of CLIENTS) {
                const matching = hops.filter((h) => re.test(h.hop));
                expect(matching.length, `${stack}: ${re}`).to.be.greaterThan(0);
                for (const h of matching) {
                    expect(h.protocol, `${stack}: ${h.hop}`).to.match(/^HTTPS/);
                    expect(h.floor, `${stack}: ${h.hop}`).to.equal("TLS 1.3");
                    expect(h.problem, `${stack}: ${h.hop}`).to.equal(undefined);
                }
            }
            // Nothing else dials Prometheus in plain text.
            expect(
                hops.filter((h) => /Prometheus.*\(http:/.test(h.hop)).map((h) => h.hop),
                stack,
            ).to.deep.equal([]);
        }
    });

    describe("mutations: break one piece and the hop is reported", () => {
        it("Prometheus without web.tlsConfig: every client and the self-scrape", () => {
            const out = problems(mutated((p) => delete values(p, "kube-prometheus-stack").prometheus.prometheusSpec.web));
            expect(out).to.match(
                /Grafana → Prometheus data source .*: the client dials https but Prometheus serves plain HTTP \(prometheusSpec\.web\.tlsConfig is unset\)/,
            );
            expect(out).to.match(/prometheus-adapter → Prometheus .*: the client dials https but Prometheus serves plain HTTP/);
            expect(out).to.match(/Argo Rollouts analysis \S+ → Prometheus .*: the client dials https but Prometheus serves plain HTTP/);
            expect(out).to.match(
                /its own web port and config-reloader \(self-scrape ServiceMonitor\): Prometheus dials https but Prometheus serves plain HTTP/,
            );
        });

        it("Prometheus's certificate Secret provided by nothing in the plan, or a floor under TLS 1.2", () => {
            const other = mutated((p) => (values(p, "kube-prometheus-stack").prometheus.prometheusSpec.web.tlsConfig.cert.secret.name = "elsewhere"));
            expect(problems(other)).to.match(/nothing in the plan provides Secret monitoring\/elsewhere/);
            const old = mutated((p) => (values(p, "kube-prometheus-stack").prometheus.prometheusSpec.web.tlsConfig.minVersion = "TLS11"));
            expect(problems(old)).to.match(/minVersion TLS11 is older than TLS 1\.2/);
        });

        it("a client back on http:// is plaintext (Prometheus is outside the mesh)", () => {
            const grafana = mutated((p) => {
                const d = (values(p, "kube-prometheus-stack").grafana.additionalDataSources as Obj[]).find((x) => x.name === "Prometheus")!;
                d.url = d.url.replace("https://", "http://");
            });
            expect(problems(grafana)).to.match(/Grafana → Prometheus data source \(http:\/\/\S+\): plaintext: http:\/\//);
            const adapter = mutated((p) => {
                const v = values(p, "prometheus-adapter").prometheus;
                v.url = v.url.replace("https://", "http://");
            });
            expect(problems(adapter)).to.match(/prometheus-adapter → Prometheus \(http:\/\/\S+\): plaintext/);
            const analysis = mutated((p) => {
                for (const m of analysisMetrics(p)) m.provider.prometheus.address = m.provider.prometheus.address.replace("https://", "http://");
            });
            expect(problems(analysis)).to.match(/Argo Rollouts analysis \S+ → Prometheus \(http:\/\/\S+\): plaintext/);
            const chartDefault = mutated((p) => (values(p, "kube-prometheus-stack").grafana.sidecar.datasources.defaultDatasourceEnabled = true));
            expect(problems(chartDefault)).to.match(
                /Grafana → Prometheus data source \(http:\/\/kube-prometheus-stack-prometheus\.monitoring:9090\): plaintext/,
            );
            // The chart's Alertmanager data source is plain HTTP to a pod outside the mesh.
            const alertmanager = mutated((p) => (values(p, "kube-prometheus-stack").grafana.sidecar.datasources.alertmanager.enabled = true));
            expect(problems(alertmanager)).to.match(
                /Grafana → Alertmanager data source \(http:\/\/kube-prometheus-stack-alertmanager\.monitoring:9093\/\): plaintext/,
            );
        });

        it("the CA not reaching a client's pod: mount removed, file flag or SSL_CERT_DIR dropped, or the data source's CA setting off", () => {
            const grafana = mutated((p) => (values(p, "kube-prometheus-stack").grafana.extraConfigmapMounts = []));
            expect(problems(grafana)).to.match(
                /Grafana → Prometheus data source .*: Prometheus's CA does not reach the client: \/etc\/prometheus-web-ca\/ca\.crt is on no volume mount/,
            );
            const noCaSetting = mutated((p) => {
                const d = (values(p, "kube-prometheus-stack").grafana.additionalDataSources as Obj[]).find((x) => x.name === "Prometheus")!;
                delete d.jsonData.tlsAuthWithCACert;
            });
            expect(problems(noCaSetting)).to.match(/tlsAuthWithCACert is not true/);
            const adapterMount = mutated((p) => (values(p, "prometheus-adapter").extraVolumeMounts = []));
            expect(problems(adapterMount)).to.match(
                /prometheus-adapter → Prometheus .*: Prometheus's CA does not reach the client: \/etc\/prometheus-web-ca\/ca\.crt is on no volume mount/,
            );
            const adapterFlag = mutated((p) => (values(p, "prometheus-adapter").extraArguments = []));
            expect(problems(adapterFlag)).to.match(/extraArguments has no --prometheus-ca-file/);
            const rolloutsMount = mutated((p) => (values(p, "argo-rollouts").controller.volumeMounts = []));
            expect(problems(rolloutsMount)).to.match(/Argo Rollouts analysis .*: Prometheus's CA does not reach the client: no SSL_CERT_DIR entry holds it/);
            const rolloutsEnv = mutated((p) => (values(p, "argo-rollouts").controller.extraEnv = []));
            expect(problems(rolloutsEnv)).to.match(/the controller has no SSL_CERT_DIR/);
        });

        it("a client in the mesh whose sidecar would parse the TLS as HTTP (Prometheus's Service port is http-web)", () => {
            const intercepted = mutated((p) => (values(p, "kube-prometheus-stack").grafana.podAnnotations = {}));
            expect(problems(intercepted)).to.match(
                /Grafana → Prometheus data source .*: the client's sidecar intercepts port 9090, which Prometheus's Service names http-web, so it would parse the TLS as HTTP/,
            );
            // A Service port Istio does not treat as HTTP needs no exclusion.
            const tlsPort = mutated((p) => {
                const v = values(p, "kube-prometheus-stack");
                v.grafana.podAnnotations = {};
                v.prometheus.prometheusSpec.portName = "tls-web";
            });
            expect(problems(tlsPort)).to.not.match(/Grafana → Prometheus/);
        });

        it("the CA ConfigMap not filled for that namespace, or not in the plan", () => {
            const notTrusted = mutated((p) => {
                const e = issuerEnv(p).find((x) => x.name === "TRUST_NAMESPACES")!;
                e.value = String(e.value)
                    .split(",")
                    .filter((n: string) => n !== "kube-system")
                    .join(",");
            });
            expect(problems(notTrusted)).to.match(
                new RegExp(
                    `prometheus-adapter → Prometheus .*no issuer of monitoring/${PROMETHEUS_WEB_TLS_SECRET} writes its CA into ConfigMap kube-system/${PROMETHEUS_CA_CONFIGMAP}`,
                ),
            );
            const noConfigMap = mutated((p) => {
                p.resources = p.resources.filter(
                    (r) =>
                        !(
                            r.type === "kubernetes:core/v1:ConfigMap" &&
                            (r.inputs as Obj).metadata.namespace === "argo-rollouts" &&
                            (r.inputs as Obj).metadata.name === PROMETHEUS_CA_CONFIGMAP
                        ),
                );
            });
            expect(problems(noConfigMap)).to.match(
                new RegExp(`Argo Rollouts analysis .*ConfigMap argo-rollouts/${PROMETHEUS_CA_CONFIGMAP} is not in the plan`),
            );
        });

        it("a client that loads the CA once and that the issuer does not restart on renewal", () => {
            for (const [client, deployment] of [
                ["Grafana → Prometheus data source", "monitoring/kube-prometheus-stack-grafana"],
                ["prometheus-adapter → Prometheus", "kube-system/prometheus-adapter"],
                ["Argo Rollouts analysis \\S+ → Prometheus", "argo-rollouts/argo-rollouts"],
            ]) {
                const forgotten = mutated((p) => {
                    const e = issuerEnv(p).find((x) => x.name === "RESTART_ON_RENEW")!;
                    e.value = String(e.value)
                        .split(",")
                        .filter((t: string) => t !== `Deployment/${deployment}`)
                        .join(",");
                });
                expect(problems(forgotten), client).to.match(
                    new RegExp(
                        `${client} .*: the issuer of monitoring/${PROMETHEUS_WEB_TLS_SECRET} does not restart Deployment ${deployment} \\(restartOnRenew\\)`,
                    ),
                );
                expect(problems(forgotten).split("\n"), client).to.have.length(1);
            }
        });

        it("a client that skips verification", () => {
            const grafana = mutated((p) => {
                const d = (values(p, "kube-prometheus-stack").grafana.additionalDataSources as Obj[]).find((x) => x.name === "Prometheus")!;
                d.jsonData.tlsSkipVerify = true;
            });
            expect(problems(grafana)).to.match(/Grafana → Prometheus data source .*: it skips verifying Prometheus's certificate \(jsonData\.tlsSkipVerify\)/);
            const analysis = mutated((p) => {
                for (const m of analysisMetrics(p)) m.provider.prometheus.insecure = true;
            });
            expect(problems(analysis)).to.match(/Argo Rollouts analysis .*: it skips verifying Prometheus's certificate \(insecure: true on metric/);
        });

        it("the self-scrape over http, without the CA or without the Service name to verify", () => {
            const plain = mutated((p) => delete values(p, "kube-prometheus-stack").prometheus.serviceMonitor.scheme);
            expect(problems(plain)).to.match(
                /its own web port and config-reloader \(self-scrape ServiceMonitor\): prometheus\.serviceMonitor\.scheme is not https/,
            );
            const noName = mutated((p) => delete values(p, "kube-prometheus-stack").prometheus.serviceMonitor.tlsConfig.serverName);
            expect(problems(noName)).to.match(/prometheus\.serviceMonitor\.tlsConfig\.serverName is unset/);
            const noCa = mutated((p) => delete values(p, "kube-prometheus-stack").prometheus.serviceMonitor.tlsConfig.ca);
            expect(problems(noCa)).to.match(/prometheus\.serviceMonitor\.tlsConfig\.ca\.secret is unset, not the server's certificate prometheus-web-tls/);
        });

        it("alerts: Alertmanager without web TLS, the alerting endpoint back on http, or an alertingEndpoints override over http", () => {
            const noTls = mutated((p) => delete values(p, "kube-prometheus-stack").alertmanager.alertmanagerSpec.web);
            expect(problems(noTls)).to.match(/Prometheus → Alertmanager \(alerts\): Prometheus dials https but Alertmanager serves plain HTTP/);
            expect(problems(noTls)).to.match(/Prometheus → Alertmanager's web port .*: Prometheus dials https but Alertmanager serves plain HTTP/);
            const http = mutated((p) => delete values(p, "kube-prometheus-stack").alertmanager.alertmanagerSpec.scheme);
            expect(problems(http)).to.match(/Prometheus → Alertmanager \(alerts\): alertmanager\.alertmanagerSpec\.scheme is not https/);
            const override = mutated((p) => {
                const v = values(p, "kube-prometheus-stack");
                v.alertmanager.alertmanagerSpec.web = undefined;
                v.prometheus.prometheusSpec.alertingEndpoints = [
                    { name: "kube-prometheus-stack-alertmanager", namespace: "monitoring", port: "http-web", scheme: "http" },
                ];
            });
            expect(problems(override)).to.match(/Prometheus → Alertmanager \(alerts\): plaintext: prometheusSpec\.alertingEndpoints\.scheme http/);
        });
    });
});
