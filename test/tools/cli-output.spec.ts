import { expect } from "chai";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RULES } from "../../policies/rules";
import { projectRoot } from "../../stacks/stack-files";
import { CONFIG_SCHEMA, KeyDef } from "../../stacks/config-schema";
import { failedPlanFile, INLINE_VALUE_LIMIT, PlanFile } from "../../tools/offline/plan-file";
import { policyCheck } from "../../tools/policy-check";
import { diffPlan, formatDiff, REPLACE_ON_CHANGE_TABLE, StackDiff } from "../../tools/offline/diff/plan-diff";
import { validate } from "../support/json-schema-subset";

/**
 * What the tools print, on one real `plan --all --json --config <pack config>`
 * run (before hook) and a plan mutated from it: plan's three output sizes,
 * plan --config, policy-check's grouped report, --summary, --list-rules and
 * SARIF, and output that survives a pipe.
 */

const root = projectRoot();
const tool = (script: string) => path.join(root, "dist", "tools", script);
const shellEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/.test(k)));
const node = (script: string, args: string[]) => {
    const r = spawnSync(process.execPath, [tool(script), ...args], { encoding: "utf8", cwd: root, env: shellEnv });
    return { code: r.status, out: r.stdout, err: r.stderr };
};

/** Runs the tool with its stdout piped into `cat` and returns what came out of the far end, and the tool's exit code. */
function throughPipe(script: string, args: string[]): Promise<{ out: string; code: number | null }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [tool(script), ...args], { cwd: root, env: shellEnv, stdio: ["ignore", "pipe", "inherit"] });
        const cat = spawn("cat", [], { stdio: ["pipe", "pipe", "inherit"] });
        child.stdout.pipe(cat.stdin);
        let out = "";
        cat.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
        const exited = new Promise<number | null>((res) => child.on("close", (c) => res(c)));
        cat.on("error", reject);
        cat.on("close", () => void exited.then((code) => resolve({ out, code })));
    });
}

interface JsonRun {
    ok: boolean;
    evaluation: string;
    stacks: {
        stack: string;
        role: string;
        status: string;
        resources: number;
        mandatory: number;
        advisory: number;
        readinessProblems: string[];
        cost: { fixedOnDemand: number } | null;
        file: string;
    }[];
    totals: { planned: number; failed: string[]; waiting: string[]; mandatoryViolations: string[]; notReady: string[] };
}

describe("tool output", () => {
    let dir: string;
    let run: ReturnType<typeof node>;
    let json: JsonRun;
    let bad: string;
    const planFile = (stack: string) => path.join(dir, `${stack}.json`);
    const read = (stack: string) => JSON.parse(fs.readFileSync(planFile(stack), "utf8")) as PlanFile;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-out-"));
        // The pack config makes an advisory rule that fires on the global plan mandatory: plan must apply it.
        const cfg = path.join(dir, "pack-config.json");
        fs.writeFileSync(cfg, JSON.stringify({ "cloudfront-geo-restriction": "mandatory" }));
        run = node("plan.js", ["--all", "--json", "--out", dir, "--config", cfg]);
        json = JSON.parse(run.out) as JsonRun;
        // A plan with its encryption keys and tags removed: dozens of violations.
        const plan = read("eu-west-1");
        for (const res of plan.resources) for (const k of ["tags", "kmsKeyId", "kmsKeyArn"]) delete res.inputs[k];
        bad = path.join(dir, "bad", "eu-west-1.json");
        fs.mkdirSync(path.dirname(bad));
        fs.writeFileSync(bad, JSON.stringify(plan));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    describe("plan", () => {
        it("--json: one document with each stack's figures equal to its plan file, and totals naming the failed stacks", () => {
            expect(json.stacks.map((s) => s.stack).sort()).to.deep.equal([
                "ap-northeast-1",
                "ap-southeast-1",
                "bootstrap",
                "eu-central-1",
                "eu-west-1",
                "global",
                "us-east-1",
                "us-west-2",
            ]);
            for (const s of json.stacks) {
                const p = read(s.stack);
                expect(s.status).to.equal("planned");
                expect(s.resources, s.stack).to.equal(p.resources.length);
                expect(s.mandatory + s.advisory, s.stack).to.equal(p.policies.violations.length);
                expect(s.cost!.fixedOnDemand, s.stack).to.equal(p.cost!.fixed.onDemand);
                expect(path.resolve(root, s.file)).to.equal(planFile(s.stack));
            }
            expect(json.evaluation).to.contain("no cloud API was called");
        });

        it("--config applies the pack config: a rule made mandatory fails the stack it fires on", () => {
            const global = json.stacks.find((s) => s.stack === "global")!;
            expect(
                read("global")
                    .policies.violations.filter((v) => v.policy === "cloudfront-geo-restriction")
                    .map((v) => v.level),
            ).to.deep.equal(["mandatory"]);
            expect(global.mandatory).to.equal(1);
            expect(json.totals.mandatoryViolations).to.deep.equal(["global"]);
            expect(json.ok).to.equal(false);
            expect(run.code).to.equal(1);
            expect(run.err).to.contain("plan: stack global has 1 mandatory policy violation");
            // A config the pack refuses stops the run before any stack is planned.
            const wrong = path.join(dir, "wrong.json");
            fs.writeFileSync(wrong, JSON.stringify({ "no-such-rule": "mandatory" }));
            const out = path.join(dir, "never");
            const refused = node("plan.js", ["--stack", "bootstrap", "--out", out, "--config", wrong]);
            expect(refused.code).to.equal(2);
            expect(refused.err).to.contain("wrong.json: the policy pack config has 1 problem");
            expect(fs.existsSync(out)).to.equal(false);
        });

        it("default: one whole line per stack, then the offline notice once and a totals line naming failed stacks; --verbose: the full listing with the notice once", () => {
            const lines = node("plan.js", ["--stack", "bootstrap", "--stack", "eu-west-1", "--out", dir]);
            expect(lines.code, lines.err).to.equal(0);
            const rows = lines.out.trim().split("\n");
            expect(rows).to.have.length(4);
            const p = read("eu-west-1");
            expect(rows[1]).to.match(
                new RegExp(
                    `^eu-west-1\\s+primary\\s+${p.resources.length} resources\\s+0 mandatory\\s+${p.policies.violations.length} advisory\\s+0 readiness problems\\s+\\$[\\d,]+/month fixed\\s+wrote \\S+eu-west-1\\.json$`,
                ),
            );
            expect(rows[2]).to.contain("no cloud API was called");
            expect(rows[3]).to.match(/^planned 2 stacks in [\d.]+ s; 0 failed; .* all passed$/);
            const verbose = node("plan.js", ["--stack", "bootstrap", "--stack", "eu-west-1", "--out", dir, "--verbose"]);
            expect(verbose.out.split("no cloud API was called")).to.have.length(2);
            expect(verbose.out)
                .to.match(/Stack eu-west-1 \(primary, eu-west-1\): \d+ resources/)
                .and.to.match(/Stack bootstrap \(bootstrap, /);
            // No value is cut: short ones whole, long ones named with their length and where they are.
            expect(verbose.out).not.to.match(/\.\.\.\s*$/m);
            const long = Object.entries(p.outputs).filter(([, v]) => JSON.stringify(v).length > INLINE_VALUE_LIMIT);
            expect(long.length, "eu-west-1 has output values too long to print inline").to.be.greaterThan(0);
            for (const [k, v] of long) expect(verbose.out).to.contain(`    ${k}: (${JSON.stringify(v).length} characters; the whole value is outputs.${k} in `);
            for (const [k, v] of Object.entries(p.outputs).filter(([, v]) => JSON.stringify(v).length <= INLINE_VALUE_LIMIT))
                expect(verbose.out).to.contain(`    ${k}: ${JSON.stringify(v)}\n`);
        });
    });

    describe("plan file format", () => {
        const schema = () => JSON.parse(fs.readFileSync(path.join(root, "docs", "plan-file.schema.json"), "utf8"));

        it("every plan of the run, and the failed-stack marker, conform to docs/plan-file.schema.json", () => {
            for (const s of json.stacks) expect(validate(read(s.stack), schema()), s.stack).to.deep.equal([]);
            expect(validate(failedPlanFile("us-west-2", "waits on stack us-east-1", ["us-east-1"]), schema())).to.deep.equal([]);
            // The schema bites: a resource without options, a violation with an unknown level, an unknown top-level field.
            const p = read("eu-west-1") as unknown as Record<string, any>;
            delete p.resources[3].options;
            p.policies.violations.push({ policy: "x", level: "warning", urn: "u", message: "m" });
            p.extra = 1;
            expect(validate(p, schema()).join("\n")).to.match(/matches none of anyOf/);
            const plan = validate(p, schema().definitions.plan, schema());
            expect(
                plan.some((e) => /resources\[3\]: lacks required "options"/.test(e)),
                plan.join("\n"),
            ).to.equal(true);
            expect(plan.some((e) => /violations\[\d+\].level/.test(e))).to.equal(true);
            expect(plan.some((e) => /"extra" is not allowed/.test(e))).to.equal(true);
        });

        it("config values keep their schema types, and a stack lists only the keys its role reads", () => {
            for (const s of json.stacks) {
                const p = read(s.stack);
                const role = p.config["bookedbarber:role"] as string;
                for (const [k, v] of Object.entries(p.config)) {
                    if (!k.startsWith("bookedbarber:")) continue;
                    const def = (CONFIG_SCHEMA as Record<string, KeyDef<unknown>>)[k.slice("bookedbarber:".length)];
                    expect(def, `${s.stack} ${k} is in the schema`).to.not.equal(undefined);
                    expect(def.roles, `${s.stack} lists ${k}, which role ${role} does not read`).to.include(role);
                    if (def.secret) continue;
                    const want = { integer: "number", boolean: "boolean", string: "string", array: "array", object: "object" }[def.type];
                    expect(Array.isArray(v) ? "array" : typeof v, `${s.stack} ${k}`).to.equal(want);
                }
            }
            const eu = read("eu-west-1").config;
            expect(eu["bookedbarber:redisShards"]).to.be.a("number");
            expect(eu["bookedbarber:protect"]).to.equal(true);
            // A project default only the global stack reads is not in a regional plan, but is in the global one.
            const globalOnly = (Object.entries(CONFIG_SCHEMA) as [string, KeyDef<unknown>][])
                .filter(([, d]) => d.roles.length === 1 && d.roles[0] === "global" && d.default !== undefined)
                .map(([k]) => `bookedbarber:${k}`);
            expect(globalOnly.length).to.be.greaterThan(0);
            for (const k of globalOnly) {
                expect(eu, k).not.to.have.property(k);
                expect(read("global").config, k).to.have.property(k);
            }
        });
    });

    describe("plan --diff", () => {
        it("lists per stack the resources to create, delete, update (with changed input paths) and replace, flagging inputs that force replacement", () => {
            // The base: this run's eu-west-1 plan, changed the way an older plan would differ.
            const base = path.join(dir, "base");
            fs.mkdirSync(base);
            const p = read("eu-west-1");
            const subnet = p.resources.find((r) => r.type === "aws:ec2/subnet:Subnet")!;
            subnet.inputs.cidrBlock = "10.255.0.0/24"; // ForceNew in the provider: a replacement
            const logGroup = p.resources.find((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")!;
            logGroup.inputs.retentionInDays = 7; // updatable in place
            (logGroup.inputs.tags as Record<string, string>).Owner = "someone";
            const topic = p.resources.splice(
                p.resources.findIndex((r) => r.type === "aws:sns/topic:Topic"),
                1,
            )[0]; // new in this run
            const gone = { ...subnet, urn: `${subnet.urn}-old`, name: `${subnet.name}-old` }; // deleted by this run
            p.resources.push(gone);
            fs.writeFileSync(path.join(base, "eu-west-1.json"), JSON.stringify(p));
            const r = node("plan.js", ["--stack", "eu-west-1", "--out", path.join(dir, "head"), "--diff", base, "--json"]);
            expect(r.code, r.err).to.equal(0);
            const diff = (
                JSON.parse(r.out) as {
                    diff: {
                        stacks: { stack: string; added: string[]; removed: string[]; changed: { urn: string; paths: string[]; replaceBecause: string[] }[] }[];
                    };
                }
            ).diff.stacks;
            expect(diff.map((d) => d.stack)).to.deep.equal(["eu-west-1"]);
            expect(diff[0].added).to.deep.equal([topic.urn]);
            expect(diff[0].removed).to.deep.equal([gone.urn]);
            const byUrn = new Map(diff[0].changed.map((c) => [c.urn, c]));
            expect(byUrn.get(subnet.urn)).to.deep.include({ paths: ["cidrBlock"], replaceBecause: ["cidrBlock"] });
            expect(byUrn.get(logGroup.urn)).to.deep.include({ paths: ["retentionInDays", "tags.Owner"], replaceBecause: [] });
            expect(byUrn.size, "nothing else changed between two runs of the same config").to.equal(2);
            // The text view (what plan prints without --json), as a reviewer reads it.
            const text = formatDiff(diff as StackDiff[], base).join("\n");
            expect(text).to.contain("eu-west-1: 1 to create, 1 to delete, 1 to update, 1 to replace");
            expect(text).to.contain(`    +- ${subnet.urn}\n         replaced because cidrBlock cannot change in place\n         changed: cidrBlock`);
            expect(text).to.contain(`    ~  ${logGroup.urn}\n         changed: retentionInDays, tags.Owner`);
            // A folder that is not there stops the run before any stack is planned.
            const missing = node("plan.js", ["--stack", "eu-west-1", "--diff", path.join(dir, "nope")]);
            expect(missing.code).to.equal(2);
            expect(missing.err).to.contain("no such folder");
        });

        it("every aws:* type the plans create is in the replace-on-change table, or listed there as not yet sourced (a new type cannot slip by)", () => {
            const types = new Set(json.stacks.flatMap((s) => read(s.stack).resources.map((r) => r.type)).filter((t) => t.startsWith("aws:")));
            const known = new Set([
                ...Object.keys(REPLACE_ON_CHANGE_TABLE.types),
                ...Object.keys(REPLACE_ON_CHANGE_TABLE.noForceNew.types),
                ...REPLACE_ON_CHANGE_TABLE.notYetSourced.types,
            ]);
            expect(
                [...types].filter((t) => !known.has(t)),
                "add the type's ForceNew inputs to replace-on-change.json (or list it under noForceNew), or list it under notYetSourced",
            ).to.deep.equal([]);
            expect(
                REPLACE_ON_CHANGE_TABLE.notYetSourced.types.filter((t) => !types.has(t)),
                "listed as not yet sourced but no plan creates it",
            ).to.deep.equal([]);
            // The stateful and addressable types are sourced, not deferred.
            for (const t of [
                "aws:rds/cluster:Cluster",
                "aws:rds/clusterInstance:ClusterInstance",
                "aws:rds/globalCluster:GlobalCluster",
                "aws:elasticache/replicationGroup:ReplicationGroup",
                "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
                "aws:opensearch/domain:Domain",
                "aws:kms/key:Key",
                "aws:kms/alias:Alias",
                "aws:s3/bucket:Bucket",
                "aws:sqs/queue:Queue",
                "aws:secretsmanager/secret:Secret",
                "aws:eks/nodeGroup:NodeGroup",
                "aws:eks/addon:Addon",
                "aws:route53/zone:Zone",
                "aws:route53/record:Record",
                "aws:route53/healthCheck:HealthCheck",
                "aws:lb/loadBalancer:LoadBalancer",
                "aws:lb/targetGroup:TargetGroup",
                "aws:ec2/securityGroup:SecurityGroup",
                "aws:iam/role:Role",
                "aws:backup/vault:Vault",
                "aws:ecr/repository:Repository",
                "aws:lambda/function:Function",
                "aws:lambda/permission:Permission",
                "aws:sns/topic:Topic",
                "aws:sns/topicSubscription:TopicSubscription",
                "aws:cloudwatch/metricAlarm:MetricAlarm",
                "aws:elasticache/user:User",
                "aws:elasticache/userGroup:UserGroup",
                "aws:rds/clusterParameterGroup:ClusterParameterGroup",
                "aws:secretsmanager/secretVersion:SecretVersion",
                "aws:wafv2/webAcl:WebAcl",
                "aws:acm/certificate:Certificate",
                "aws:backup/selection:Selection",
            ]) {
                expect(types.has(t), `${t} is in the plans`).to.equal(true);
                expect(REPLACE_ON_CHANGE_TABLE.types, t).to.have.property(t);
            }
        });

        it("on real plan files: renaming an SQS queue or flipping fifoQueue is a replacement, a retention change an update; a nested ForceNew field of OpenSearch is told from its siblings", () => {
            const base = read("eu-west-1");
            const head = read("eu-west-1");
            const queues = head.resources.filter((r) => r.type === "aws:sqs/queue:Queue");
            expect(queues.length).to.be.greaterThan(1);
            queues[0].inputs.name = `${String(queues[0].inputs.name)}-v2`;
            queues[0].inputs.fifoQueue = true;
            queues[1].inputs.messageRetentionSeconds = 86400;
            const domain = head.resources.find((r) => r.type === "aws:opensearch/domain:Domain")!;
            const sec = domain.inputs.advancedSecurityOptions as Record<string, unknown>;
            sec.internalUserDatabaseEnabled = !sec.internalUserDatabaseEnabled; // updatable in place
            const d = diffPlan(base, head);
            const byUrn = new Map(d.changed.map((c) => [c.urn, c]));
            expect(byUrn.get(queues[0].urn)).to.deep.include({ paths: ["fifoQueue", "name"], replaceBecause: ["fifoQueue", "name"] });
            expect(byUrn.get(queues[1].urn)).to.deep.include({ paths: ["messageRetentionSeconds"], replaceBecause: [] });
            expect(byUrn.get(domain.urn)).to.deep.include({ paths: ["advancedSecurityOptions.internalUserDatabaseEnabled"], replaceBecause: [] });
            sec.enabled = !sec.enabled; // ForceNew inside the block
            expect(diffPlan(base, head).changed.find((c) => c.urn === domain.urn)!.replaceBecause).to.deep.equal(["advancedSecurityOptions.enabled"]);
            const text = formatDiff([d], "base").join("\n");
            expect(text).to.contain(`    +- ${queues[0].urn}\n         replaced because fifoQueue, name cannot change in place`);
        });
    });

    describe("policy-check", () => {
        const capture = async (args: string[]) => {
            const out: string[] = [];
            const code = await policyCheck(args, (s) => out.push(...s.split("\n")));
            return { code, out };
        };

        it("groups by rule: each rule once, each message once, the resources under it", async () => {
            const { code, out } = await capture([bad]);
            expect(code).to.equal(1);
            const cmk = out.filter((l) => /^ {2}\[mandatory\] cloudwatch-logs-encrypted-with-cmk \(\d+ violations\)$/.test(l));
            expect(cmk).to.have.length(1);
            const n = Number(/\((\d+) violations\)/.exec(cmk[0])![1]);
            const at = out.indexOf(cmk[0]);
            expect(out[at + 1]).to.match(/^ {4}The log group has no kmsKeyId/);
            expect(out.slice(at + 2, at + 2 + n).every((l) => /^ {6}- urn:pulumi:eu-west-1::.*logGroup:LogGroup::/.test(l))).to.equal(true);
            expect(out.filter((l) => l.includes("The log group has no kmsKeyId"))).to.have.length(1);
        });

        it("--summary: counts per rule and per stack that add up to the violations", async () => {
            const files = [bad, planFile("global"), planFile("eu-west-1")];
            const { out } = await capture(["--summary", ...files]);
            const full = await capture(files);
            const perRule = out.slice(2, out.indexOf("violations per stack:")).map((l) => l.trim().split(/\s+/));
            const total = perRule.reduce((n, r) => n + Number(r[2]), 0);
            const listed = full.out.filter((l) => /^ {6}- urn:/.test(l)).length;
            expect(total).to.equal(listed).and.to.be.greaterThan(20);
            const stackRows = out.slice(out.indexOf("violations per stack:") + 2, -1).map((l) => l.trim().split(/\s+/));
            expect(stackRows.map((r) => r[0])).to.deep.equal(["eu-west-1", "global", "eu-west-1"]);
            expect(stackRows.reduce((n, r) => n + Number(r[1]) + Number(r[2]), 0)).to.equal(total);
        });

        it("--list-rules: every rule with its name, level, frameworks and description", async () => {
            const { code, out } = await capture(["--list-rules"]);
            expect(code).to.equal(0);
            for (const r of RULES) {
                const row = out.find((l) => l.startsWith(`${r.name} `))!;
                expect(row, r.name).to.match(new RegExp(`^${r.name}\\s+${r.enforcementLevel}\\s+${r.metadata.frameworks.join(",")}\\s+`));
                expect(row.endsWith(r.description)).to.equal(true);
            }
            expect(out.at(-1)).to.match(new RegExp(`^${RULES.length} rules`));
        });

        it("--format sarif: a SARIF 2.1.0 log (checked against the OASIS schema's shape) with every violation as a result on its resource", async () => {
            const schema = JSON.parse(fs.readFileSync(path.join(root, "test", "upstream", "sarif", "sarif-2.1.0-subset.schema.json"), "utf8"));
            const { code, out } = await capture(["--format", "sarif", bad, planFile("global")]);
            expect(code).to.equal(1);
            const log = JSON.parse(out.join("\n"));
            expect(validate(log, schema)).to.deep.equal([]);
            const driverRules = log.runs[0].tool.driver.rules as { id: string }[];
            expect(driverRules.map((r) => r.id).sort()).to.deep.equal(RULES.map((r) => r.name).sort());
            const results = log.runs[0].results as {
                ruleId: string;
                ruleIndex: number;
                level: string;
                locations: { logicalLocations: { fullyQualifiedName: string }[] }[];
            }[];
            const full = await capture([bad, planFile("global")]);
            expect(results).to.have.length(full.out.filter((l) => /^ {6}- urn:/.test(l)).length);
            for (const r of results) {
                expect(driverRules[r.ruleIndex].id).to.equal(r.ruleId);
                expect(r.locations[0].logicalLocations[0].fullyQualifiedName).to.match(/^urn:pulumi:/);
            }
            expect(new Set(results.map((r) => r.level))).to.deep.equal(new Set(["error", "warning"]));
            // The check bites: a log missing a result's message, or with a level SARIF lacks, is refused.
            const broken = JSON.parse(JSON.stringify(log));
            delete broken.runs[0].results[0].message;
            broken.runs[0].results[1].level = "mandatory";
            expect(validate(broken, schema)).to.have.length(2);
        });
    });

    describe("flush before exit", () => {
        it("policy-check piped into cat prints every line of a large report, every time", async () => {
            const files = Array.from({ length: 20 }, () => bad);
            const expected: string[] = [];
            await policyCheck(files, (s) => expected.push(...s.split("\n")));
            expect(expected.length).to.be.greaterThan(700);
            expect(expected.join("\n").length, "more than a pipe buffer (64 KiB)").to.be.greaterThan(100_000);
            for (let round = 0; round < 3; round++) {
                const { out, code } = await throughPipe("policy-check.js", files);
                expect(code).to.equal(1);
                expect(out.split("\n").slice(0, -1), `round ${round}`).to.deep.equal(expected);
            }
            const sarif = await throughPipe("policy-check.js", ["--format", "sarif", ...files]);
            expect(() => JSON.parse(sarif.out), "the whole SARIF log arrives").not.to.throw();
        });

        it("no tool ends the process itself (that drops stdout still queued for a pipe)", () => {
            for (const f of [
                "plan.ts",
                "policy-check.ts",
                "cost.ts",
                "bench.ts",
                "gen-docs.ts",
                "cli-args.ts",
                "build-if-stale.mjs",
                "helm-template-check.ts",
            ]) {
                expect(fs.readFileSync(path.join(root, "tools", f), "utf8"), f).not.to.match(/process\.exit\(/);
            }
        });
    });
});
