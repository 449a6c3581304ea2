import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ALERT_DEFINITIONS } from "../../../components/observability/alerts";
import { projectRoot } from "../../../stacks/stack-files";
import {
    ALARM_WINDOW_MINUTES,
    alarmPrefixes,
    BLOCKING_CLASSES,
    EXPECTED_OUTPUTS,
    gate,
    gateTarget,
    GateTarget,
    healthyShare,
    ROUTE53_HEALTHY_SHARE,
    runGate,
    Shell,
} from "../../../tools/deploy/health-gate";
import { allStacks, REGIONAL_STACKS } from "../../support/fixtures";

const ORG = "bookedbarber";

/** A fake AWS and Pulumi: stack outputs, health-checker reports per check id, alarms in ALARM per region. */
function world(
    over: { outputs?: Record<string, Record<string, unknown> | undefined>; checkers?: Record<string, string[]>; alarming?: Record<string, string[]> } = {},
) {
    const calls: string[][] = [];
    const outputs: Record<string, Record<string, unknown> | undefined> = {
        "us-east-1": { clusterName: "c" },
        global: {
            healthCheckIds: { "us-east-1": "hc-use1", "us-west-2": "hc-usw2" },
            regionWatchedFrom: { "us-east-1": "us-west-2", "us-west-2": "us-east-1" },
        },
        ...over.outputs,
    };
    const checkers = {
        "hc-use1": ["Success: HTTP Status Code 200, OK", "Success: HTTP Status Code 200, OK", "Failure: Connection timed out"],
        "hc-usw2": ["Success: HTTP Status Code 200, OK"],
        ...over.checkers,
    };
    const alarming = over.alarming ?? {};
    const sh: Shell = (cmd, args) => {
        calls.push([cmd, ...args]);
        const ok = (v: unknown) => ({ status: 0, stdout: JSON.stringify(v), stderr: "" });
        if (cmd === "pulumi") {
            const stack = args[args.indexOf("--stack") + 1].split("/").pop()!;
            return outputs[stack] ? ok(outputs[stack]) : { status: 255, stdout: "", stderr: `error: no stack named '${stack}' found` };
        }
        if (args[0] === "route53") {
            const id = args[args.indexOf("--health-check-id") + 1];
            return ok({
                HealthCheckObservations: (checkers[id as keyof typeof checkers] ?? []).map((s, i) => ({
                    Region: `r${i}`,
                    IPAddress: "192.0.2.1",
                    StatusReport: { Status: s },
                })),
            });
        }
        const region = args[args.indexOf("--region") + 1];
        const prefix = args[args.indexOf("--alarm-name-prefix") + 1];
        return ok({
            MetricAlarms: (alarming[region] ?? []).filter((n) => n.startsWith(prefix)).map((n) => ({ AlarmName: n, StateValue: "ALARM" })),
            CompositeAlarms: [],
        });
    };
    return { sh, calls };
}

describe("post-deploy health gate", () => {
    let use1: GateTarget;
    before(() => {
        use1 = gateTarget("us-east-1", ORG);
    });
    /** Regional outputs that answer with the whole contract. */
    const regionalOutputs = () => Object.fromEntries(EXPECTED_OUTPUTS.regional.map((k) => [k, "x"]));

    it("passes a healthy region: outputs answer, Route 53 says healthy, no P0/P1 alarm", () => {
        const { sh, calls } = world({ outputs: { "us-east-1": regionalOutputs() } });
        const items = runGate(use1, sh);
        expect(items.filter((i) => !i.ok)).to.deep.equal([]);
        expect(items.map((i) => i.check)).to.have.members(["outputs", "health check", "alarms"]);
        // Class alarms in the region, and the region-down alarm in the region that watches it.
        const alarmCalls = calls.filter((c) => c[1] === "cloudwatch").map((c) => `${c[c.indexOf("--region") + 1]} ${c[c.indexOf("--alarm-name-prefix") + 1]}`);
        expect(alarmCalls).to.include.members([
            "us-east-1 P0-bookedbarber-us-east-1-",
            "us-east-1 P1-bookedbarber-us-east-1-",
            "us-west-2 bookedbarber-region-down-us-east-1",
        ]);
        for (const c of calls.filter((x) => x[1] === "cloudwatch")) expect(c).to.include.members(["--state-value", "ALARM"]);
        expect(calls.find((c) => c[1] === "route53")).to.include.members(["get-health-check-status", "hc-use1"]);
    });

    it("fails on a P0 or P1 alarm in ALARM, the region-down alarm included, but not on a P2", () => {
        const p1 = world({ outputs: { "us-east-1": regionalOutputs() }, alarming: { "us-east-1": ["P1-bookedbarber-us-east-1-api-5xx-rate-high"] } });
        expect(runGate(use1, p1.sh).find((i) => i.check === "alarms"))
            .to.include({ ok: false })
            .and.have.property("detail")
            .that.contains("P1-bookedbarber-us-east-1-api-5xx-rate-high");
        const down = world({ outputs: { "us-east-1": regionalOutputs() }, alarming: { "us-west-2": ["bookedbarber-region-down-us-east-1"] } });
        expect(runGate(use1, down.sh).find((i) => i.check === "alarms")!.ok).to.equal(false);
        const p2 = world({ outputs: { "us-east-1": regionalOutputs() }, alarming: { "us-east-1": ["P2-bookedbarber-us-east-1-api-latency-p95"] } });
        expect(runGate(use1, p2.sh).every((i) => i.ok)).to.equal(true);
    });

    it("fails when Route 53 reports the region unhealthy (18% or fewer checkers succeed)", () => {
        const sick = world({
            outputs: { "us-east-1": regionalOutputs() },
            checkers: { "hc-use1": ["Success: HTTP Status Code 200, OK", ...Array(5).fill("Failure: HTTP Status Code 503, Service Unavailable")] },
        });
        const hc = runGate(use1, sick.sh).find((i) => i.check === "health check")!;
        expect(hc.ok).to.equal(false);
        expect(hc.detail).to.contain("17% of 6 checkers");
        expect(healthyShare({ HealthCheckObservations: [] }).share).to.equal(0);
    });

    it("fails when the stack's outputs do not answer, or miss what other stacks read", () => {
        const none = world({ outputs: { "us-east-1": undefined } });
        expect(runGate(use1, none.sh).find((i) => i.check === "outputs")).to.include({ ok: false });
        const partial = world({ outputs: { "us-east-1": { clusterName: "c" } } });
        expect(runGate(use1, partial.sh).find((i) => i.check === "outputs")!.detail).to.match(/^missing /);
    });

    it("lets a regional stack pass before the global stack exists (first rollout), but not the global stack itself", () => {
        const first = world({ outputs: { "us-east-1": regionalOutputs(), global: undefined } });
        expect(runGate(use1, first.sh).every((i) => i.ok)).to.equal(true);
        const globalOutputs = Object.fromEntries(EXPECTED_OUTPUTS.global.map((k) => [k, "x"]));
        const g = world({ outputs: { global: globalOutputs } });
        expect(runGate(gateTarget("global", ORG), g.sh).some((i) => !i.ok)).to.equal(true);
    });

    it("checks every region from the global stack", () => {
        const base = JSON.parse(world().sh("pulumi", ["stack", "output", "--stack", `${ORG}/bookedbarber/global`]).stdout) as Record<string, unknown>;
        const { sh, calls } = world({ outputs: { global: { ...Object.fromEntries(EXPECTED_OUTPUTS.global.map((k) => [k, "x"])), ...base } } });
        const items = runGate(gateTarget("global", ORG), sh);
        expect(items.filter((i) => !i.ok)).to.deep.equal([]);
        expect(calls.filter((c) => c[1] === "route53").map((c) => c[c.length - 3])).to.have.members(["hc-use1", "hc-usw2"]);
    });

    it("holds the gate through the canary's soak and stops at the first failing pass", async () => {
        let t = 0;
        let passes = 0;
        const healthy = world({ outputs: { "us-east-1": regionalOutputs() } });
        const ok = await gate(use1, {
            soakMinutes: 30,
            intervalSeconds: 60,
            sh: (c, a) => {
                if (c === "pulumi" && a.includes(`${ORG}/bookedbarber/us-east-1`)) passes++;
                return healthy.sh(c, a);
            },
            log: () => undefined,
            now: () => t,
            wait: async (ms) => {
                t += ms;
            },
        });
        expect(ok).to.equal(true);
        expect(passes).to.equal(31);
        t = 0;
        let n = 0;
        const flapping: Shell = (c, a) =>
            c === "aws" && a[0] === "cloudwatch" && ++n > 20
                ? { status: 0, stdout: JSON.stringify({ MetricAlarms: [{ AlarmName: "P0-bookedbarber-us-east-1-x" }] }), stderr: "" }
                : healthy.sh(c, a);
        expect(
            await gate(use1, {
                soakMinutes: 30,
                sh: flapping,
                log: () => undefined,
                now: () => t,
                wait: async (ms) => {
                    t += ms;
                },
            }),
        ).to.equal(false);
        expect(t).to.be.below(30 * 60_000);
    });

    it("watches every stack for as long as a P0/P1 alarm takes to fire, and tolerates a new health check's silence only that long", async () => {
        expect(ALARM_WINDOW_MINUTES).to.equal(Math.max(...ALERT_DEFINITIONS.filter((d) => d.class === "P0" || d.class === "P1").map((d) => d.forMinutes)));
        expect(ALARM_WINDOW_MINUTES).to.be.greaterThan(0);
        let t = 0;
        const timing = {
            log: () => undefined,
            now: () => t,
            wait: async (ms: number) => {
                t += ms;
            },
        };
        // Checkers report only from the third pass on: pending, then green.
        let calls = 0;
        const later = world({ outputs: { "us-east-1": regionalOutputs() } });
        const silentThenGreen: Shell = (c, a) =>
            a[0] === "route53" && ++calls <= 2 ? { status: 0, stdout: JSON.stringify({ HealthCheckObservations: [] }), stderr: "" } : later.sh(c, a);
        expect(await gate(use1, { soakMinutes: ALARM_WINDOW_MINUTES, sh: silentThenGreen, ...timing })).to.equal(true);
        t = 0;
        const silent = world({ outputs: { "us-east-1": regionalOutputs() }, checkers: { "hc-use1": [] } });
        expect(await gate(use1, { soakMinutes: ALARM_WINDOW_MINUTES, sh: silent.sh, ...timing })).to.equal(false);
        expect(t).to.equal(ALARM_WINDOW_MINUTES * 60_000);
    });

    it("looks for the alarms by the names the stacks give them", async () => {
        const runs = await allStacks();
        const alarms = Object.values(runs).flatMap((r) => r.resources.filter((x) => x.type === "aws:cloudwatch/metricAlarm:MetricAlarm"));
        for (const region of REGIONAL_STACKS) {
            const blocking = alarms.filter((a) => {
                const cls = (a.inputs.tags as Record<string, string> | undefined)?.["alert-class"];
                const name = String(a.inputs.name);
                return (cls && BLOCKING_CLASSES.includes(cls as never) && name.includes(`-${region}-`)) || name === `bookedbarber-region-down-${region}`;
            });
            expect(blocking.length, region).to.be.greaterThan(0);
            for (const a of blocking)
                expect(
                    alarmPrefixes(region).some((p) => String(a.inputs.name).startsWith(p)),
                    String(a.inputs.name),
                ).to.equal(true);
            // A P2 alarm of the region is not caught.
            const p2 = alarms.filter(
                (a) => (a.inputs.tags as Record<string, string> | undefined)?.["alert-class"] === "P2" && String(a.inputs.name).includes(`-${region}-`),
            );
            for (const a of p2)
                expect(
                    alarmPrefixes(region).some((p) => String(a.inputs.name).startsWith(p)),
                    String(a.inputs.name),
                ).to.equal(false);
        }
    });

    it("asks for outputs the stacks really export", async () => {
        const runs = await allStacks();
        for (const [stack, run] of Object.entries(runs)) {
            const role = gateTarget(stack, ORG).role;
            const expected = EXPECTED_OUTPUTS[role === "primary" || role === "standby" ? "regional" : role];
            expect(Object.keys(run.outputs), stack).to.include.members([...expected]);
        }
    });

    it("calls healthy what Route 53 calls healthy", () => {
        const fact = JSON.parse(fs.readFileSync(path.join(projectRoot(), "test", "upstream", "route53", "health-check-status.json"), "utf8"));
        expect(ROUTE53_HEALTHY_SHARE).to.equal(fact.healthyWhenShareOfCheckersAbove);
        expect(fact.source).to.match(/^https:\/\/docs\.aws\.amazon\.com\/Route53\//);
    });
});
