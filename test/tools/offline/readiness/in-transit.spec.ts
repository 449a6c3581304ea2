import { expect } from "chai";
import { RELEASE_TYPE } from "../../../../tools/charts/releases";
import { PlanFile, toPlanFile } from "../../../../tools/offline/plan-file";
import { READINESS_CHECKS } from "../../../../tools/offline/readiness";
import * as fs from "fs";
import * as path from "path";
import { Hop, hopTable, inTransit, transitHops } from "../../../../tools/offline/readiness/in-transit";
import { allStacks, REGIONAL_STACKS } from "../../../support/fixtures";

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
type Obj = Record<string, any>;

describe("deploy readiness: encryption in transit, hop by hop", () => {
    let plans: Record<string, PlanFile>;
    const mutated = (stack: string, edit: (plan: PlanFile) => void): PlanFile => {
        const p = clone(plans[stack]);
        edit(p);
        return p;
    };
    const inputs = (p: PlanFile, type: string, pick: (r: Obj) => boolean = () => true): Obj[] =>
        p.resources.filter((r) => r.type === type && pick(r.inputs)).map((r) => r.inputs as Obj);
    const release = (p: PlanFile, chart: string): Obj => {
        const r = p.resources.find((x) => x.type === RELEASE_TYPE && x.inputs.chart === chart);
        if (!r) throw new Error(`no ${chart} release`);
        return r.inputs as Obj;
    };
    /** Problems the check reports (pending plaintext hops are printed, not failed). */
    const problems = (p: PlanFile) =>
        inTransit(p, new Map())
            .items.filter((i) => i.problem)
            .map((i) => `${i.subject}: ${i.problem}`)
            .join("\n");
    const hop = (hops: Hop[], re: RegExp): Hop => {
        const h = hops.find((x) => re.test(x.hop));
        if (!h) throw new Error(`no hop ${re}: ${hops.map((x) => x.hop).join("; ")}`);
        return h;
    };

    before(async () => {
        const runs = await allStacks();
        plans = Object.fromEntries(Object.entries(runs).map(([s, r]) => [s, toPlanFile(r, { violations: [] })]));
    });

    it("is one of the readiness checks, so `npm run plan` fails on a plaintext hop", () => {
        expect(READINESS_CHECKS).to.include(inTransit);
    });

    it("walks the edge: viewer → CloudFront and CloudFront → every origin, over HTTPS with a TLS 1.2 floor", () => {
        const hops = transitHops(plans.global);
        const viewer = hop(hops, /^viewer → CloudFront/);
        expect(viewer.protocol).to.match(/HTTPS/);
        expect(viewer.floor).to.match(/^TLS 1\.[23] \(TLSv1\.[23]_\d{4}\)$/);
        const origins = hops.filter((h) => h.hop.startsWith("CloudFront → origin"));
        expect(origins.map((h) => h.hop.split(" ")[3])).to.include.members(["us-primary", "eu-primary", "apac-primary", "eu-standby"]);
        for (const h of [viewer, ...origins]) expect(h.problem, h.hop).to.equal(undefined);
        for (const h of origins) expect([h.protocol, h.floor], h.hop).to.deep.equal(["HTTPS", "TLS 1.2"]);
        expect(problems(plans.global)).to.equal("");
    });

    it("walks every in-cluster and data-tier hop of every regional stack, each with its protocol and floor", () => {
        for (const stack of REGIONAL_STACKS) {
            const hops = transitHops(plans[stack]);
            const expectHop = (re: RegExp, protocol: RegExp, floor: RegExp) => {
                const matching = hops.filter((h) => re.test(h.hop));
                expect(matching.length, `${stack}: ${re}`).to.be.greaterThan(0);
                for (const h of matching) {
                    expect(h.protocol, `${stack}: ${h.hop}`).to.match(protocol);
                    expect(h.floor, `${stack}: ${h.hop}`).to.match(floor);
                    expect(h.problem, `${stack}: ${h.hop}`).to.equal(undefined);
                }
            };
            expectHop(/^CloudFront → load balancer listener/, /^TLS/, /^TLS 1\.[23]$/);
            expectHop(/^load balancer → \S+ targets :\d+ \(mesh ingress gateway\)$/, /^TLS \(re-encrypted to the gateway's HTTPS server\)$/, /^TLS 1\.2$/);
            expectHop(/^ingress gateway istio-ingress\/\S+ → bookedbarber$/, /^Istio mTLS$/, /^TLS 1\.3$/);
            expectHop(/^bookedbarber app → PgBouncer pgbouncer-shard-\d\/r[wo]\.ini$/, /^Istio mTLS$/, /^TLS 1\.3$/);
            expectHop(/^PgBouncer pgbouncer-shard-\d\/r[wo]\.ini → Aurora /, /^PostgreSQL over TLS \(verify-full\)$/, /^TLS 1\.[23]$/);
            expectHop(/^bookedbarber app → ElastiCache /, /^RESP over TLS \(required\)$/, /^TLS, version chosen by ElastiCache/);
            expectHop(/^apps → SQS /, /^HTTPS/, /^TLS 1\.2$/);
            expectHop(/^bookedbarber app → OTel collector/, /^Istio mTLS$/, /^TLS 1\.3$/);
            expectHop(/^OTel collector → Jaeger/, /^OTLP\/gRPC over TLS/, /^TLS 1\.3$/);
            expectHop(/^Jaeger → OpenSearch/, /^HTTPS/, /^TLS 1\.2$/);
            expectHop(/^Fluent Bit \(\S+\) → OpenSearch$/, /^HTTPS/, /^TLS 1\.2$/);
            expectHop(/^Grafana → Jaeger data source/, /Istio mTLS/, /^TLS 1\.3$/);
            expectHop(/^Aurora \S+ ↔ global database/, /AWS-managed/, /AWS global network/);
            expect(hops.filter((h) => /^Prometheus → /.test(h.hop)).length, stack).to.be.greaterThan(0);
            expect(problems(plans[stack]), stack).to.equal("");
        }
        expect(transitHops(plans["eu-central-1"]).some((h) => /^ElastiCache \S+ ← Global Datastore/.test(h.hop))).to.equal(true);
    });

    it("matches the hop table of docs/encryption-in-transit.md (global, an EU primary and an EU standby)", () => {
        const doc = fs.readFileSync(path.join(__dirname, "..", "..", "..", "..", "..", "docs", "encryption-in-transit.md"), "utf8");
        const block = /<!-- hop-table:start -->\n([\s\S]*?)\n<!-- hop-table:end -->/.exec(doc)?.[1];
        expect(block, "regenerate the table with hopTable() from tools/offline/readiness/in-transit.ts").to.equal(
            hopTable([plans.global, plans["eu-west-1"], plans["eu-central-1"]]),
        );
    });

    it("finds nothing plaintext in any default plan: every hop names its protocol and floor, and none is a problem", () => {
        for (const [stack, plan] of Object.entries(plans)) {
            const hops = transitHops(plan);
            for (const h of hops) {
                expect(h.protocol, `${stack}: ${h.hop}`)
                    .to.be.a("string")
                    .and.not.match(/^(plaintext|)$/);
                expect(h.floor, `${stack}: ${h.hop}`).to.be.a("string").and.not.equal("none");
                expect(h.problem, `${stack}: ${h.hop}`).to.equal(undefined);
            }
            expect(
                inTransit(plan, new Map()).items.filter((i) => i.problem),
                stack,
            ).to.deep.equal([]);
        }
    });

    describe("mutations: remove a TLS setting and that hop is reported", () => {
        it("viewer: a cache behaviour that allows HTTP, or an old TLS floor", () => {
            expect(
                problems(
                    mutated("global", (p) => {
                        inputs(p, "aws:cloudfront/distribution:Distribution")[0].orderedCacheBehaviors[0].viewerProtocolPolicy = "allow-all";
                    }),
                ),
            ).to.match(/viewer → CloudFront .*plaintext: cache behaviours \/static\/\* serve HTTP/);
            expect(
                problems(
                    mutated("global", (p) => {
                        inputs(p, "aws:cloudfront/distribution:Distribution")[0].viewerCertificate.minimumProtocolVersion = "TLSv1_2016";
                    }),
                ),
            ).to.match(/viewer TLS floor "TLSv1_2016" is older than TLS 1\.2/);
        });

        it("origin: http-only or match-viewer, or TLSv1.1 allowed", () => {
            expect(
                problems(
                    mutated("global", (p) => {
                        inputs(p, "aws:cloudfront/distribution:Distribution")[0].origins[3].customOriginConfig.originProtocolPolicy = "match-viewer";
                    }),
                ),
            ).to.match(/CloudFront → origin eu-primary .*plaintext: originProtocolPolicy "match-viewer"/);
            expect(
                problems(
                    mutated("global", (p) => {
                        inputs(p, "aws:cloudfront/distribution:Distribution")[0].origins[0].customOriginConfig.originSslProtocols = ["TLSv1.1", "TLSv1.2"];
                    }),
                ),
            ).to.match(/originSslProtocols allows TLSv1\.1/);
        });

        it("load balancer: a plain TCP listener", () => {
            expect(
                problems(
                    mutated("us-east-1", (p) => {
                        Object.assign(inputs(p, "aws:lb/listener:Listener")[0], { protocol: "TCP", sslPolicy: undefined });
                    }),
                ),
            ).to.match(/load balancer listener .*plaintext: listener protocol TCP/);
        });

        it("load balancer → gateway: a TCP target group, a plain-HTTP gateway server, or no certificate for it", () => {
            expect(
                problems(
                    mutated("us-east-1", (p) => {
                        inputs(p, "aws:lb/targetGroup:TargetGroup")[0].protocol = "TCP";
                    }),
                ),
            ).to.match(/load balancer → \S+ targets :8443 \(mesh ingress gateway\): plaintext: the load balancer terminates TLS and forwards TCP/);
            expect(
                problems(
                    mutated("us-east-1", (p) => {
                        const server = inputs(p, "kubernetes:networking.istio.io/v1:Gateway")[0].spec.servers[0];
                        server.port.protocol = "HTTP";
                        delete server.tls;
                    }),
                ),
            ).to.match(/mesh ingress gateway\): plaintext: the Gateway server on port 443 does not terminate TLS/);
            expect(
                problems(
                    mutated("us-east-1", (p) => {
                        p.resources = p.resources.filter(
                            (r) => !(r.type === "kubernetes:batch/v1:Job" && (r.inputs as Obj).metadata?.namespace === "istio-ingress"),
                        );
                    }),
                ),
            ).to.match(/nothing in the plan provides Secret istio-ingress\/ingress-gateway-tls/);
            expect(
                problems(
                    mutated("us-east-1", (p) => {
                        inputs(p, "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding")[0].spec.serviceRef.port = 80;
                    }),
                ),
            ).to.match(/no Gateway server listens/);
        });

        it("mesh floor: without meshMTLS.minProtocolVersion TLSV1_3 the mesh hops fall back to Istio's TLS 1.2", () => {
            const p = mutated("us-east-1", (x) => {
                delete release(x, "istiod").values.meshConfig.meshMTLS;
            });
            expect(hop(transitHops(p), /^ingress gateway .* → bookedbarber$/).floor).to.equal("TLS 1.2");
            expect(hop(transitHops(plans["us-east-1"]), /^ingress gateway .* → bookedbarber$/).floor).to.equal("TLS 1.3");
        });

        it("mesh: the mesh-wide PeerAuthentication PERMISSIVE, a namespace override, or the app namespace out of the mesh", () => {
            const permissive = problems(
                mutated("us-east-1", (p) => {
                    inputs(p, "kubernetes:security.istio.io/v1:PeerAuthentication")[0].spec.mtls.mode = "PERMISSIVE";
                }),
            );
            expect(permissive).to.match(/ingress gateway .* → bookedbarber: plaintext: the mesh-wide PeerAuthentication is not STRICT/);
            expect(permissive).to.match(/app → OTel collector .*plaintext/);
            // The collector's exporter has TLS of its own, so a relaxed mesh does not make that hop plaintext.
            expect(permissive).to.not.match(/OTel collector → Jaeger/);
            const override = problems(
                mutated("us-east-1", (p) => {
                    p.resources.push({
                        ...clone(p.resources.find((r) => r.type === "kubernetes:security.istio.io/v1:PeerAuthentication")!),
                        name: "db-permissive",
                        inputs: { metadata: { name: "relax", namespace: "database" }, spec: { mtls: { mode: "PERMISSIVE" } } },
                    });
                }),
            );
            expect(override).to.match(/app → PgBouncer .*a PeerAuthentication in database accepts plain text/);
            expect(
                problems(
                    mutated("us-east-1", (p) => {
                        delete inputs(p, "kubernetes:core/v1:Namespace", (i) => i.metadata.name === "bookedbarber")[0].metadata.labels["istio.io/rev"];
                    }),
                ),
            ).to.match(/ingress gateway .* → bookedbarber: plaintext: namespace bookedbarber/);
        });

        it("PgBouncer: its namespace out of the mesh (and no client TLS), or labelled for a revision istiod does not serve", () => {
            const out = problems(
                mutated("us-east-1", (p) => {
                    delete inputs(p, "kubernetes:core/v1:Namespace", (i) => i.metadata.name === "database")[0].metadata.labels["istio.io/rev"];
                }),
            );
            expect(out).to.match(/bookedbarber app → PgBouncer pgbouncer-shard-0\/rw\.ini: plaintext: namespace database/);
            expect(
                problems(
                    mutated("us-east-1", (p) => {
                        inputs(p, "kubernetes:core/v1:Namespace", (i) => i.metadata.name === "database")[0].metadata.labels["istio.io/rev"] = "1-29";
                    }),
                ),
            ).to.match(/→ PgBouncer .*not selected by the injector of a served revision \(1-30\)/);
            expect(
                problems(
                    mutated("us-east-1", (p) => {
                        for (const d of inputs(p, "kubernetes:apps/v1:Deployment", (i) => i.metadata.namespace === "database"))
                            d.spec.template.metadata.labels["sidecar.istio.io/inject"] = "false";
                    }),
                ),
            ).to.match(/→ PgBouncer .*plaintext/);
        });

        it("PgBouncer outside the mesh is accepted only with client TLS", () => {
            const p = mutated("us-east-1", (x) => {
                delete inputs(x, "kubernetes:core/v1:Namespace", (i) => i.metadata.name === "database")[0].metadata.labels["istio.io/rev"];
                for (const cm of inputs(x, "kubernetes:core/v1:ConfigMap", (i) => JSON.stringify(i.data ?? {}).includes("[pgbouncer]"))) {
                    for (const k of Object.keys(cm.data))
                        cm.data[k] = cm.data[k].replace("client_tls_sslmode = disable", "client_tls_sslmode = require\nclient_tls_protocols = tlsv1.3");
                }
            });
            expect(problems(p)).to.not.match(/PgBouncer/);
            expect(hop(transitHops(p), /app → PgBouncer pgbouncer-shard-0\/rw\.ini/).protocol).to.match(/PostgreSQL over TLS/);
        });

        it("PgBouncer → Aurora: not verifying the server, or Aurora not forcing TLS", () => {
            const edit = (from: string, to: string) =>
                mutated("us-east-1", (x) => {
                    for (const cm of inputs(x, "kubernetes:core/v1:ConfigMap", (i) => JSON.stringify(i.data ?? {}).includes("[pgbouncer]"))) {
                        for (const k of Object.keys(cm.data)) cm.data[k] = cm.data[k].replace(from, to);
                    }
                });
            expect(problems(edit("server_tls_sslmode = verify-full", "server_tls_sslmode = prefer"))).to.match(
                /→ Aurora .*plaintext possible: server_tls_sslmode prefer does not verify/,
            );
            expect(problems(edit("server_tls_sslmode = verify-full", "server_tls_sslmode = require"))).to.match(
                /server_tls_sslmode require does not verify Aurora's certificate/,
            );
            expect(
                problems(
                    mutated("us-east-1", (x) => {
                        inputs(x, "aws:rds/clusterParameterGroup:ClusterParameterGroup")[0].parameters.find((q: Obj) => q.name === "rds.force_ssl").value = "0";
                    }),
                ),
            ).to.match(/rds\.force_ssl is "0"/);
        });

        it("ElastiCache: transit encryption off, or preferred", () => {
            expect(
                problems(
                    mutated("us-east-1", (p) => {
                        inputs(p, "aws:elasticache/replicationGroup:ReplicationGroup")[0].transitEncryptionEnabled = false;
                    }),
                ),
            ).to.match(/→ ElastiCache .*plaintext: transitEncryptionEnabled is false/);
            expect(
                problems(
                    mutated("us-east-1", (p) => {
                        inputs(p, "aws:elasticache/replicationGroup:ReplicationGroup")[0].transitEncryptionMode = "preferred";
                    }),
                ),
            ).to.match(/transitEncryptionMode "preferred"/);
        });

        it("SQS: a queue policy without the aws:SecureTransport deny", () => {
            const p = mutated("us-east-1", (x) => {
                const q = inputs(x, "aws:sqs/queuePolicy:QueuePolicy")[0];
                const doc = JSON.parse(q.policy);
                doc.Statement = doc.Statement.filter((s: Obj) => s.Effect !== "Deny");
                q.policy = JSON.stringify(doc);
            });
            expect(problems(p)).to.match(/apps → SQS .*does not deny requests without TLS/);
        });

        it("tracing: out of the mesh, app → collector and Grafana → Jaeger are plaintext; collector → Jaeger keeps its own TLS", () => {
            const p = mutated("us-east-1", (x) => {
                delete inputs(x, "kubernetes:core/v1:Namespace", (i) => i.metadata.name === "tracing")[0].metadata.labels["istio.io/rev"];
            });
            expect(problems(p)).to.match(/app → OTel collector .*plaintext/);
            expect(problems(p)).to.match(/Grafana → Jaeger data source .*plaintext/);
            expect(problems(p)).to.not.match(/OTel collector → Jaeger/);
            const h = hop(transitHops(p), /^OTel collector → Jaeger/);
            expect([h.protocol, h.floor, h.problem]).to.deep.equal(["OTLP/gRPC over TLS (inside Istio mTLS)", "TLS 1.3", undefined]);
        });

        it("tracing: the exporter back to `insecure` is plaintext once the tracing namespace leaves the mesh", () => {
            const p = mutated("us-east-1", (x) => {
                delete inputs(x, "kubernetes:core/v1:Namespace", (i) => i.metadata.name === "tracing")[0].metadata.labels["istio.io/rev"];
                release(x, "opentelemetry-collector").values.config.exporters["otlp/jaeger"].tls = { insecure: true };
            });
            expect(problems(p)).to.match(/OTel collector → Jaeger \(otlp\/jaeger\): plaintext: exporter otlp\/jaeger has tls\.insecure/);
        });

        it("tracing: Jaeger's receiver without a certificate, a port Istio parses as gRPC, or an exporter that skips verification", () => {
            expect(
                problems(
                    mutated("us-east-1", (x) => {
                        delete release(x, "jaeger").values.userconfig.receivers.otlp.protocols.grpc.tls;
                    }),
                ),
            ).to.match(/OTel collector → Jaeger .*Jaeger's receiver on 4319 has no tls\.cert_file/);
            expect(
                problems(
                    mutated("us-east-1", (x) => {
                        release(x, "jaeger").values.jaeger.service.extraPorts[0].name = "grpc-otlp-tls";
                    }),
                ),
            ).to.match(/Service port 4319 is named grpc-otlp-tls: Istio would parse the TLS as grpc/);
            expect(
                problems(
                    mutated("us-east-1", (x) => {
                        release(x, "opentelemetry-collector").values.config.exporters["otlp/jaeger"].tls.insecure_skip_verify = true;
                    }),
                ),
            ).to.match(/skips verifying Jaeger's certificate/);
            expect(
                problems(
                    mutated("us-east-1", (x) => {
                        release(x, "opentelemetry-collector").values.config.exporters["otlp/jaeger"].endpoint = "jaeger.tracing.svc:4317";
                    }),
                ),
            ).to.match(/Jaeger has no OTLP\/gRPC receiver on port 4317/);
            expect(
                problems(
                    mutated("us-east-1", (x) => {
                        release(x, "opentelemetry-collector").values.extraVolumeMounts = [];
                    }),
                ),
            ).to.match(/the collector's ca_file \/etc\/jaeger-otlp-tls\/ca\.crt is on no Secret volume/);
            expect(
                problems(
                    mutated("us-east-1", (x) => {
                        release(x, "jaeger").values.jaeger.extraVolumes = [];
                    }),
                ),
            ).to.match(/Jaeger's cert_file \/etc\/jaeger-otlp-tls\/tls\.crt is on no Secret volume/);
        });

        it("OpenSearch: Fluent Bit with TLS Off, Jaeger over http://, or the domain not enforcing HTTPS", () => {
            expect(
                problems(
                    mutated("us-east-1", (p) => {
                        const v = release(p, "fluent-bit").values.config;
                        v.outputs = v.outputs.replace(/TLS {16}On/g, "TLS                Off");
                    }),
                ),
            ).to.match(/Fluent Bit \(kube\.\*\) → OpenSearch: plaintext: the opensearch output .* has TLS Off/);
            expect(
                problems(
                    mutated("us-east-1", (p) => {
                        const b = release(p, "jaeger").values.userconfig.extensions.jaeger_storage.backends.opensearch.opensearch;
                        b.server_urls = b.server_urls.map((u: string) => u.replace("https://", "http://"));
                    }),
                ),
            ).to.match(/Jaeger → OpenSearch \(opensearch\): plaintext: http:\/\//);
            expect(
                problems(
                    mutated("us-east-1", (p) => {
                        inputs(p, "aws:opensearch/domain:Domain")[0].domainEndpointOptions.enforceHttps = false;
                    }),
                ),
            ).to.match(/Fluent Bit .* → OpenSearch: the domain does not enforce HTTPS/);
        });
    });
});
