import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../../../stacks/stack-files";
import { UsageError } from "../../../../tools/cli-args";
import { CostUsageError, runCost } from "../../../../tools/offline/cost/cli";
import { planStacks } from "../../../../tools/offline/planner";
import type { PlanFile } from "../../../../tools/offline/plan-file";

const root = projectRoot();
const node = (script: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, [path.join(root, "dist", "tools", script), ...args], { encoding: "utf8", cwd: root });
    return { code: r.status, out: r.stdout, err: r.stderr };
};
const read = (dir: string, stack: string) => JSON.parse(fs.readFileSync(path.join(dir, `${stack}.json`), "utf8")) as PlanFile;
const dollars = (n: number) => `$${Math.round(n).toLocaleString("en-US")}`;

describe("npm run cost", () => {
    let base: string;
    let head: string;
    let planned: ReturnType<typeof node>;
    let tmp: string | undefined;
    after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));
    before(async () => {
        // Two real plan folders of eu-west-1: the default config, and one with a bigger cache and a second reader per shard.
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cost-"));
        base = path.join(tmp, "base");
        head = path.join(tmp, "head");
        planned = node("plan.js", "--stack", "eu-west-1", "--verbose", "--out", base);
        const project = path.join(tmp, "project");
        fs.mkdirSync(project);
        for (const f of fs.readdirSync(root).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) fs.copyFileSync(path.join(root, f), path.join(project, f));
        const file = path.join(project, "Pulumi.eu-west-1.yaml");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8") + '  bookedbarber:redisNodeType: cache.r6g.xlarge\n  bookedbarber:databaseReaderMin: "2"\n');
        // The second plan runs in this process (the same planner the CLI runs) to keep the suite fast.
        fs.mkdirSync(head);
        for (const r of await planStacks(["eu-west-1"], project)) {
            if (r.error) throw new Error(r.error);
            if (!r.dependencyOnly) fs.writeFileSync(path.join(head, `${r.stack}.json`), JSON.stringify(r.plan));
        }
    });

    it("writes a cost section into each plan and prints the cost table beside the spec's figures", () => {
        expect(planned.code, planned.err).to.equal(0);
        const p = read(base, "eu-west-1");
        expect(p.cost!.fixed.onDemand).to.be.greaterThan(0);
        expect(planned.out).to.contain("Monthly cost (USD, 730 h");
        expect(planned.out).to.match(/spec budget\s+\$100,000\s+\$57,000/);
        expect(planned.out).to.match(
            new RegExp(
                `eu-west-1\\s+\\${dollars(p.cost!.fixed.onDemand)}\\s+\\${dollars(p.cost!.fixed.optimised)}\\s+\\${dollars(p.cost!.perRequest.onDemand)}\\s+${p.cost!.unpriced.length}\\s+${p.capacity?.met ? "met" : "-"}\\s+`,
            ),
        );
    });

    it("--compare prints the per-stack and per-line difference between two plan folders", () => {
        const r = node("cost.js", "--plan", head, "--compare", base);
        expect(r.code, r.err).to.equal(0);
        const b = read(base, "eu-west-1").cost!;
        const h = read(head, "eu-west-1").cost!;
        const delta = h.fixed.onDemand - b.fixed.onDemand;
        expect(delta).to.be.greaterThan(0);
        expect(r.out).to.contain(`eu-west-1: fixed ${dollars(b.fixed.onDemand)} -> ${dollars(h.fixed.onDemand)} (+${dollars(delta)})`);
        // The cache doubles in size; four new readers appear (new lines: before $0).
        const cacheBefore = b.lines.find((l) => l.type === "aws:elasticache/replicationGroup:ReplicationGroup" && l.kind === "fixed")!;
        const cacheAfter = h.lines.find((l) => l.type === "aws:elasticache/replicationGroup:ReplicationGroup" && l.kind === "fixed")!;
        expect(r.out).to.contain(`+${dollars(cacheAfter.onDemand - cacheBefore.onDemand)}  bb-euw1-redis-rg: ${cacheBefore.item} -> ${cacheAfter.item}`);
        expect(r.out.match(/bb-euw1-db-shard-\d-reader-2: db\.r6g\.xlarge \(I\/O-Optimized\)/g)).to.have.length(4);
        expect(r.out).to.match(/total: fixed .* \(\+\$[\d,]+\), optimised/);
        // The same folder against itself changes nothing.
        const same = runCost(["--plan", base, "--compare", base]);
        expect(same.out).to.contain("(+$0)");
        expect(same.out).to.not.match(/^\s+[+-]\$[\d,]+\s{2}/m);
    });

    it("prints usage with --help, and one clear message for a bad argument or folder", () => {
        const help = runCost(["--help"]);
        expect(help.code).to.equal(0);
        expect(help.out).to.contain("usage: npm run cost -- [--plan <dir>] [--compare <base plan dir>]");
        expect(() => runCost(["--compare"])).to.throw(UsageError, "--compare needs a value");
        expect(() => runCost(["--colour"])).to.throw(UsageError, 'unknown flag "--colour"');
        expect(() => runCost(["--plan", path.join(os.tmpdir(), "no-such-plan-dir")])).to.throw(CostUsageError, "no such plan folder");
        // The command itself: exit 2 and the message, no stack trace.
        const bad = node("cost.js", "--lines", "many");
        expect(bad.code).to.equal(2);
        expect(bad.err).to.contain('cost: --lines = "many": must be a whole number of lines');
        expect(bad.err).to.not.match(/\n\s+at /);
    });
});
