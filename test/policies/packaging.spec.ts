import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { RULES } from "../../policies/rules";
import { projectRoot } from "../../stacks/stack-files";
import { wavesOf } from "../../tools/offline/waves";

const root = projectRoot();
const read = (f: string) => fs.readFileSync(path.join(root, f), "utf8");

describe("policy pack packaging (pulumi preview --policy-pack policies)", () => {
    it("declares a nodejs pack whose package.json names it, versions it and points at the compiled index", () => {
        expect(parse(read("policies/PulumiPolicy.yaml")).runtime).to.equal("nodejs");
        const pkg = JSON.parse(read("policies/package.json"));
        expect(pkg.name).to.be.a("string").and.not.equal("");
        expect(pkg.version).to.match(/^\d+\.\d+\.\d+$/);
        // The PolicyPack constructor reads package.json from the pack folder (the CLI's cwd) for its version.
        const main = path.resolve(root, "policies", pkg.main);
        expect(main).to.equal(path.join(root, "dist", "policies", "index.js"));
        expect(fs.existsSync(main), "npm run build compiles the pack").to.equal(true);
    });

    it("resolves @pulumi/policy and the CLI's policy runner from the pack folder through the root node_modules", () => {
        const from = { paths: [path.join(root, "policies")] };
        const rootModules = fs.realpathSync(path.join(root, "node_modules"));
        expect(fs.realpathSync(require.resolve("@pulumi/policy", from))).to.contain(rootModules);
        expect(fs.realpathSync(require.resolve("@pulumi/pulumi/cmd/run-policy-pack", from))).to.contain(rootModules);
    });

    it("keeps policies/index.ts to building the pack from the shared rule list", () => {
        const src = read("policies/index.ts");
        expect(src).to.contain('import { RULES } from "./rules"');
        expect(src).to.match(/new PolicyPack\(/);
        expect(src.match(/^import /gm)).to.have.length(2);
    });

    it("imports nothing from components/ or stacks/ anywhere in policies/", () => {
        const files: string[] = [];
        const walk = (d: string) => {
            for (const e of fs.readdirSync(d, { withFileTypes: true })) {
                if (e.name === "node_modules") continue;
                if (e.isDirectory()) walk(path.join(d, e.name));
                else if (e.name.endsWith(".ts")) files.push(path.join(d, e.name));
            }
        };
        walk(path.join(root, "policies"));
        for (const f of files) expect(fs.readFileSync(f, "utf8"), f).not.to.match(/from "(\.\.\/)+(components|stacks)\//);
        expect(files.length).to.be.greaterThan(40);
    });
});

describe("preview workflow", () => {
    const wf = parse(read(".github/workflows/preview.yml"));
    const stackJob = parse(read(".github/workflows/preview-stack.yml"));

    it("previews every stack, wave after wave, as docs/design.md#d4-deploy-waves orders them", () => {
        // Walk the needs chain from the credentials gate.
        const jobs = Object.entries<any>(wf.jobs).filter(([, j]) => j.uses === "./.github/workflows/preview-stack.yml");
        const order: string[][] = [];
        let prev = "inventory";
        for (;;) {
            const next = jobs.find(
                ([name, j]) =>
                    name !== prev &&
                    [j.needs].flat().includes(prev) &&
                    !order.flat().includes(j.strategy.matrix.include[0].stack) &&
                    [j.needs].flat().every((n: string) => n === "inventory" || n === prev),
            );
            if (!next) break;
            order.push(next[1].strategy.matrix.include.map((m: { stack: string }) => m.stack).sort());
            prev = next[0];
        }
        const waves = new Map<number, string[]>();
        for (const s of wavesOf(root)) waves.set(s.wave, [...(waves.get(s.wave) ?? []), s.stack].sort());
        expect(order).to.deep.equal([...waves.keys()].sort().map((w) => waves.get(w)));
    });

    it("runs only where credentials exist", () => {
        const first = Object.values<any>(wf.jobs).find((j) => [j.needs].flat().join() === "inventory");
        expect(first.if).to.equal("needs.inventory.outputs.credentials == 'true'");
        expect(JSON.stringify(wf.jobs.inventory)).to.contain("PULUMI_ACCESS_TOKEN").and.to.contain("AWS_DEPLOY_ROLE_ARN");
        // Later waves need the bootstrap stack's outputs, which only exist where the credentials did.
        for (const [name, j] of Object.entries<any>(wf.jobs))
            if (name.startsWith("wave-") && name !== "wave-0-bootstrap") expect(j.if, name).to.contain("needs.inventory.outputs.bootstrap");
    });

    it("uses the official Pulumi action to preview with the pack, after building", () => {
        const steps: any[] = stackJob.jobs.preview.steps;
        const pulumi = steps.find((s) => typeof s.uses === "string" && s.uses.startsWith("pulumi/actions@"));
        const run = steps.filter((s) => typeof s.uses === "string" && s.uses.startsWith("pulumi/actions@") && s.with?.command)[0];
        expect(pulumi.with, "the first use installs the CLI only").to.equal(undefined);
        // Deploys are deploy-stack.yml's (test/workflows/deploy-workflow.spec.ts): this job only ever previews.
        expect(run.with.command).to.equal("preview");
        expect(run.with.policyPacks).to.equal("policies");
        expect(steps.findIndex((s) => typeof s.run === "string" && s.run.includes("npm run build"))).to.be.lessThan(steps.indexOf(run));
    });
});

describe("rule type tokens", () => {
    it("names only type tokens the installed providers define (checked against their sources)", () => {
        const wrong: string[] = [];
        const pkgDir = (p: string) => path.dirname(require.resolve(`${p}/package.json`));
        for (const t of new Set(RULES.flatMap((r) => r.metadata.resourceTypes))) {
            if (t === "*" || t.startsWith("pulumi:")) continue;
            let file: string;
            let m: RegExpExecArray | null;
            if ((m = /^aws:([^/]+)\/([^:]+):/.exec(t))) file = path.join(pkgDir("@pulumi/aws"), m[1], `${m[2]}.js`);
            else if ((m = /^eks:index:(.+)$/.exec(t))) file = path.join(pkgDir("@pulumi/eks"), `${m[1][0].toLowerCase()}${m[1].slice(1)}.js`);
            else if ((m = /^kubernetes:helm\.sh\/(v\d):(.+)$/.exec(t)))
                file = path.join(pkgDir("@pulumi/kubernetes"), "helm", m[1], `${m[2].toLowerCase()}.js`);
            else if (
                (m =
                    /^kubernetes:(core|rbac\.authorization\.k8s\.io|admissionregistration\.k8s\.io|autoscaling|apps|batch|storage\.k8s\.io|policy)\/(v\w+):(.+)$/.exec(
                        t,
                    ))
            )
                file = path.join(pkgDir("@pulumi/kubernetes"), m[1].split(".")[0], m[2], `${m[3][0].toLowerCase()}${m[3].slice(1)}.js`);
            else if ((m = /^random:index\/([^:]+):/.exec(t))) file = path.join(pkgDir("@pulumi/random"), `${m[1]}.js`);
            else if ((m = /^kubernetes:([a-z.]+\.istio\.io|argoproj\.io)\/(v\w+):(.+)$/.exec(t))) {
                // Istio and Argo Rollouts kinds are CRDs, not in the kubernetes provider: the upstream models define them.
                const models = m[1] === "argoproj.io" ? "@kubernetes-models/argo-rollouts" : "@kubernetes-models/istio";
                const src = fs.readFileSync(path.join(pkgDir(models), `${m[1]}/${m[2]}/${m[3]}.js`), { encoding: "utf8", flag: "r" });
                if (!src.includes(`"${m[1]}/${m[2]}"`) || !src.includes(`"${m[3]}"`)) wrong.push(t);
                continue;
            } else {
                wrong.push(`${t} (unknown provider)`);
                continue;
            }
            const src = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
            if (!src.includes(`'${t}'`) && !src.includes(`"${t}"`)) wrong.push(t);
        }
        expect(wrong).to.deep.equal([]);
    });
});

describe("what the CLI is told about the pack", () => {
    it("converts every rule, with its level, severity and config schema, into the engine's AnalyzerInfo", () => {
        // The function the pack's gRPC server answers GetAnalyzerInfo with; called directly so no server starts.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const protoutil = require("@pulumi/policy/protoutil") as { makeAnalyzerInfo: (...args: unknown[]) => { toObject(): any } };
        const pkg = JSON.parse(read("policies/package.json"));
        const info = protoutil.makeAnalyzerInfo(pkg.name, pkg.version, "advisory", { policies: [...RULES] }, undefined).toObject();
        expect(info.policiesList.map((p: { name: string }) => p.name)).to.deep.equal(RULES.map((r) => r.name));
        const LEVEL: Record<string, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
        for (const r of RULES) {
            const p = info.policiesList.find((x: { name: string }) => x.name === r.name);
            expect(p.enforcementlevel, r.name).to.equal(LEVEL[r.enforcementLevel]);
            expect(p.description).to.equal(r.description);
            if (r.configSchema)
                expect(Object.keys(p.configschema.properties.fieldsMap.length ? Object.fromEntries(p.configschema.properties.fieldsMap) : {})).to.deep.equal(
                    Object.keys(r.configSchema.properties),
                );
        }
    });
});
