import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { HEALTH_CHECK_METRICS_REGION } from "../components/observability/region-watch";
import { parseStackConfig } from "../stacks/config";
import { readStackConfig } from "../stacks/stack-files";
import { PlanFile, toPlanFile } from "../tools/offline/plan-file";
import { regionOf, resolve } from "../tools/offline/readiness/plan-graph";
import { allStacks, REGIONAL_STACKS } from "./fixtures";

const FACTS = JSON.parse(readFileSync(join(__dirname, "..", "..", "test", "upstream", "route53-health-checks", "published-facts.json"), "utf8"));

/** For each watched region: the regions of the alarms that watch it and notify a subscribed P0 topic in their own region. */
function outsideWatchers(plan: PlanFile): Map<string, string[]> {
    const topics = resolve(plan, "aws:sns/topic:Topic").filter((t) => (t.resource.inputs.tags as Record<string, string> | undefined)?.["alert-class"] === "P0");
    const subscribed = (arn: string) => plan.resources.some((r) => r.type === "aws:sns/topicSubscription:TopicSubscription" && r.inputs.topic === arn);
    const found = new Map<string, string[]>();
    for (const alarm of plan.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")) {
        const watched = (alarm.inputs.tags as Record<string, string> | undefined)?.["watched-region"];
        if (!watched) continue;
        const where = regionOf(plan, alarm);
        const notifies = ((alarm.inputs.alarmActions as string[] | undefined) ?? []).some((a) => topics.some((t) => t.state.arn === a && regionOf(plan, t.resource) === where && subscribed(a)));
        if (where !== watched && notifies) found.set(watched, [...(found.get(watched) ?? []), where]);
    }
    return found;
}

describe("region-down alarms live outside the region they watch", () => {
    let global: PlanFile;
    before(async () => {
        const runs = await allStacks();
        global = toPlanFile(runs.global, { violations: [] });
    });

    it("watches every regional stack's region from another region, into a subscribed P0 topic there", () => {
        const watchers = outsideWatchers(global);
        for (const region of REGIONAL_STACKS) {
            expect(watchers.get(region)?.length ?? 0, region).to.be.greaterThan(0);
            expect(watchers.get(region), region).to.not.include(region);
        }
    });

    it("fails when the outside watcher of us-east-1 is removed (mutation)", () => {
        const mutated = JSON.parse(JSON.stringify(global)) as PlanFile;
        mutated.resources = mutated.resources.filter((r) => !(r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.name.endsWith("-us-east-1-down")));
        expect(outsideWatchers(mutated).has("us-east-1")).to.equal(false);
    });

    it("reads the Route 53 health-check metric where AWS publishes it, and watches that region with a canary from elsewhere", () => {
        expect(HEALTH_CHECK_METRICS_REGION).to.equal(FACTS.healthCheckMetrics.region);
        const alarms = global.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.inputs.metricName === FACTS.healthCheckMetrics.metric);
        expect(alarms).to.have.length(REGIONAL_STACKS.length - 1);
        for (const a of alarms) {
            expect(a.inputs.namespace).to.equal(FACTS.healthCheckMetrics.namespace);
            expect(Object.keys(a.inputs.dimensions as object)).to.deep.equal([FACTS.healthCheckMetrics.dimension]);
            expect(regionOf(global, a)).to.equal(FACTS.healthCheckMetrics.region);
            expect(a.inputs.treatMissingData).to.equal("breaching");
        }
        const canary = global.resources.find((r) => r.type === "aws:synthetics/canary:Canary")!;
        expect(regionOf(global, canary)).to.equal("us-west-2");
        expect(canary.inputs.runConfig).to.deep.include({ environmentVariables: { TARGET_URL: "https://us-east-1.api.bookedbarber.com/health" } });
        expect(canary.inputs.artifactConfig).to.have.nested.property("s3Encryption.encryptionMode", "SSE_KMS");
    });

    it("refuses to watch us-east-1 from us-east-1", () => {
        expect(() => parseStackConfig({ ...readStackConfig("global"), "bookedbarber:regionWatchOutsideRegion": "us-east-1" }, "global"))
            .to.throw(/regionWatchOutsideRegion = "us-east-1": must be an AWS region other than us-east-1/);
    });
});
