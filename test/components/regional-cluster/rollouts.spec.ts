import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { ArgsError } from "../../../components/args";
import { ALERT_DEFINITIONS, alertDefinition, DELIVERY_GATE_ALERTS } from "../../../components/observability/alerts";
import { PROMETHEUS_URL } from "../../../components/observability/prometheus-rules";
import { RegionalCluster } from "../../../components/regional-cluster";
import { backendAnalysisTemplate } from "../../../components/regional-cluster/analysis";
import { CHARTS } from "../../../components/helm/charts";
import { APP_HEALTH_PATH, BACKEND, BACKEND_SCALE_TARGET } from "../../../components/regional-cluster/manifests";
import { backendRollout, canarySteps } from "../../../components/regional-cluster/rollout";
import { restricted } from "../../../components/sharded-database/pod-common";
import { k8sWorkloadHardened } from "../../../policies/rules/identity/k8s-workload-hardened";
import { CapturedResource } from "../../../tools/offline/mock-engine";
import { BACKEND_ASSUMPTIONS } from "../../../tools/offline/capacity/workload";
import { cpuMillis, memoryMiB } from "../../../tools/offline/capacity/plan-reader";
import { runStack, RunResult } from "../../../tools/offline/stack-runner";
import { backendDelivery } from "../../../tools/offline/readiness/backend-delivery";
import type { PlanFile } from "../../../tools/offline/plan-file";
import { allStacks, ofType, oneOfType, REGIONAL_STACKS, registeredBesidesStack, TEST_CLUSTER_NETWORK } from "../../support/fixtures";
import { modelFor } from "../../support/k8s-schema";
import { res, violationsOf } from "../../policies/helpers";

const ROLLOUT = "kubernetes:argoproj.io/v1alpha1:Rollout";
const ANALYSIS = "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate";
const SERVICE = "kubernetes:core/v1:Service";
const VS = "kubernetes:networking.istio.io/v1:VirtualService";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
type Any = Record<string, any>;

const inputs = (r: CapturedResource) => r.inputs as Any;
const servicesIn = (run: RunResult) =>
    ofType(run, SERVICE)
        .map(inputs)
        .filter((s) => s.metadata.namespace === "bookedbarber");
const hostOf = (name: string) => `${name}.bookedbarber.svc.cluster.local`;

/** An analysis (a canary step's `analysis`, or blue-green's pre/post-promotion one) of the plan's template, measuring `service`. */
function isAnalysisOf(step: Any, template: string, service: string): boolean {
    const a = step.analysis ?? step;
    return a?.templates?.[0]?.templateName === template && a?.args?.[0]?.value === service;
}

describe("progressive delivery of the backend (Argo Rollouts on Istio)", () => {
    let runs: Record<string, RunResult>;
    let blueGreen: RunResult;
    before(async () => {
        runs = await allStacks();
        blueGreen = await runStack({ stack: "eu-west-1", configOverrides: { "bookedbarber:backendDeliveryStrategy": "blueGreen" } });
        if (blueGreen.error) throw blueGreen.error;
    });

    it("runs the backend as a Rollout in every regional stack: the stack's digest-pinned ECR image, restricted pods, probes on the health path, the capacity model's requests", () => {
        const global = runs.global;
        const healthPaths = new Set(
            ofType(global, "aws:route53/healthCheck:HealthCheck")
                .map((h) => inputs(h).resourcePath)
                .filter(Boolean),
        );
        expect([...healthPaths], "the edge's health checks ask the path the probes ask").to.deep.equal([APP_HEALTH_PATH]);
        for (const stack of REGIONAL_STACKS) {
            const run = runs[stack];
            const r = inputs(oneOfType(run, ROLLOUT));
            expect(r.metadata).to.deep.include({ name: BACKEND, namespace: "bookedbarber" });
            expect(r.spec, "the HPA owns the count").not.to.have.property("replicas");
            const pod = r.spec.template.spec;
            const configured = run.config["bookedbarber:appImages"];
            const digest = (typeof configured === "string" ? JSON.parse(configured) : (configured as Any)).backend;
            expect(pod.containers[0].image).to.match(new RegExp(`^\\d{12}\\.dkr\\.ecr\\.${stack}\\.amazonaws\\.com/bookedbarber/backend@${digest}$`));
            expect(pod.securityContext).to.deep.equal({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
            expect(pod.containers[0].securityContext).to.deep.equal(restricted);
            for (const probe of ["readinessProbe", "livenessProbe"])
                expect(pod.containers[0][probe].httpGet, probe).to.deep.equal({ path: APP_HEALTH_PATH, port: "http" });
            const req = pod.containers[0].resources.requests;
            expect({ cpuMillis: cpuMillis(req.cpu), memoryMiB: memoryMiB(req.memory) }).to.deep.equal(BACKEND_ASSUMPTIONS.requests);
            expect(pod.topologySpreadConstraints.map((t: Any) => t.topologyKey)).to.include("topology.kubernetes.io/zone");
            // The ServiceAccount the Pod Identity association names exists in the plan.
            const accounts = ofType(run, "kubernetes:core/v1:ServiceAccount")
                .map(inputs)
                .filter((a) => a.metadata.namespace === "bookedbarber")
                .map((a) => a.metadata.name);
            expect(accounts).to.include(pod.serviceAccountName);
            // Selector, pod labels and Services agree.
            expect(r.spec.template.metadata.labels).to.deep.include(r.spec.selector.matchLabels);
            for (const s of servicesIn(run)) expect(r.spec.template.metadata.labels, s.metadata.name).to.deep.include(s.spec.selector);
        }
    });

    it("canary by default: 10, analysis, 25, analysis, 50, analysis, 100, with Istio re-weighting the ingress route between the stable and canary Services", () => {
        for (const stack of REGIONAL_STACKS) {
            const run = runs[stack];
            const canary = inputs(oneOfType(run, ROLLOUT)).spec.strategy.canary;
            const template = inputs(oneOfType(run, ANALYSIS)).metadata.name;
            const steps: Any[] = canary.steps;
            expect(steps.filter((s) => "setWeight" in s).map((s) => s.setWeight)).to.deep.equal([10, 25, 50, 100]);
            expect(steps.map((s) => Object.keys(s)[0])).to.deep.equal(["setWeight", "analysis", "setWeight", "analysis", "setWeight", "analysis", "setWeight"]);
            for (const s of steps.filter((x) => "analysis" in x)) expect(isAnalysisOf(s, template, canary.canaryService), stack).to.equal(true);
            // The Services the Rollout names exist, and the VirtualService route it re-weights holds exactly their hosts.
            const names = servicesIn(run).map((s) => s.metadata.name);
            expect(names).to.include.members([canary.stableService, canary.canaryService]);
            expect(canary.stableService).to.equal(BACKEND);
            const vs = ofType(run, VS)
                .map(inputs)
                .find((v) => v.metadata.name === canary.trafficRouting.istio.virtualService.name)!;
            const route = vs.spec.http.find((h: Any) => h.name === canary.trafficRouting.istio.virtualService.routes[0]);
            expect(route.route.map((d: Any) => [d.destination.host, d.weight])).to.deep.equal([
                [hostOf(canary.stableService), 100],
                [hostOf(canary.canaryService), 0],
            ]);
            // Every backend host has the circuit breaker.
            const rules = ofType(run, "kubernetes:networking.istio.io/v1:DestinationRule").map((d) => inputs(d).spec.host);
            for (const n of names) expect(rules, n).to.include(hostOf(n));
            // A stuck rollout aborts instead of hanging.
            expect(inputs(oneOfType(run, ROLLOUT)).spec.progressDeadlineAbort).to.equal(true);
        }
    });

    it("blue-green as the per-app option: active and preview Services, promotion after the pre-promotion analysis, the route on the active Service only", () => {
        const r = inputs(oneOfType(blueGreen, ROLLOUT));
        expect(r.spec.strategy).to.have.keys("blueGreen");
        const bg = r.spec.strategy.blueGreen;
        const template = inputs(oneOfType(blueGreen, ANALYSIS)).metadata.name;
        expect(bg.activeService).to.equal(BACKEND);
        expect(
            servicesIn(blueGreen)
                .map((s) => s.metadata.name)
                .sort(),
        ).to.deep.equal([bg.activeService, bg.previewService].sort());
        expect(isAnalysisOf(bg.prePromotionAnalysis, template, bg.previewService)).to.equal(true);
        expect(isAnalysisOf(bg.postPromotionAnalysis, template, bg.activeService)).to.equal(true);
        const vs = ofType(blueGreen, VS)
            .map(inputs)
            .find((v) => v.metadata.name === BACKEND)!;
        expect(vs.spec.http[0].route.map((d: Any) => d.destination.host)).to.deep.equal([hostOf(BACKEND)]);
        // The canary plan has no preview Service, and the blue-green plan no canary one.
        expect(servicesIn(runs["eu-west-1"]).map((s) => s.metadata.name)).not.to.include(bg.previewService);
    });

    it("gates on the alert table's thresholds: 5xx share (P1, 1%) and p95 (the 200 ms target), from the in-cluster Prometheus", () => {
        for (const stack of REGIONAL_STACKS) {
            const metrics: Any[] = inputs(oneOfType(runs[stack], ANALYSIS)).spec.metrics;
            expect(metrics.map((m) => m.name)).to.deep.equal(Object.values(DELIVERY_GATE_ALERTS));
            for (const m of metrics) {
                const alert = alertDefinition(m.name);
                expect(m.successCondition, m.name).to.equal(`isNaN(result) || result <= ${alert.threshold}`);
                expect(m.provider.prometheus.address).to.equal(PROMETHEUS_URL);
                expect(m.provider.prometheus.query).to.include(`[${alert.forMinutes}m]`);
                expect(m.failureLimit).to.equal(0);
            }
            expect(alertDefinition(DELIVERY_GATE_ALERTS.errorRate)).to.include({ class: "P1", threshold: 1, unit: "percent" });
            expect(alertDefinition(DELIVERY_GATE_ALERTS.latencyP95)).to.include({ threshold: 200, unit: "ms" });
        }
    });

    it("reads the thresholds from the alert table, not copies: changing the entry changes the analysis", () => {
        const changed = ALERT_DEFINITIONS.map((d) =>
            d.id === DELIVERY_GATE_ALERTS.errorRate
                ? { ...d, threshold: 0.25 }
                : d.id === DELIVERY_GATE_ALERTS.latencyP95
                  ? { ...d, threshold: 150, forMinutes: 3 }
                  : d,
        );
        const metrics: Any[] = (backendAnalysisTemplate(changed).spec as Any).metrics;
        expect(metrics[0].successCondition).to.equal("isNaN(result) || result <= 0.25");
        expect(metrics[1].successCondition).to.equal("isNaN(result) || result <= 150");
        expect(metrics[1].provider.prometheus.query).to.include("[3m]");
        expect(metrics[1].count).to.equal(3);
        expect(backendAnalysisTemplate()).not.to.deep.equal(backendAnalysisTemplate(changed));
        // A table without the gate, or with the wrong unit, is refused rather than guessed.
        expect(() => backendAnalysisTemplate(ALERT_DEFINITIONS.filter((d) => d.id !== DELIVERY_GATE_ALERTS.latencyP95))).to.throw(/api-latency-p95/);
        expect(() =>
            backendAnalysisTemplate(ALERT_DEFINITIONS.map((d) => (d.id === DELIVERY_GATE_ALERTS.errorRate ? { ...d, unit: "count" as const } : d))),
        ).to.throw(/must be percent/);
    });

    it("points the HPA and the VPA at the Rollout (Rollouts implement the scale subresource), and the DR plan scales Rollouts", () => {
        for (const stack of REGIONAL_STACKS) {
            const run = runs[stack];
            const r = inputs(oneOfType(run, ROLLOUT));
            const target = { apiVersion: r.apiVersion, kind: r.kind, name: r.metadata.name };
            expect(inputs(oneOfType(run, HPA)).spec.scaleTargetRef).to.deep.equal(target);
            expect(inputs(oneOfType(run, "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler")).spec.targetRef).to.deep.equal(target);
        }
        for (const plan of ofType(runs.global, "aws:arcregionswitch/plan:Plan")) {
            const steps = JSON.stringify(inputs(plan));
            expect(steps).to.include('"kubernetesResourceTypes":[{"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout"}]');
        }
    });

    it("targets a kind whose CRD, as the pinned chart installs it, has the scale subresource an HPA needs (vendored chart facts)", () => {
        const facts = JSON.parse(
            readFileSync(
                join(__dirname, "..", "..", "..", "..", "test", "upstream", "charts", "argo-rollouts", CHARTS.argoRollouts.version, "crd-facts.json"),
                "utf8",
            ),
        );
        expect(facts.source).to.include(`argo-rollouts-${CHARTS.argoRollouts.version}`);
        expect(BACKEND_SCALE_TARGET).to.include({ apiVersion: `${facts.rollout.group}/${facts.rollout.version}`, kind: facts.rollout.kind });
        expect(facts.rollout.subresources.scale.specReplicasPath).to.equal(".spec.replicas");
    });

    it("validates the Rollout, the AnalysisTemplate and the Services against their upstream schemas, and the schema refuses a broken Rollout", async () => {
        for (const run of [runs["us-east-1"], blueGreen]) {
            for (const o of [oneOfType(run, ROLLOUT), oneOfType(run, ANALYSIS), ...ofType(run, SERVICE)].map(inputs)) {
                const Model = await modelFor(o.apiVersion, o.kind);
                expect(Model, `${o.apiVersion}/${o.kind}`).to.be.a("function");
                expect(() => new Model!(o).validate(), o.metadata.name).not.to.throw();
            }
        }
        const Rollout = (await modelFor("argoproj.io/v1alpha1", "Rollout"))!;
        const broken = backendRollout({ image: "x@sha256:" + "a".repeat(64), strategy: "canary" }) as Any;
        broken.spec.strategy.canary.steps = [{ setWeight: "ten" }];
        expect(() => new Rollout(broken).validate()).to.throw();
        const AnalysisTemplate = (await modelFor("argoproj.io/v1alpha1", "AnalysisTemplate"))!;
        expect(() =>
            new AnalysisTemplate({
                ...backendAnalysisTemplate(),
                spec: { args: [{ value: "no name" }], metrics: [{ name: "x", provider: { prometheus: { query: 42 } } }] },
            }).validate(),
        ).to.throw();
    });

    it("the deploy-readiness check 'backend delivery' passes on every plan and names each defect it is for", () => {
        const asPlan = (run: RunResult) => ({ stack: run.stack, config: run.config, resources: run.resources }) as unknown as PlanFile;
        const problems = (run: RunResult) =>
            backendDelivery(asPlan(run), new Map())
                .items.filter((i) => i.problem)
                .map((i) => `${i.subject}: ${i.problem}`);
        for (const run of [...REGIONAL_STACKS.map((s) => runs[s]), blueGreen]) {
            expect(backendDelivery(asPlan(run), new Map()).items.length, run.stack).to.be.greaterThan(5);
            expect(problems(run), run.stack).to.deep.equal([]);
        }
        const mutate = (run: RunResult, type: string, edit: (inputs: Any) => void, drop = false): RunResult =>
            ({
                ...run,
                resources: run.resources.flatMap((r) => {
                    if (r.type !== type) return [r];
                    if (drop) return [];
                    const inputs = JSON.parse(JSON.stringify(r.inputs));
                    edit(inputs);
                    return [{ ...r, inputs }];
                }),
            }) as RunResult;
        const base = runs["us-east-1"];
        // The global plan: the edge's health checks ask the path the regional probes ask.
        const plans = new Map(Object.values(runs).map((r) => [r.stack, asPlan(r)]));
        const edge = backendDelivery(asPlan(runs.global), plans).items;
        expect(edge.length).to.be.greaterThan(0);
        expect(edge.filter((i) => i.problem)).to.deep.equal([]);
        const moved = mutate(runs.global, "aws:route53/healthCheck:HealthCheck", (i) => {
            if (i.resourcePath) i.resourcePath = "/status";
        });
        expect(
            backendDelivery(asPlan(moved), plans)
                .items.filter((i) => i.problem)
                .map((i) => i.problem)
                .join("\n"),
        ).to.match(/asks \/status, but the backend's readiness probes ask \/health/);
        expect(problems(mutate(base, ANALYSIS, () => undefined, true)).join("\n")).to.match(/no AnalysisTemplate bookedbarber-backend-release-health/);
        expect(
            problems(
                mutate(base, ANALYSIS, (i) => {
                    i.spec.metrics[0].successCondition = "result[0] < 5";
                }),
            ).join("\n"),
        ).to.match(/api-5xx-rate-high: must be the alert table's threshold/);
        expect(
            problems(
                mutate(base, ROLLOUT, (i) => {
                    i.spec.strategy.canary.steps = [{ setWeight: 50 }, { setWeight: 10 }, { setWeight: 100 }];
                }),
            ).join("\n"),
        ).to.match(/canary weights must rise/);
        expect(
            problems(
                mutate(base, ROLLOUT, (i) => {
                    i.spec.strategy.canary.canaryService = "elsewhere";
                }),
            ).join("\n"),
        ).to.match(/no Service elsewhere/);
        expect(
            problems(
                mutate(base, VS, (i) => {
                    if (i.metadata.name === BACKEND) i.spec.http[0].route = [i.spec.http[0].route[0]];
                }),
            ).join("\n"),
        ).to.match(/must hold exactly/);
        expect(
            problems(
                mutate(base, HPA, (i) => {
                    i.spec.scaleTargetRef = { apiVersion: "apps/v1", kind: "Deployment", name: BACKEND };
                }),
            ).join("\n"),
        ).to.match(/the backend HPA must scale the Rollout/);
        expect(
            problems(
                mutate(blueGreen, ROLLOUT, (i) => {
                    delete i.spec.strategy.blueGreen.prePromotionAnalysis;
                }),
            ).join("\n"),
        ).to.match(/must analyse the preview/);
    });

    it("keeps the canary steps in order: a reordered or unguarded list is not the default", () => {
        expect(canarySteps([10, 50, 25, 100]).filter((s) => "setWeight" in s)).not.to.deep.equal(canarySteps().filter((s) => "setWeight" in s));
        expect(canarySteps().filter((s) => "analysis" in s)).to.have.length(3);
    });

    it("installs the Argo Rollouts controller from the pinned chart with production values", () => {
        const rel = ofType(runs["us-east-1"], "kubernetes:helm.sh/v3:Release")
            .map(inputs)
            .find((r) => r.chart === "argo-rollouts")!;
        expect(rel).to.include({ version: "2.41.0", namespace: "argo-rollouts" });
        expect(rel.values.controller).to.deep.include({ replicas: 2, pdb: { enabled: true, maxUnavailable: 1 } });
        const granted = Object.entries(rel.values.providerRBAC.providers)
            .filter(([, on]) => on)
            .map(([p]) => p);
        expect(granted, "RBAC for the one traffic router used").to.deep.equal(["istio"]);
        expect(rel.values.dashboard.enabled).to.equal(false);
    });

    it("the workload policy judges the Rollout: a privileged backend container is a violation, the planned one is not", async () => {
        const planned = oneOfType(runs["us-east-1"], ROLLOUT);
        expect(await violationsOf(k8sWorkloadHardened, [res(ROLLOUT, inputs(planned))])).to.deep.equal([]);
        const bad = JSON.parse(JSON.stringify(inputs(planned)));
        bad.spec.template.spec.containers[0].securityContext = { privileged: true };
        expect((await violationsOf(k8sWorkloadHardened, [res(ROLLOUT, bad)])).length).to.be.greaterThan(0);
    });

    it("refuses a strategy that is not one, in config and as a component argument, before registering anything", async () => {
        const run = await runStack({ stack: "us-east-1", configOverrides: { "bookedbarber:backendDeliveryStrategy": "linear" } });
        expect(run.error?.message).to.match(/backendDeliveryStrategy = "?linear"?: must be one of canary, blueGreen/);
        expect(registeredBesidesStack(run)).to.deep.equal([]);
        const base = {
            network: TEST_CLUSTER_NETWORK,
            logsKeyArn: "arn:logs",
            eksKeyArn: "arn:eks",
            ingressCertificate: { hostnames: ["us-east-1.api.bookedbarber.com"], hostedZoneId: "Z1" },
        };
        const failure = async (program: () => void) => {
            const r = await runStack({ stack: "us-east-1", program: async () => (program(), {}) });
            expect(registeredBesidesStack(r), "nothing may be registered").to.deep.equal([]);
            expect(r.error).to.be.instanceOf(ArgsError);
            return r.error!.message;
        };
        expect(await failure(() => new RegionalCluster("c", { ...base, backendImage: "nginx:latest" }))).to.match(
            /backendImage = "nginx:latest": must be a digest-pinned image reference/,
        );
        expect(
            await failure(
                () => new RegionalCluster("c", { ...base, backendImage: `r/b@sha256:${"a".repeat(64)}`, backendDeliveryStrategy: "rolling" as never }),
            ),
        ).to.match(/backendDeliveryStrategy = "rolling": must be one of canary, blueGreen/);
    });
});
