import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { CANARY_RUNTIME, HEALTH_CHECK_METRICS_REGION } from "../../../components/observability/region-watch";
import { parseStackConfig } from "../../../stacks/config";
import { readStackConfig } from "../../../stacks/stack-files";
import { PlanFile, toPlanFile } from "../../../tools/offline/plan-file";
import { alertRoutes, outsideWatchers } from "../../../tools/offline/readiness/alert-routes";
import { regionOf } from "../../../tools/offline/readiness/plan-graph";
import { allStacks, REGIONAL_STACKS } from "../../support/fixtures";

const FACTS = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "..", "test", "upstream", "route53-health-checks", "published-facts.json"), "utf8"));
const RUNTIMES = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "..", "test", "upstream", "synthetics", "runtimes.json"), "utf8"));

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

    it("reports a region whose only watcher lives inside it (mutation: move the canary's alarm into us-east-1)", () => {
        const mutated = JSON.parse(JSON.stringify(global)) as PlanFile;
        const alarm = mutated.resources.find((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.name.endsWith("-us-east-1-down"))!;
        alarm.inputs.region = "us-east-1";
        expect(
            alertRoutes(mutated)
                .items.filter((i) => i.problem)
                .map((i) => i.subject),
        ).to.deep.equal(["region-down watcher of us-east-1"]);
    });

    it("fails when the outside watcher of us-east-1 is removed (mutation)", () => {
        const mutated = JSON.parse(JSON.stringify(global)) as PlanFile;
        mutated.resources = mutated.resources.filter((r) => !(r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.name.endsWith("-us-east-1-down")));
        expect(outsideWatchers(mutated).has("us-east-1")).to.equal(false);
        const problems = alertRoutes(mutated).items.filter((i) => i.problem);
        expect(problems.map((i) => i.subject)).to.deep.equal(["region-down watcher of us-east-1"]);
        expect(alertRoutes(global).items.filter((i) => i.problem)).to.deep.equal([]);
    });

    it("reads the Route 53 health-check metric where AWS publishes it, and watches that region with a canary from elsewhere", () => {
        expect(HEALTH_CHECK_METRICS_REGION).to.equal(FACTS.healthCheckMetrics.region);
        // The region-down watchers only: the DR plans' trigger alarms read the same metric.
        const watchers = new Set(global.resources.filter((r) => r.type.endsWith(":RegionWatchSite")).map((r) => r.urn));
        const alarms = global.resources.filter(
            (r) =>
                r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.inputs.metricName === FACTS.healthCheckMetrics.metric && watchers.has(r.parent ?? ""),
        );
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

    it("runs the canary on a Synthetics runtime AWS has not deprecated, with a timeout AWS allows", () => {
        const canary = global.resources.find((r) => r.type === "aws:synthetics/canary:Canary")!;
        expect(canary.inputs.runtimeVersion).to.equal(CANARY_RUNTIME);
        expect(Object.keys(RUNTIMES.deprecated.runtimes)).to.not.include(CANARY_RUNTIME);
        expect(CANARY_RUNTIME).to.equal(RUNTIMES.current.newestNodejsPuppeteerSeen);
        expect((canary.inputs.runConfig as { timeoutInSeconds: number }).timeoutInSeconds).to.be.at.least(RUNTIMES.current.minimumTimeoutSeconds);
    });

    it("refuses routes for classes the global stack never raises", async () => {
        const { runStack } = await import("../../../tools/offline/stack-runner");
        const run = await runStack({
            stack: "global",
            stackReferences: {},
            configOverrides: { "bookedbarber:alertSubscriptions": JSON.stringify({ P0: [{ email: "a@b.com" }], P2: [{ email: "a@b.com" }] }) },
        });
        expect(run.error?.message).to.match(/alertSubscriptions has P2: the global stack raises only P0/);
    });

    it("refuses to watch us-east-1 from us-east-1", () => {
        expect(() => parseStackConfig({ ...readStackConfig("global"), "bookedbarber:regionWatchOutsideRegion": "us-east-1" }, "global")).to.throw(
            /regionWatchOutsideRegion = "us-east-1": must be an AWS region other than us-east-1/,
        );
    });
});
