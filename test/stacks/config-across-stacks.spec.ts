import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, MIRRORED_KEYS, parseStackConfig } from "../../stacks/config";
import { projectRoot, readStackConfig, siblingStacks } from "../../stacks/stack-files";

/**
 * Config checks in config terms (stacks/config.ts): an unknown key names the
 * nearest known one instead of listing every key, and a standby's keys that must
 * equal its primary's are checked across the two stack files, naming both. On
 * copies of the real stack files.
 */

const root = projectRoot();

function copyProject(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-config-"));
    for (const f of fs.readdirSync(root).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) fs.copyFileSync(path.join(root, f), path.join(dir, f));
    return dir;
}

/** Adds keys to a stack file's config block (the files end in it). */
function setKeys(dir: string, stack: string, keys: Record<string, string | number>): void {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    fs.writeFileSync(
        file,
        fs.readFileSync(file, "utf8").trimEnd() +
            "\n" +
            Object.entries(keys)
                .map(([k, v]) => `  bookedbarber:${k}: ${JSON.stringify(String(v))}\n`)
                .join(""),
    );
}

function problems(dir: string, stack: string): string[] {
    try {
        parseStackConfig(readStackConfig(stack, dir), stack, "bookedbarber", siblingStacks(dir));
        return [];
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        return err.message
            .split("\n")
            .slice(1)
            .map((l) => l.replace(/^\s+- /, ""));
    }
}

describe("config checks in config terms", () => {
    let dir: string;
    beforeEach(() => (dir = copyProject()));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("an unknown key suggests the nearest known one instead of listing every key", () => {
        setKeys(dir, "eu-west-1", { redisShard: 3, qqqqqqqqqqqq: 1 });
        const p = problems(dir, "eu-west-1");
        expect(p).to.include("bookedbarber:redisShard is not a known key (did you mean bookedbarber:redisShards?); the known keys are in docs/config.md");
        expect(p).to.include("bookedbarber:qqqqqqqqqqqq is not a known key; the known keys are in docs/config.md");
        for (const line of p) expect(line.length, line).to.be.lessThan(200);
    });

    for (const key of MIRRORED_KEYS) {
        it(`a standby's ${key} must equal its primary's, checked across both stack files`, () => {
            const primary = readStackConfig("us-east-1", dir)[`bookedbarber:${key}`];
            const other = key === "redisShards" ? String(Number(primary) + 1) : "16.8";
            expect(other).not.to.equal(primary);
            expect(problems(dir, "us-west-2")).to.deep.equal([]);
            setKeys(dir, "us-west-2", { [key]: other });
            expect(problems(dir, "us-west-2")).to.deep.equal([
                `bookedbarber:${key} = ${other} in Pulumi.us-west-2.yaml but ${primary} in Pulumi.us-east-1.yaml, its primary's: a standby must match its primary here (the global group holds the primary's value); set the same value in both files`,
            ]);
            // The primary is not judged by its standby; setting the same value in both files passes.
            expect(problems(dir, "us-east-1")).to.deep.equal([]);
            setKeys(dir, "us-east-1", { [key]: other });
            expect(problems(dir, "us-west-2")).to.deep.equal([]);
        });
    }

    it("nodeGroups: an instance family without Nitro in-transit encryption is refused by its key, with the value and what is allowed", () => {
        const file = path.join(dir, "Pulumi.us-east-1.yaml");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8") + `  bookedbarber:nodeGroups: '{"memory":{"instanceTypes":["r6g.2xlarge"]}}'\n`);
        const line = problems(dir, "us-east-1").find((l) => l.startsWith("bookedbarber:nodeGroups"));
        expect(line).to.match(/^bookedbarber:nodeGroups\.memory\.instanceTypes family r6g does not encrypt traffic between instances in transit/);
        expect(line).to.contain("with a family of m6i, m6a");
        expect(line).to.contain('(got "r6g.2xlarge")');
    });

    it("a config-only component argument is reported in the same pass as other config errors, by its config key", () => {
        setKeys(dir, "eu-west-1", { azCount: "nine" });
        const file = path.join(dir, "Pulumi.eu-west-1.yaml");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8") + `  bookedbarber:nodeGroups: '{"general":{"minSize":50,"maxSize":10}}'\n`);
        const p = problems(dir, "eu-west-1");
        expect(p).to.include("bookedbarber:azCount = nine: must be an integer");
        expect(p.some((l) => l.startsWith("bookedbarber:nodeGroups.general.minSize must not exceed maxSize (10)"))).to.equal(true);
    });
});
