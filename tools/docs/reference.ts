import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/**
 * Reads a component's reference straight from its source with the TypeScript compiler API
 * (syntax only: no program, no type check, so it costs milliseconds): the Args interface's
 * properties with their TSDoc, and the component class's public properties (its outputs).
 * A default comes from an exported `*_DEFAULTS` object in the component's files when one
 * names the property (one home for each default), else from the TSDoc's `@default` tag or
 * its "Default ..." sentence. The tables are written into each README by tools/gen-docs.ts.
 */

export interface ArgRow {
    name: string;
    type: string;
    required: boolean;
    default: string;
    description: string;
}

export interface OutputRow {
    name: string;
    type: string;
    description: string;
}

/** A source file, parsed only (no type check). `text` stands in for the file's content (tests pass a changed copy). */
export function parse(file: string, text: string = fs.readFileSync(file, "utf8")): ts.SourceFile {
    return ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
}

function sourceOf(file: string | ts.SourceFile): ts.SourceFile {
    return typeof file === "string" ? parse(file) : file;
}

/** One line of text: newlines and runs of spaces collapsed. */
function flat(s: string): string {
    return s.replace(/\s+/g, " ").trim();
}

function docOf(node: ts.Node): { text: string; defaultTag?: string } {
    const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
    const last = docs[docs.length - 1];
    if (!last) return { text: "" };
    const text = flat(ts.getTextOfJSDocComment(last.comment) ?? "");
    const tag = last.tags?.find((t) => t.tagName.text === "default");
    return { text, defaultTag: tag ? flat(ts.getTextOfJSDocComment(tag.comment) ?? "") : undefined };
}

/**
 * The default a TSDoc sentence names: "Default 7 (no spec figure)." gives `7`, `Default "03:00-04:00".`
 * gives `"03:00-04:00"`, "Default none: ..." gives `none`. A quoted value is taken whole; otherwise the
 * value ends at the first clause break. "Defaults: X" reads like "Default X".
 */
export function defaultFromDoc(text: string): string | undefined {
    const m = /\bDefaults?:?\s+(.*)$/.exec(text);
    if (!m) return undefined;
    const rest = m[1];
    const quoted = /^("[^"]*"|`[^`]*`|'[^']*')/.exec(rest);
    if (quoted) return quoted[1];
    const end = rest.search(/[.,;:](\s|$)|\s\(|\s=\s|\s(and|or|when|unless|if)\s/);
    const value = (end < 0 ? rest : rest.slice(0, end)).replace(/\.$/, "").trim();
    return value === "" ? undefined : value;
}

/** Every exported `<NAME>_DEFAULTS = { ... }` object in the files, as property name -> initializer text. */
export interface ExportedDefault {
    /** The constant it comes from: `JOB_QUEUE_DEFAULTS`. */
    source: string;
    /** The initializer as written. */
    value: string;
    /** The property's TSDoc in the constant, if any. */
    description?: string;
}

export function exportedDefaults(files: readonly (string | ts.SourceFile)[]): Map<string, ExportedDefault> {
    const out = new Map<string, ExportedDefault>();
    for (const rows of defaultsObjects(files).values()) for (const [name, d] of rows) if (!out.has(name)) out.set(name, d);
    return out;
}

/** Each exported `<NAME>_DEFAULTS` object of the files: constant name -> (property -> default), in declaration order. */
export function defaultsObjects(files: readonly (string | ts.SourceFile)[]): Map<string, Map<string, ExportedDefault>> {
    const objects = new Map<string, Map<string, ExportedDefault>>();
    for (const file of files) {
        const sf = sourceOf(file);
        for (const stmt of sf.statements) {
            if (!ts.isVariableStatement(stmt) || !stmt.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
            for (const decl of stmt.declarationList.declarations) {
                if (!ts.isIdentifier(decl.name) || !/_DEFAULTS$/.test(decl.name.text) || !decl.initializer) continue;
                let init: ts.Expression = decl.initializer;
                while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
                if (!ts.isObjectLiteralExpression(init)) continue;
                const out = new Map<string, ExportedDefault>();
                objects.set(decl.name.text, out);
                for (const p of init.properties) {
                    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
                        let value: ts.Expression = p.initializer;
                        while (ts.isAsExpression(value) || ts.isSatisfiesExpression(value)) value = value.expression;
                        if (!out.has(p.name.text))
                            out.set(p.name.text, { source: decl.name.text, value: flat(value.getText(sf)), description: docOf(p).text || undefined });
                    }
                }
            }
        }
    }
    return objects;
}

function findInterface(sf: ts.SourceFile, name: string): ts.InterfaceDeclaration | undefined {
    return sf.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
}

function findClass(sf: ts.SourceFile, name: string): ts.ClassDeclaration | undefined {
    return sf.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === name);
}

function propName(name: ts.PropertyName, sf: ts.SourceFile): string {
    return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : name.getText(sf);
}

/**
 * The Args interface's rows, in declaration order. Throws when the interface is missing: the docs must follow a rename.
 * A property without TSDoc takes its `*_DEFAULTS` entry's.
 */
export function argRows(file: string | ts.SourceFile, interfaceName: string, defaults: ReadonlyMap<string, ExportedDefault>): ArgRow[] {
    const sf = sourceOf(file);
    const decl = findInterface(sf, interfaceName);
    if (!decl) throw new Error(`${sf.fileName} declares no interface ${interfaceName}`);
    return decl.members.filter(ts.isPropertySignature).map((m) => {
        const name = propName(m.name, sf);
        const own = docOf(m);
        const doc = { ...own, text: own.text || defaults.get(name)?.description || "" };
        const required = !m.questionToken;
        const fromExport = defaults.get(name);
        const dflt = fromExport ? `\`${fromExport.value}\` (${fromExport.source})` : (own.defaultTag ?? (required ? undefined : defaultFromDoc(own.text)));
        return { name, type: m.type ? flat(m.type.getText(sf)) : "unknown", required, default: dflt ?? (required ? "n/a" : "none"), description: doc.text };
    });
}

/** The component class's public instance properties (its outputs), in declaration order. */
export function outputRows(file: string | ts.SourceFile, className: string): OutputRow[] {
    const sf = sourceOf(file);
    const decl = findClass(sf, className);
    if (!decl) throw new Error(`${sf.fileName} declares no class ${className}`);
    const hidden = new Set([ts.SyntaxKind.PrivateKeyword, ts.SyntaxKind.ProtectedKeyword, ts.SyntaxKind.StaticKeyword]);
    return decl.members
        .filter(ts.isPropertyDeclaration)
        .filter((m) => !m.modifiers?.some((mod) => hidden.has(mod.kind)) && !ts.isPrivateIdentifier(m.name))
        .map((m) => ({ name: propName(m.name, sf), type: m.type ? flat(m.type.getText(sf)) : "unknown", description: docOf(m).text }));
}

/** A table cell: pipes escaped, so a union type stays one cell. */
function cell(s: string): string {
    return s.replace(/\|/g, "\\|");
}

function code(s: string): string {
    return s === "" ? "" : `\`${cell(s)}\``;
}

export function renderArgsTable(rows: readonly ArgRow[]): string {
    return [
        "| Name | Description | Type | Default | Required |",
        "|---|---|---|---|:---:|",
        ...rows.map(
            (r) =>
                `| \`${r.name}\` | ${cell(r.description)} | ${code(r.type)} | ${r.default.startsWith("`") || r.default === "n/a" || r.default === "none" ? cell(r.default) : code(r.default)} | ${r.required ? "yes" : "no"} |`,
        ),
    ].join("\n");
}

export function renderDefaultsTable(rows: ReadonlyMap<string, ExportedDefault>): string {
    return [
        "| Name | Value | Description |",
        "|---|---|---|",
        ...[...rows].map(([name, d]) => `| \`${name}\` | ${code(d.value)} | ${cell(d.description ?? "")} |`),
    ].join("\n");
}

export function renderOutputsTable(rows: readonly OutputRow[]): string {
    return ["| Name | Description | Type |", "|---|---|---|", ...rows.map((r) => `| \`${r.name}\` | ${cell(r.description)} | ${code(r.type)} |`)].join("\n");
}

/** The .ts files of a component: its folder's files, or the one file and its folder of parts when both exist. */
export function componentFiles(root: string, sources: readonly string[]): string[] {
    const files = new Set<string>();
    for (const s of sources) {
        const abs = path.join(root, s);
        if (fs.statSync(abs).isDirectory()) {
            for (const f of fs.readdirSync(abs).sort()) if (f.endsWith(".ts") && !f.endsWith(".d.ts") && f !== "example.ts") files.add(path.join(abs, f));
        } else files.add(abs);
    }
    return [...files];
}
