import { expect } from "chai";
import { RELEASE_TYPE } from "../../../../tools/charts/releases";
import { helmFullname } from "../../../../tools/charts/services";
import { chartFacts } from "../../../../tools/charts/vendored";
import { PlanFile, toPlanFile } from "../../../../tools/offline/plan-file";
import { inClusterAddresses } from "../../../../tools/offline/readiness/in-cluster-addresses";
import { allStacks, REGIONAL_STACKS } from "../../../support/fixtures";

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const problems = (plan: PlanFile) =>
    inClusterAddresses(plan, new Map())
        .items.filter((i) => i.problem)
        .map((i) => `${i.subject}: ${i.problem}`);

describe("deploy readiness: in-cluster addresses", () => {
    let plans: Record<string, PlanFile>;
    const mutated = (edit: (plan: PlanFile) => void): PlanFile => {
        const p = clone(plans["us-east-1"]);
        edit(p);
        return p;
    };
    const release = (p: PlanFile, chart: string) => {
        const r = p.resources.find((x) => x.type === RELEASE_TYPE && x.inputs.chart === chart);
        if (!r) throw new Error(`no ${chart} release`);
        return r.inputs as { values: any; name: string; namespace: string };
    };

    before(async () => {
        const runs = await allStacks();
        plans = Object.fromEntries(Object.entries(runs).map(([s, r]) => [s, toPlanFile(r, { violations: [] })]));
    });

    it("resolves every address of every regional plan to a Service the plan creates, with its port", () => {
        for (const stack of REGIONAL_STACKS) {
            const section = inClusterAddresses(plans[stack], new Map());
            expect(problems(plans[stack]), stack).to.deep.equal([]);
            const subjects = section.items.map((i) => i.subject).join("\n");
            expect(subjects, stack).to.match(/prometheus-adapter values\.prometheus\.url -> kube-prometheus-stack-prometheus\.monitoring:9090/);
            expect(subjects, stack).to.match(/otel-collector .*-> jaeger\.tracing:4319/);
            expect(subjects, stack).to.match(/gateway-binding spec\.serviceRef -> istio-ingressgateway\.istio-ingress:443/);
            expect(subjects, stack).to.match(/-> shard-0-rw\.database/);
            expect(subjects, stack).to.match(/namespace database sidecar injection/);
        }
    });

    it("catches a wrong Service name (Prometheus URL without the chart's -prometheus suffix)", () => {
        const p = mutated((x) => {
            release(x, "prometheus-adapter").values.prometheus.url = "http://kube-prometheus-stack.monitoring.svc";
        });
        expect(problems(p).join("\n")).to.match(/no Service kube-prometheus-stack in namespace monitoring; Services there: .*kube-prometheus-stack-prometheus/);
    });

    it("catches a wrong port", () => {
        const p = mutated((x) => {
            release(x, "prometheus-adapter").values.prometheus.port = 9091;
        });
        expect(problems(p).join("\n")).to.match(/kube-prometheus-stack-prometheus\.monitoring .* has no port 9091; it serves 9090, 8080/);
        const q = mutated((x) => {
            release(x, "opentelemetry-collector").values.config.exporters["otlp/jaeger"].endpoint = "jaeger.tracing.svc:14317";
        });
        expect(problems(q).join("\n")).to.match(/has no port 14317/);
    });

    it("follows kube-prometheus-stack's dependency conditions: without kubeStateMetrics.enabled there is no kube-state-metrics Service to name", () => {
        expect(problems(plans["us-east-1"])).to.deep.equal([]);
        const p = mutated((x) => {
            release(x, "kube-prometheus-stack").values.kubeStateMetrics = { enabled: false };
        });
        expect(problems(p).join("\n")).to.match(
            /-> kube-prometheus-stack-kube-state-metrics\.monitoring: no Service kube-prometheus-stack-kube-state-metrics in namespace monitoring/,
        );
        expect(problems(p).join("\n")).to.not.match(/prometheus-node-exporter\.monitoring: no Service/);
    });

    it("catches a wrong namespace", () => {
        const p = mutated((x) => {
            release(x, "opentelemetry-collector").values.config.exporters["otlp/jaeger"].endpoint = "jaeger.observability.svc:4317";
        });
        expect(problems(p).join("\n")).to.match(/no Service jaeger in namespace observability; a Service of that name exists in tracing/);
    });

    it("follows the chart's naming rules: a changed fullnameOverride or release moves the Service the URL must name", () => {
        const p = mutated((x) => {
            release(x, "kube-prometheus-stack").values.fullnameOverride = "kps";
        });
        expect(problems(p).join("\n")).to.match(/no Service kube-prometheus-stack-prometheus in namespace monitoring/);
        const q = mutated((x) => {
            const j = release(x, "jaeger");
            delete j.values.fullnameOverride;
            j.name = "tracing"; // -> tracing-jaeger
        });
        expect(problems(q).join("\n")).to.match(/no Service jaeger in namespace tracing/);
        const gw = mutated((x) => {
            release(x, "gateway").name = "ingress";
        });
        expect(problems(gw).join("\n")).to.match(/no Service istio-ingressgateway in namespace istio-ingress/);
    });

    it("applies kube-prometheus-stack's 26-character fullname truncation", () => {
        const facts = chartFacts("kube-prometheus-stack", "77.12.0")!.services!;
        expect(helmFullname(facts, "kube-prometheus-stack", "kube-prometheus-stack", {})).to.equal("kube-prometheus-stack");
        expect(helmFullname(facts, "kube-prometheus-stack", "monitoring", {})).to.equal("monitoring-kube-prometheus"); // 26 characters
        expect(helmFullname(facts, "kube-prometheus-stack", "x", { fullnameOverride: "a-very-long-override-name-that-overflows" })).to.equal(
            "a-very-long-override-name",
        );
    });

    it("catches a namespace whose injection label names no revision istiod serves", () => {
        const legacy = mutated((x) => {
            const ns = x.resources.find((r) => r.type === "kubernetes:core/v1:Namespace" && (r.inputs.metadata as any).name === "database")!;
            (ns.inputs.metadata as any).labels = { "istio-injection": "enabled" };
        });
        expect(problems(legacy).join("\n")).to.match(
            /namespace database sidecar injection: istio-injection=enabled selects only a default-revision istiod .* serves revision 1-30/,
        );
        const other = mutated((x) => {
            release(x, "istiod").values.revision = "1-31";
        });
        expect(problems(other).join("\n")).to.match(/istio\.io\/rev=1-30|no istiod serves revision 1-30/);
    });

    it("catches a TargetGroupBinding pointing at a port the gateway Service does not serve", () => {
        const p = mutated((x) => {
            const tgb = x.resources.find((r) => r.type.endsWith(":TargetGroupBinding"))!;
            (tgb.inputs.spec as any).serviceRef.port = 8080;
        });
        expect(problems(p).join("\n")).to.match(/istio-ingressgateway\.istio-ingress .* has no port 8080; it serves 15021, 443/);
    });

    it("resolves every Pod Identity association to a ServiceAccount the plan creates", () => {
        const items = inClusterAddresses(plans["us-east-1"], new Map()).items.filter(
            (i) => / -> serviceaccount /.test(i.subject) && !/ pods -> /.test(i.subject),
        );
        expect(items.length)
            .to.equal(plans["us-east-1"].resources.filter((r) => r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation").length)
            .and.to.be.greaterThan(5);
        expect(items.filter((i) => i.problem)).to.deep.equal([]);
    });

    it("catches a Pod Identity association whose ServiceAccount the chart names otherwise (chart naming rules)", () => {
        const fb = mutated((x) => {
            release(x, "fluent-bit").values.serviceAccount.name = "fluentbit";
        });
        expect(problems(fb).join("\n")).to.match(
            /fluent-bit-association -> serviceaccount monitoring\/fluent-bit: nothing in the plan creates ServiceAccount fluent-bit in namespace monitoring \(ServiceAccounts there: .*fluentbit/,
        );
        // cluster-autoscaler's default is <release>-<cloudProvider>-cluster-autoscaler; kube-prometheus-stack's <fullname>-alertmanager.
        const ca = mutated((x) => {
            delete release(x, "cluster-autoscaler").values.rbac.serviceAccount.name;
        });
        expect(problems(ca).join("\n")).to.match(/ServiceAccounts there: .*cluster-autoscaler-aws-cluster-autoscaler/);
        const am = mutated((x) => {
            delete release(x, "kube-prometheus-stack").values.alertmanager.serviceAccount.name;
        });
        expect(problems(am).join("\n")).to.match(/ServiceAccounts there: .*kube-prometheus-stack-alertmanager/);
    });

    it("checks the in-cluster clients of OpenSearch: Fluent Bit outputs and Jaeger storage name this plan's domain, HTTPS 443, SigV4", () => {
        const items = inClusterAddresses(plans["us-east-1"], new Map()).items.filter((i) => / -> OpenSearch /.test(i.subject));
        expect(items.length).to.equal(3); // two Fluent Bit outputs, one Jaeger backend
        expect(items.filter((i) => i.problem)).to.deep.equal([]);
        const fb = mutated((x) => {
            const v = release(x, "fluent-bit").values.config;
            v.outputs = v.outputs
                .replace(/Port(\s+)443/, "Port$19200")
                .replace(/TLS(\s+)On/, "TLS$1Off")
                .replace(/\.us-east-1\.es\./, ".us-west-2.es.");
        });
        expect(problems(fb).join("\n"))
            .to.match(/Port 9200: the domain serves HTTPS on 443; TLS is not On/)
            .and.to.match(/the domain is in us-east-1, the endpoint names us-west-2/);
        const jg = mutated((x) => {
            const be = release(x, "jaeger").values.userconfig.extensions.jaeger_storage.backends.opensearch.opensearch;
            be.server_urls = [String(be.server_urls[0]).replace("https://vpc-bb-use1-obs-logs", "http://vpc-bb-use1-obs-traces")];
        });
        expect(problems(jg).join("\n")).to.match(/the domain serves HTTPS on 443; no OpenSearch domain bb-use1-obs-traces in this plan/);
    });

    it("catches an object in a namespace nothing creates", () => {
        expect(problems(plans["us-east-1"]).filter((p) => p.startsWith("namespace "))).to.deep.equal([]);
        const p = mutated((x) => {
            release(x, "jaeger").namespace = "traces";
        });
        expect(problems(p).join("\n")).to.match(/namespace traces \(1 object, e\.g\. bb-use1-obs-jaeger\): nothing in the plan creates namespace traces/);
        const q = mutated((x) => {
            x.resources = x.resources.filter((r) => !(r.type === "kubernetes:core/v1:Namespace" && (r.inputs.metadata as any).name === "monitoring"));
        });
        expect(problems(q).join("\n")).to.match(/nothing in the plan creates namespace monitoring/);
    });

    it("catches a load balancer binding whose pods' port (the Service's targetPort) the security groups and ALLOW policies do not admit", () => {
        const subjects = inClusterAddresses(plans["us-east-1"], new Map()).items.filter((i) => /gateway-binding/.test(i.subject));
        expect(subjects.map((i) => i.detail)).to.deep.equal([
            "release istio-ingressgateway (gateway 1.30.1, templates/service.yaml), port 443 -> pods on 8443",
        ]);
        // The chart's own default (80 -> 80), which the program first ran with.
        const p = mutated((x) => {
            release(x, "gateway").values.service.ports[1].targetPort = 80;
        });
        expect(problems(p).join("\n")).to.match(
            /reaches the pods on targetPort 80, but the ALLOW policies in istio-ingress admit ports 8443, not 80 and no security group rule opens 80/,
        );
    });

    it("catches a pod template naming a ServiceAccount nothing creates", () => {
        const p = mutated((x) => {
            const job = x.resources.find((r) => r.type === "kubernetes:batch/v1:Job" && r.name.endsWith("db-migrate"))!;
            (job.inputs.spec as any).template.spec.serviceAccountName = "migrator";
        });
        expect(problems(p).join("\n")).to.match(
            /db-migrate pods -> serviceaccount database\/migrator: nothing in the plan creates ServiceAccount migrator in namespace database/,
        );
    });
});
