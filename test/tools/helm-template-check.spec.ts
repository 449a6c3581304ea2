import { expect } from "chai";
import { spawnSync } from "child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { helmTemplateCheck, renderedProblems } from "../../tools/helm-template-check";
import type { PlanFile } from "../../tools/offline/plan-file";

const PDB = (spec: string) => `---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: vpa-recommender\nspec:\n${spec}\n`;

const plan = (): PlanFile => ({
    project: "bookedbarber",
    stack: "us-east-1",
    evaluation: "",
    config: { "bookedbarber:kubernetesVersion": "1.35" },
    outputs: {},
    policies: { violations: [] },
    resources: [
        {
            urn: "urn:x",
            type: "kubernetes:helm.sh/v3:Release",
            name: "bb-use1-vpa",
            parent: null,
            provider: null,
            custom: true,
            options: {} as never,
            inputs: {
                name: "vertical-pod-autoscaler",
                chart: "vertical-pod-autoscaler",
                version: "11.1.1",
                repositoryOpts: { repo: "https://cowboysysop.github.io/charts" },
                namespace: "kube-system",
                values: {},
            },
        },
    ],
});

describe("helm template check (tools/helm-template-check.ts)", () => {
    let dir: string;
    before(() => {
        dir = mkdtempSync(join(tmpdir(), "fake-helm-"));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("skips with a clear message, and exits 0, where helm is not installed", () => {
        const result = helmTemplateCheck([plan()], { PATH: dir });
        expect(result).to.deep.include({ checked: 0, failures: [] });
        expect(result.skipped).to.match(/helm is not on PATH: skipping/);
        const run = spawnSync(process.execPath, [join(__dirname, "..", "..", "tools", "helm-template-check.js")], { env: { PATH: dir }, encoding: "utf8" });
        expect(run.status).to.equal(0);
        expect(run.stdout).to.match(/skipping the helm template check/);
    });

    it("finds a rendered PodDisruptionBudget with both fields, and passes one with a single field", () => {
        expect(renderedProblems(PDB("  minAvailable: 1\n  maxUnavailable: 1"))).to.deep.equal([
            "PodDisruptionBudget vpa-recommender sets both minAvailable (1) and maxUnavailable (1)",
        ]);
        expect(renderedProblems(PDB("  minAvailable: 1") + "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: x\n")).to.deep.equal([]);
    });

    it("renders each release with its chart, version, repository and values, and fails on what the output holds", () => {
        // A stand-in helm that records its arguments and prints the defect.
        writeFileSync(join(dir, "helm"), `#!/bin/sh\necho "$@" > ${join(dir, "args")}\ncat <<'YAML'\n${PDB("  minAvailable: 1\n  maxUnavailable: 1")}YAML\n`);
        chmodSync(join(dir, "helm"), 0o755);
        const result = helmTemplateCheck([plan()], { PATH: dir });
        expect(result.checked).to.equal(1);
        expect(result.failures).to.deep.equal([
            "us-east-1 bb-use1-vpa (vertical-pod-autoscaler 11.1.1): PodDisruptionBudget vpa-recommender sets both minAvailable (1) and maxUnavailable (1)",
        ]);
        const args = spawnSync("cat", [join(dir, "args")], { encoding: "utf8" }).stdout;
        expect(args).to.match(
            /^template vertical-pod-autoscaler vertical-pod-autoscaler --repo https:\/\/cowboysysop\.github\.io\/charts --version 11\.1\.1 --namespace kube-system --kube-version 1\.35\.0 --values /,
        );
    });
});
