import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../stacks/stack-files";
import { CapturedResource } from "../../tools/offline/mock-engine";
import { summarize, toPlanFile } from "../../tools/offline/plan-file";
import { evaluatePolicies } from "../../tools/offline/policy-runner";
import { InputError, policyCheck } from "../../tools/policy-check";
import { allStacks } from "../support/fixtures";

const root = projectRoot();
const checkJs = path.join(root, "dist", "tools", "policy-check.js");

function check(...args: string[]) {
    const r = spawnSync(process.execPath, [checkJs, ...args], { encoding: "utf8", cwd: root, env: { ...process.env, INIT_CWD: root } });
    return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("npm run policy-check", () => {
    let dir: string;
    let good: string;
    let bad: string;
    let badUrn: string;
    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-check-"));
        // A plan clean by construction: eu-west-1's foundation (stack, provider, keys, network, continuous compliance), which no
        // later component changes, so the clean case does not depend on every other component being clean.
        const full = (await allStacks())["eu-west-1"];
        const byUrn = new Map(full.resources.map((r) => [r.urn, r]));
        const inFoundation = (r: CapturedResource): boolean => {
            for (let p: CapturedResource | undefined = r; p; p = p.parent ? byUrn.get(p.parent) : undefined) {
                if (["bookedbarber:network:Network", "bookedbarber:security:RegionalKeys", "bookedbarber:compliance:ContinuousCompliance"].includes(p.type))
                    return true;
            }
            return r.type === "pulumi:pulumi:Stack" || r.type === "pulumi:providers:aws";
        };
        const run = { ...full, resources: full.resources.filter(inFoundation) };
        const report = await evaluatePolicies(run.resources);
        expect(
            report.violations.filter((v) => v.level === "mandatory"),
            "the foundation plan is clean",
        ).to.deep.equal([]);
        expect(run.resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")).to.have.length.greaterThan(0);
        const plan = toPlanFile(run, report);
        good = path.join(dir, "eu-west-1.json");
        fs.writeFileSync(good, JSON.stringify(plan));
        // The committed plan format, with one log group's key removed.
        const broken = JSON.parse(JSON.stringify(plan));
        const lg = broken.resources.find((r: { type: string }) => r.type === "aws:cloudwatch/logGroup:LogGroup");
        delete lg.inputs.kmsKeyId;
        badUrn = lg.urn;
        bad = path.join(dir, "broken.json");
        fs.writeFileSync(bad, JSON.stringify(broken));
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("passes a clean plan file with exit 0", () => {
        const r = check(good);
        expect(r.err).to.equal("");
        expect(r.code).to.equal(0);
        expect(r.out).to.contain("stack eu-west-1").and.to.contain("0 mandatory").and.to.contain("no mandatory violations");
    });

    it("prints each violation with policy, urn and message, and exits 1 on a mandatory one", () => {
        const r = check(good, bad);
        expect(r.code).to.equal(1);
        // Grouped by rule: the rule once, its message once, the resources under it.
        expect(r.out).to.contain(`[mandatory] cloudwatch-logs-encrypted-with-cmk (1 violation)\n`);
        expect(r.out).to.contain(`\n      - ${badUrn}\n`);
        expect(r.out).to.contain("Remediation: set kmsKeyId");
    });

    it("takes the CLI's pack config: a rule made advisory no longer fails the check", () => {
        const cfg = path.join(dir, "config.json");
        fs.writeFileSync(cfg, JSON.stringify({ "cloudwatch-logs-encrypted-with-cmk": "advisory" }));
        const r = check("--config", cfg, bad);
        expect(r.code).to.equal(0);
        expect(r.out).to.contain("[advisory] cloudwatch-logs-encrypted-with-cmk");
    });

    it("refuses a missing file with exit 2, naming the file, without a stack trace", () => {
        const missing = check(path.join(dir, "nope.json"));
        expect(missing.code).to.equal(2);
        expect(missing.err).to.contain("nope.json: cannot read the plan file (no such file)");
        expect(missing.err).not.to.match(/\n\s+at /);
    });

    // In-process from here: the same code path, without a node start per case.
    const refused = async (args: string[]): Promise<string> => {
        const out: string[] = [];
        try {
            await policyCheck(args, (s) => out.push(s));
        } catch (err) {
            expect(err).to.be.instanceOf(InputError);
            expect(out, "nothing is judged before every file has been read").to.deep.equal([]);
            return (err as Error).message;
        }
        throw new Error(`policy-check accepted ${args.join(" ")}`);
    };

    it("refuses malformed JSON and a file that is not a plan, naming the file and what is wrong, before judging any plan", async () => {
        const garbled = path.join(dir, "garbled.json");
        fs.writeFileSync(garbled, '{ "stack": ');
        expect(await refused([good, garbled])).to.contain("garbled.json:1:11: the plan file is not valid JSON");
        const notPlan = path.join(dir, "not-plan.json");
        fs.writeFileSync(notPlan, JSON.stringify({ stack: "x", resources: [{ urn: "u", type: "t" }] }));
        expect(await refused([notPlan])).to.contain("not-plan.json: not a plan file: resources[0].name is missing or not a string");
        fs.writeFileSync(notPlan, JSON.stringify([1, 2]));
        expect(await refused([notPlan])).to.contain("not a plan file: the top level is not an object");
        expect(await refused([dir])).to.contain("cannot read the plan file (it is a directory)");
    });

    it("refuses no files, unknown flags and a bad pack config with usage", async () => {
        expect(await refused([]))
            .to.contain("give at least one plan file")
            .and.to.contain("usage: npm run policy-check");
        expect(await refused(["--strict", good])).to.contain('unknown flag "--strict"');
        const cfg = path.join(dir, "bad-config.json");
        fs.writeFileSync(cfg, "[]");
        expect(await refused(["--config", cfg, good])).to.contain("must be an object keyed by policy name");
    });
});

describe("plan summary", () => {
    it("prints the policy verdict and every violation with policy, urn and message", async () => {
        const run = (await allStacks())["us-east-1"];
        const plan = toPlanFile(run, {
            violations: [{ policy: "kms-key-rotation", level: "mandatory", urn: "urn:x", message: "enableKeyRotation is not true." }],
        });
        const text = summarize(plan);
        expect(text).to.contain("policies: 1 mandatory, 0 advisory violations");
        expect(text).to.contain("[mandatory] kms-key-rotation: urn:x\n        enableKeyRotation is not true.");
    });
});
