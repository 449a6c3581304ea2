import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import type { CapturedResource } from "../offline/mock-engine";
import { isFailedPlanFile, type PlanFile } from "../offline/plan-file";
import { CliSpec, runCli, synopsis, UsageError } from "../cli-args";

/**
 * Writes every Kubernetes object the plans register (not Helm releases: their charts are rendered by
 * tools/helm-template-check.ts) as one YAML file each, so an IaC scanner that reads Kubernetes
 * manifests (Checkov, in .github/workflows/security.yml) checks exactly what the program deploys.
 * `node dist/tools/security/export-manifests.js <out-dir> plan/*.json`
 */

/** apiVersion and kind from a Pulumi Kubernetes type token: `kubernetes:apps/v1:Deployment` -> apps/v1, Deployment; `core/v1` -> v1. */
export function apiVersionKind(type: string): { apiVersion: string; kind: string } | undefined {
    const m = /^kubernetes:([^:]+):([A-Za-z0-9]+)$/.exec(type);
    if (!m || m[1].startsWith("helm.sh") || m[1].startsWith("yaml")) return undefined;
    return { apiVersion: m[1].replace(/^core\//, ""), kind: m[2] };
}

export function manifestOf(r: CapturedResource): Record<string, unknown> | undefined {
    const t = apiVersionKind(r.type);
    if (!t || r.type.endsWith("List")) return undefined;
    return { apiVersion: t.apiVersion, kind: t.kind, ...r.inputs };
}

export function exportManifests(plans: readonly PlanFile[], outDir: string): string[] {
    fs.mkdirSync(outDir, { recursive: true });
    const written: string[] = [];
    for (const plan of plans) {
        for (const r of plan.resources) {
            const m = manifestOf(r);
            if (!m) continue;
            const file = path.join(outDir, `${plan.stack}--${r.type.split(":").pop()}--${r.name}.yaml`.replace(/[^A-Za-z0-9._-]/g, "_"));
            fs.writeFileSync(file, stringify(m));
            written.push(file);
        }
    }
    return written;
}

export const EXPORT_MANIFESTS_CLI: CliSpec = {
    tool: "export-manifests",
    command: "node dist/tools/security/export-manifests.js",
    summary: "Write the Kubernetes manifests of plan files as YAML files into <out-dir>, for the scanners (CI security job).",
    flags: [],
    positional: { name: "<out-dir> <plan.json>...", help: "the folder to write, then the plan files (plan/*.json)", fixed: true },
};

if (require.main === module) {
    void runCli(EXPORT_MANIFESTS_CLI, (args) => {
        const [out, ...files] = args.positionals;
        if (!out || !files.length) throw new UsageError(`needs <out-dir> and at least one plan file\n${synopsis(EXPORT_MANIFESTS_CLI)}`);
        const plans = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as unknown).filter((p): p is PlanFile => !isFailedPlanFile(p));
        console.log(`wrote ${exportManifests(plans, out).length} manifests to ${out}`);
        return 0;
    });
}
