import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../stacks/stack-files";
import { FailedPlanFile, PlanFile } from "../../tools/offline/plan-file";
import { describeError, runStack } from "../../tools/offline/stack-runner";
import { policyCheck } from "../../tools/policy-check";

/**
 * `plan --all` on a copy of the real project with two stacks broken in
 * different ways: us-east-1 has a bad config value, ap-northeast-1 a YAML
 * syntax error. Each must report its own problem, the stacks that read them
 * must say which stack they wait on, and no stale plan may survive for any of
 * them. One plan run for the whole file.
 */

const root = projectRoot();
const node = (script: string, args: string[], cwd = root) => {
    const r = spawnSync(process.execPath, [path.join(root, "dist", "tools", script), ...args], { encoding: "utf8", cwd });
    return { code: r.status, out: r.stdout, err: r.stderr };
};

/** A temp project holding copies of the real Pulumi.yaml and stack files. */
export function copyProject(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-project-"));
    for (const f of fs.readdirSync(root).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) fs.copyFileSync(path.join(root, f), path.join(dir, f));
    return dir;
}

/** Stderr split into each stack's block ("plan: stack X ..." up to the next one). */
function blocks(stderr: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const block of stderr.split(/^(?=plan: stack )/m)) {
        const m = /^plan: stack (\S+)/.exec(block);
        if (m) out.set(m[1], block);
    }
    return out;
}

describe("plan --all with broken stacks", () => {
    const dirs: string[] = [];
    let project: string;
    let planDir: string;
    let result: ReturnType<typeof node>;
    let byStack: Map<string, string>;
    let duplicateLine: number;

    before(() => {
        project = copyProject();
        dirs.push(project);
        planDir = path.join(project, "plan");
        const east = path.join(project, "Pulumi.us-east-1.yaml");
        fs.appendFileSync(east, "  bookedbarber:azCount: nine\n");
        const tokyo = path.join(project, "Pulumi.ap-northeast-1.yaml");
        duplicateLine = fs.readFileSync(tokyo, "utf8").split("\n").length;
        fs.appendFileSync(tokyo, "  bookedbarber:zone: apac\n");
        // Plans from an earlier, healthy run: each would pass policy-check if left in place.
        fs.mkdirSync(planDir);
        for (const s of ["us-east-1", "us-west-2", "ap-northeast-1", "global"]) {
            fs.writeFileSync(path.join(planDir, `${s}.json`), JSON.stringify({ project: "bookedbarber", stack: s, resources: [] }));
        }
        result = node("plan.js", ["--all", "--quiet", "--root", project, "--out", planDir]);
        byStack = blocks(result.err);
    });

    after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("reports each broken stack's own problem under that stack only, naming the file", () => {
        expect(result.code).to.equal(1);
        expect(byStack.get("us-east-1")).to.contain("bookedbarber:azCount = nine: must be an integer").and.contain("Pulumi.us-east-1.yaml");
        expect(byStack.get("ap-northeast-1")).to.contain(`Pulumi.ap-northeast-1.yaml:${duplicateLine}:3: YAML syntax error: Map keys must be unique`);
        for (const [stack, text] of byStack) {
            if (stack !== "us-east-1") expect(text, stack).not.to.contain("azCount");
            if (stack !== "ap-northeast-1") expect(text, stack).not.to.contain("Map keys must be unique");
        }
        expect(result.err).not.to.contain("error serializing property");
        expect(result.err).not.to.match(/\n\s+at /);
    });

    it("plans the healthy stacks, including a standby whose primary is healthy", () => {
        for (const s of ["ap-southeast-1", "eu-west-1", "eu-central-1"]) {
            expect(byStack.has(s), `${s}: ${byStack.get(s)}`).to.equal(false);
            const plan = JSON.parse(fs.readFileSync(path.join(planDir, `${s}.json`), "utf8")) as PlanFile;
            expect(plan.resources.length, s).to.be.greaterThan(100);
        }
        expect(result.out).to.match(/2 failed \((us-east-1, ap-northeast-1|ap-northeast-1, us-east-1)\); 2 waiting on a failed stack \(us-west-2, global\)/);
        expect(result.out).to.match(/FAILED: .*us-east-1/);
    });

    it("says which stack a dependent waits on instead of running it on missing outputs", () => {
        expect(byStack.get("us-west-2")).to.match(/^plan: stack us-west-2 was not planned:\n\s+waits on stack us-east-1 \(failed\)/);
        expect(byStack.get("global")).to.contain("waits on stacks us-east-1 (failed), us-west-2 (waiting on us-east-1) and ap-northeast-1 (failed)");
        expect(byStack.get("global")).to.contain("fix us-east-1, ap-northeast-1 first");
    });

    it("replaces the previous plan of every stack that did not plan with a file marked failed", () => {
        for (const s of ["us-east-1", "us-west-2", "ap-northeast-1", "global"]) {
            const marker = JSON.parse(fs.readFileSync(path.join(planDir, `${s}.json`), "utf8")) as FailedPlanFile;
            expect(marker, s).to.include({ stack: s, project: "bookedbarber" });
            expect(marker.failed.error, s).to.be.a("string").and.not.equal("");
            expect(marker, s).not.to.have.property("resources");
        }
        expect(JSON.parse(fs.readFileSync(path.join(planDir, "us-west-2.json"), "utf8")).failed.waitingOn).to.deep.equal(["us-east-1"]);
    });

    it("policy-check refuses every failed plan, naming each file, and still judges healthy ones", async () => {
        const files = fs.readdirSync(planDir).map((f) => path.join(planDir, f));
        const r = node("policy-check.js", files);
        expect(r.code).to.equal(2);
        for (const s of ["us-east-1", "us-west-2", "ap-northeast-1", "global"]) {
            expect(r.err).to.contain(`${path.join(planDir, `${s}.json`)}: stack ${s} has no current plan`);
        }
        expect(r.err).to.contain("failed: stack config of 'us-east-1'");
        expect(r.err).to.contain("waits on us-east-1, which did not plan");
        expect(r.err).not.to.match(/\n\s+at /);
        const out: string[] = [];
        expect(await policyCheck([path.join(planDir, "eu-west-1.json")], (line) => out.push(line)), out.join("\n")).to.equal(0);
    });
});

describe("plan with a broken Pulumi.yaml", () => {
    it("stops before any stack, naming the file and line, without a stack trace", () => {
        const project = copyProject();
        try {
            const file = path.join(project, "Pulumi.yaml");
            const lines = fs.readFileSync(file, "utf8").split("\n");
            const at = lines.findIndex((l) => l.startsWith("config:")) + 2;
            lines.splice(at - 1, 0, "\tbroken: true");
            fs.writeFileSync(file, lines.join("\n"));
            const r = node("plan.js", ["--all", "--root", project, "--out", path.join(project, "plan")]);
            expect(r.code).to.equal(2);
            expect(r.err.trim().split("\n")[0]).to.equal(`plan: Pulumi.yaml:${at}:1: YAML syntax error: Tabs are not allowed as indentation`);
            expect(r.err).not.to.match(/\n\s+at /);
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });
});

class Late extends pulumi.CustomResource {
    constructor(inputs: pulumi.Inputs = {}) {
        super("test:index:Late", "late", inputs);
    }
}

describe("stack runs in one process", () => {
    it("a failed run's leftovers do not fail, or count against, the next stack", async () => {
        const bad = await runStack({ stack: "us-east-1", configOverrides: { "bookedbarber:azCount": "nine" } });
        expect(bad.error?.message).to.contain("bookedbarber:azCount = nine");
        // The next run only waits: anything that fails it came from the run before.
        const next = await runStack({ stack: "ap-southeast-1", program: () => new Promise((resolve) => setTimeout(() => resolve({}), 300)) });
        expect(next.error, next.error?.message).to.equal(undefined);
    });

    it("a failed run's late registrations go to its own engine, never into the next stack's plan", async () => {
        const leaky = async (): Promise<Record<string, unknown>> => {
            // Work the failed program left pending for a few turns of the event loop, as a chain of applies does.
            const later = (turns: number, f: () => void): unknown => (turns === 0 ? f() : setImmediate(() => later(turns - 1, f)));
            later(3, () => new Late());
            throw new Error("early failure");
        };
        const bad = await runStack({ stack: "eu-west-1", program: leaky });
        expect(bad.error?.message).to.equal("early failure");
        const next = await runStack({ stack: "eu-central-1", program: () => new Promise((resolve) => setTimeout(() => resolve({}), 100)) });
        expect(next.error).to.equal(undefined);
        expect(next.resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
    });

    it("reports a missing stack reference by its cause, not the SDK's chain of serializing errors", async () => {
        // As a standby planned without its primary: a resource input nested in objects reads a reference nobody supplied.
        const program = async () => {
            const primary = new pulumi.StackReference("bookedbarber/bookedbarber/us-east-1");
            new Late({ spec: { template: { id: primary.requireOutput("id") } } });
            return {};
        };
        const run = await runStack({ stack: "us-west-2", program });
        expect(run.error?.message, "the raw error carries the chain").to.contain('error serializing property "');
        const shown = describeError(run.error!);
        expect(shown).not.to.contain("error serializing property");
        expect(shown).to.match(
            /^failed to read resource .*no outputs were supplied for the stack reference 'bookedbarber\/bookedbarber\/us-east-1'.* \(reached through the input "spec"\)$/s,
        );
    });
});
