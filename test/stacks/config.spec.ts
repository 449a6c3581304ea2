import { expect } from "chai";
import { cidrsOverlap, ConfigError, parseStackConfig, RegionalConfig } from "../../stacks/config";
import { listStacks, readStackConfig, siblingStacks } from "../../stacks/stack-files";
import { runStack } from "../../tools/offline/stack-runner";
import { REGIONAL_STACKS, registeredBesidesStack } from "../support/fixtures";

function problemsOf(f: () => unknown): string[] {
    try {
        f();
    } catch (err) {
        if (err instanceof ConfigError) return [...err.problems];
        throw err;
    }
    throw new Error("expected a ConfigError");
}

const base = () => readStackConfig("eu-west-1");

describe("stack config", () => {
    it("every stack file parses, with the role, zone and region it declares", () => {
        expect(listStacks()).to.have.members([...REGIONAL_STACKS, "global", "bootstrap"]);
        for (const stack of listStacks()) {
            const cfg = parseStackConfig(readStackConfig(stack), stack, "bookedbarber", siblingStacks());
            expect(cfg.region).to.equal(stack === "global" || stack === "bootstrap" ? "us-east-1" : stack);
            if (cfg.role === "primary" || cfg.role === "standby") {
                expect(cfg.network.azs).to.have.length(3);
                expect(cfg.tags).to.include({ app: "bookedbarber", zone: cfg.zone, region: stack });
            }
        }
    });

    it("every regional VPC CIDR is disjoint from every other's", () => {
        const cidrs = REGIONAL_STACKS.map((s) => [s, readStackConfig(s)["bookedbarber:vpcCidr"]] as const);
        for (const [a, ca] of cidrs) {
            for (const [b, cb] of cidrs) {
                if (a !== b) expect(cidrsOverlap(ca, cb), `${a} ${ca} vs ${b} ${cb}`).to.equal(false);
            }
        }
    });

    it("reports every problem at once, each naming the key, the value and what is allowed", () => {
        const raw = { ...base(), "bookedbarber:azCount": "two", "bookedbarber:role": "leader", "aws:region": "mars-1", "bookedbarber:vpcCidr": "10.0.0.0/8" };
        const problems = problemsOf(() => parseStackConfig(raw, "eu-west-1"));
        expect(problems).to.include("bookedbarber:azCount = two: must be an integer");
        expect(problems).to.include('bookedbarber:role = "leader": must be one of primary, standby, global, bootstrap');
        expect(problems.find((p) => p.startsWith('aws:region = "mars-1": must be one of us-east-1'))).to.be.a("string");
        expect(problems.find((p) => p.startsWith('bookedbarber:vpcCidr = "10.0.0.0/8": must have a prefix from /16 to /20'))).to.be.a("string");
    });

    it("refuses an overlapping CIDR, naming the other stack", () => {
        const problems = problemsOf(() =>
            parseStackConfig({ ...base(), "bookedbarber:vpcCidr": "10.10.128.0/17" }, "eu-west-1", "bookedbarber", siblingStacks()),
        );
        expect(problems).to.deep.equal([
            'bookedbarber:vpcCidr = "10.10.128.0/17": overlaps stack us-east-1\'s 10.10.0.0/16; regional VPCs are peered and must be disjoint',
        ]);
    });

    it("refuses a zone that does not match the region, and a role the topology does not give the region", () => {
        expect(problemsOf(() => parseStackConfig({ ...base(), "bookedbarber:zone": "us" }, "eu-west-1"))).to.include.members([
            'bookedbarber:zone = "us": region eu-west-1 belongs to zone eu',
        ]);
        expect(problemsOf(() => parseStackConfig({ ...base(), "bookedbarber:role": "standby", "bookedbarber:primaryStack": "x" }, "eu-west-1"))).to.deep.equal([
            'bookedbarber:role = "standby": the eu zone\'s standby region is eu-central-1, not eu-west-1 (docs/design.md#topology)',
        ]);
    });

    it("requires role-specific keys and refuses keys of other roles and unknown keys", () => {
        const raw = { ...readStackConfig("us-west-2") };
        delete raw["bookedbarber:primaryStack"];
        raw["bookedbarber:regionalStacks"] = '["us-east-1"]';
        raw["bookedbarber:vpcCidrr"] = "10.0.0.0/16";
        const problems = problemsOf(() => parseStackConfig(raw, "us-west-2"));
        expect(problems.find((p) => p.startsWith("bookedbarber:primaryStack is required for a standby stack"))).to.be.a("string");
        expect(problems).to.include("bookedbarber:regionalStacks does not apply to a standby stack (only global); remove it");
        expect(problems.find((p) => p.startsWith("bookedbarber:vpcCidrr is not a known key"))).to.be.a("string");
    });

    it("keeps the eu zone's data in the eu", () => {
        expect(problemsOf(() => parseStackConfig({ ...base(), "bookedbarber:keepDataInZone": "false" }, "eu-west-1"))).to.deep.equal([
            "bookedbarber:keepDataInZone = false: the eu zone must keep its data in the EU (GDPR data residency); allowed: true",
        ]);
        const us = parseStackConfig({ ...readStackConfig("us-east-1"), "bookedbarber:keepDataInZone": "false" }, "us-east-1") as RegionalConfig;
        expect(us.keepDataInZone).to.equal(false);
    });

    it("checks retention, AZ count and list types", () => {
        const problems = problemsOf(() =>
            parseStackConfig(
                { ...base(), "bookedbarber:flowLogRetentionDays": "30", "bookedbarber:azCount": "4", "bookedbarber:complianceScope": '["soc2","iso"]' },
                "eu-west-1",
            ),
        );
        expect(
            problems.find((p) => p.startsWith("bookedbarber:flowLogRetentionDays = 30: must be a CloudWatch retention period of at least 365 days")),
        ).to.be.a("string");
        expect(problems).to.include("bookedbarber:azCount = 4: eu-west-1 has 3 availability zones (eu-west-1a, eu-west-1b, eu-west-1c)");
        expect(problems.find((p) => p.startsWith('bookedbarber:complianceScope = ["soc2","iso"]: contains "iso"'))).to.be.a("string");
    });

    describe("the program with broken config", () => {
        const cases: [string, Record<string, string | undefined>, string][] = [
            ["a wrong type", { "bookedbarber:azCount": "three" }, "bookedbarber:azCount = three: must be an integer"],
            ["an unknown role", { "bookedbarber:role": "replica" }, 'bookedbarber:role = "replica": must be one of primary, standby, global'],
            ["an overlapping CIDR", { "bookedbarber:vpcCidr": "10.11.0.0/16" }, "overlaps stack us-west-2's 10.11.0.0/16"],
            ["a bad region", { "aws:region": "eu-west-9" }, 'aws:region = "eu-west-9": must be one of'],
        ];
        for (const [what, overrides, message] of cases) {
            it(`fails on ${what}, names the key and registers nothing`, async () => {
                const run = await runStack({ stack: "eu-west-1", configOverrides: overrides });
                expect(run.error, "the run must fail").to.be.instanceOf(ConfigError);
                expect(run.error!.message).to.contain(message);
                expect(registeredBesidesStack(run)).to.deep.equal([]);
            });
        }
    });
});
