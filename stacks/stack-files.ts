import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { configString, NAMESPACE, SiblingStack } from "./config";

/**
 * Reading Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI hands them
 * to a program: every value is a string (maps and lists as JSON), and the
 * project's declared defaults fill the keys a stack file leaves out.
 */

/** The folder holding Pulumi.yaml, found from this file upwards (works from sources and from dist/). */
export function projectRoot(from: string = __dirname): string {
    let dir = from;
    for (;;) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        const up = path.dirname(dir);
        if (up === dir) throw new Error(`no Pulumi.yaml found above ${from}`);
        dir = up;
    }
}

/** Stack names that have a Pulumi.<stack>.yaml in the project root, sorted. */
export function listStacks(root: string = projectRoot()): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/**
 * Parsed YAML by path, reused while the file is unchanged: the offline plan
 * reads every stack file once per stack for the CIDR overlap check, and YAML
 * parsing was most of a plan's time before this cache.
 */
const parsed = new Map<string, { mtimeMs: number; size: number; doc: unknown }>();

function readYaml(file: string): unknown {
    const stat = fs.statSync(file);
    const hit = parsed.get(file);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.doc;
    const doc = parse(fs.readFileSync(file, "utf8"));
    parsed.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, doc });
    return doc;
}

/** Project-level defaults declared in Pulumi.yaml's `config:` block, namespaced. */
export function projectDefaults(root: string = projectRoot()): Record<string, string> {
    const doc = readYaml(path.join(root, "Pulumi.yaml")) as { config?: Record<string, { default?: unknown }> };
    const out: Record<string, string> = {};
    for (const [k, decl] of Object.entries(doc.config ?? {})) {
        if (decl && typeof decl === "object" && "default" in decl && decl.default !== undefined) {
            out[k.includes(":") ? k : `${NAMESPACE}:${k}`] = configString(decl.default);
        }
    }
    return out;
}

/** The raw config map of one stack, as the CLI would pass it: project defaults overlaid by the stack file. */
export function readStackConfig(stack: string, root: string = projectRoot()): Record<string, string> {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(`no stack file Pulumi.${stack}.yaml; stacks are: ${listStacks(root).join(", ")}`);
    }
    const doc = readYaml(file) as { config?: Record<string, unknown> } | null;
    const raw: Record<string, string> = projectDefaults(root);
    for (const [k, v] of Object.entries(doc?.config ?? {})) raw[k] = configString(v);
    return raw;
}

/** Every stack file's name and VPC CIDR, for the overlap check. Unreadable files are skipped: their own run reports them. */
export function siblingStacks(root: string = projectRoot()): SiblingStack[] {
    return listStacks(root).map((stack) => {
        try {
            const cidr = readStackConfig(stack, root)[`${NAMESPACE}:vpcCidr`];
            return { stack, vpcCidr: cidr };
        } catch {
            return { stack };
        }
    });
}
