import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../../stacks/stack-files";
import { EXECUTION_STOPPED, EXECUTION_SUCCEEDED, publishResult, rtoTargetMinutes, runDrill } from "../../../tools/deploy/dr-drill";
import type { Shell } from "../../../tools/deploy/health-gate";
import { readWorkflow } from "../../support/deploy-workflow-check";

const PLAN = "arn:aws:arc-region-switch::123456789012:plan/bb-us-dr:abc123";

/** A fake ARC: the evaluation state, and the execution states each start-plan-execution walks through. */
function arc(evaluation: string, walks: string[][]) {
    const calls: string[][] = [];
    let execution = -1;
    let step = 0;
    const sh: Shell = (cmd, args) => {
        calls.push([cmd, ...args]);
        const ok = (v: unknown) => ({ status: 0, stdout: JSON.stringify(v), stderr: "" });
        if (cmd === "pulumi")
            return args.includes("myorg/bookedbarber/global") || args.includes("staging/bookedbarber/global")
                ? ok({ recoveryPlanArns: { us: PLAN } })
                : ok({ observability: { alertTopicArns: { P3: "arn:aws:sns:us-east-1:123456789012:bb-p3" } } });
        if (args[1] === "get-plan-evaluation-status") return ok({ planArn: PLAN, evaluationState: evaluation, warnings: [] });
        if (args[1] === "start-plan-execution") {
            execution++;
            step = 0;
            return ok({ executionId: `ex-${execution}` });
        }
        if (args[1] === "get-plan-execution") {
            const walk = walks[execution];
            return ok({ executionState: walk[Math.min(step++, walk.length - 1)] });
        }
        return ok({ MessageId: "m" });
    };
    return { sh, calls };
}

const clock = () => {
    let t = 0;
    return {
        now: () => t,
        wait: async (ms: number) => {
            t += ms;
        },
    };
};

describe("DR drill (tools/deploy/dr-drill.ts, dr-drill.yml)", () => {
    it("validates each plan by ARC's evaluation, and fails one that is not passed", async () => {
        const good = arc("passed", []);
        const r = await runDrill({ zone: "us", mode: "validate", org: "myorg", productionOrg: "myorg", sh: good.sh, ...clock() });
        expect(r).to.include({ ok: true, evaluation: "passed", planArn: PLAN });
        expect(good.calls.some((c) => c[2] === "start-plan-execution")).to.equal(false);
        const bad = await runDrill({ zone: "us", mode: "validate", org: "myorg", productionOrg: "myorg", sh: arc("actionRequired", []).sh, ...clock() });
        expect(bad.ok).to.equal(false);
        expect(bad.problems[0]).to.contain("actionRequired");
    });

    it("executes in a non-production organization: switches to the standby, measures the RTO, fails back", async () => {
        const world = arc("passed", [
            ["inProgress", "inProgress", "inProgress", "completed"],
            ["inProgress", "completed"],
        ]);
        const r = await runDrill({ zone: "us", mode: "execute", org: "staging", productionOrg: "myorg", sh: world.sh, ...clock() });
        expect(r.problems).to.deep.equal([]);
        expect(r.measuredRtoSeconds).to.equal(45); // three polls of 15 s
        expect(r.failbackSeconds).to.equal(15);
        const starts = world.calls.filter((c) => c[2] === "start-plan-execution");
        expect(starts.map((c) => c[c.indexOf("--target-region") + 1])).to.deep.equal(["us-west-2", "us-east-1"]);
        for (const c of starts) expect(c).to.include.members(["--action", "activate", "--mode", "graceful"]);
    });

    it("fails a switch slower than the RTO, or one that does not complete, and still fails back", async () => {
        const slowWalk = [...Array(Math.ceil((rtoTargetMinutes() * 60) / 15) + 1).fill("inProgress"), "completed"];
        const slow = arc("passed", [slowWalk, ["completed"]]);
        const r = await runDrill({ zone: "us", mode: "execute", org: "staging", productionOrg: "myorg", sh: slow.sh, ...clock() });
        expect(r.ok).to.equal(false);
        expect(r.problems[0]).to.match(/took \d+ s, over the 5 min RTO/);
        const stuck = arc("passed", [["inProgress", "pausedByFailedStep"], ["completed"]]);
        const s = await runDrill({ zone: "us", mode: "execute", org: "staging", productionOrg: "myorg", sh: stuck.sh, ...clock() });
        expect(s.problems).to.deep.equal(["the switch to us-west-2 ended pausedByFailedStep"]);
        expect(stuck.calls.filter((c) => c[2] === "start-plan-execution")).to.have.length(2);
    });

    it("refuses to execute a switch in the production organization", async () => {
        const world = arc("passed", [["completed"], ["completed"]]);
        const r = await runDrill({ zone: "us", mode: "execute", org: "myorg", productionOrg: "myorg", sh: world.sh, ...clock() });
        expect(r.ok).to.equal(false);
        expect(r.problems[0]).to.contain("refusing to execute a Region switch in the production organization myorg");
        expect(world.calls).to.deep.equal([]);
    });

    it("posts the result, with the measured RTO, to the zone primary's P3 topic", async () => {
        const world = arc("passed", [["completed"], ["completed"]]);
        const r = await runDrill({ zone: "us", mode: "execute", org: "staging", productionOrg: "myorg", sh: world.sh, ...clock() });
        publishResult(r, "staging", world.sh);
        const publish = world.calls.find((c) => c[1] === "sns")!;
        expect(publish).to.include.members(["publish", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:bb-p3", "--region", "us-east-1"]);
        expect(publish[publish.indexOf("--subject") + 1]).to.equal("DR drill us (execute): passed, RTO 0 s");
        expect(JSON.parse(publish[publish.indexOf("--message") + 1])).to.include({ zone: "us", ok: true, measuredRtoSeconds: 0, rtoTargetMinutes: 5 });
    });

    it("knows every terminal execution state ARC documents, and no running one", () => {
        const facts = JSON.parse(fs.readFileSync(path.join(projectRoot(), "test", "upstream", "arc-region-switch", "api.json"), "utf8"));
        const terminal = [...EXECUTION_SUCCEEDED, ...EXECUTION_STOPPED];
        for (const s of terminal) expect(facts.executionState, s).to.include(s);
        expect(facts.executionState.filter((s: string) => !terminal.includes(s as never))).to.have.members(facts.executionRunning);
        expect(facts.startPlanExecution.mode).to.include("graceful");
    });

    it("runs weekly, one zone at a time, every zone, and posts the figures to the run summary", () => {
        const wf = readWorkflow("dr-drill.yml");
        expect(wf.on.schedule[0].cron).to.equal("0 7 * * 1");
        const job = wf.jobs.drill as { strategy: { matrix: { zone: string[] }; "max-parallel": number }; environment: string; steps: { run?: string }[] };
        expect(job.strategy.matrix.zone).to.have.members(["us", "eu", "apac"]);
        expect(job.strategy["max-parallel"]).to.equal(1);
        expect(job.environment).to.equal("dr-drill");
        const run = job.steps.find((s) => s.run?.includes("dr-drill.js"))!.run!;
        expect(run).to.contain("GITHUB_STEP_SUMMARY");
        expect(run).to.match(/exit "\$code"\s*$/);
    });
});
