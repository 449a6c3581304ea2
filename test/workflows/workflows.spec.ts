import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { projectRoot } from "../../stacks/stack-files";
import { wavesOf } from "../../tools/offline/waves";
import { allStacks } from "../support/fixtures";

interface Job {
    needs?: string | string[];
    if?: string;
    uses?: string;
    strategy?: { matrix: { include: { stack: string; runner: string; requires: string }[] } };
    "runs-on"?: string;
    steps?: { uses?: string; run?: string; if?: string }[];
}
const workflow = (file: string) => parse(fs.readFileSync(path.join(projectRoot(), ".github", "workflows", file), "utf8")) as { jobs: Record<string, Job> };

/** The preview workflow's stacks as it runs them: wave job, stack, runner and the stacks it waits on. */
function previewJobs() {
    const jobs = workflow("preview.yml").jobs;
    return Object.entries(jobs).flatMap(([name, job]) =>
        (job.strategy?.matrix.include ?? []).map((m) => ({ job: name, ...m, requires: m.requires.split(" ").filter(Boolean) })),
    );
}

describe("preview workflow", () => {
    it("previews every stack, wave by wave in the order the planner deploys them", () => {
        const jobs = previewJobs();
        const waves = wavesOf();
        expect(jobs.map((j) => j.stack)).to.have.members(waves.map((w) => w.stack));
        for (const w of waves) expect(jobs.find((j) => j.stack === w.stack)!.job, w.stack).to.match(new RegExp(`^wave-${w.wave}-`));
        const all = workflow("preview.yml").jobs;
        // Each wave waits for the one before it.
        for (const w of [1, 2, 3]) {
            const name = Object.keys(all).find((n) => n.startsWith(`wave-${w}-`))!;
            expect(
                [all[name].needs].flat().some((n) => String(n).startsWith(`wave-${w - 1}-`)),
                name,
            ).to.equal(true);
        }
    });

    it("waits, with a notice, on exactly the stacks each stack reads", () => {
        for (const j of previewJobs()) {
            expect(j.requires, j.stack).to.have.members(wavesOf().find((w) => w.stack === j.stack)!.reads);
        }
        const steps = workflow("preview-stack.yml").jobs.preview.steps!;
        const check = steps.find((s) => s.run?.includes("pulumi stack output"))!;
        expect(check.run).to.contain("::notice::");
        // Nothing that needs credentials or outputs runs unless the check says the stack is ready.
        for (const s of steps.filter((x) => x.uses?.startsWith("pulumi/actions") && x !== steps.find((y) => y.uses?.startsWith("pulumi/actions"))))
            expect(s.if).to.contain("ready");
        for (const s of steps.filter((x) => x.uses?.startsWith("aws-actions/"))) expect(s.if).to.contain("ready");
    });

    it("runs every stack with Kubernetes objects on the deploy runner whose egress the EKS API admits", async () => {
        const runs = await allStacks();
        const label = (runs.bootstrap.outputs.runner as { label: string }).label;
        const runsOn = workflow("preview-stack.yml").jobs.preview["runs-on"]!;
        // The label the bootstrap plan gives the runner, with the workflow's expression syntax.
        const prefix = label.split("${{")[0];
        expect(runsOn).to.contain(`format('${prefix}{0}-{1}', github.run_id, github.run_attempt)`);
        for (const j of previewJobs()) {
            const usesKubernetes = runs[j.stack].resources.some((r) => r.type === "pulumi:providers:kubernetes");
            expect(j.runner, j.stack).to.equal(usesKubernetes ? "codebuild" : "github");
        }
    });

    it("sends nothing to the deploy runner before the bootstrap stack (which creates it) is deployed", () => {
        const jobs = workflow("preview.yml").jobs;
        const onRunner = Object.entries(jobs).filter(([, job]) => (job.strategy?.matrix.include ?? []).some((m) => m.runner === "codebuild"));
        expect(onRunner, "a job runs on the deploy runner").not.to.deep.equal([]);
        for (const [name, job] of onRunner) expect(job.if, name).to.contain("needs.inventory.outputs.bootstrap == 'true'");
    });
});
