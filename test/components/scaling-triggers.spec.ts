import { expect } from "chai";
import { ALERT_DEFINITIONS } from "../../components/observability/alerts";
import { readFileSync } from "fs";
import { join } from "path";
import { LATENCY_P95_RULE, REQUESTS_PER_SECOND_RULE, SCALE_IN_HOLD_QUERY } from "../../components/regional-cluster/adapter-rules";
import { backendHpa, SCALE_IN_HOLD_METRIC } from "../../components/regional-cluster/manifests";
import { SCALING_TRIGGERS, TriggerMetric } from "../../components/scaling-triggers";
import { PlanFile, toPlanFile } from "../../tools/offline/plan-file";
import { readinessProblems } from "../../tools/offline/readiness";
import { gateThresholds, scalingTriggers, TRIGGER_ALERTS } from "../../tools/offline/readiness/scaling-triggers";
import { allStacks, REGIONAL_STACKS } from "../support/fixtures";
import { crdModelFor, validateManifest } from "../support/k8s-schema";
import { WORKER_REPLICAS, workerScaledObject } from "../../components/worker-scaling";

type Any = Record<string, any>;
const copy = (p: PlanFile): PlanFile => JSON.parse(JSON.stringify(p)) as PlanFile;
const hpaOf = (p: PlanFile) => p.resources.find((r) => r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")!.inputs.spec as Any;
const scaledOf = (p: PlanFile) => p.resources.find((r) => r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject")!.inputs.spec as Any;
const adapterOf = (p: PlanFile) =>
    p.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "prometheus-adapter")!.inputs.values as Any;

describe("scaling triggers (spec 'Scaling Thresholds')", () => {
    let plans: Map<string, PlanFile>;
    before(async () => {
        const runs = await allStacks();
        plans = new Map(Object.entries(runs).map(([s, run]) => [s, toPlanFile(run, { violations: [] })]));
    });

    it("are the spec's six numbers and windows, in one typed table", () => {
        expect(SCALING_TRIGGERS.cpu).to.deep.include({ out: { above: 70, forMinutes: 2 }, in: { below: 30, forMinutes: 10 } });
        expect(SCALING_TRIGGERS.memory).to.deep.include({ out: { above: 80, forMinutes: 2 }, in: { below: 50, forMinutes: 10 } });
        expect(SCALING_TRIGGERS.queueDepth).to.deep.include({ out: { above: 100, forMinutes: 2 }, in: { below: 10, forMinutes: 10 } });
        expect(SCALING_TRIGGERS.latencyP95).to.deep.include({ out: { above: 200, forMinutes: 2 }, in: { below: 50, forMinutes: 10 } });
    });

    it("the alert and the trigger share their numbers: each mirroring alert fires above the scale-out threshold for its window", () => {
        for (const [metric, id] of Object.entries(TRIGGER_ALERTS)) {
            const t = SCALING_TRIGGERS[metric as TriggerMetric];
            const alert = ALERT_DEFINITIONS.find((d) => d.id === id)!;
            expect(alert, id).to.deep.include({ threshold: t.out.above, unit: t.unit, comparison: "above", forMinutes: t.out.forMinutes });
        }
    });

    it("the queue-depth alert is the trigger's 100 per worker with every worker running, for the trigger's window, on the rendered alarm", () => {
        const alert = ALERT_DEFINITIONS.find((d) => d.id === "job-queue-backlog")!;
        expect(alert).to.deep.include({
            threshold: SCALING_TRIGGERS.queueDepth.out.above * WORKER_REPLICAS.max,
            forMinutes: SCALING_TRIGGERS.queueDepth.out.forMinutes,
            comparison: "above",
        });
        for (const stack of REGIONAL_STACKS) {
            const alarm = plans
                .get(stack)!
                .resources.find((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && String(r.inputs.name).endsWith("-job-queue-backlog"))!;
            const queue = plans.get(stack)!.resources.find((r) => r.type === "aws:sqs/queue:Queue" && String(r.inputs.name).endsWith("-jobs"))!;
            expect(alarm.inputs, stack).to.deep.include({
                namespace: "AWS/SQS",
                metricName: "ApproximateNumberOfMessagesVisible",
                threshold: 10000,
                evaluationPeriods: 2,
            });
            expect(alarm.inputs.dimensions, stack).to.deep.equal({ QueueName: queue.inputs.name });
        }
    });

    for (const stack of REGIONAL_STACKS) {
        it(`${stack}: the rendered HPA, adapter gate and alert rules carry each trigger out and in, with its window`, () => {
            const section = scalingTriggers(plans.get(stack)!);
            expect(readinessProblems([section])).to.deep.equal([]);
            const subjects = section.items.map((i) => i.subject);
            for (const m of ["cpu", "memory", "latencyP95"]) expect(subjects).to.include.members([`${m} out`, `${m} in`, `${m} alert`]);
            expect(subjects).to.include.members(["queueDepth out", "queueDepth in"]);
            const so = scaledOf(plans.get(stack)!);
            expect(so.triggers[0]).to.deep.include({ type: "aws-sqs-queue" });
            expect(so.triggers[0].metadata).to.deep.include({ queueLength: "100", activationQueueLength: "0", awsRegion: stack });
            expect(so.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.stabilizationWindowSeconds).to.equal(120);
            expect(so.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown).to.deep.include({ stabilizationWindowSeconds: 600 });
            expect(so.advanced.scalingModifiers).to.deep.include({ target: "100", formula: "depth < 10 * workers ? depth : max(depth, 100 * workers)" });
            expect(so.cooldownPeriod).to.equal(600);
            const spec = hpaOf(plans.get(stack)!);
            expect(spec.behavior.scaleUp.stabilizationWindowSeconds).to.equal(120);
            expect(spec.behavior.scaleDown.stabilizationWindowSeconds).to.equal(600);
            const gate = adapterOf(plans.get(stack)!).rules.custom.find((r: Any) => r.name.as === SCALE_IN_HOLD_METRIC);
            expect(gateThresholds(gate.metricsQuery)).to.deep.equal({ cpu: 30, memory: 50, latencyP95: 50 });
        });
    }

    it("the HPA validates against the upstream autoscaling/v2 schema, the ScaledObject against the pinned KEDA chart's CRD", async () => {
        await validateManifest("kubernetes-models/autoscaling/v2", "HorizontalPodAutoscaler", backendHpa());
        const ScaledObject = crdModelFor("keda.sh/v1alpha1", "ScaledObject")!;
        new ScaledObject(workerScaledObject("https://sqs.us-east-1.amazonaws.com/123456789012/q", "us-east-1")).validate();
        // The check bites: a misspelt field and a wrong type are refused.
        const bad = workerScaledObject("https://sqs.us-east-1.amazonaws.com/123456789012/q", "us-east-1") as Any;
        bad.spec.cooldownPeriods = 600;
        expect(() => new ScaledObject(bad).validate()).to.throw(/additionalProperties|cooldownPeriods/);
        const wrongType = workerScaledObject("https://sqs.us-east-1.amazonaws.com/123456789012/q", "us-east-1") as Any;
        wrongType.spec.minReplicaCount = "0";
        expect(() => new ScaledObject(wrongType).validate()).to.throw(/integer/);
    });

    it("reads only metrics and labels Istio's sidecars export (test/upstream/istio/standard-metrics.json)", () => {
        const facts = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "test", "upstream", "istio", "standard-metrics.json"), "utf8"));
        const exported = Object.entries(facts.metrics as Record<string, { kind: string }>).flatMap(([n, m]) =>
            m.kind === "DISTRIBUTION" ? [`${n}_bucket`, `${n}_sum`, `${n}_count`] : [n],
        );
        const queries = [LATENCY_P95_RULE.seriesQuery, LATENCY_P95_RULE.metricsQuery, REQUESTS_PER_SECOND_RULE.seriesQuery, SCALE_IN_HOLD_QUERY];
        for (const q of queries) {
            for (const name of q.match(/istio_[a-z_]+/g) ?? []) expect(exported, `${name} in ${q}`).to.include(name);
            // Labels inside {...} that are Istio's (the pod's namespace/pod come from the scrape, not from Istio).
            for (const [, label, value] of q.matchAll(/([a-z_]+)=~?"([^"]*)"/g)) {
                if (label === "reporter") expect(facts.reporterValues).to.include(value);
                else if (/^(source|destination)_/.test(label)) expect(facts.labels, label).to.include(label);
            }
        }
        expect(LATENCY_P95_RULE.seriesQuery).to.match(/^istio_request_duration_milliseconds_bucket\{/);
    });

    it("the gate reads each of its three comparisons from its own series", () => {
        expect(gateThresholds(SCALE_IN_HOLD_QUERY)).to.deep.equal({ cpu: 30, memory: 50, latencyP95: 50 });
        expect(SCALE_IN_HOLD_QUERY).to.match(/^label_replace\(label_replace\(clamp_max\(/);
    });

    describe("catch each drift (mutation tests)", () => {
        const problems = (mutate: (p: PlanFile) => void) => {
            const p = copy(plans.get("us-east-1")!);
            mutate(p);
            return readinessProblems([scalingTriggers(p)]);
        };
        it("a CPU target other than 70", () => {
            expect(
                problems((p) => {
                    hpaOf(p).metrics[0].resource.target.averageUtilization = 60;
                }),
            )
                .to.have.length(1)
                .and.match(/cpu out/);
        });
        it("a scale-out window other than 2 minutes (every out trigger)", () => {
            expect(
                problems((p) => {
                    hpaOf(p).behavior.scaleUp.stabilizationWindowSeconds = 0;
                }),
            ).to.have.length(3);
        });
        it("a scale-down window shorter than 10 minutes (every in trigger)", () => {
            expect(
                problems((p) => {
                    hpaOf(p).behavior.scaleDown.stabilizationWindowSeconds = 300;
                }).join("\n"),
            )
                .to.match(/cpu in/)
                .and.match(/memory in/)
                .and.match(/latencyP95 in/);
        });
        it("a scale-in gate at the scale-out threshold (plain target tracking)", () => {
            expect(
                problems((p) => {
                    const gate = adapterOf(p).rules.custom.find((r: Any) => r.name.as === SCALE_IN_HOLD_METRIC);
                    gate.metricsQuery = gate.metricsQuery.replace(">= bool 30", ">= bool 70");
                }),
            )
                .to.have.length(1)
                .and.match(/cpu in/);
        });
        it("an HPA that does not track the gate", () => {
            expect(
                problems((p) => {
                    hpaOf(p).metrics = hpaOf(p).metrics.filter((m: Any) => m.type !== "Object");
                }),
            ).to.have.length(3);
        });
        it("a p95 target the adapter does not serve, or another threshold", () => {
            expect(
                problems((p) => {
                    adapterOf(p).rules.custom = adapterOf(p).rules.custom.filter((r: Any) => r.name.as !== "request_duration_p95_milliseconds");
                }),
            )
                .to.have.length(1)
                .and.match(/serves no request_duration_p95/);
            expect(
                problems((p) => {
                    hpaOf(p).metrics[3].pods.target.averageValue = "500";
                }),
            )
                .to.have.length(1)
                .and.match(/latencyP95 out/);
        });
        it("a worker formula target other than 100, or scale-in at plain target tracking (no formula gate), or a short cooldown", () => {
            // The hold branch must equal the target, so a halved target moves both.
            expect(
                problems((p) => {
                    scaledOf(p).advanced.scalingModifiers.target = "50";
                }).join("\n"),
            )
                .to.match(/queueDepth out/)
                .and.match(/queueDepth in/);
            expect(
                problems((p) => {
                    scaledOf(p).advanced.scalingModifiers.formula = "depth";
                }),
            )
                .to.have.length(1)
                .and.match(/queueDepth in/);
            expect(
                problems((p) => {
                    scaledOf(p).cooldownPeriod = 300;
                }),
            )
                .to.have.length(1)
                .and.match(/queueDepth in/);
        });
        it("a regional plan with no worker ScaledObject", () => {
            expect(
                problems((p) => {
                    p.resources = p.resources.filter((r) => r.type !== "kubernetes:keda.sh/v1alpha1:ScaledObject");
                }),
            )
                .to.have.length(1)
                .and.match(/nothing scales the job worker/);
        });
        it("an alert rule that drifted from its trigger", () => {
            expect(
                problems((p) => {
                    const rule = p.resources.find((r) => r.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule")!;
                    const node = (rule.inputs.spec as Any).groups[0].rules.find((r: Any) => r.labels.alert_id === "node-memory");
                    node.expr = node.expr.replace("> 80", "> 85");
                }),
            )
                .to.have.length(1)
                .and.match(/memory alert/);
        });
    });
});
