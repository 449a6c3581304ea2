import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse, YAMLParseError } from "yaml";
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
 * A project or stack file that cannot be read: the message names the file, and
 * the line and column for a YAML syntax error, with the offending line. It
 * extends RunError so the Pulumi CLI prints it without a stack trace, and the
 * tools print its message only.
 */
export class StackFileError extends pulumi.RunError {
    constructor(
        readonly file: string,
        readonly detail: string,
        readonly line?: number,
        readonly column?: number,
    ) {
        super(`${line !== undefined ? `${file}:${line}:${column}` : file}: ${detail}`);
        this.name = "StackFileError";
    }
}

/** The yaml package's message is "<reason> at line L, column C:\n\n<source line>\n<caret>"; keep the reason and the excerpt. */
function yamlProblem(file: string, err: YAMLParseError): StackFileError {
    const [reason, ...excerpt] = err.message.split(/ at line \d+, column \d+:\n/);
    const shown = excerpt.join("").replace(/^\n+|\s+$/g, "");
    const pos = err.linePos?.[0];
    return new StackFileError(file, `YAML syntax error: ${reason}${shown ? `\n${shown.replace(/^/gm, "    ")}` : ""}`, pos?.line, pos?.col);
}

/**
 * Parsed YAML by path, reused while the file is unchanged: the offline plan
 * reads every stack file once per stack for the CIDR overlap check, and YAML
 * parsing was most of a plan's time before this cache.
 */
const parsed = new Map<string, { mtimeMs: number; size: number; doc: unknown }>();

function readYaml(file: string, root: string): unknown {
    const shown = path.relative(root, file) || file;
    const stat = fs.statSync(file);
    const hit = parsed.get(file);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.doc;
    let doc: unknown;
    try {
        doc = parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        if (err instanceof YAMLParseError) throw yamlProblem(shown, err);
        throw err;
    }
    if (doc !== null && doc !== undefined && (typeof doc !== "object" || Array.isArray(doc))) {
        throw new StackFileError(
            shown,
            `the file must be a YAML map (with a \`config:\` map), not ${Array.isArray(doc) ? "a list" : `the ${typeof doc} ${JSON.stringify(doc)}`}`,
        );
    }
    const config = (doc as { config?: unknown } | null)?.config;
    if (config !== undefined && config !== null && (typeof config !== "object" || Array.isArray(config))) {
        throw new StackFileError(shown, `\`config:\` must be a map of keys to values, not ${Array.isArray(config) ? "a list" : JSON.stringify(config)}`);
    }
    parsed.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, doc });
    return doc;
}

/** The project's name in its Pulumi.yaml (this project's NAMESPACE when unnamed): other projects run on the offline engine too. */
export function projectName(root: string = projectRoot()): string {
    const doc = readYaml(path.join(root, "Pulumi.yaml"), root) as { name?: unknown } | null;
    return typeof doc?.name === "string" && doc.name !== "" ? doc.name : NAMESPACE;
}

/** A stack file's key as the CLI stores it: a key without a namespace belongs to the project. */
function namespaced(key: string, project: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** Project-level defaults declared in Pulumi.yaml's `config:` block, namespaced. */
export function projectDefaults(root: string = projectRoot()): Record<string, string> {
    const doc = readYaml(path.join(root, "Pulumi.yaml"), root) as { config?: Record<string, { default?: unknown }> };
    const out: Record<string, string> = {};
    const project = projectName(root);
    for (const [k, decl] of Object.entries(doc.config ?? {})) {
        if (decl && typeof decl === "object" && "default" in decl && decl.default !== undefined) {
            out[namespaced(k, project)] = configString(decl.default);
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
    const doc = readYaml(file, root) as { config?: Record<string, unknown> } | null;
    const raw: Record<string, string> = projectDefaults(root);
    const project = projectName(root);
    for (const [k, v] of Object.entries(doc?.config ?? {})) raw[namespaced(k, project)] = configString(v);
    return raw;
}

/**
 * Every stack file's name, VPC CIDR and raw config, for the checks across
 * stacks (CIDR overlap, a standby's keys that must equal its primary's). A file that
 * cannot be read is skipped rather than failing every other stack: its own run
 * (and the CLI, for a real deploy) reports it by file and line, and the overlap
 * check is symmetric, so that stack's own run compares it with this one once it is fixed.
 */
export function siblingStacks(root: string = projectRoot()): SiblingStack[] {
    return listStacks(root).map((stack) => {
        try {
            const config = readStackConfig(stack, root);
            return { stack, vpcCidr: config[`${NAMESPACE}:vpcCidr`], config };
        } catch {
            return { stack };
        }
    });
}
