import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../stacks/stack-files";
import { PlanFile } from "../../tools/offline/plan-file";
import { REGIONAL_OUTPUT_NAMES } from "../../stacks/contract";
import { runStack } from "../../tools/offline/stack-runner";
import { GLOBAL_READS } from "../../stacks/regional-reader";
import { allOutputs } from "../support/fixtures";

const root = projectRoot();
const planJs = path.join(root, "dist", "tools", "plan.js");

function plan(...args: string[]) {
    const r = spawnSync(process.execPath, [planJs, ...args], { encoding: "utf8", cwd: root });
    return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("npm run plan", () => {
    let out: string;
    let all: ReturnType<typeof plan>;
    before(() => {
        out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        all = plan("--all", "--quiet", "--out", out);
    });
    after(() => fs.rmSync(out, { recursive: true, force: true }));

    it("plans every stack in wave order; the global plan resolves every reference the regional plans export", () => {
        const files = fs.readdirSync(out).sort();
        const regional = files
            .filter((f) => f !== "global.json" && f !== "bootstrap.json")
            .map((f) => JSON.parse(fs.readFileSync(path.join(out, f), "utf8")) as PlanFile);
        expect(regional.map((p) => p.stack).sort()).to.deep.equal(["ap-northeast-1", "ap-southeast-1", "eu-central-1", "eu-west-1", "us-east-1", "us-west-2"]);
        expect(all.out).to.contain("no cloud API was called");
        const missing = regional.flatMap((p) => GLOBAL_READS.filter((n) => !(n in p.outputs)).map((n) => ({ stack: p.stack, name: n })));
        expect(missing, "every name the global stack reads is a regional output").to.deep.equal([]);
        expect(all.err).to.equal("");
        expect(all.code).to.equal(0);
        expect(files).to.include.members(["bootstrap.json", "global.json"]);
    });

    it("writes the design's plan format, with the contract's outputs in every regional plan", () => {
        for (const f of fs.readdirSync(out)) {
            const p = JSON.parse(fs.readFileSync(path.join(out, f), "utf8")) as PlanFile;
            expect(p).to.include.keys("project", "stack", "config", "resources", "outputs", "policies");
            expect(
                p.policies.violations.filter((v) => v.level === "mandatory"),
                p.stack,
            ).to.deep.equal([]);
            for (const r of p.resources) expect(r).to.include.keys("urn", "type", "name", "parent", "provider", "inputs");
            if (p.stack !== "global" && p.stack !== "bootstrap") {
                expect(Object.keys(p.outputs)).to.include.members([...REGIONAL_OUTPUT_NAMES]);
                // What the stack looks up rather than creates, once per distinct call, for the prerequisites check.
                expect(p.invokes!.map((i) => i.token)).to.include("aws:ec2/getManagedPrefixList:getManagedPrefixList");
                expect(new Set(p.invokes!.map((i) => JSON.stringify(i))).size).to.equal(p.invokes!.length);
                const lb = p.resources.find((r) => r.type === "aws:lb/loadBalancer:LoadBalancer")!;
                expect(lb.identity!.dnsName).to.equal((p.outputs.ingress as { dnsName: string }).dnsName);
            }
            expect(p.readiness!.map((s) => s.title)).to.include("prerequisites");
        }
    });

    it("prints a summary by component and type for one stack, planning what it reads first", () => {
        const one = plan("--stack", "us-west-2", "--out", out, "--verbose");
        expect(one.code).to.equal(0);
        expect(one.out).to.match(/Stack us-west-2 \(standby, us-west-2\): \d+ resources/);
        // Resources count under their top-level component: the stack's Network has the flow-log group, RegionalCluster the control plane's.
        expect(one.out).to.match(/RegionalCluster bb-usw2: \d+\n(\s+\d+\s+aws:acm\/.*\n)*\s+1\s+aws:cloudwatch\/logGroup:LogGroup/);
        expect(one.out).to.match(/Network bb-usw2-net: \d+\n\s+1\s+aws:cloudwatch\/logGroup:LogGroup\n/);
        expect(one.out).to.match(/policies: 0 mandatory, \d+ advisory violations?/);
    });

    it("refuses an unknown stack with the list of valid ones, and bad flags with usage, without a stack trace", () => {
        const unknown = plan("--stack", "mars-1");
        expect(unknown.code).to.equal(2);
        expect(unknown.err.trim()).to.equal(
            "plan: unknown stack mars-1; valid stacks are: ap-northeast-1, ap-southeast-1, bootstrap, eu-central-1, eu-west-1, global, us-east-1, us-west-2",
        );
        const bad = plan("--stacks", "x");
        expect(bad.code).to.equal(2);
        expect(bad.err).to.contain('unknown flag "--stacks" (did you mean --stack?)');
        expect(bad.err).not.to.match(/\n\s+at /);
    });
});

describe("npm run plan with broken stack config", () => {
    let project: string | undefined;
    after(() => project && fs.rmSync(project, { recursive: true, force: true }));

    it("exits non-zero with one message per problem, each naming the key, and no stack trace", () => {
        project = fs.mkdtempSync(path.join(os.tmpdir(), "project-"));
        for (const f of fs.readdirSync(root).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) fs.copyFileSync(path.join(root, f), path.join(project, f));
        const file = path.join(project, "Pulumi.eu-west-1.yaml");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8") + "  bookedbarber:azCount: three\n  bookedbarber:flowLogRetentionDays: 30\n");
        const r = plan("--root", project, "--stack", "eu-west-1", "--out", path.join(project, "plan"));
        expect(r.code).to.equal(1);
        expect(r.err).to.contain("plan: stack eu-west-1 failed");
        expect(r.err).to.contain("bookedbarber:azCount = three: must be an integer");
        expect(r.err).to.contain("bookedbarber:flowLogRetentionDays = 30: must be a CloudWatch retention period of at least 365 days");
        expect(r.err).not.to.match(/\n\s+at /);
        const written = JSON.parse(fs.readFileSync(path.join(project, "plan", "eu-west-1.json"), "utf8"));
        expect(written, "no plan for a failed stack, only the marker").not.to.have.property("resources");
        expect(written.failed.error).to.contain("bookedbarber:azCount = three");
    });

    it("refuses a --root without a Pulumi.yaml", () => {
        const r = plan("--root", os.tmpdir(), "--all");
        expect(r.code).to.equal(2);
        expect(r.err).to.contain("no Pulumi.yaml there");
    });
});

describe("global stack references", () => {
    it("resolves every regional stack's outputs through StackReference", async () => {
        const run = await runStack({ stack: "global", stackReferences: await allOutputs() });
        expect(run.error).to.equal(undefined);
        const refs = run.resources.filter((r) => r.type === "pulumi:pulumi:StackReference");
        expect(refs.map((r) => r.inputs.name)).to.have.members(
            ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1", "bootstrap"].map(
                (s) => `bookedbarber/bookedbarber/${s}`,
            ),
        );
    });

    it("fails with a message naming the stack and the output when a regional output is missing", async () => {
        const outputs = await allOutputs();
        for (const name of ["vpcCidr", "ingress", "shards"]) {
            const broken = { ...outputs, "eu-west-1": { ...outputs["eu-west-1"], [name]: undefined } };
            const run = await runStack({ stack: "global", stackReferences: broken });
            expect(run.error?.message).to.contain(`Required output '${name}' does not exist on stack 'bookedbarber/bookedbarber/eu-west-1'`);
            expect(
                run.resources.filter((r) => r.custom && r.type.startsWith("aws:")),
                "nothing is built on a missing output",
            ).to.deep.equal([]);
        }
    });
});
