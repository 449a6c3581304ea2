import { validateWorkflow } from "@action-validator/core";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../stacks/stack-files";
import { CANARY_STACK, rolloutWaves, wavesOf } from "../../tools/offline/waves";
import { CANARY_SOAK_MINUTES } from "../../tools/deploy/health-gate";
import { readWorkflow, rolloutProblems, stackDeployProblems, waveChain, Workflow, WORKFLOWS } from "../support/deploy-workflow-check";
import { allStacks } from "../support/fixtures";

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const workflowFiles = () =>
    fs
        .readdirSync(WORKFLOWS)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort();

describe("deploy workflow (deploy.yml, deploy-stack.yml)", () => {
    let deploy: Workflow;
    let stack: Workflow;
    before(() => {
        deploy = readWorkflow("deploy.yml");
        stack = readWorkflow("deploy-stack.yml");
    });

    it("rolls out bootstrap, the us-east-1 canary alone, the other primaries, the standbys, then global", () => {
        expect(rolloutProblems(deploy)).to.deep.equal([]);
        const chain = waveChain(deploy);
        expect(chain).to.not.be.a("string");
        expect((chain as { stacks: string[] }[]).map((w) => w.stacks.sort())).to.deep.equal(rolloutWaves().map((w) => w.sort()));
        expect(rolloutWaves()[1]).to.deep.equal([CANARY_STACK]);
        // Every stack is deployed exactly once.
        expect((chain as { stacks: string[] }[]).flatMap((w) => w.stacks)).to.have.members(wavesOf().map((w) => w.stack));
    });

    it("fails when the waves are reordered, the canary is joined by another region, or a wave stops waiting", () => {
        const swapped = clone(deploy);
        [swapped.jobs["wave-2-primaries"].strategy, swapped.jobs["wave-3-standbys"].strategy] = [
            swapped.jobs["wave-3-standbys"].strategy,
            swapped.jobs["wave-2-primaries"].strategy,
        ];
        expect(rolloutProblems(swapped).join("\n")).to.contain("wave order is");

        const globalFirst = clone(deploy);
        globalFirst.jobs["wave-4-global"].needs = "wave-0-bootstrap";
        globalFirst.jobs["wave-1-canary"].needs = "wave-4-global";
        expect(rolloutProblems(globalFirst).join("\n")).to.contain("wave order is");

        const crowded = clone(deploy);
        crowded.jobs["wave-1-canary"].strategy!.matrix!.include!.push({ stack: "eu-west-1", runner: "codebuild", requires: "bootstrap" });
        crowded.jobs["wave-2-primaries"].strategy!.matrix!.include = crowded.jobs["wave-2-primaries"].strategy!.matrix!.include!.filter(
            (m) => m.stack !== "eu-west-1",
        );
        expect(rolloutProblems(crowded).join("\n")).to.contain("wave order is");

        const parallel = clone(deploy);
        parallel.jobs["wave-3-standbys"].needs = "wave-1-canary";
        expect(rolloutProblems(parallel).join("\n")).to.contain("both follow wave-1-canary");

        const pushOn = clone(deploy);
        pushOn.jobs["wave-3-standbys"].if = "always()";
        expect(rolloutProblems(pushOn).join("\n")).to.contain("runs it after a failed wave");

        const noSoak = clone(deploy);
        delete noSoak.jobs["wave-1-canary"].with!.canary;
        expect(rolloutProblems(noSoak).join("\n")).to.contain("wave-1-canary: canary is false");

        const wrongReads = clone(deploy);
        wrongReads.jobs["wave-3-standbys"].strategy!.matrix!.include![0].requires = "bootstrap";
        expect(rolloutProblems(wrongReads).join("\n")).to.match(/ap-northeast-1: requires "bootstrap", but the stack reads bootstrap ap-southeast-1/);
    });

    it("puts every deploy behind the production environment, and fails when one is not", () => {
        for (const j of Object.values(deploy.jobs).filter((x) => x.uses)) expect(j.with?.environment).to.equal("production");
        expect(stack.jobs.deploy.environment).to.equal("${{ inputs.environment }}");
        const open = clone(deploy);
        delete open.jobs["wave-2-primaries"].with!.environment;
        expect(rolloutProblems(open).join("\n")).to.contain("wave-2-primaries: deploys outside the production environment");
        const unprotected = clone(stack);
        delete unprotected.jobs.deploy.environment;
        expect(stackDeployProblems(unprotected).join("\n")).to.contain("environment is undefined");
    });

    it("deploys each stack: preview with the policy pack, up, then the health gate; nothing may fail quietly", () => {
        expect(stackDeployProblems(stack)).to.deep.equal([]);
        const noGate = clone(stack);
        noGate.jobs.deploy.steps = noGate.jobs.deploy.steps!.filter((s) => !s.run?.includes("health-gate"));
        expect(stackDeployProblems(noGate).join("\n")).to.contain("no health gate step");
        const gateFirst = clone(stack);
        const steps = gateFirst.jobs.deploy.steps!;
        const gate = steps.findIndex((s) => s.run?.includes("health-gate"));
        steps.splice(2, 0, ...steps.splice(gate, 1));
        expect(stackDeployProblems(gateFirst).join("\n")).to.contain("preview, then up, then the health gate");
        const noPack = clone(stack);
        for (const s of noPack.jobs.deploy.steps!) if (s.run) s.run = s.run.replace(" --policy-pack policies", "");
        expect(stackDeployProblems(noPack).join("\n")).to.contain("no `pulumi preview --policy-pack policies` step");
        const lenient = clone(stack);
        lenient.jobs.deploy.steps!.find((s) => s.run?.includes("health-gate"))!["continue-on-error"] = true;
        expect(stackDeployProblems(lenient).join("\n")).to.contain("may be skipped or fail without stopping the rollout");
    });

    it("runs one deploy per stack and one rollout at a time, never cancelling a running one", () => {
        expect(deploy.concurrency).to.deep.equal({ group: "deploy-rollout", "cancel-in-progress": false });
        expect(stack.jobs.deploy.concurrency).to.deep.equal({ group: "deploy-stack-${{ inputs.stack }}", "cancel-in-progress": false });
        const cancelling = clone(stack);
        cancelling.jobs.deploy.concurrency!["cancel-in-progress"] = true;
        expect(stackDeployProblems(cancelling).join("\n")).to.contain("never cancelled");
    });

    it("runs on push to main and by hand for one stack, with OIDC and no long-lived keys", () => {
        expect(deploy.on.push.branches).to.deep.equal(["main"]);
        expect(deploy.on.workflow_dispatch.inputs.stack.options).to.have.members(["all", ...wavesOf().map((w) => w.stack)]);
        expect(deploy.permissions).to.include({ "id-token": "write" });
        const text = fs.readFileSync(path.join(WORKFLOWS, "deploy-stack.yml"), "utf8");
        expect(text).to.contain("role-to-assume: ${{ secrets.AWS_DEPLOY_ROLE_ARN }}");
        expect(text).to.not.match(/aws-access-key-id|aws-secret-access-key/);
    });

    it("gives the canary's job room for its soak", () => {
        const timeout = String(stack.jobs.deploy["timeout-minutes" as keyof typeof stack.jobs.deploy]);
        const [canary, other] = /inputs\.canary && (\d+) \|\| (\d+)/.exec(timeout)!.slice(1).map(Number);
        expect(canary - other).to.be.at.least(CANARY_SOAK_MINUTES);
    });

    it("runs the regional stacks on the deploy runner and bootstrap and global on GitHub's", async () => {
        const runs = await allStacks();
        for (const j of Object.values(deploy.jobs)) {
            for (const m of j.strategy?.matrix?.include ?? []) {
                const usesKubernetes = runs[m.stack].resources.some((r) => r.type === "pulumi:providers:kubernetes");
                expect(m.runner, m.stack).to.equal(usesKubernetes ? "codebuild" : "github");
            }
        }
        expect(stack.jobs.deploy["runs-on"]).to.equal(readWorkflow("preview-stack.yml").jobs.preview["runs-on"]);
    });
});

describe("README Delivery section", () => {
    it("draws the pipeline in the waves and soak the workflow has, and names its secrets and environment", () => {
        const readme = fs.readFileSync(path.join(projectRoot(), "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("## Delivery"), readme.indexOf("\n## ", readme.indexOf("## Delivery") + 3));
        const mermaid = /```mermaid\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
        // The waves appear in the diagram in rollout order.
        const at = rolloutWaves().map((w) => Math.min(...w.map((s) => mermaid.indexOf(s)).filter((i) => i >= 0)));
        expect(at.every((i) => Number.isFinite(i))).to.equal(true);
        expect([...at].sort((a, b) => a - b)).to.deep.equal(at);
        expect(mermaid).to.contain(`${CANARY_SOAK_MINUTES} min soak`);
        for (const s of ["AWS_DEPLOY_ROLE_ARN", "PULUMI_ACCESS_TOKEN", "`production`", "pulumi cancel", "pulumi refresh"]) expect(section).to.contain(s);
    });
});

describe("drift check (drift.yml)", () => {
    it("previews every stack nightly with --expect-no-changes and opens an issue on drift", () => {
        const drift = readWorkflow("drift.yml");
        expect(drift.on.schedule[0].cron).to.be.a("string");
        const job = drift.jobs.drift;
        expect(job.strategy!.matrix!.include!.map((m) => m.stack)).to.have.members(wavesOf().map((w) => w.stack));
        const preview = job.steps!.find((s) => s.id === "preview")!;
        expect(preview.run).to.match(/pulumi preview --stack "\$STACK" --refresh --expect-no-changes/);
        const issue = job.steps!.find((s) => s.name === "open an issue on drift")!;
        expect(issue.if).to.equal("steps.preview.outcome == 'failure'");
        expect(issue.run).to.contain("/issues");
        expect(issue.run).to.match(/exit 1\s*$/);
        expect(drift.permissions).to.include({ issues: "write" });
    });
});

describe("every workflow", () => {
    interface Pin {
        action: string;
        tag: string;
        sha: string;
        source: string;
    }
    const pins = (JSON.parse(fs.readFileSync(path.join(projectRoot(), "test", "upstream", "github-actions", "pins.json"), "utf8")) as { pins: Pin[] }).pins;

    /** Problems with the `uses:` lines of a workflow's text. */
    const pinProblems = (file: string, text: string): string[] => {
        const problems: string[] = [];
        for (const [line, action, ref, comment] of text.matchAll(/uses:\s*([^\s@]+)@?(\S*)(?:\s*#\s*(\S+))?/g)) {
            if (action.startsWith("./")) continue;
            const pin = pins.find((p) => p.action === action);
            if (!/^[0-9a-f]{40}$/.test(ref)) problems.push(`${file}: ${line.trim()}: not pinned to a full commit SHA`);
            else if (!pin) problems.push(`${file}: ${action} is not in test/upstream/github-actions/pins.json`);
            else if (pin.sha !== ref || pin.tag !== comment)
                problems.push(`${file}: ${action}@${ref} # ${comment} differs from the verified pin ${pin.sha} # ${pin.tag}`);
        }
        return problems;
    };

    it("pins every third-party action to a verified full commit SHA, with its tag", () => {
        let uses = 0;
        for (const file of workflowFiles()) {
            const text = fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
            uses += [...text.matchAll(/uses:\s*[^.\s]/g)].length;
            expect(pinProblems(file, text), file).to.deep.equal([]);
        }
        expect(uses).to.be.greaterThan(10);
        for (const p of pins) expect(p.source).to.equal(`https://github.com/${p.action.split("/").slice(0, 2).join("/")}/releases/tag/${p.tag}`);
        expect(pinProblems("x.yml", "      - uses: actions/checkout@v4")).to.have.length(1);
        expect(pinProblems("x.yml", "      - uses: actions/checkout@9c091bb21b7c1c1d1991bb908d89e4e9dddfe3e0 # v7.0.1")[0]).to.contain(
            "differs from the verified pin",
        );
    });

    it("passes action-validator", () => {
        const files = workflowFiles();
        expect(files).to.include.members(["deploy.yml", "deploy-stack.yml", "drift.yml"]);
        for (const file of files) {
            const state = validateWorkflow(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"));
            expect(state.errors, file).to.deep.equal([]);
        }
        const broken = fs.readFileSync(path.join(WORKFLOWS, "deploy.yml"), "utf8").replace("needs: wave-0-bootstrap", "needs: wave-0-bootstap");
        expect(validateWorkflow(broken).errors.map((e) => e.code)).to.include("unresolved_job");
    });
});
