import type { ResourceValidationArgs } from "@pulumi/policy";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ENFORCEMENT_LEVELS, packConfigProblems } from "../../policies/lib/pack-config";
import { resourceRule, Rule } from "../../policies/lib/rule";
import { RULES } from "../../policies/rules";
import { evaluatePolicies, PackConfigError } from "../../tools/offline/policy-runner";
import { InputError, policyCheck } from "../../tools/policy-check";
import { res, stack } from "./helpers";

/** Two rules that flag every S3 bucket: one mandatory, one advisory by default; `minDays` is the only property. */
const flagger = (name: string, level: "mandatory" | "advisory") =>
    resourceRule<{ minDays: number }>({
        name,
        description: `Flags buckets (${name}).`,
        enforcementLevel: level,
        severity: "low",
        domain: "operations",
        frameworks: ["soc2"],
        topics: ["test"],
        resourceTypes: ["aws:s3/bucket:Bucket"],
        remediation: "none.",
        config: { minDays: { type: "integer", default: 1, description: "A number." } },
        check: (_s, report) => report("flagged."),
    });
const RULE_A = flagger("rule-alpha", "mandatory");
const RULE_B = flagger("rule-beta", "advisory");
const TEST_RULES: Rule[] = [RULE_A, RULE_B];

describe("policy pack config validation", () => {
    it("accepts the Pulumi format: levels, objects with enforcementLevel and declared properties, and all", () => {
        expect(
            packConfigProblems({ all: "advisory", "rule-alpha": { enforcementLevel: "remediate", minDays: 3 }, "rule-beta": "disabled" }, TEST_RULES),
        ).to.deep.equal([]);
        expect(packConfigProblems({ all: { enforcementLevel: "mandatory" } }, TEST_RULES)).to.deep.equal([]);
        expect(packConfigProblems({}, TEST_RULES)).to.deep.equal([]);
    });

    it("knows exactly @pulumi/policy's enforcement levels: the SDK maps each, and refuses anything else", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal module of the SDK, no typings
        const { mapEnforcementLevel } = require("@pulumi/policy/protoutil");
        for (const level of ENFORCEMENT_LEVELS) expect(() => mapEnforcementLevel(level), level).not.to.throw();
        expect(() => mapEnforcementLevel("warn")).to.throw();
    });

    it("refuses an unknown policy, suggesting the nearest, or listing them all when nothing is near", () => {
        expect(packConfigProblems({ "rule-alpah": "advisory" }, TEST_RULES)).to.deep.equal([
            '"rule-alpah" is not a policy of this pack (did you mean rule-alpha?); allowed keys: "all" and the pack\'s 2 policy names (docs/compliance.md lists them)',
        ]);
        expect(packConfigProblems({ "no-such-thing": "advisory" }, TEST_RULES)).to.deep.equal([
            '"no-such-thing" is not a policy of this pack; allowed keys: "all" and the pack\'s 2 policy names: rule-alpha, rule-beta',
        ]);
        // The real pack: a typo of a real rule name.
        const [problem] = packConfigProblems({ "kms-key-rotaton": "disabled" }, RULES);
        expect(problem).to.contain('"kms-key-rotaton" is not a policy of this pack (did you mean kms-key-rotation?)');
    });

    it("refuses an invalid enforcement level, as a string, in an object and under all, naming the key, the value and the allowed levels", () => {
        const problems = packConfigProblems({ all: "mandatroy", "rule-alpha": { enforcementLevel: "block" }, "rule-beta": "warn" }, TEST_RULES);
        expect(problems).to.deep.equal([
            'all = "mandatroy": not an enforcement level (did you mean mandatory?); allowed: advisory, mandatory, remediate, disabled',
            'rule-alpha.enforcementLevel = "block": not an enforcement level; allowed: advisory, mandatory, remediate, disabled',
            'rule-beta = "warn": not an enforcement level; allowed: advisory, mandatory, remediate, disabled',
        ]);
    });

    it("refuses an unknown property, a property of the wrong type, a value of the wrong shape, and properties under all", () => {
        expect(
            packConfigProblems({ "rule-alpha": { minDay: 3 }, "rule-beta": { minDays: "3" }, all: { enforcementLevel: "advisory", minDays: 1 } }, TEST_RULES),
        ).to.deep.equal([
            "rule-alpha.minDay: not a property of policy rule-alpha (did you mean minDays?); allowed: enforcementLevel, minDays",
            'rule-beta.minDays = "3": must be an integer',
            'all.minDays: "all" takes only enforcementLevel',
        ]);
        expect(packConfigProblems({ "rule-alpha": 3 }, TEST_RULES)[0]).to.contain(
            "rule-alpha = 3: must be an enforcement level (advisory, mandatory, remediate, disabled) or an object",
        );
        expect(packConfigProblems(["rule-alpha"], TEST_RULES)[0]).to.contain("the top level must be an object keyed by policy name");
    });

    it("the runner refuses a bad config instead of running with the rule's default", async () => {
        const buckets = stack(res("aws:s3/bucket:Bucket", {}));
        const err = await evaluatePolicies(buckets, { rules: TEST_RULES, config: { "rule-alpah": "disabled" } }).then(
            () => undefined,
            (e) => e,
        );
        expect(err).to.be.instanceOf(PackConfigError);
        expect((err as Error).message).to.contain("did you mean rule-alpha?");
    });

    it("applies all to every policy, and a policy's own entry over all", async () => {
        const buckets = stack(res("aws:s3/bucket:Bucket", {}));
        const levels = async (config: Record<string, unknown>) =>
            (await evaluatePolicies(buckets, { rules: TEST_RULES, config: config as never })).violations.map((v) => `${v.policy}:${v.level}`).sort();
        expect(await levels({})).to.deep.equal(["rule-alpha:mandatory", "rule-beta:advisory"]);
        expect(await levels({ all: "disabled" })).to.deep.equal([]);
        expect(await levels({ all: "mandatory" })).to.deep.equal(["rule-alpha:mandatory", "rule-beta:mandatory"]);
        expect(await levels({ all: "disabled", "rule-beta": { enforcementLevel: "mandatory" } })).to.deep.equal(["rule-beta:mandatory"]);
    });

    it("a rule run by the real engine with a property it does not declare fails instead of using its default", () => {
        const args = {
            type: "aws:s3/bucket:Bucket",
            props: {},
            urn: "urn:x",
            name: "x",
            getConfig: () => ({ minDay: 3 }),
        } as unknown as ResourceValidationArgs;
        expect(() => (RULE_A as { validateResource: (a: ResourceValidationArgs, r: () => void) => void }).validateResource(args, () => undefined)).to.throw(
            'pack config for policy rule-alpha: "minDay" (did you mean minDays?) is not a property of it; allowed: enforcementLevel, minDays',
        );
    });
});

describe("policy-check --config", () => {
    let dir: string;
    let plan: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-config-"));
        plan = path.join(dir, "plan.json");
        fs.writeFileSync(plan, JSON.stringify({ stack: "s", resources: [] }));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const refusal = async (name: string, text: string): Promise<string> => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, text);
        const out: string[] = [];
        const err = await policyCheck(["--config", file, plan], (s) => out.push(s)).then(
            () => undefined,
            (e) => e,
        );
        expect(err, "refused").to.be.instanceOf(InputError);
        expect(out, "nothing judged").to.deep.equal([]);
        return (err as Error).message;
    };

    it("refuses an unknown rule and an invalid level, naming the file, each key, the bad value and what is allowed", async () => {
        const msg = await refusal("typos.json", JSON.stringify({ "kms-key-rotaton": "disabled", "deletion-protection": "strict" }));
        expect(msg).to.contain(`${path.join(dir, "typos.json")}: the policy pack config has 2 problems:`);
        expect(msg).to.contain('"kms-key-rotaton" is not a policy of this pack (did you mean kms-key-rotation?)');
        expect(msg).to.contain('deletion-protection = "strict": not an enforcement level; allowed: advisory, mandatory, remediate, disabled');
    });

    it("names the line and column of a JSON syntax error", async () => {
        const msg = await refusal("syntax.json", '{\n  "all": "advisory",\n  "kms-key-rotation": disabled\n}\n');
        expect(msg).to.match(
            new RegExp(`^${path.join(dir, "syntax.json").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:3:23: the policy pack config is not valid JSON`),
        );
    });
});
