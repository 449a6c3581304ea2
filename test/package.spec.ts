import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DESIGN_TAG_KEYS } from "../policies/rules/tagging/required-tags";
import { TAGGABLE_TYPES } from "../policies/rules/tagging/taggable-types";
import { projectRoot } from "../stacks/stack-files";

/**
 * The library as a user gets it (docs/library.md): a throwaway project outside
 * the repo installs this package from its local path, imports RedisGlobal with
 * its types, type-checks with strict settings, and plans itself offline with
 * `runStack` from the package's "./testing" entry. The program below is the
 * compiled example the README points to. One install, one compile and one run
 * for the whole file; the folder is removed afterwards.
 */

const root = projectRoot();
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { name: string };
const CACHE_KEY = "arn:aws:kms:eu-west-1:123456789012:key/cache";

/** What a user writes: a RedisGlobal with its tags from defaultTags(), planned by runStack. */
const PROGRAM = `import * as path from "path";
import { defaultTags, RedisGlobal, RedisGlobalArgs } from "${pkg.name}";
import { runStack } from "${pkg.name}/testing";

const args: RedisGlobalArgs = {
    zone: "eu",
    membership: { role: "primary" },
    vpcId: "vpc-0a1b2c3d",
    subnetIds: ["subnet-0a", "subnet-0b", "subnet-0c"],
    clientSecurityGroupIds: ["sg-0app"],
    keyRegions: ["eu-west-1", "eu-central-1"],
    cacheKeyArn: "${CACHE_KEY}",
    logsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/logs",
    tags: defaultTags({ environment: "test", zone: "eu", region: "eu-west-1", owner: "platform", costCenter: "cc-42", dataClassification: "confidential", complianceScope: ["gdpr"] }),
};

// @ts-expect-error shards is a number: the declarations are typed, not \`any\`.
const badShards: RedisGlobalArgs["shards"] = "3";
void badShards;

async function main(): Promise<void> {
    const run = await runStack({
        stack: "dev",
        root: path.resolve(__dirname, ".."),
        program: async () => {
            const cache = new RedisGlobal("cache", args);
            return { replicationGroupId: cache.replicationGroupId };
        },
    });
    console.log(JSON.stringify({ error: run.error?.message, config: run.config, outputs: run.outputs, resources: run.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, inputs: r.inputs })) }));
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
`;

interface Planned {
    error?: string;
    config: Record<string, string>;
    outputs: Record<string, unknown>;
    resources: { urn: string; type: string; name: string; inputs: Record<string, any> }[];
}

describe("usable as a package: a program outside the repo installs, type-checks and plans it", () => {
    let dir: string;
    let planned: Planned;

    before(function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-package-"));
        const write = (file: string, text: string) => fs.writeFileSync(path.join(dir, file), text);
        write("package.json", JSON.stringify({ name: "user-app", version: "1.0.0", private: true }, null, 2));
        write("Pulumi.yaml", "name: user-app\nruntime: nodejs\n");
        write("Pulumi.dev.yaml", "config:\n  aws:region: eu-west-1\n  greeting: hello\n");
        write("main.ts", PROGRAM);
        // A minimal strict config; @types/node comes from the repo's install (the throwaway project has no registry access).
        write(
            "tsconfig.json",
            JSON.stringify(
                {
                    compilerOptions: {
                        target: "ES2022",
                        module: "node16",
                        moduleResolution: "node16",
                        strict: true,
                        skipLibCheck: true,
                        outDir: "out",
                        rootDir: ".",
                        typeRoots: [path.join(root, "node_modules", "@types")],
                        types: ["node"],
                    },
                    files: ["main.ts"],
                },
                null,
                2,
            ),
        );
        // A directory install links the package: offline, no scripts, nothing fetched.
        execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", "--ignore-scripts", "--loglevel=error", root], { cwd: dir, stdio: "pipe" });
        execFileSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { cwd: dir, stdio: "pipe" });
        planned = JSON.parse(execFileSync(process.execPath, [path.join(dir, "out", "main.js")], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] }).toString());
    });

    after(() => {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
        expect(fs.existsSync(dir)).to.equal(false);
    });

    it("npm installs the package from the repo's path as a link to it", () => {
        const installed = path.join(dir, "node_modules", pkg.name);
        expect(fs.lstatSync(installed).isSymbolicLink()).to.equal(true);
        expect(fs.realpathSync(installed)).to.equal(fs.realpathSync(root));
    });

    it("the program type-checked under strict node16 resolution and ran without error", () => {
        // tsc exits non-zero on any error, including an unused @ts-expect-error (untyped declarations).
        expect(fs.existsSync(path.join(dir, "out", "main.js"))).to.equal(true);
        expect(planned.error).to.equal(undefined);
        expect(planned.outputs.replicationGroupId).to.be.a("string");
    });

    it("plans as the user's project: its name in the URNs, its bare config keys in its namespace", () => {
        const stack = planned.resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
        expect(stack.urn).to.equal("urn:pulumi:dev::user-app::pulumi:pulumi:Stack::user-app-dev");
        expect(planned.config).to.include({ "aws:region": "eu-west-1", "user-app:greeting": "hello" });
    });

    it("the replication group is encrypted at rest with the given key and in transit, TLS required", () => {
        const groups = planned.resources.filter((r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup");
        expect(groups).to.have.length(1);
        const g = groups[0].inputs;
        expect(g.atRestEncryptionEnabled).to.equal(true);
        expect(g.kmsKeyId).to.equal(CACHE_KEY);
        expect(g.transitEncryptionEnabled).to.equal(true);
        expect(g.transitEncryptionMode).to.equal("required");
        expect(g.automaticFailoverEnabled).to.equal(true);
    });

    it("the tags argument puts the design's tag set on every taggable resource, under the resource's own tags", () => {
        const taggable = planned.resources.filter((r) => TAGGABLE_TYPES.includes(r.type));
        expect(taggable.length).to.be.greaterThan(3);
        for (const r of taggable) {
            const missing = DESIGN_TAG_KEYS.filter((k) => !r.inputs.tags?.[k]);
            expect(missing, `${r.type} ${r.name}`).to.deep.equal([]);
            expect(r.inputs.tags.owner).to.equal("platform");
        }
        // The component's own tags stay: the security group's Name, the log groups' log-class.
        const sg = taggable.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")!;
        expect(sg.inputs.tags).to.include({ Name: "cache-cache", "compliance-scope": "gdpr" });
        const logs = taggable.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup");
        expect(logs.map((r) => r.inputs.tags["log-class"])).to.deep.equal(["cache", "cache"]);
    });
});
