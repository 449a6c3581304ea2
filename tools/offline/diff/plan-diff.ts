import * as fs from "fs";
import * as path from "path";
import type { PlanFile } from "../plan-file";
import { isFailedPlanFile } from "../plan-file";
import { projectRoot } from "../../../stacks/stack-files";

/**
 * `plan --diff <dir>`: what changes from a previous plan folder to this run,
 * per stack, the way `pulumi preview --diff` reads in a pull request: resources
 * to create (+), delete (-), update (~) and replace (+-), each update with the
 * input paths that changed. A change is a replacement when one of the changed
 * paths touches an input the provider cannot update in place for that type
 * (replace-on-change.json: the Terraform AWS provider's ForceNew attributes,
 * sourced there). Resources match by URN, as the engine matches them.
 */

/**
 * The sourced table: per type, the provider file it was read from and its ForceNew inputs;
 * the types read and found to have none (every change updates in place); the types not yet read.
 */
export interface ReplaceOnChangeTable {
    source: string;
    retrieved: string;
    types: Record<string, { file: string; commit: string | null; forceNew: string[] }>;
    noForceNew: { reason: string; types: Record<string, { file: string; commit: string | null }> };
    notYetSourced: { reason: string; types: string[] };
}

export const REPLACE_ON_CHANGE_TABLE: ReplaceOnChangeTable = JSON.parse(
    fs.readFileSync(path.join(projectRoot(), "tools", "offline", "diff", "replace-on-change.json"), "utf8"),
) as ReplaceOnChangeTable;

/** Per type, the inputs whose change replaces the resource ("name", or "encryptAtRest.kmsKeyId" inside a one-element block). */
export const REPLACE_ON_CHANGE: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
    Object.entries(REPLACE_ON_CHANGE_TABLE.types).map(([t, e]) => [t, e.forceNew]),
);

/** Dotted form of a changed path ("a[0].b" -> "a.0.b") so it compares segment by segment with a table entry. */
const segments = (p: string) => p.replace(/\[(\d+)\]/g, ".$1").split(".");

/**
 * The table entries a changed path touches: the path is the entry, lies inside it
 * (a field of a ForceNew block), or lies above it (the whole block changed, so the
 * ForceNew field inside may have).
 */
export function forcingEntries(changed: string, entries: readonly string[]): string[] {
    const c = segments(changed);
    return entries.filter((e) => {
        const f = e.split(".");
        const n = Math.min(c.length, f.length);
        return c.slice(0, n).join(".") === f.slice(0, n).join(".");
    });
}

export interface ChangedResource {
    urn: string;
    type: string;
    /** Input paths that differ ("tags.Name", "ingress[0].cidrBlocks"), sorted. */
    paths: string[];
    /** Table entries (inputs, or fields of one-element blocks) whose change forces a replacement for this type; empty for an in-place update. */
    replaceBecause: string[];
}

export interface StackDiff {
    stack: string;
    /** Why there is nothing to compare against, when the base has no plan of this stack. */
    baseMissing?: string;
    added: string[];
    removed: string[];
    changed: ChangedResource[];
}

/** Paths where two JSON values differ; objects by key, arrays by index. */
export function changedPaths(a: unknown, b: unknown, at = ""): string[] {
    if (JSON.stringify(a) === JSON.stringify(b)) return [];
    const isObj = (x: unknown) => x !== null && typeof x === "object";
    if (!isObj(a) || !isObj(b) || Array.isArray(a) !== Array.isArray(b)) return [at || "(value)"];
    if (Array.isArray(a) && Array.isArray(b)) {
        return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => changedPaths(a[i], b[i], `${at}[${i}]`)).flat();
    }
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort();
    return keys.flatMap((k) => changedPaths(ra[k], rb[k], at ? `${at}.${k}` : k));
}

export function diffPlan(base: PlanFile, head: PlanFile): StackDiff {
    const before = new Map(base.resources.map((r) => [r.urn, r]));
    const after = new Map(head.resources.map((r) => [r.urn, r]));
    const changed: ChangedResource[] = [];
    for (const [urn, r] of after) {
        const old = before.get(urn);
        if (!old) continue;
        const paths = changedPaths(old.inputs, r.inputs);
        if (!paths.length) continue;
        const forcing = REPLACE_ON_CHANGE[r.type] ?? [];
        changed.push({ urn, type: r.type, paths, replaceBecause: [...new Set(paths.flatMap((p) => forcingEntries(p, forcing)))].sort() });
    }
    return {
        stack: head.stack,
        added: [...after.keys()].filter((u) => !before.has(u)),
        removed: [...before.keys()].filter((u) => !after.has(u)),
        changed,
    };
}

/** Reads `<dir>/<stack>.json` as the base of a stack's diff; a missing or failed base makes every resource an add. */
export function readBase(dir: string, stack: string): PlanFile | string {
    const file = path.join(dir, `${stack}.json`);
    if (!fs.existsSync(file)) return `${file} does not exist`;
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
    if (isFailedPlanFile(parsed)) return `${file} is a failed plan`;
    const p = parsed as PlanFile;
    if (typeof p?.stack !== "string" || !Array.isArray(p.resources)) return `${file} is not a plan file`;
    return p;
}

export function diffAgainst(base: PlanFile | string, head: PlanFile): StackDiff {
    if (typeof base === "string") return { stack: head.stack, baseMissing: base, added: head.resources.map((r) => r.urn), removed: [], changed: [] };
    return diffPlan(base, head);
}

/** The text view: a count line per stack, then one line per resource with its symbol and, for updates, the changed paths. */
export function formatDiff(diffs: readonly StackDiff[], baseDir: string): string[] {
    const out = [`diff against ${baseDir} (+ create, - delete, ~ update, +- replace):`];
    for (const d of diffs) {
        const replaced = d.changed.filter((c) => c.replaceBecause.length);
        out.push(
            `  ${d.stack}: ${d.added.length} to create, ${d.removed.length} to delete, ${d.changed.length - replaced.length} to update, ${replaced.length} to replace${d.baseMissing ? ` (no base plan: ${d.baseMissing})` : ""}`,
        );
        if (d.baseMissing) continue;
        for (const u of d.added) out.push(`    +  ${u}`);
        for (const u of d.removed) out.push(`    -  ${u}`);
        for (const c of d.changed) {
            const replace = c.replaceBecause.length > 0;
            out.push(`    ${replace ? "+-" : "~ "} ${c.urn}`);
            if (replace) out.push(`         replaced because ${c.replaceBecause.join(", ")} cannot change in place`);
            out.push(`         changed: ${c.paths.join(", ")}`);
        }
    }
    return out;
}
