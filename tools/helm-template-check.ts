import { CliSpec, runCli } from "./cli-args";
import { kubernetesMinorOf } from "./charts/kubernetes-minor";
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { delimiter, join } from "path";
import { parseAllDocuments } from "yaml";
import { PlannedRelease, plannedReleases } from "./charts/releases";
import type { PlanFile } from "./offline/plan-file";

/**
 * `helm template` for every Helm release of the plans in plan/ (run `npm run plan -- --all` first),
 * with the release's own chart, version, repository, namespace and values, against the cluster's
 * Kubernetes minor. Fails when a chart does not render, when the output holds an object the API server
 * refuses that the offline checks can see (a PodDisruptionBudget with both minAvailable and
 * maxUnavailable), and, when kubeconform is on PATH, when an object does not match its schema.
 * Where helm is not installed (this repository's offline machines) it says so and skips; CI runs it
 * on GitHub's runners, which ship helm (.github/workflows/test.yml).
 */

/** The first executable of that name on PATH, or undefined. */
export function onPath(command: string, path = process.env.PATH ?? ""): string | undefined {
    for (const dir of path.split(delimiter).filter(Boolean)) {
        const file = join(dir, command);
        if (existsSync(file)) return file;
    }
    return undefined;
}

/** Problems in rendered manifests that the API server would refuse. */
export function renderedProblems(manifests: string): string[] {
    const problems: string[] = [];
    for (const doc of parseAllDocuments(manifests)) {
        const obj = doc.toJS() as { kind?: string; metadata?: { name?: string }; spec?: Record<string, unknown> } | null;
        if (!obj || typeof obj !== "object") continue;
        const set = (v: unknown) => v !== null && v !== undefined;
        if (obj.kind === "PodDisruptionBudget" && obj.spec && set(obj.spec.minAvailable) && set(obj.spec.maxUnavailable)) {
            problems.push(
                `PodDisruptionBudget ${obj.metadata?.name ?? "?"} sets both minAvailable (${String(obj.spec.minAvailable)}) and maxUnavailable (${String(obj.spec.maxUnavailable)})`,
            );
        }
    }
    return problems;
}

export interface HelmCheckResult {
    skipped?: string;
    checked: number;
    failures: string[];
}

const key = (r: PlannedRelease, kube: string) => JSON.stringify([r.chart, r.version, r.repo, r.releaseName, r.namespace, r.values, kube]);

export function helmTemplateCheck(plans: readonly PlanFile[], env: { PATH?: string } = { PATH: process.env.PATH }): HelmCheckResult {
    const helm = onPath("helm", env.PATH);
    if (!helm)
        return { skipped: "helm is not on PATH: skipping the helm template check (CI runs it on GitHub's runners, which ship helm)", checked: 0, failures: [] };
    const kubeconform = onPath("kubeconform", env.PATH);
    const dir = mkdtempSync(join(tmpdir(), "helm-template-"));
    const failures: string[] = [];
    const done = new Set<string>();
    let checked = 0;
    try {
        for (const plan of plans) {
            const kube = kubernetesMinorOf(plan);
            for (const r of plannedReleases(plan.resources)) {
                if (done.has(key(r, kube))) continue;
                done.add(key(r, kube));
                const where = `${plan.stack} ${r.resource} (${r.chart} ${r.version})`;
                const valuesFile = join(dir, `${plan.stack}-${r.resource}.json`);
                writeFileSync(valuesFile, JSON.stringify(r.values));
                const out = spawnSync(
                    helm,
                    [
                        "template",
                        r.releaseName,
                        r.chart,
                        "--repo",
                        r.repo,
                        "--version",
                        r.version,
                        "--namespace",
                        r.namespace,
                        "--kube-version",
                        `${kube}.0`,
                        "--values",
                        valuesFile,
                        "--include-crds",
                    ],
                    { encoding: "utf8", maxBuffer: 1 << 28 },
                );
                checked++;
                if (out.status !== 0) {
                    failures.push(`${where}: helm template failed: ${(out.stderr || out.error?.message || "").trim().split("\n").slice(-3).join(" | ")}`);
                    continue;
                }
                failures.push(...renderedProblems(out.stdout).map((p) => `${where}: ${p}`));
                if (kubeconform) {
                    const kc = spawnSync(kubeconform, ["-strict", "-ignore-missing-schemas", "-summary", "-kubernetes-version", `${kube}.0`, "-"], {
                        input: out.stdout,
                        encoding: "utf8",
                        maxBuffer: 1 << 28,
                    });
                    if (kc.status !== 0) failures.push(`${where}: kubeconform: ${kc.stdout.trim().split("\n").slice(-5).join(" | ")}`);
                }
            }
        }
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
    return { checked, failures };
}

function main(): void {
    const planDir = join(process.cwd(), "plan");
    const files = existsSync(planDir) ? readdirSync(planDir).filter((f) => f.endsWith(".json")) : [];
    const plans = files.map((f) => JSON.parse(readFileSync(join(planDir, f), "utf8")) as PlanFile);
    const result = helmTemplateCheck(plans);
    if (result.skipped) {
        console.log(result.skipped);
        return;
    }
    if (plans.length === 0) {
        console.error("no plan/*.json: run `npm run plan -- --all` first");
        process.exitCode = 1;
        return;
    }
    console.log(`helm template: ${result.checked} releases rendered, ${result.failures.length} problem(s)`);
    for (const f of result.failures) console.error(`  ${f}`);
    if (result.failures.length > 0) process.exitCode = 1;
}

export const HELM_TEMPLATE_CHECK_CLI: CliSpec = {
    tool: "helm-template-check",
    command: "node dist/tools/helm-template-check.js",
    summary: "Run helm template on every Helm release of plan/*.json with its values (CI); skips with a message where helm is absent.",
    flags: [],
};

if (require.main === module) {
    void runCli(HELM_TEMPLATE_CHECK_CLI, () => {
        main();
        return typeof process.exitCode === "number" ? process.exitCode : 0;
    });
}
