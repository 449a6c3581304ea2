import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, NAMESPACE, OTHER_NAMESPACES, parseStackConfig } from "../../stacks/config";
import { projectRoot, readStackConfig, siblingStacks, StackFileError } from "../../stacks/stack-files";
import { runStack } from "../../tools/offline/stack-runner";
import { allStacks, registeredBesidesStack } from "../support/fixtures";

const root = projectRoot();

function withProject(edit: (dir: string) => void, body: (dir: string) => void | Promise<void>) {
    return async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-stackfiles-"));
        try {
            for (const f of fs.readdirSync(root).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) fs.copyFileSync(path.join(root, f), path.join(dir, f));
            edit(dir);
            await body(dir);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    };
}

function thrown(f: () => unknown): Error {
    try {
        f();
    } catch (err) {
        return err as Error;
    }
    throw new Error("expected an error");
}

const problemsOf = (raw: Record<string, string>, stack = "eu-west-1"): string[] => {
    const err = thrown(() => parseStackConfig(raw, stack));
    expect(err).to.be.instanceOf(ConfigError);
    return [...(err as ConfigError).problems];
};

describe("stack files: YAML errors", () => {
    it(
        "name the file, line and column, with the offending line, as a RunError the CLI prints without a stack trace",
        withProject(
            (dir) => fs.appendFileSync(path.join(dir, "Pulumi.eu-west-1.yaml"), "  bookedbarber:azCount: [3\n  bookedbarber:zone: eu\n"),
            (dir) => {
                const lines = fs.readFileSync(path.join(dir, "Pulumi.eu-west-1.yaml"), "utf8").split("\n");
                const err = thrown(() => readStackConfig("eu-west-1", dir));
                expect(err).to.be.instanceOf(StackFileError).and.to.be.instanceOf(pulumi.RunError);
                const e = err as StackFileError;
                expect(e.file).to.equal("Pulumi.eu-west-1.yaml");
                expect(e.line, e.message).to.be.within(lines.length - 3, lines.length);
                expect(e.message).to.match(/^Pulumi\.eu-west-1\.yaml:\d+:\d+: YAML syntax error: /);
                expect(e.message).to.contain("bookedbarber:azCount: [3");
                expect(e.message).not.to.match(/\n\s+at /);
            },
        ),
    );

    it(
        "refuse a file whose config is not a map, naming the file",
        withProject(
            (dir) => fs.writeFileSync(path.join(dir, "Pulumi.eu-west-1.yaml"), "config:\n  - aws:region\n"),
            (dir) => {
                expect(thrown(() => readStackConfig("eu-west-1", dir)).message).to.equal(
                    "Pulumi.eu-west-1.yaml: `config:` must be a map of keys to values, not a list",
                );
            },
        ),
    );

    it(
        "a broken stack file fails that stack's run with the file and line; its siblings skip it in the CIDR check rather than fail",
        withProject(
            (dir) => fs.appendFileSync(path.join(dir, "Pulumi.eu-central-1.yaml"), "\tbad: tab\n"),
            async (dir) => {
                const own = await runStack({ stack: "eu-central-1", root: dir }).then(
                    () => undefined,
                    (e) => e,
                );
                expect(own).to.be.instanceOf(StackFileError);
                expect((own as Error).message).to.match(/^Pulumi\.eu-central-1\.yaml:\d+:1: YAML syntax error: Tabs are not allowed as indentation/);
                expect(siblingStacks(dir).find((s) => s.stack === "eu-central-1")).to.deep.equal({ stack: "eu-central-1" });
            },
        ),
    );

    it(
        "a key without a namespace is the project's, as the CLI reads it, so it is validated rather than ignored",
        withProject(
            (dir) => fs.appendFileSync(path.join(dir, "Pulumi.eu-west-1.yaml"), "  azCount: nine\n"),
            (dir) => {
                const raw = readStackConfig("eu-west-1", dir);
                expect(raw[`${NAMESPACE}:azCount`]).to.equal("nine");
                expect(raw).not.to.have.property("azCount");
                expect(problemsOf(raw)).to.include(`${NAMESPACE}:azCount = nine: must be an integer`);
            },
        ),
    );
});

describe("stack config namespaces", () => {
    const base = () => readStackConfig("eu-west-1");

    it("refuse a misspelled namespace, naming the key, the namespace, the nearest one and every allowed one", () => {
        const problems = problemsOf({ ...base(), "bookedbarbr:nodeGroups": "{}", "bookedbarber-infra:x": "1", "awz:region": "eu-west-1" });
        const allowed = `allowed namespaces: ${NAMESPACE} (this project), aws (the AWS provider), eks (the EKS provider), kubernetes (the Kubernetes provider), random (the random provider), pulumi (the engine's own settings, e.g. pulumi:disable-default-providers)`;
        expect(problems).to.include(`bookedbarbr:nodeGroups: unknown config namespace "bookedbarbr" (did you mean ${NAMESPACE}?); ${allowed}`);
        expect(problems).to.include(`awz:region: unknown config namespace "awz" (did you mean aws?); ${allowed}`);
        expect(problems.some((p) => p.startsWith('bookedbarber-infra:x: unknown config namespace "bookedbarber-infra"'))).to.equal(true);
        const err = thrown(() => parseStackConfig({ ...base(), "bookedbarbr:nodeGroups": "{}" }, "eu-west-1"));
        expect(err.message).to.match(/^stack config of 'eu-west-1' \(Pulumi\.eu-west-1\.yaml\) has 1 problem/);
    });

    it("are checked by the program before it registers any resource", async () => {
        const run = await runStack({ stack: "eu-west-1", configOverrides: { "bookedbarbr:nodeGroups": "{}" } });
        expect(run.error).to.be.instanceOf(ConfigError);
        expect(run.error!.message).to.contain('bookedbarbr:nodeGroups: unknown config namespace "bookedbarbr"');
        expect(registeredBesidesStack(run)).to.deep.equal([]);
    });

    it("accept the allowed namespaces", () => {
        expect(() =>
            parseStackConfig(
                { ...base(), "aws:profile": "x", "kubernetes:enableServerSideApply": "true", "pulumi:disable-default-providers": '["random"]' },
                "eu-west-1",
            ),
        ).not.to.throw();
    });

    it("allow exactly the packages whose resources the program registers (each gets a default provider reading its namespace), plus pulumi", async () => {
        const packages = new Set<string>();
        for (const run of Object.values(await allStacks())) {
            for (const r of run.resources) {
                const pkg = r.type.startsWith("pulumi:providers:") ? r.type.split(":")[2] : r.type.split(":")[0];
                if (pkg !== "pulumi" && pkg !== NAMESPACE) packages.add(pkg);
            }
        }
        expect(
            Object.keys(OTHER_NAMESPACES)
                .filter((n) => n !== "pulumi")
                .sort(),
        ).to.deep.equal([...packages].sort());
    });
});
