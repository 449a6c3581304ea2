import { expect } from "chai";
import { parse } from "yaml";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../../../stacks/stack-files";
import { RELEASE_TYPE } from "../../../../tools/charts/releases";
import { PlanFile, toPlanFile } from "../../../../tools/offline/plan-file";
import { inTransit, platformTransitOf, transitHops } from "../../../../tools/offline/readiness/in-transit";
import { appHops } from "../../../../tools/offline/readiness/network-policies";
import { platformHops, platformWorkloads } from "../../../../tools/offline/readiness/platform-hops";
import { APP_NAMESPACE } from "../../../../components/regional-cluster/manifests";
import { EXCLUDE_INBOUND_PORTS, OTEL_TELEMETRY_PORT } from "../../../../components/observability/kubernetes";
import { GRAFANA_HTTP_PORT } from "../../../../components/observability/grafana-password-sync";
import {
    interceptsInbound,
    judgeByServer,
    NITRO_FLOOR,
    NO_DATA_PROBES,
    nitroFloor,
    serverFacts,
    sidecarInbound,
    TLS_OFFERED_NOT_CONFIGURED,
    TransitClass,
} from "../../../../tools/offline/readiness/platform-transit";
import { allStacks, PRIMARY_STACKS, REGIONAL_STACKS } from "../../../support/fixtures";

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
type Obj = Record<string, any>;
const INCLUDE = "traffic.sidecar.istio.io/includeInboundPorts";
const NITRO: TransitClass[] = ["nitro-no-tls", "nitro-tls-not-configured"];

describe("deploy readiness: encryption in transit covers every hop of the NetworkPolicy model", () => {
    let plans: Record<string, PlanFile>;
    const mutated = (stack: string, edit: (plan: PlanFile) => void): PlanFile => {
        const p = clone(plans[stack]);
        edit(p);
        return p;
    };
    const problems = (p: PlanFile) => inTransit(p, new Map()).items.filter((i) => i.problem);
    const kps = (p: PlanFile): Obj => p.resources.find((r) => r.type === RELEASE_TYPE && r.inputs.chart === "kube-prometheus-stack")!.inputs as Obj;

    before(async () => {
        const runs = await allStacks();
        plans = Object.fromEntries(Object.entries(runs).map(([s, r]) => [s, toPlanFile(r, { violations: [] })]));
    });

    it("gives every app and platform hop of every regional stack a verdict, and no stack a plaintext problem", () => {
        for (const stack of REGIONAL_STACKS) {
            const plan = plans[stack];
            const { verdicts } = platformTransitOf(plan);
            const model = [...appHops(plan), ...platformHops(plan, "bookedbarber")];
            expect(
                verdicts.map((v) => v.subject),
                stack,
            ).to.deep.equal(model.map((h) => h.subject));
            expect(
                verdicts.filter((v) => v.class === "unclassified").map((v) => v.subject),
                stack,
            ).to.deep.equal([]);
            // A mapped verdict is a hop the table shows; the others are rows of their own.
            const shown = new Set(transitHops(plan).map((h) => h.hop));
            for (const v of verdicts) expect(shown.has(v.hop.hop), `${stack}: ${v.subject} → ${v.hop.hop}`).to.equal(true);
            expect(
                problems(plan).map((i) => `${i.subject}: ${i.problem}`),
                stack,
            ).to.deep.equal([]);
        }
    });

    it("classifies from the server's facts: Istio's own telemetry, kube-proxy and DNS ride Nitro; the API server, kubelet and webhooks are TLS; the Pod Identity agent is host-local", () => {
        for (const stack of PRIMARY_STACKS) {
            const { verdicts } = platformTransitOf(plans[stack]);
            const classOf = (re: RegExp) => {
                const found = verdicts.filter((v) => re.test(v.subject));
                expect(found.length, `${stack}: ${re}`).to.be.greaterThan(0);
                return [...new Set(found.map((v) => v.class))];
            };
            expect(classOf(/^prometheus -> istiod\S* ?\S*:15014/)).to.deep.equal(["nitro-no-tls"]);
            expect(classOf(/^prometheus -> \S+:15020$/)).to.deep.equal(["nitro-no-tls"]);
            expect(classOf(/^prometheus -> istio-ingressgateway\/gateway:15090$/)).to.deep.equal(["nitro-no-tls"]);
            expect(classOf(/^prometheus -> nodes:10249$/)).to.deep.equal(["nitro-no-tls"]);
            expect(classOf(/^prometheus -> argo-rollouts\/controller:8090$/)).to.deep.equal(["nitro-no-tls"]);
            expect(classOf(/-> kube-dns \((UDP|TCP) 53\)$/)).to.deep.equal(["nitro-no-tls"]);
            expect(classOf(/^prometheus -> nodes:9100$/)).to.deep.equal(["tls-configured"]);
            expect(classOf(/^prometheus -> alertmanager:9093$/)).to.deep.equal(["tls-configured"]);
            expect(classOf(/^alertmanager -> alertmanager:9094/)).to.deep.equal(["tls-configured"]);
            expect(classOf(/-> API server:443$/)).to.deep.equal(["tls"]);
            expect(classOf(/^API server -> /)).to.deep.equal(["tls"]);
            expect(classOf(/^prometheus -> nodes:10250$|^metrics-server -> kubelets:10250$/)).to.deep.equal(["tls"]);
            expect(classOf(/-> Pod Identity agent$/)).to.deep.equal(["host-local"]);
            expect(classOf(/^NLB -> \S+:15021$/)).to.deep.equal(["no-data-probe"]);
            expect(classOf(/^NLB -> \S+:8443$|-> shard-\d-r[wo]\.database|-> otel collector:|-> cache in /)).to.deep.equal(["mapped"]);
            const nitro = verdicts.filter((v) => NITRO.includes(v.class));
            for (const v of nitro) expect([v.hop.floor, v.hop.problem], v.subject).to.deep.equal([NITRO_FLOOR, undefined]);
            expect(nitro.find((v) => /15014/.test(v.subject))!.hop.protocol).to.equal("HTTP (no TLS offered) over Nitro in-transit encryption");
        }
    });

    it("judges the program's own ServiceMonitors and PodMonitors by the same facts (the old plaintext scrape entry is gone)", () => {
        const hops = transitHops(plans["us-east-1"]).filter((h) => /^Prometheus → (ServiceMonitor|PodMonitor) /.test(h.hop));
        expect(hops.map((h) => h.hop)).to.include.members([
            "Prometheus → ServiceMonitor monitoring/istiod (http-monitoring)",
            "Prometheus → PodMonitor monitoring/istio-sidecars (/stats/prometheus)",
        ]);
        for (const h of hops) expect([h.floor, h.problem], h.hop).to.deep.equal([NITRO_FLOOR, undefined]);
    });

    it("adds the ServiceMonitors kube-prometheus-stack creates itself to the model, as its values render them", () => {
        const subjects = platformTransitOf(plans["us-east-1"]).verdicts.filter((v) => /\(chart ServiceMonitor /.test(v.subject));
        expect(Object.fromEntries(subjects.map((v) => [v.subject, v.class]))).to.deep.equal({
            "prometheus -> kube-prometheus-stack/prometheus:9090 (chart ServiceMonitor prometheus)": "tls-configured",
            "prometheus -> kube-prometheus-stack/prometheus:8080 (chart ServiceMonitor prometheus)": "tls-configured",
            "prometheus -> kube-prometheus-stack/alertmanager:9093 (chart ServiceMonitor alertmanager)": "tls-configured",
            "prometheus -> kube-prometheus-stack/alertmanager:8080 (chart ServiceMonitor alertmanager)": "tls-configured",
            "prometheus -> kube-prometheus-stack/prometheus-operator:10250 (chart ServiceMonitor operator)": "tls",
            "prometheus -> coredns:9153 (chart ServiceMonitor coredns)": "nitro-no-tls",
            "prometheus -> kube-prometheus-stack/kube-state-metrics:8080 (chart ServiceMonitor kube-state-metrics)": "tls-configured",
            "prometheus -> kube-prometheus-stack/grafana:3000 (chart ServiceMonitor grafana)": "nitro-tls-not-configured",
        });
        const off = mutated("us-east-1", (x) => {
            Object.assign(kps(x).values, { coreDns: { enabled: false }, grafana: { ...kps(x).values.grafana, serviceMonitor: { enabled: false } } });
        });
        const left = platformHops(off, "bookedbarber").map((h) => h.subject);
        expect(left.filter((s) => /chart ServiceMonitor (coredns|grafana)/.test(s))).to.deep.equal([]);
        expect(left).to.include("prometheus -> kube-prometheus-stack/kube-state-metrics:8080 (chart ServiceMonitor kube-state-metrics)");
    });

    describe("mutations", () => {
        describe("Alertmanager's gossip: TLS only with clusterTLS serving a certificate and verifying peers with a CA and serverName", () => {
            const gossip = (p: PlanFile) => platformTransitOf(p).verdicts.filter((v) => /^alertmanager -> alertmanager:9094/.test(v.subject));
            const clusterTls = (p: PlanFile): Obj => (kps(p).values.alertmanager as Obj).alertmanagerSpec.additionalConfig.clusterTLS as Obj;
            const reported = (edit: (tls: Obj, p: PlanFile) => void, problem: RegExp) => {
                const p = mutated("us-east-1", (x) => edit(clusterTls(x), x));
                const verdicts = gossip(p);
                expect(verdicts).to.have.length(2); // TCP and UDP
                for (const v of verdicts) {
                    expect(v.class, v.subject).to.equal("nitro-tls-not-configured");
                    expect(v.hop.problem, v.subject).to.match(problem);
                }
                expect(problems(p).map((i) => i.subject)).to.include(verdicts[0].hop.hop);
            };

            it("the default plan: mutual TLS with the server's TLS 1.3 floor", () => {
                for (const v of gossip(plans["us-east-1"]))
                    expect([v.class, v.hop.floor, v.hop.problem], v.subject).to.deep.equal(["tls-configured", "TLS 1.3", undefined]);
            });
            it("without clusterTLS the gossip is plaintext and no longer listed as waiting: reported", () => {
                reported(
                    (_, p) => delete (kps(p).values.alertmanager as Obj).alertmanagerSpec.additionalConfig.clusterTLS,
                    /^plaintext: Alertmanager cluster \(gossip\) speaks .* not listed in TLS_OFFERED_NOT_CONFIGURED/,
                );
            });
            it("without the client's CA, or its serverName, or the server's certificate: reported", () => {
                reported((tls) => delete tls.client.ca, /lacks client\.ca /);
                reported((tls) => delete tls.client.serverName, /lacks client\.serverName /);
                reported((tls) => delete tls.server.cert, /lacks server\.cert/);
                reported((tls) => delete tls.server.keySecret, /lacks server\.keySecret/);
            });
            it("with insecureSkipVerify: reported", () => {
                reported((tls) => (tls.client.insecureSkipVerify = true), /insecureSkipVerify is true/);
            });
            it("a TLS 1.2 floor is judged as such, and an unknown version is reported", () => {
                const p = mutated("us-east-1", (x) => (clusterTls(x).server.minVersion = "TLS12"));
                expect(gossip(p).map((v) => v.hop.floor)).to.deep.equal(["TLS 1.2", "TLS 1.2"]);
                reported((tls) => (tls.server.minVersion = "TLS14"), /minVersion TLS14; exporter-toolkit takes TLS10, TLS11, TLS12, TLS13/);
            });
        });

        it("a node type outside the Nitro list turns every Nitro-floor hop into a plaintext problem", () => {
            const p = mutated("us-east-1", (x) => {
                const memory = x.resources.find(
                    (r) => r.type === "aws:eks/nodeGroup:NodeGroup" && (r.inputs as Obj).labels["bookedbarber.com/node-group"] === "memory",
                )!;
                (memory.inputs as Obj).instanceTypes = ["r7g.2xlarge", "r6g.2xlarge"];
            });
            expect(nitroFloor(p)).to.deep.include({ holds: false, outside: ["r6g.2xlarge"] });
            const before = platformTransitOf(plans["us-east-1"]).verdicts.filter((v) => NITRO.includes(v.class));
            const after = platformTransitOf(p).verdicts.filter((v) => NITRO.includes(v.class));
            expect(after.map((v) => v.subject)).to.deep.equal(before.map((v) => v.subject));
            for (const v of after) {
                expect(v.hop.floor, v.subject).to.equal("none");
                expect(v.hop.problem, v.subject).to.match(/^plaintext: .* node types r6g\.2xlarge do not encrypt traffic between instances/);
            }
            const reported = problems(p).map((i) => i.subject);
            expect(reported).to.include.members(["pods → CoreDNS (kube-dns) :53", "prometheus → kube-proxy metrics :10249", "prometheus → Grafana web :3000"]);
            expect(reported).to.include("Prometheus → ServiceMonitor monitoring/istiod (http-monitoring)");
            // TLS and mesh hops do not depend on the nodes.
            expect(reported.some((s) => /EKS API server|kubelet|PgBouncer/.test(s))).to.equal(false);
        });

        it("a hop of the NetworkPolicy model with no verdict is a problem: a new scrape target nobody classified", () => {
            const p = mutated("us-east-1", (x) => {
                x.resources.push({
                    urn: "urn:pulumi:us-east-1::bookedbarber::kubernetes:apps/v1:Deployment::mystery-exporter",
                    name: "mystery-exporter",
                    type: "kubernetes:apps/v1:Deployment",
                    inputs: {
                        metadata: { name: "mystery-exporter", namespace: "monitoring" },
                        spec: {
                            template: {
                                metadata: { labels: { "app.kubernetes.io/name": "mystery-exporter" } },
                                spec: { containers: [{ name: "exporter", ports: [{ name: "metrics", containerPort: 9999 }] }] },
                            },
                        },
                    },
                } as unknown as PlanFile["resources"][number]);
            });
            const { verdicts } = platformTransitOf(p);
            expect(verdicts.filter((v) => v.class === "unclassified").map((v) => v.subject)).to.deep.equal(["prometheus -> mystery-exporter:9999"]);
            // Its DNS lookups are classified by the server they reach.
            expect(verdicts.find((v) => v.subject === "mystery-exporter -> kube-dns (UDP 53)")!.class).to.equal("nitro-no-tls");
            expect(problems(p).map((i) => `${i.subject}: ${i.problem}`)).to.deep.equal([
                "prometheus → mystery-exporter:9999: no transit verdict: no server fact matches this hop (TCP 9999); add the server to test/upstream/transit/servers.json with its source, or map the hop in tools/offline/readiness/platform-transit.ts",
            ]);
        });

        it("a scrape target that offers TLS is TLS while the plan turns it on, and a problem once it is off and not listed (Alertmanager web.tlsConfig)", () => {
            const v = platformTransitOf(plans["us-east-1"]).verdicts.find((x) => x.subject === "prometheus -> alertmanager:9093")!;
            expect([v.class, v.hop.protocol, v.hop.problem]).to.deep.equal([
                "tls-configured",
                "HTTP over TLS (alertmanager.alertmanagerSpec.web.tlsConfig)",
                undefined,
            ]);
            const off = mutated("us-east-1", (x) => {
                delete kps(x).values.alertmanager.alertmanagerSpec.web;
            });
            const w = platformTransitOf(off).verdicts.find((x) => x.subject === "prometheus -> alertmanager:9093")!;
            expect(w.class).to.equal("nitro-tls-not-configured");
            expect(w.hop.problem).to.match(/not listed in TLS_OFFERED_NOT_CONFIGURED/);
        });

        it("Prometheus's web port is TLS exactly when prometheusSpec.web.tlsConfig is in the plan", () => {
            const fact = serverFacts().find((f) => f.server === "Prometheus web (query API)")!;
            const path = { throughLoadBalancer: false, inVpc: true };
            expect(judgeByServer(plans["us-east-1"], "x → Prometheus", fact, path).class).to.equal("tls-configured");
            const off = mutated("us-east-1", (x) => {
                delete kps(x).values.prometheus.prometheusSpec.web;
            });
            const judged = judgeByServer(off, "x → Prometheus", fact, path);
            expect(judged.class).to.equal("nitro-tls-not-configured");
            // A server that offers TLS and is not listed with a reason is a problem.
            expect(judged.hop.problem).to.match(/not listed in TLS_OFFERED_NOT_CONFIGURED/);
            // The chart's self-scrape of 9090 and of the config-reloader is https with the CA: both TLS, no problem.
            const self = (p: PlanFile) =>
                platformTransitOf(p).verdicts.filter((v) => /^prometheus -> kube-prometheus-stack\/prometheus:\d+ \(chart ServiceMonitor/.test(v.subject));
            expect(self(plans["us-east-1"]).map((v) => [v.class, v.hop.problem])).to.deep.equal([
                ["tls-configured", undefined],
                ["tls-configured", undefined],
            ]);
            // Left at http while the server serves only TLS, the targets go down.
            const plain = mutated("us-east-1", (x) => {
                kps(x).values.prometheus.serviceMonitor = { ...kps(x).values.prometheus.serviceMonitor, scheme: "http" };
            });
            expect(self(plain).map((v) => v.hop.problem)).to.deep.equal(
                ["Prometheus web (query API)", "Prometheus config-reloader"].map(
                    (server) =>
                        `the scrape of ${server} uses http but the server serves only TLS: the target would be down; set kube-prometheus-stack prometheus.serviceMonitor.scheme to https (with its tlsConfig and the CA)`,
                ),
            );
            // Without web TLS the self-scrape is reported too (the server is unlisted as TLS-offered-not-configured, and an https scrape would fail the handshake).
            expect(self(off)[0].hop.problem).to.match(/^plaintext: Prometheus web \(query API\)|uses https but the server does not serve TLS/);
        });

        describe("exporters: TLS while their flag names a web config with a certificate, scraped over https", () => {
            const EXPORTERS = [
                {
                    server: "node-exporter",
                    values: "prometheus-node-exporter",
                    flag: "--web.config.file",
                    subject: "prometheus -> nodes:9100",
                    row: "prometheus → node-exporter :9100",
                    scheme: ["prometheus", "monitor"],
                },
                {
                    server: "kube-state-metrics",
                    values: "kube-state-metrics",
                    flag: "--tls-config",
                    subject: "prometheus -> kube-prometheus-stack/kube-state-metrics:8080 (chart ServiceMonitor kube-state-metrics)",
                    row: "prometheus → kube-state-metrics :8080",
                    scheme: ["prometheus", "monitor", "http"],
                },
            ];
            const verdict = (p: PlanFile, subject: string) => platformTransitOf(p).verdicts.find((v) => v.subject === subject)!;
            const webConfig = (p: PlanFile, server: string) =>
                p.resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && (r.inputs as Obj).metadata?.name === `${server}-tls-web-config`)!
                    .inputs as Obj;
            const endpoint = (p: PlanFile, e: (typeof EXPORTERS)[number]): Obj => e.scheme.reduce((o: Obj, k) => o[k], kps(p).values[e.values] as Obj);

            for (const e of EXPORTERS)
                it(`${e.server}: TLS 1.3 from its web config; reported without ${e.flag}, with a web config that has no certificate or is missing, and when scraped over http`, () => {
                    const v = verdict(plans["us-east-1"], e.subject);
                    expect([v.class, v.hop.protocol, v.hop.floor, v.hop.problem]).to.deep.equal([
                        "tls-configured",
                        `HTTP over TLS (${e.flag})`,
                        "TLS 1.3",
                        undefined,
                    ]);
                    expect(endpoint(plans["us-east-1"], e).scheme).to.equal("https");

                    const noFlag = mutated("us-east-1", (x) => {
                        const values = kps(x).values[e.values] as Obj;
                        values.extraArgs = (values.extraArgs as string[]).filter((a) => !a.startsWith(`${e.flag}=`));
                    });
                    const w = verdict(noFlag, e.subject);
                    expect(w.class).to.equal("nitro-tls-not-configured");
                    expect(w.hop.problem).to.match(/not listed in TLS_OFFERED_NOT_CONFIGURED/);
                    expect(problems(noFlag).map((i) => i.subject)).to.include(e.row);

                    const noCertificate = mutated("us-east-1", (x) => {
                        webConfig(x, e.server).data["web-config.yml"] = "http_server_config:\n  http2: true\n";
                    });
                    expect(verdict(noCertificate, e.subject).hop.problem).to.match(
                        /has no tls_server_config with cert_file and key_file, so the exporter serves HTTP$/,
                    );
                    expect(problems(noCertificate).map((i) => i.subject)).to.include(e.row);

                    const missing = mutated("us-east-1", (x) => {
                        x.resources = x.resources.filter(
                            (r) => !(r.type === "kubernetes:core/v1:ConfigMap" && (r.inputs as Obj).metadata?.name === `${e.server}-tls-web-config`),
                        );
                    });
                    expect(verdict(missing, e.subject).hop.problem).to.equal(
                        `plaintext: ${e.flag}=/etc/${e.server}-tls-config/web-config.yml but no ConfigMap monitoring/${e.server}-tls-web-config with web-config.yml is in the plan: the exporter would not start`,
                    );
                    const unmounted = mutated("us-east-1", (x) => {
                        const values = kps(x).values[e.values] as Obj;
                        delete values.configmaps;
                        delete values.volumes;
                    });
                    expect(verdict(unmounted, e.subject).hop.problem).to.match(
                        /but the values mount no ConfigMap at \/etc\/\S+-tls-config: the exporter would not start$/,
                    );

                    const oldFloor = mutated("us-east-1", (x) => {
                        webConfig(x, e.server).data["web-config.yml"] = String(webConfig(x, e.server).data["web-config.yml"]).replace("TLS13", "TLS12");
                    });
                    expect(verdict(oldFloor, e.subject).hop.floor).to.equal("TLS 1.2");

                    const plain = mutated("us-east-1", (x) => {
                        endpoint(x, e).scheme = "http";
                    });
                    const settingPath = [e.values, ...e.scheme, "scheme"].join(".");
                    expect(verdict(plain, e.subject).hop.problem).to.equal(
                        `the scrape of ${e.server} uses http but the server serves only TLS: the target would be down; set kube-prometheus-stack ${settingPath} to https (with its tlsConfig and the CA)`,
                    );
                    expect(problems(plain).map((i) => i.subject)).to.include(e.row);
                });

            it("kube-state-metrics's ServiceMonitor falls back to prometheus.monitor.scheme when the endpoint's own is empty, as its template does", () => {
                const fallback = mutated("us-east-1", (x) => {
                    const monitor = (kps(x).values["kube-state-metrics"] as Obj).prometheus.monitor as Obj;
                    monitor.http = { ...monitor.http, scheme: "" };
                    monitor.scheme = "http";
                });
                expect(verdict(fallback, EXPORTERS[1].subject).hop.problem).to.match(
                    /^the scrape of kube-state-metrics uses http but the server serves only TLS/,
                );
            });
        });

        it("a server without TLS is a problem when a load balancer is in the path or the hop leaves the VPC", () => {
            const fact = serverFacts().find((f) => f.server === "kube-proxy metrics")!;
            expect(judgeByServer(plans["us-east-1"], "x", fact, { throughLoadBalancer: true, inVpc: true }).hop.problem).to.match(
                /passes through a load balancer/,
            );
            expect(judgeByServer(plans["us-east-1"], "x", fact, { throughLoadBalancer: false, inVpc: false }).hop.problem).to.match(/leaves the VPC/);
        });
    });

    it("lists what rides Nitro only with a reason, and each entry still matches a server of the default plans (the lists can only shrink)", () => {
        const servers = new Set(
            REGIONAL_STACKS.flatMap((s) => platformTransitOf(plans[s]).verdicts)
                .filter((v) => ["nitro-tls-not-configured", "no-data-probe"].includes(v.class))
                .map((v) => v.hop.hop.replace(/^\S+ → /, "").replace(/ :\d+$/, "")),
        );
        for (const [server, reason] of Object.entries({ ...TLS_OFFERED_NOT_CONFIGURED, ...NO_DATA_PROBES })) {
            expect(servers.has(server), `${server} matches no hop: remove it`).to.equal(true);
            expect(reason.length, server).to.be.greaterThan(40);
        }
        expect([...servers].sort()).to.deep.equal(Object.keys({ ...TLS_OFFERED_NOT_CONFIGURED, ...NO_DATA_PROBES }).sort());
    });

    it("states the per-stack figures of docs/encryption-in-transit.md as the check counts them", () => {
        const doc = fs.readFileSync(path.join(projectRoot(), "docs", "encryption-in-transit.md"), "utf8");
        const order: TransitClass[] = ["mapped", "tls", "nitro-no-tls", "nitro-tls-not-configured", "host-local", "no-data-probe"];
        for (const [row, stack] of [
            ["each primary", "us-east-1"],
            ["each standby", "us-west-2"],
        ]) {
            const { verdicts } = platformTransitOf(plans[stack]);
            const count = (c: TransitClass) => verdicts.filter((v) => v.class === c || (c === "tls" && v.class === "tls-configured")).length;
            expect(verdicts.filter((v) => v.class === "mesh" || v.class === "unclassified").length, stack).to.equal(0);
            expect(doc, stack).to.contain(`| ${row} | ${verdicts.length} | ${order.map(count).join(" | ")} |`);
        }
    });

    it("keeps each server fact sourced: a source URL, the basis, and a transit class", () => {
        const facts = serverFacts();
        expect(facts.length).to.be.greaterThan(15);
        for (const f of facts) {
            expect(f.source, f.server).to.match(/^https:\/\//);
            expect(f.basis.length, f.server).to.be.greaterThan(30);
            expect(["tls", "setting", "offered", "no-tls", "host-local", "no-data-probe"], f.server).to.include(f.transit);
            if (f.transit === "setting") expect(f.setting?.path, f.server).to.be.a("string");
        }
        // The Argo Rollouts claim was read in the controller's source at a pinned commit.
        expect(facts.find((f) => f.server === "Argo Rollouts controller metrics")!.source).to.match(
            /argo-rollouts\/blob\/[0-9a-f]{40}\/controller\/controller\.go$/,
        );
        // A "no TLS" or "TLS always" verdict read in a project's code names the commit it was read at (the version the
        // chart or EKS runs), not a moving branch or a discussion thread: a server can gain TLS in a later release.
        for (const f of facts.filter((x) => x.transit === "no-tls" || x.transit === "tls"))
            if (/^https:\/\/github\.com\//.test(f.source)) expect(f.source, f.server).to.match(/^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{40}\//);
    });

    describe("a client outside the mesh to an intercepted port of a STRICT sidecar is refused", () => {
        const release = (p: PlanFile, chart: string): Obj => p.resources.find((r) => r.type === RELEASE_TYPE && r.inputs.chart === chart)!.inputs as Obj;
        const refused = (p: PlanFile) =>
            problems(p).filter((i) => /refused by the server's sidecar under STRICT mTLS: the target is unreachable/.test(i.problem!));

        it("reads Grafana's pod labels and annotations from its values: Grafana is in the mesh and 3000 is left out of interception", () => {
            const grafana = platformWorkloads(plans["us-east-1"], APP_NAMESPACE).find((w) => w.component === "kube-prometheus-stack/grafana")!;
            expect(grafana.labels["istio.io/rev"], "podLabels").to.be.a("string");
            expect(grafana.annotations?.[EXCLUDE_INBOUND_PORTS]).to.equal(String(GRAFANA_HTTP_PORT));
            const collector = platformWorkloads(plans["us-east-1"], APP_NAMESPACE).find((w) => w.component === "otel-collector/collector")!;
            expect(collector.annotations?.[EXCLUDE_INBOUND_PORTS]).to.equal(String(OTEL_TELEMETRY_PORT));
        });

        it("finds no refused hop in any regional stack, and judges Grafana's and the collector's scrapes by their servers", () => {
            for (const stack of REGIONAL_STACKS) {
                const { verdicts } = platformTransitOf(plans[stack]);
                expect(
                    verdicts.filter((v) => v.class === "refused").map((v) => v.subject),
                    stack,
                ).to.deep.equal([]);
                const grafana = verdicts.find((v) => /^prometheus -> kube-prometheus-stack\/grafana:3000 /.test(v.subject));
                expect(grafana?.class, stack).to.equal("nitro-tls-not-configured");
                expect(verdicts.find((v) => v.subject === "prometheus -> otel-collector/collector:8888")?.class, stack).to.equal("nitro-no-tls");
            }
        });

        it("scrapes Jaeger (whose chart writes prometheus.io pod annotations) through the agent's merged-metrics port, which is never intercepted", () => {
            const { verdicts } = platformTransitOf(plans["us-east-1"]);
            expect(verdicts.filter((v) => /^prometheus -> jaeger:/.test(v.subject)).map((v) => [v.subject, v.class])).to.deep.equal([
                ["prometheus -> jaeger:15020 (merged metrics)", "nitro-no-tls"],
            ]);
        });

        it("reports Grafana's scrape when 3000 is intercepted (the exclusion removed)", () => {
            const p = mutated("us-east-1", (x) => delete release(x, "kube-prometheus-stack").values.grafana.podAnnotations[EXCLUDE_INBOUND_PORTS]);
            expect(refused(p).map((i) => i.subject)).to.deep.equal(["prometheus → kube-prometheus-stack/grafana:3000 (chart ServiceMonitor grafana)"]);
        });

        it("reports the collector's telemetry scrape when 8888 is intercepted, and an includeInboundPorts list without it passes", () => {
            const bad = mutated("us-east-1", (x) => (release(x, "opentelemetry-collector").values.podAnnotations = {}));
            expect(refused(bad).map((i) => i.subject)).to.deep.equal(["prometheus → otel-collector/collector:8888"]);
            const narrowed = mutated("us-east-1", (x) => (release(x, "opentelemetry-collector").values.podAnnotations = { [INCLUDE]: "4317,4318" }));
            expect(refused(narrowed)).to.deep.equal([]);
        });

        it("does not report a scrape of a pod outside the mesh (Grafana without its mesh label), but reports that pod as a client of a meshed one", () => {
            const out = mutated("us-east-1", (x) => {
                const g = release(x, "kube-prometheus-stack").values.grafana;
                g.podLabels = {};
                delete g.podAnnotations[EXCLUDE_INBOUND_PORTS];
            });
            // Prometheus to Grafana's 3000 is plain HTTP to a pod without a sidecar; Grafana, now outside the mesh, is
            // refused by Jaeger's sidecar on the query port.
            expect(refused(out).map((i) => i.subject)).to.deep.equal(["grafana → jaeger query:16686"]);
            // Grafana (in the mesh) to Jaeger's query port stays mTLS.
            expect(platformTransitOf(plans["us-east-1"]).verdicts.find((v) => /^grafana -> jaeger query:/.test(v.subject))?.hop.protocol).to.match(
                /Istio mTLS/,
            );
        });

        it("lets the NLB reach the gateway, whose template intercepts nothing, and reports it once the gateway is injected as a sidecar", () => {
            expect(refused(plans["us-east-1"])).to.deep.equal([]);
            // Helm drops a chart default map key set to null: the gateway's pods then get the sidecar template.
            const p = mutated("us-east-1", (x) => (release(x, "gateway").values.podAnnotations = { "inject.istio.io/templates": null }));
            // The data port is refused; the health check port 15021 is the agent's own and never intercepted.
            expect(refused(p).map((i) => i.subject)).to.deep.equal(["NLB → istio-ingressgateway:8443"]);
        });

        it("intercepts every inbound port but the agent's own, the excluded ones and, with the gateway template, none (Istio's injection template)", () => {
            expect(interceptsInbound({}, 3000)).to.equal(true);
            for (const port of [15020, 15021, 15090]) expect(interceptsInbound({}, port), String(port)).to.equal(false);
            expect(interceptsInbound({ [EXCLUDE_INBOUND_PORTS]: "9000, 3000" }, 3000)).to.equal(false);
            expect(interceptsInbound({ [INCLUDE]: "8080" }, 3000)).to.equal(false);
            expect(interceptsInbound({ [INCLUDE]: "8080" }, 8080)).to.equal(true);
            expect(interceptsInbound({ "inject.istio.io/templates": "gateway" }, 8443)).to.equal(false);
            // istiod's global.proxy values are the defaults when the pod has no annotation.
            expect(interceptsInbound({}, 3000, { excludeInboundPorts: "3000" })).to.equal(false);
            expect(interceptsInbound({ [EXCLUDE_INBOUND_PORTS]: "" }, 3000, { excludeInboundPorts: "3000" })).to.equal(true);
            // The facts agree with the vendored istiod chart's defaults.
            const istiod = parse(fs.readFileSync(path.join(projectRoot(), "test", "upstream", "charts", "istiod", "1.30.1", "values.yaml"), "utf8")) as Obj;
            const proxy = (istiod._internal_defaults_do_not_set ?? istiod).global.proxy as Obj;
            expect(sidecarInbound().interception.includeInboundPortsDefault).to.equal(proxy.includeInboundPorts);
            expect(proxy.excludeInboundPorts).to.equal("");
            expect(sidecarInbound().interception.neverIntercepted).to.include(proxy.statusPort);
            const facts = sidecarInbound() as unknown as Record<string, { source?: string }>;
            for (const [k, v] of Object.entries(facts).filter(([, x]) => typeof x === "object" && !Array.isArray(x)))
                expect(v.source, k).to.match(/^https:\/\/(istio\.io|github\.com\/istio\/istio)\//);
        });
    });
});
