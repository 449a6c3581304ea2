import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import type { CapturedResource } from "../offline/mock-engine";
import { isFailedPlanFile, type PlanFile } from "../offline/plan-file";

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

if (require.main === module) {
    const [out, ...files] = process.argv.slice(2);
    if (!out || !files.length) {
        console.error("usage: node dist/tools/security/export-manifests.js <out-dir> plan/<stack>.json...");
        process.exit(2);
    }
    const plans = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as unknown).filter((p): p is PlanFile => !isFailedPlanFile(p));
    console.log(`wrote ${exportManifests(plans, out).length} manifests to ${out}`);
}
