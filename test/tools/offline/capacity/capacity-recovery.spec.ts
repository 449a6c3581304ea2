import { expect } from "chai";
import { DEFAULT_LOAD_PROFILE as SPEC_LOAD_PROFILE } from "../../../../stacks/config-keys/load";
import { capacityOf, loadProfileOf } from "../../../../tools/offline/capacity";
import { podsPerNode } from "../../../../tools/offline/capacity/compute";
import { CACHE_NODE_SOURCE } from "../../../../tools/offline/capacity/facts/cache-nodes";
import { ISTIO_SIDECAR, NODE_DAEMONSETS } from "../../../../tools/offline/capacity/facts/daemonsets";
import { INSTANCE_TYPE_SOURCES, INSTANCE_TYPES } from "../../../../tools/offline/capacity/facts/instance-types";
import { NODE_RESERVATIONS_SOURCE } from "../../../../tools/offline/capacity/facts/node-reservations";
import { CapturedResource } from "../../../../tools/offline/mock-engine";
import { applyModels } from "../../../../tools/offline/models";
import { PlanFile, summarize, toPlanFile } from "../../../../tools/offline/plan-file";
import { DURATIONS, recoveryOf, RTO_TARGET_SECONDS } from "../../../../tools/offline/recovery";
import { allStacks, PRIMARY_STACKS, REGIONAL_STACKS, STANDBY_STACKS } from "../../../support/fixtures";

type Obj = Record<string, unknown>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A copy of the run's plans with one stack's plan changed by `edit`, and the models applied again. */
function mutated(base: ReadonlyMap<string, PlanFile>, stack: string, edit: (p: PlanFile) => void): Map<string, PlanFile> {
    const copy = new Map([...base].map(([s, p]) => [s, { ...clone(p), capacity: undefined, recovery: undefined }]));
    edit(copy.get(stack)!);
    applyModels(copy);
    return copy;
}
const find = (p: PlanFile, pred: (r: CapturedResource) => boolean) => p.resources.find(pred)!;
const computeGroup = (p: PlanFile) =>
    find(p, (r) => r.type === "aws:eks/nodeGroup:NodeGroup" && (r.inputs.labels as Obj)["bookedbarber.com/workload-class"] === "compute");
const arcPlan = (p: PlanFile, zone: string) => find(p, (r) => r.type === "aws:arcregionswitch/plan:Plan" && r.inputs.name === `bookedbarber-${zone}-failover`);
const parallelSteps = (plan: CapturedResource) => (((plan.inputs.workflows as Obj[])[0].steps as Obj[])[0].parallelConfigs as Obj[])[0].steps as Obj[];

describe("capacity and recovery-time models", () => {
    let plans: Map<string, PlanFile>;
    before(async () => {
        const runs = await allStacks();
        plans = new Map(Object.entries(runs).map(([s, run]) => [s, toPlanFile(run, { violations: [] })]));
        applyModels(plans);
    });

    describe("capacity at the default config and the spec's load", () => {
        it("every regional stack holds its zone's peak (a standby: with its primary lost), and the global stack says 100k rps holds", () => {
            for (const stack of REGIONAL_STACKS) {
                const c = plans.get(stack)!.capacity!;
                expect(
                    c.met,
                    `${stack}: ${c.targets
                        .filter((t) => !t.met)
                        .map((t) => t.detail)
                        .join("; ")}`,
                ).to.equal(true);
                expect(c.limiting, stack).to.be.a("string");
            }
            const g = plans.get("global")!.capacity!;
            expect(g.met).to.equal(true);
            expect(g.loadProfile.peakRps).to.equal(SPEC_LOAD_PROFILE.peakRps);
            expect(g.zones!.map((z) => z.zone)).to.have.members(["us", "eu", "apac"]);
        });

        it("pods come from the HPA's own requests_per_second target and the zone's share of the peak", () => {
            for (const stack of REGIONAL_STACKS) {
                const p = plans.get(stack)!;
                const hpa = find(p, (r) => r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
                const rps = Number(
                    ((hpa.inputs.spec as Obj).metrics as Obj[]).map((m) => (m.pods as Obj | undefined)?.target as Obj | undefined).find((t) => t)!.averageValue,
                );
                const zone = String(p.config["bookedbarber:zone"]);
                expect(p.capacity!.pods!.needed, stack).to.equal(Math.ceil(Math.round(SPEC_LOAD_PROFILE.peakRps * SPEC_LOAD_PROFILE.zoneShare[zone]) / rps));
            }
            for (const stack of REGIONAL_STACKS) expect(plans.get(stack)!.capacity!.pods!.boundBy, stack).to.equal("requests_per_second");
            // A lower CPU target makes CPU bind first: 35% of 500m at 3.5 ms per request is 50 rps per pod.
            const cpuBound = mutated(plans, "eu-west-1", (p) => {
                const hpa = find(p, (r) => r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
                for (const m of (hpa.inputs.spec as Obj).metrics as Obj[])
                    if ((m.resource as Obj | undefined)?.name === "cpu") ((m.resource as Obj).target as Obj).averageUtilization = 35;
            });
            const euRps = Math.round(SPEC_LOAD_PROFILE.peakRps * SPEC_LOAD_PROFILE.zoneShare.eu);
            expect(cpuBound.get("eu-west-1")!.capacity!.pods).to.include({ boundBy: "cpu", rpsPerPod: 50, needed: Math.ceil(euRps / 50) });
            // Half the per-pod target doubles the pods.
            const halved = mutated(plans, "us-east-1", (p) => {
                const hpa = find(p, (r) => r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
                for (const m of (hpa.inputs.spec as Obj).metrics as Obj[]) if (m.type === "Pods") ((m.pods as Obj).target as Obj).averageValue = "50";
            });
            expect(halved.get("us-east-1")!.capacity!.pods!.needed).to.equal(2 * plans.get("us-east-1")!.capacity!.pods!.needed);
        });

        it("pods per node: c7g.4xlarge holds 25 backend pods, CPU-bound (hand-computed from the sourced facts)", () => {
            // CPU: 16000m - kubeReserved 110m (60 + 10 + 10 + 12 x 2.5) - DaemonSets 355m = 15535m; 600m per pod (500m + 100m sidecar) -> 25.
            // Memory: 32768 MiB - (11 x 234 + 255) - 100 - DaemonSets 380 = 29459 MiB; 640 MiB per pod -> 46. Max pods 8 x 29 + 2 = 234.
            const s = podsPerNode("c7g.4xlarge", { cpuMillis: 600, memoryMiB: 640 });
            expect(s).to.include({ podsPerNode: 25, perNodeLimit: "cpu", allocatableCpuMillis: 15535, allocatableMemoryMiB: 29459, maxPods: 234 });
            expect(() => podsPerNode("x9.huge", { cpuMillis: 1, memoryMiB: 1 })).to.throw(/no facts for instance type x9.huge/);
        });

        it("flips to not met, naming the node group's maximum, when the compute group's maxSize is lowered", () => {
            const before = plans.get("us-west-2")!.capacity!;
            expect(before.met).to.equal(true);
            const lowered = mutated(plans, "us-west-2", (p) => {
                (computeGroup(p).inputs.scalingConfig as Obj).maxSize = before.nodes!.nodesAtPeak - 1;
            });
            const c = lowered.get("us-west-2")!.capacity!;
            expect(c.met).to.equal(false);
            expect(c.limiting).to.contain("compute node group maxSize");
            expect(c.targets.find((t) => !t.met)!.detail).to.contain(`= ${before.nodes!.nodesAtPeak} nodes; maxSize ${before.nodes!.nodesAtPeak - 1}`);
            // The global stack reports the zone it breaks.
            expect(lowered.get("global")!.capacity!.met).to.equal(false);
            expect(lowered.get("global")!.capacity!.zones!.find((z) => z.zone === "us")!.met).to.equal(false);
        });

        it("flips to not met when the autoscaler's cap cannot hold the peak", () => {
            const capped = mutated(plans, "eu-west-1", (p) => {
                const ca = find(p, (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "cluster-autoscaler");
                ((ca.inputs.values as Obj).extraArgs as Obj)["max-nodes-total"] = 5;
            });
            const c = capped.get("eu-west-1")!.capacity!;
            expect(c.met).to.equal(false);
            expect(c.targets.filter((t) => !t.met).map((t) => t.limiting)).to.include("cluster autoscaler max-nodes-total");
        });

        it("checks connections through PgBouncer per shard: too few client slots are named", () => {
            const small = mutated(plans, "us-east-1", (p) => {
                const cm = find(p, (r) => r.name.endsWith("-shard-0-pgbouncer-config"));
                const data = cm.inputs.data as Obj;
                data["rw.ini"] = String(data["rw.ini"]).replace(/max_client_conn = \d+/, "max_client_conn = 100");
            });
            const bad = small.get("us-east-1")!.capacity!.targets.filter((t) => !t.met);
            expect(bad.map((t) => t.limiting)).to.deep.equal(["bb-use1-db-shard-0 PgBouncer max_client_conn"]);
            const pods = plans.get("us-east-1")!.capacity!.pods!.needed;
            expect(bad[0].detail).to.contain(`${pods} pods x 5 = ${pods * 5} clients; PgBouncer accepts 100 with one of 2 pods down`);
            const headroom = plans.get("us-east-1")!.capacity!.targets.filter((t) => /writer connection headroom/.test(t.target));
            expect(headroom).to.have.length(4);
            for (const t of headroom) expect(t.met).to.equal(true);
        });

        it("checks cache memory against the key classes: a node type too small is named", () => {
            const small = mutated(plans, "eu-west-1", (p) => {
                const rg = find(p, (r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup");
                rg.inputs.nodeType = "cache.t4g.medium";
                rg.inputs.numNodeGroups = 1;
            });
            const bad = small.get("eu-west-1")!.capacity!.targets.filter((t) => !t.met);
            expect(bad.map((t) => t.limiting)).to.deep.equal(["bb-euw1-redis-rg memory (1 x cache.t4g.medium)"]);
            expect(bad[0].detail).to.contain("userSessions");
        });

        it("reads the load profile from the stack's loadProfile config where set", () => {
            const p = { config: { "bookedbarber:loadProfile": { peakRps: 50_000, zoneShare: { us: 0.5, eu: 0.3, apac: 0.2 } } } } as unknown as PlanFile;
            expect(loadProfileOf(p)).to.include({ peakRps: 50_000, from: "config bookedbarber:loadProfile" });
            expect(loadProfileOf({ config: {} } as unknown as PlanFile)).to.include({ peakRps: 100_000, from: "spec default" });
            const doubled = mutated(plans, "ap-southeast-1", (x) => {
                x.config["bookedbarber:loadProfile"] = { peakRps: 200_000 };
            });
            expect(doubled.get("ap-southeast-1")!.capacity!.pods!.needed).to.equal(2 * plans.get("ap-southeast-1")!.capacity!.pods!.needed);
        });
    });

    describe("recovery time at the default config", () => {
        it("every zone fails over automatically within the spec's RTO and RPO, the same figure on every stack of the zone", () => {
            const global = plans.get("global")!.recovery!;
            expect(global.zones!.map((z) => z.zone)).to.have.members(["us", "eu", "apac"]);
            for (const z of global.zones!) {
                expect(z.met, `${z.zone}: ${z.problems.join("; ")}`).to.equal(true);
                expect(z.start).to.equal("automatic");
                expect(z.rtoSeconds).to.be.at.most(300);
                expect(z.rpoSeconds).to.be.at.most(30);
                expect(z.standby.warmNodes).to.be.at.least(z.standby.warmNodesNeeded);
            }
            for (const stack of [...PRIMARY_STACKS, ...STANDBY_STACKS]) {
                const r = plans.get(stack)!.recovery!;
                expect(r.rtoSeconds, stack).to.equal(global.zones!.find((z) => z.zone === r.zone)!.rtoSeconds);
            }
        });

        it("times the path the plan runs: detection from the health check, the trigger alarm, the parallel block, the record's TTL", () => {
            const us = plans.get("global")!.recovery!.zones!.find((z) => z.zone === "us")!;
            const hc = find(
                plans.get("global")!,
                (r) => r.type === "aws:route53/healthCheck:HealthCheck" && r.inputs.fqdn === "us-east-1.api.bookedbarber.com",
            );
            const detection = us.steps[0];
            expect(detection.seconds).to.equal(Number(hc.inputs.requestInterval) * Number(hc.inputs.failureThreshold));
            const steps = us.steps.map((s) => s.step);
            expect(steps.some((s) => /alarm bb-us-dr-primary-down stays red/.test(s))).to.equal(true);
            expect(steps).to.include.members(["ARC starts the plan execution", "Aurora global failover of 4 shards", "Global Datastore failover"]);
            const last = us.steps[us.steps.length - 1];
            expect(last.step).to.contain("us.api.bookedbarber.com");
            expect(last.seconds).to.equal(DURATIONS.elbAliasTtl.seconds);
            expect(us.rtoSeconds).to.equal(last.endsAt);
        });

        it("takes the DNS wait from the record: a 300 s TTL instead of the alias's 60 s breaks the RTO", () => {
            const before = plans.get("global")!.recovery!.zones!.find((z) => z.zone === "apac")!;
            const slow = mutated(plans, "global", (p) => {
                const rec = find(
                    p,
                    (r) =>
                        r.type === "aws:route53/record:Record" &&
                        r.inputs.setIdentifier === "ap-southeast-1" &&
                        Array.isArray(r.inputs.failoverRoutingPolicies),
                );
                delete rec.inputs.aliases;
                rec.inputs.ttl = 300;
            });
            const after = slow.get("global")!.recovery!.zones!.find((z) => z.zone === "apac")!;
            expect(after.rtoSeconds - before.rtoSeconds).to.equal(300 - DURATIONS.elbAliasTtl.seconds);
            expect(after.met).to.equal(false);
            expect(after.steps[after.steps.length - 1].from).to.contain("ttl 300");
        });

        it("RTO grows past the target when the standby's warm size shrinks, and names the warm size it needs", () => {
            const before = plans.get("global")!.recovery!.zones!.find((z) => z.zone === "eu")!;
            const shrunk = mutated(plans, "eu-central-1", (p) => {
                const sc = computeGroup(p).inputs.scalingConfig as Obj;
                sc.minSize = 3;
                sc.desiredSize = 3;
            });
            const after = shrunk.get("global")!.recovery!.zones!.find((z) => z.zone === "eu")!;
            expect(after.rtoSeconds).to.be.greaterThan(before.rtoSeconds);
            expect(after.rtoSeconds - before.rtoSeconds).to.equal(DURATIONS.clusterAutoscalerScan.seconds + DURATIONS.nodeLaunchToReady.seconds);
            expect(after.met).to.equal(false);
            expect(after.problems.join()).to.contain(`modelled RTO ${after.rtoSeconds} s exceeds ${RTO_TARGET_SECONDS} s`);
            expect(after.standby).to.include({ warmNodes: 3, nodesToAdd: before.standby.nodesAtPeak - 3, warmNodesNeeded: before.standby.nodesAtPeak });
            expect(shrunk.get("eu-central-1")!.recovery!.met).to.equal(false);
        });

        it("reports a plan that never promotes the cache, and one that waits for an operator", () => {
            const noCache = mutated(plans, "global", (p) => {
                const steps = parallelSteps(arcPlan(p, "apac"));
                steps.splice(
                    steps.findIndex((s) => s.executionBlockType === "CustomActionLambda"),
                    1,
                );
            });
            const apac = noCache.get("global")!.recovery!.zones!.find((z) => z.zone === "apac")!;
            expect(apac.met).to.equal(false);
            expect(apac.problems.join()).to.contain("never promotes the cache's Global Datastore");
            const wrongWay = mutated(plans, "global", (p) => {
                (arcPlan(p, "eu").inputs.triggers as Obj[])[0].targetRegion = "eu-west-1";
            });
            expect(
                wrongWay
                    .get("global")!
                    .recovery!.zones!.find((z) => z.zone === "eu")!
                    .problems.join(),
            ).to.contain("the ARC trigger activates eu-west-1, not the standby eu-central-1");
            const manual = mutated(plans, "global", (p) => {
                delete arcPlan(p, "us").inputs.triggers;
            });
            const us = manual.get("global")!.recovery!.zones!.find((z) => z.zone === "us")!;
            expect(us).to.include({ start: "operator", met: false });
            expect(us.problems.join()).to.contain("waits for an operator");
        });

        it("the plan summary prints capacity and recovery", () => {
            const text = summarize(plans.get("us-west-2")!);
            const usRps = Math.round(SPEC_LOAD_PROFILE.peakRps * SPEC_LOAD_PROFILE.zoneShare.us);
            expect(text).to.match(new RegExp(`capacity: met \\(zone us peak with its primary lost: ${usRps} rps on this standby`));
            expect(text).to.match(/recovery us: RTO \d+ s \/ 300, RPO \d+ s \/ 30, automatic start/);
        });
    });

    describe("every figure has a source and a date", () => {
        const dated = (what: string, f: { source: string; retrieved: string }) => {
            expect(f.source, what).to.match(/https:\/\//);
            expect(f.retrieved, what).to.match(/^\d{4}-\d{2}-\d{2}$/);
        };
        it("durations, instance-type facts, kubelet reservations, DaemonSets and cache nodes", () => {
            for (const [k, d] of Object.entries(DURATIONS)) {
                dated(k, d);
                expect(["documented", "typical", "estimate"], k).to.include(d.basis);
                expect(d.seconds, k).to.be.greaterThan(0);
            }
            dated("instance specs", INSTANCE_TYPE_SOURCES.specs);
            dated("instance ENIs", INSTANCE_TYPE_SOURCES.eni);
            dated("reservations", NODE_RESERVATIONS_SOURCE);
            dated("cache nodes", CACHE_NODE_SOURCE);
            for (const [k, d] of Object.entries({ ...NODE_DAEMONSETS, sidecar: ISTIO_SIDECAR })) dated(k, d);
        });

        it("has facts for every instance type a node group of any plan launches", () => {
            for (const p of plans.values()) {
                for (const ng of p.resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup")) {
                    for (const t of ng.inputs.instanceTypes as string[]) expect(INSTANCE_TYPES, `${p.stack} ${t}`).to.have.property(t);
                }
            }
        });
    });

    describe("the DR plan runs what the model times", () => {
        it("promotes the cache with a Lambda step per region, scoped to the zone's Global Datastore", () => {
            const g = plans.get("global")!;
            const us = arcPlan(g, "us");
            const step = parallelSteps(us).find((st) => st.name === "promote-cache")!;
            const cfg = (step.customActionLambdaConfigs as Obj[])[0];
            expect(cfg).to.include({ regionToRun: "activatingRegion" });
            const arns = (cfg.lambdas as Obj[]).map((l) => String(l.arn));
            expect(arns).to.have.length(2);
            expect(arns.some((a) => a.includes(":us-east-1:")) && arns.some((a) => a.includes(":us-west-2:"))).to.equal(true);
            const fns = g.resources.filter((r) => r.type === "aws:lambda/function:Function" && String(r.inputs.name).startsWith("bb-us-dr-"));
            expect(fns).to.have.length(2);
            for (const f of fns) {
                expect(f.inputs).to.include({ runtime: "nodejs22.x", reservedConcurrentExecutions: 1, timeout: 60 });
                // Its own log group: the region's logs key, a year's retention.
                const region = String(f.inputs.name).replace("bb-us-dr-cache-", "");
                const lg = find(g, (r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && r.inputs.name === `/aws/lambda/${f.inputs.name}`);
                expect(lg.inputs).to.include({ kmsKeyId: (plans.get(region)!.outputs.kmsKeys as Obj).logs, retentionInDays: 365 });
                expect(f.inputs.loggingConfig).to.deep.equal({ logFormat: "JSON", logGroup: lg.inputs.name });
            }
            const primaryRedis = plans.get("us-east-1")!.outputs.redis as Obj;
            const standbyRedis = plans.get("us-west-2")!.outputs.redis as Obj;
            const policy = JSON.parse(String(find(g, (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "bb-us-dr-cache-policy").inputs.policy));
            const failover = policy.Statement.find((x: Obj) => x.Sid === "FailOverThisGlobalDatastore");
            expect(failover.Action).to.have.members(["elasticache:FailoverGlobalReplicationGroup", "elasticache:DescribeGlobalReplicationGroups"]);
            expect(failover.Resource).to.have.members([
                `arn:aws:elasticache::123456789012:globalreplicationgroup:${primaryRedis.globalReplicationGroupId}`,
                `arn:aws:elasticache:us-east-1:123456789012:replicationgroup:${primaryRedis.replicationGroupId}`,
                `arn:aws:elasticache:us-west-2:123456789012:replicationgroup:${standbyRedis.replicationGroupId}`,
            ]);
            const execution = JSON.parse(String(find(g, (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "bb-us-dr-policy").inputs.policy));
            expect(execution.Statement.find((x: Obj) => x.Sid === "RunTheCacheFailoverFunctions").Action).to.deep.equal(["lambda:InvokeFunction"]);
        });

        it("the function promotes the activated region's member and does nothing when it already is the primary", async () => {
            const { cacheFailoverCode } = await import("../../../../components/zone-recovery-cache");
            const code = cacheFailoverCode(
                { globalReplicationGroupId: "ldgnf-g", primaryReplicationGroupId: "p", standbyReplicationGroupId: "s" },
                { "us-east-1": "p", "us-west-2": "s" },
            );
            expect(code).to.contain(
                "FailoverGlobalReplicationGroupCommand({ GlobalReplicationGroupId: GLOBAL_ID, PrimaryRegion: region, PrimaryReplicationGroupId: member })",
            );
            expect(code).to.contain('if (primary?.ReplicationGroupRegion === region) return { status: "already primary"');
            expect(code).to.contain('const MEMBERS = {"us-east-1":"p","us-west-2":"s"};');
        });

        it("starts itself: the primary down for the guard's minutes AND the standby up, at most once an hour", () => {
            const g = plans.get("global")!;
            for (const [zone, primary, standby] of [
                ["us", "us-east-1", "us-west-2"],
                ["eu", "eu-west-1", "eu-central-1"],
                ["apac", "ap-southeast-1", "ap-northeast-1"],
            ]) {
                const plan = arcPlan(g, zone);
                const [trigger] = plan.inputs.triggers as Obj[];
                expect(trigger).to.include({ action: "activate", targetRegion: standby, minDelayMinutesBetweenExecutions: 60 });
                expect(trigger.conditions).to.deep.equal([
                    { associatedAlarmName: `bb-${zone}-dr-primary-down`, condition: "red" },
                    { associatedAlarmName: `bb-${zone}-dr-standby-down`, condition: "green" },
                ]);
                const ids = g.outputs.healthCheckIds as Record<string, string>;
                for (const [which, region, minutes] of [
                    ["primary", primary, 1],
                    ["standby", standby, 1],
                ] as const) {
                    const alarm = find(g, (r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.inputs.name === `bb-${zone}-dr-${which}-down`);
                    expect(alarm.inputs).to.include({
                        namespace: "AWS/Route53",
                        metricName: "HealthCheckStatus",
                        statistic: "Minimum",
                        period: 60,
                        evaluationPeriods: minutes,
                        datapointsToAlarm: minutes,
                        threshold: 1,
                        comparisonOperator: "LessThanThreshold",
                        treatMissingData: "notBreaching",
                    });
                    expect(alarm.inputs.dimensions).to.deep.equal({ HealthCheckId: ids[region] });
                    expect((alarm.inputs.alarmActions as string[])[0]).to.match(/^arn:aws:sns:us-east-1:\d+:bookedbarber-alerts-p0$/);
                    expect((plan.inputs.associatedAlarms as Obj[]).map((a) => a.mapBlockKey)).to.include(alarm.inputs.name);
                }
            }
        });
    });

    it("a regional stack planned alone reports what it cannot see instead of hiding it", () => {
        const alone = new Map([["us-west-2", clone(plans.get("us-west-2")!)]]);
        const r = recoveryOf(alone.get("us-west-2")!, alone);
        expect(r.met).to.equal(false);
        expect(r.problems.join()).to.contain("the global stack is not in this run");
        const c = capacityOf(alone.get("us-west-2")!, alone);
        expect(c.met).to.equal(false);
        expect(
            c.targets
                .filter((t) => !t.met)
                .map((t) => t.detail)
                .join(),
        ).to.contain("the zone primary's node type (Global Datastore secondary), not in this run");
    });
});
