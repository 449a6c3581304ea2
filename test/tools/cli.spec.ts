import { expect } from "chai";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../stacks/stack-files";
import { helpText, parseArgs, UsageError } from "../../tools/cli-args";
import { BENCH_CLI } from "../../tools/bench";
import { COST_CLI } from "../../tools/offline/cost/cli";
import { DOCS_CLI, renderGenerated } from "../../tools/gen-docs";
import { PLAN_CLI } from "../../tools/plan";
import { POLICY_CHECK_CLI } from "../../tools/policy-check";
import { HELM_TEMPLATE_CHECK_CLI } from "../../tools/helm-template-check";
import { EXPORT_MANIFESTS_CLI } from "../../tools/security/export-manifests";
import { SECURITY_GATE_CLI } from "../../tools/security/gate";
import { DR_DRILL_CLI } from "../../tools/deploy/dr-drill";
import { HEALTH_GATE_CLI } from "../../tools/deploy/health-gate";

/**
 * The tools' shared command line (tools/cli-args.ts): help, flag forms, checks
 * before work, flags npm swallowed, the flag list in docs/offline-tools.md. Output: cli-output.spec.ts.
 */

const root = projectRoot();
const tool = (script: string) => path.join(root, "dist", "tools", script);
/** The environment without npm's npm_config_* and lifecycle variables, as if typed in a shell. */
const shellEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/.test(k)));
const node = (script: string, args: string[], env: NodeJS.ProcessEnv = shellEnv) => {
    const r = spawnSync(process.execPath, [tool(script), ...args], { encoding: "utf8", cwd: root, env });
    return { code: r.status, out: r.stdout, err: r.stderr };
};

/** The same, started without waiting: the tools' start-up (each loads its modules) overlaps. */
const nodeAsync = (script: string, args: string[]) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const c = spawn(process.execPath, [tool(script), ...args], { cwd: root, env: shellEnv });
        let out = "";
        let err = "";
        c.stdout.on("data", (d: Buffer) => (out += d.toString()));
        c.stderr.on("data", (d: Buffer) => (err += d.toString()));
        c.on("close", (code) => resolve({ code, out, err }));
    });

const TOOLS = [
    { script: "plan.js", spec: PLAN_CLI },
    { script: "policy-check.js", spec: POLICY_CHECK_CLI },
    { script: "cost.js", spec: COST_CLI },
    { script: "bench.js", spec: BENCH_CLI },
    { script: "gen-docs.js", spec: DOCS_CLI },
    // CI entry points, run with node directly.
    { script: "helm-template-check.js", spec: HELM_TEMPLATE_CHECK_CLI },
    { script: "security/export-manifests.js", spec: EXPORT_MANIFESTS_CLI },
    { script: "security/gate.js", spec: SECURITY_GATE_CLI },
    { script: "deploy/dr-drill.js", spec: DR_DRILL_CLI },
    { script: "deploy/health-gate.js", spec: HEALTH_GATE_CLI },
];

/** Every entry point under tools/ (a file that runs when started with node), relative to tools/. */
function entryPoints(): string[] {
    const walk = (d: string): string[] =>
        fs
            .readdirSync(d, { withFileTypes: true })
            .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : /\.ts$/.test(e.name) ? [path.join(d, e.name)] : []));
    const dir = path.join(root, "tools");
    const started = walk(dir)
        .filter((f) => /require\.main === module/.test(fs.readFileSync(f, "utf8")))
        .map((f) => path.relative(dir, f).replace(/\.ts$/, ".js"));
    // npm scripts start theirs directly (cost.ts is a script through and through).
    const scripts = Object.values((JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);
    const viaNpm = scripts.flatMap((c) => [...c.matchAll(/node dist\/tools\/([\w/-]+\.js)/g)].map((m) => m[1]));
    return [...new Set([...started, ...viaNpm])].sort();
}

describe("tools' flags (tools/cli-args.ts)", () => {
    it("--help and -h print the usage and exit 0 doing nothing else, in every tool", async () => {
        // Every file `npm run docs` writes (and the results file bench writes), as it is before the --help runs.
        const generated = [...renderGenerated(root).keys(), "docs/bench-results.json"].map((f) => [f, fs.readFileSync(path.join(root, f))] as const);
        // One process per tool (each start loads the SDK), all at once; -h is the same branch, checked in-process.
        const runs = await Promise.all(TOOLS.map(({ script }) => nodeAsync(script, ["--help"])));
        for (const [i, { script, spec }] of TOOLS.entries()) {
            const r = runs[i];
            expect(r.code, `${script}: ${r.err}`).to.equal(0);
            // Exactly the usage: bench printed its figures and docs rewrote files before.
            expect(r.out.trim(), script).to.equal(helpText(spec));
            expect(r.err, script).to.equal("");
            expect(parseArgs(spec, ["-h"], {}).help, script).to.equal(true);
            // Help wins over a bad flag on the same line.
            expect(parseArgs(spec, ["--no-such-flag", "-h"], {}).help, script).to.equal(true);
        }
        for (const [f, before] of generated) expect(fs.readFileSync(path.join(root, f)).equals(before), `docs --help left ${f} alone`).to.equal(true);
    });

    it("every entry point under tools/ has its CliSpec here (so the --help, flag and README checks cover it), and none ends the process itself", () => {
        const entries = entryPoints();
        expect(entries.length).to.be.greaterThan(8);
        expect(entries, "add the tool's CliSpec to TOOLS (and gen-docs' tool list)").to.deep.equal(TOOLS.map((t) => t.script).sort());
        for (const e of entries) {
            const src = fs.readFileSync(path.join(root, "tools", e.replace(/\.js$/, ".ts")), "utf8");
            expect(src, `${e}: process.exit drops stdout still queued for a pipe; return the code`).not.to.match(/process\.exit\(/);
        }
        // The CI tools' positionals and flags go through the same checks.
        expect(() => parseArgs(HEALTH_GATE_CLI, ["eu-west-1", "--soak-minute", "5"], {})).to.throw(UsageError, "did you mean --soak-minutes?");
        expect(parseArgs(HEALTH_GATE_CLI, ["eu-west-1", "--soak-minutes=5"], {}).values.get("soak-minutes")).to.deep.equal(["5"]);
        const gate = node("deploy/health-gate.js", ["eu-west-1", "--canary", "--soak-minutes", "5"]);
        expect([gate.code, gate.out]).to.deep.equal([2, ""]);
        expect(gate.err).to.contain("--canary and --soak-minutes exclude each other");
        const drill = node("deploy/dr-drill.js", ["eu"]);
        expect(drill.code).to.equal(2);
        expect(drill.err).to.contain("usage: node dist/tools/deploy/dr-drill.js <zone> validate|execute");
    });

    it("takes --flag=value and --flag value alike, and checks every flag before any work", () => {
        const a = parseArgs(PLAN_CLI, ["--stack=us-east-1", "--stack", "eu-west-1", "--out=/tmp/x"], {});
        expect(a.values.get("stack")).to.deep.equal(["us-east-1", "eu-west-1"]);
        expect(a.values.get("out")).to.deep.equal(["/tmp/x"]);
        expect(() => parseArgs(PLAN_CLI, ["--all=yes"], {})).to.throw(UsageError, "--all takes no value");
        expect(() => parseArgs(PLAN_CLI, ["--out"], {})).to.throw(UsageError, "--out needs a value");
        expect(() => parseArgs(PLAN_CLI, ["--out", "--all"], {})).to.throw(UsageError, "--out needs a value");
        expect(() => parseArgs(PLAN_CLI, ["--out=a", "--out=b"], {})).to.throw(UsageError, "--out given twice");
        expect(() => parseArgs(PLAN_CLI, ["--verbos"], {})).to.throw(UsageError, 'unknown flag "--verbos" (did you mean --verbose?)');
        expect(() => parseArgs(PLAN_CLI, ["us-east-1"], {})).to.throw(UsageError, "plan takes flags only");
        expect(() => parseArgs(POLICY_CHECK_CLI, ["--format", "sariff", "x.json"], {})).to.throw(
            UsageError,
            "must be one of text, sarif (did you mean sarif?)",
        );
        // A bad flag stops the tool before it plans or writes anything.
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "cli-"));
        try {
            const r = node("plan.js", ["--all", "--out", out, "--rounds=3"]);
            expect(r.code).to.equal(2);
            expect(r.err).to.contain('unknown flag "--rounds=3"').and.to.contain("usage: npm run plan --");
            expect(fs.readdirSync(out)).to.deep.equal([]);
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
        const bench = node("bench.js", ["--rounds=0"]);
        expect([bench.code, bench.err.trim()]).to.deep.equal([2, 'bench: --rounds = "0": must be an integer from 1 to 50']);
        const docs = node("gen-docs.js", ["--chek"]);
        expect(docs.code).to.equal(2);
        expect(docs.err).to.contain("--check");
        expect(docs.out).to.equal("");
    });

    it("explains `npm run plan --all` typed without `--`: npm took the flag (npm_config_all)", () => {
        const r = node("plan.js", [], { ...shellEnv, npm_lifecycle_event: "plan", npm_config_all: "true" });
        expect(r.code).to.equal(2);
        expect(r.err).to.contain("npm took --all as its own option").and.to.contain("Type: npm run plan -- --all");
        // npm turns --verbose into its own log level.
        expect(() => parseArgs(PLAN_CLI, ["--all"], { npm_lifecycle_event: "plan", npm_config_loglevel: "verbose" })).to.throw(
            UsageError,
            "npm took --verbose",
        );
        expect(() => parseArgs(POLICY_CHECK_CLI, ["x.json"], { npm_lifecycle_event: "policy-check", npm_config_summary: "true" })).to.throw(
            UsageError,
            "npm took --summary",
        );
        // The same variables outside an npm run of that tool mean nothing.
        expect(() => parseArgs(PLAN_CLI, ["--all"], { npm_lifecycle_event: "test", npm_config_all: "true" })).not.to.throw();
    });

    it("every npm script builds only when dist/ is stale (tools/build-if-stale.mjs)", () => {
        const scripts = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
        for (const t of ["plan", "policy-check", "cost", "bench", "docs"])
            expect(scripts[t], t).to.match(/^node tools\/build-if-stale\.mjs && node dist\/tools\/[\w-]+\.js$/);
    });

    it("docs/offline-tools.md's tool section lists every flag of every tool, as --help does", () => {
        const doc = fs.readFileSync(path.join(root, "docs", "offline-tools.md"), "utf8");
        const start = doc.indexOf("<!-- tool-flags:start");
        const end = doc.indexOf("<!-- tool-flags:end -->");
        expect(start, "docs/offline-tools.md has a tool-flags section").to.be.greaterThan(-1);
        const section = doc.slice(start, end);
        // The first test shows each tool's --help prints helpText(spec); here the page must show the same text.
        for (const { script, spec } of TOOLS) expect(section, `docs/offline-tools.md shows ${script} --help`).to.contain(helpText(spec));
    });
});
