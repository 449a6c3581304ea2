import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import * as k8s from "@pulumi/kubernetes";
import { ArgsError } from "../../components/args";
import { JOB_QUEUE_DEFAULTS, JobQueue } from "../../components/job-queue";
import { runStack } from "../../tools/offline/stack-runner";
import { restricted } from "../../components/sharded-database/pod-common";
import { WORKER_NODE_SELECTOR, workerDeployment, workerPodDisruptionBudget, workerTerminationGraceSeconds } from "../../components/worker-deployment";
import { queueDepthFormula, WORKER, WORKER_POD, WORKER_POD_LABELS, WORKER_REPLICAS, workerScaledObject } from "../../components/worker-scaling";
import { KUBERNETES_VERSIONS } from "../../stacks/config-keys/cluster";
import { capacityOf } from "../../tools/offline/capacity";
import { PlanFile, toPlanFile } from "../../tools/offline/plan-file";
import { readinessProblems } from "../../tools/offline/readiness";
import { formulaThresholds, scalingTriggers } from "../../tools/offline/readiness/scaling-triggers";
import { parseSelector, scaleTargets } from "../../tools/offline/readiness/scale-targets";
import { allStacks, PRIMARY_STACKS, REGIONAL_STACKS, STANDBY_STACKS } from "../support/fixtures";
import { crdModelFor, validateManifest } from "../support/k8s-schema";
import { DATABASE_LOGIN_ENV } from "../../components/sharded-database/clients";

type Any = Record<string, any>;
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const TOLERANCE = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "test", "upstream", "kubernetes", "hpa-configurable-tolerance.json"), "utf8"));
const copy = (p: PlanFile): PlanFile => JSON.parse(JSON.stringify(p)) as PlanFile;
const named = (p: PlanFile, type: string, name: string) => p.resources.find((r) => r.type === type && (r.inputs.metadata as Any)?.name === name)!;
const workerOf = (p: PlanFile) => named(p, DEPLOYMENT, WORKER);
const digestOf = (p: PlanFile) => {
    const v = p.config["bookedbarber:appImages"];
    return (typeof v === "string" ? JSON.parse(v) : v).worker as string;
};
const so = (p: PlanFile) => named(p, SCALED_OBJECT, WORKER).inputs.spec as Any;

describe("the background-job worker (issue 17)", () => {
    let plans: Map<string, PlanFile>;
    before(async () => {
        const runs = await allStacks();
        plans = new Map(Object.entries(runs).map(([s, run]) => [s, toPlanFile(run, { violations: [] })]));
    });

    for (const stack of REGIONAL_STACKS) {
        it(`${stack}${STANDBY_STACKS.includes(stack) ? " (standby, same objects, empty queue)" : ""}: a worker Deployment on the job queue, pulled by digest, with its identity, requests and a PDB`, () => {
            const p = plans.get(stack)!;
            const d = workerOf(p).inputs as Any;
            const pod = d.spec.template.spec;
            const [c] = pod.containers;
            const queue = p.resources.find((r) => r.type === "aws:sqs/queue:Queue" && String(r.inputs.name).endsWith("-jobs"))!;
            const url = `https://sqs.${stack}.amazonaws.com/${queue.identity!.arn.split(":")[4]}/${String(queue.inputs.name)}`;
            expect(c.image).to.match(new RegExp(`^\\d{12}\\.dkr\\.ecr\\.${stack}\\.amazonaws\\.com/bookedbarber/worker@${digestOf(p)}$`));
            // The queue and region, and PgBouncer's pools with the login files (never the login itself: clients.ts).
            expect(c.env.slice(0, 2)).to.deep.equal([
                { name: "JOB_QUEUE_URL", value: url },
                { name: "AWS_REGION", value: stack },
            ]);
            expect(c.env.slice(2).map((e: { name: string }) => e.name)).to.deep.equal([DATABASE_LOGIN_ENV]);
            expect(pod.serviceAccountName).to.equal(WORKER);
            // The ServiceAccount the consumer role's Pod Identity association binds.
            const assoc = p.resources.find((r) => r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation" && r.inputs.serviceAccount === WORKER)!;
            expect(assoc.inputs.namespace).to.equal(d.metadata.namespace);
            expect(named(p, "kubernetes:core/v1:ServiceAccount", WORKER).inputs.metadata).to.deep.include({ namespace: d.metadata.namespace });
            expect(c.resources).to.deep.equal({
                requests: { cpu: `${WORKER_POD.cpuMillicores}m`, memory: `${WORKER_POD.memoryMiB}Mi` },
                limits: { memory: `${WORKER_POD.memoryMiB}Mi` },
            });
            expect(c.securityContext).to.deep.equal(restricted);
            expect(pod.securityContext).to.deep.equal({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
            expect(pod.topologySpreadConstraints[0]).to.deep.include({ topologyKey: "topology.kubernetes.io/zone", maxSkew: 1 });
            expect(pod.nodeSelector).to.deep.equal(WORKER_NODE_SELECTOR);
            // KEDA owns the count: the program never writes one.
            expect(d.spec).to.not.have.property("replicas");
            const pdb = named(p, PDB, WORKER).inputs as Any;
            expect(pdb.spec.selector.matchLabels).to.deep.equal(d.spec.template.metadata.labels).and.deep.equal(WORKER_POD_LABELS);
            expect(pdb.spec.maxUnavailable).to.equal("25%");
            const so = named(p, SCALED_OBJECT, WORKER).inputs as Any;
            expect(so.spec.triggers[0].metadata.queueURL).to.equal(url);
            expect(so.spec.scaleTargetRef).to.deep.equal({ apiVersion: d.apiVersion, kind: d.kind, name: d.metadata.name });
        });
    }

    it("refuses a worker image that is not a digest, naming the arg, before registering anything", async () => {
        const run = await runStack({
            stack: "us-east-1",
            program: async () => {
                const provider = new k8s.Provider("k", {});
                const ns = new k8s.core.v1.Namespace("ns", {}, { provider });
                new JobQueue("q", {
                    clusterName: "c",
                    keyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
                    kubernetes: { provider, region: "us-east-1", appNamespace: ns, keda: ns },
                    workerImage: { accountId: "123456789012", digest: "latest" },
                });
                return {};
            },
        });
        expect(run.error).to.be.instanceOf(ArgsError);
        expect(run.error!.message).to.contain('workerImage.digest = "latest": must be an image digest sha256:<64 lowercase hex>');
        expect(run.resources.filter((r) => r.type.startsWith("aws:") || r.type.startsWith("bookedbarber:"))).to.deep.equal([]);
    });

    it("gives a stopping worker the queue's visibility timeout plus one long poll, so a job in flight finishes or reappears", () => {
        const grace = (workerOf(plans.get("us-east-1")!).inputs as Any).spec.template.spec.terminationGracePeriodSeconds;
        expect(grace).to.equal(JOB_QUEUE_DEFAULTS.visibilityTimeoutSeconds + JOB_QUEUE_DEFAULTS.receiveWaitTimeSeconds);
        expect(workerTerminationGraceSeconds({ visibilityTimeoutSeconds: 900, receiveWaitTimeSeconds: 20 })).to.equal(920);
        // Within the Cluster Autoscaler's default max-graceful-termination-sec (600): a scale-down drain waits for it.
        expect(grace).to.be.at.most(600);
    });

    it("validates against the upstream apps/v1, policy/v1 schemas and KEDA's CRD, and the checks bite", async () => {
        const d = workerDeployment({
            image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/bookedbarber/worker@sha256:" + "a".repeat(64),
            queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/q",
            region: "us-east-1",
            terminationGracePeriodSeconds: 320,
        });
        await validateManifest("kubernetes-models/apps/v1", "Deployment", d);
        await validateManifest("kubernetes-models/policy/v1", "PodDisruptionBudget", workerPodDisruptionBudget());
        const bad = JSON.parse(JSON.stringify(d));
        bad.spec.template.spec.terminationGracePeriodSeconds = "320";
        let err: unknown;
        try {
            await validateManifest("kubernetes-models/apps/v1", "Deployment", bad);
        } catch (e) {
            err = e;
        }
        expect(String(err)).to.match(/integer/);
        const ScaledObject = crdModelFor("keda.sh/v1alpha1", "ScaledObject")!;
        new ScaledObject(workerScaledObject("https://sqs.us-east-1.amazonaws.com/123456789012/q", "us-east-1")).validate();
    });

    describe("KEDA scale-in below 10 pending jobs per worker (test/upstream/kubernetes/hpa-configurable-tolerance.json)", () => {
        it("the facts: HPA tolerance is off in a Kubernetes minor this program accepts, so no rendered scaler relies on it", () => {
            const off = KUBERNETES_VERSIONS.filter((v) => TOLERANCE.byMinor[v]?.defaultEnabled !== true);
            expect(off, "a supported minor without the facts").to.satisfy((vs: string[]) => vs.every((v) => TOLERANCE.byMinor[v] !== undefined));
            expect(TOLERANCE.byMinor["1.34"]).to.deep.equal({ stage: "alpha", defaultEnabled: false });
            expect(TOLERANCE.eks.customerSettableFeatureGates).to.equal(false);
            for (const [stack, p] of plans) {
                const version = String(p.config["bookedbarber:kubernetesVersion"] ?? "1.35");
                for (const r of p.resources.filter((x) => x.type === SCALED_OBJECT || x.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")) {
                    const spec = r.inputs.spec as Any;
                    const behavior = spec.behavior ?? spec.advanced?.horizontalPodAutoscalerConfig?.behavior ?? {};
                    const uses = ["scaleUp", "scaleDown"].some((d) => behavior[d]?.tolerance !== undefined);
                    // A tolerance is only acceptable where the facts say the gate is on by default and every accepted minor has it on.
                    if (uses)
                        expect(off.length === 0 && TOLERANCE.byMinor[version]?.defaultEnabled, `${stack} ${r.name} sets tolerance on ${version}`).to.equal(
                            true,
                        );
                }
            }
        });

        it("expresses the in-threshold as a scaling formula over the queue depth and the worker count", () => {
            const so = named(plans.get("eu-central-1")!, SCALED_OBJECT, WORKER).inputs as Any;
            expect(so.spec.advanced.scalingModifiers).to.deep.equal({
                formula: "depth < 10 * workers ? depth : max(depth, 100 * workers)",
                target: "100",
                activationTarget: "0",
                metricType: "AverageValue",
            });
            expect(so.spec.triggers.map((t: Any) => [t.name, t.type])).to.deep.equal([
                ["depth", "aws-sqs-queue"],
                ["workers", "kubernetes-workload"],
            ]);
            expect(so.spec.triggers[1].metadata.podSelector).to.equal("app=bookedbarber-worker,app.kubernetes.io/component=worker");
            expect(so.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown).to.not.have.property("tolerance");
            expect(so.spec).to.include({ minReplicaCount: WORKER_REPLICAS.min, maxReplicaCount: WORKER_REPLICAS.max, cooldownPeriod: 600 });
        });

        it("the formula's HPA arithmetic: scale in below 10 per worker, hold from 10 to 100, scale out above 100", () => {
            const f = formulaThresholds(queueDepthFormula(100, 10))!;
            // What the HPA wants from the composite metric at an AverageValue target of 100: ceil(metric / 100).
            const desired = (depth: number, workers: number) => Math.ceil((depth < f.inBelow * workers ? depth : Math.max(depth, f.holdAt * workers)) / 100);
            expect(desired(90, 10)).to.equal(1); // 9 per worker: scale in
            expect(desired(100, 10)).to.equal(10); // 10 per worker: hold
            expect(desired(999, 10)).to.equal(10); // 99.9 per worker: hold
            expect(desired(1500, 10)).to.equal(15); // 150 per worker: scale out
            expect(desired(5, 0)).to.equal(1); // from zero
            expect(formulaThresholds("depth < 10 * workers ? workers : max(depth, 100 * workers)")).to.equal(undefined);
        });

        const problems = (mutate: (p: PlanFile) => void) => {
            const p = copy(plans.get("us-east-1")!);
            mutate(p);
            return readinessProblems([scalingTriggers(p)]);
        };
        it("catches a formula that scales in at another threshold, holds below the target, compares the wrong trigger, or tracks another target", () => {
            expect(
                problems((p) => {
                    so(p).advanced.scalingModifiers.formula = queueDepthFormula(100, 50);
                }),
            )
                .to.have.length(1)
                .and.match(/queueDepth in/);
            expect(
                problems((p) => {
                    so(p).advanced.scalingModifiers.formula = queueDepthFormula(50, 10);
                }),
            )
                .to.have.length(1)
                .and.match(/queueDepth in/);
            expect(
                problems((p) => {
                    so(p).triggers[1].type = "cpu";
                }),
            )
                .to.have.length(1)
                .and.match(/queueDepth in/);
            expect(
                problems((p) => {
                    so(p).advanced.scalingModifiers.target = "50";
                }).join("\n"),
            )
                .to.match(/queueDepth out/)
                .and.match(/queueDepth in/);
            expect(
                problems((p) => {
                    delete so(p).advanced.scalingModifiers;
                }),
            ).to.have.length(2);
        });
    });

    describe("scale targets resolve to workloads the plan creates (readiness)", () => {
        const check = (mutate: (p: PlanFile) => void, stack = "us-east-1") => {
            const p = copy(plans.get(stack)!);
            mutate(p);
            return readinessProblems([scaleTargets(p)]);
        };
        it("every regional plan has none dangling: the backend's HPA and VPA reach its Rollout", () => {
            for (const stack of REGIONAL_STACKS)
                expect(
                    check(() => undefined, stack),
                    stack,
                ).to.deep.equal([]);
            const items = scaleTargets(plans.get("us-east-1")!).items;
            expect(items.filter((i) => /bookedbarber-backend-(hpa|vpa)/.test(i.subject)).map((i) => i.subject.split(" -> ")[1])).to.include(
                "argoproj.io/v1alpha1/Rollout bookedbarber/bookedbarber-backend",
            );
        });
        it("removing the worker Deployment is a problem naming the ScaledObject (and its pod count, and the PDB that now protects nothing)", () => {
            const out = check((p) => {
                p.resources = p.resources.filter((r) => r !== workerOf(p));
            });
            expect(out).to.have.length(3);
            expect(out[0])
                .to.match(/ScaledObject bookedbarber\/bookedbarber-worker scaleTargetRef -> apps\/v1\/Deployment bookedbarber\/bookedbarber-worker/)
                .and.match(/does not create/);
            expect(out[1])
                .to.match(/ScaledObject bookedbarber\/bookedbarber-worker trigger workers podSelector/)
                .and.match(/counts 0 pods/);
            expect(out[2])
                .to.match(/PodDisruptionBudget bookedbarber\/bookedbarber-worker/)
                .and.match(/protects nothing/);
        });
        it("a KEDA kubernetes-workload trigger whose podSelector matches no pod template is a problem", () => {
            expect(scaleTargets(plans.get("us-east-1")!).items.find((i) => /podSelector/.test(i.subject))!.detail).to.equal(
                "counts the pods of Deployment bookedbarber-worker",
            );
            expect(
                check((p) => {
                    so(p).triggers[1].metadata.podSelector = "app=bookedbarber-workers";
                }),
            )
                .to.have.length(1)
                .and.match(/trigger workers podSelector/)
                .and.match(/counts 0 pods/);
            expect(
                check((p) => {
                    so(p).triggers[1].metadata.podSelector = "app=bookedbarber-worker,app.kubernetes.io/component!=worker";
                }),
            ).to.have.length(1);
            expect(parseSelector("a=b, c==d, e!=f, g, !h")).to.deep.equal({
                matchLabels: { a: "b", c: "d" },
                matchExpressions: [
                    { key: "e", operator: "NotIn", values: ["f"] },
                    { key: "g", operator: "Exists" },
                    { key: "h", operator: "DoesNotExist" },
                ],
            });
        });
        it("a target of another kind, namespace or name of the same workload is a problem", () => {
            expect(
                check((p) => {
                    so(p).scaleTargetRef.kind = "StatefulSet";
                }),
            )
                .to.have.length(1)
                .and.match(/it has apps\/v1\/Deployment of that name/);
            expect(
                check((p) => {
                    (named(p, SCALED_OBJECT, WORKER).inputs.metadata as Any).namespace = "default";
                }).join("\n"),
            ).to.match(/scaleTargetRef -> apps\/v1\/Deployment default\/bookedbarber-worker/);
            expect(
                check((p) => {
                    (named(p, PDB, WORKER).inputs.spec as Any).selector.matchLabels.app = "bookedbarber-wroker";
                }),
            )
                .to.have.length(1)
                .and.match(/protects nothing/);
        });
        it("accepts an Argo Rollout (scale subresource), and refuses a kind without one", () => {
            expect(
                check((p) => {
                    const w = workerOf(p);
                    w.type = "kubernetes:argoproj.io/v1alpha1:Rollout";
                    so(p).scaleTargetRef = { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: WORKER };
                    (w.inputs as Any).apiVersion = "argoproj.io/v1alpha1";
                }),
            ).to.deep.equal([]);
            expect(
                check((p) => {
                    workerOf(p).type = "kubernetes:core/v1:ConfigMap";
                    so(p).scaleTargetRef = { apiVersion: "v1", kind: "ConfigMap", name: WORKER };
                }).join("\n"),
            ).to.match(/ConfigMap has no scale subresource/);
        });
    });

    describe("the capacity model counts the workers, in the zone's peak and after a failover", () => {
        for (const stack of [PRIMARY_STACKS[0], STANDBY_STACKS[0]]) {
            it(`${stack}: the workers at maxReplicaCount on the general group, from the plan's Deployment; without room for them the stack is not met`, () => {
                const p = plans.get(stack)!;
                const base = capacityOf(p, plans);
                const workers = base.targets.find((t) => t.target.startsWith("workers at maxReplicaCount"))!;
                expect(workers.met, workers.detail).to.equal(true);
                expect(workers.detail).to.match(/^100 workers \(600m\/640Mi with the sidecar\) \/ \d+ per m7g\.\w+ = \d+ nodes/);
                // Mutation: the general group loses the headroom the workers need.
                const tight = copy(p);
                const general = tight.resources.find(
                    (r) => r.type === "aws:eks/nodeGroup:NodeGroup" && (r.inputs.labels as Any)?.["bookedbarber.com/workload-class"] === "general",
                )!;
                (general.inputs.scalingConfig as Any).maxSize = (general.inputs.scalingConfig as Any).minSize;
                expect(capacityOf(tight, plans).met).to.equal(false);
                // Mutation: heavier workers need more nodes at peak.
                const heavy = copy(p);
                (workerOf(heavy).inputs as Any).spec.template.spec.containers[0].resources.requests.cpu = "2000m";
                expect(capacityOf(heavy, plans).nodes!.atPeak).to.be.greaterThan(base.nodes!.atPeak);
                // Mutation: no worker ScaledObject, no worker nodes at peak.
                const none = copy(p);
                none.resources = none.resources.filter((r) => r.type !== SCALED_OBJECT);
                expect(capacityOf(none, plans).nodes!.atPeak).to.be.lessThan(base.nodes!.atPeak);
            });
        }
    });
});
