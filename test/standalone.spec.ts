import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/**
 * The repository stands alone (docs/design.md#d29-the-repository-stands-alone): no tracked (or new, not ignored)
 * .ts, .md, .yaml/.yml or .json file points outside it, and every relative markdown link and
 * every `docs/<file>.md#anchor` citation resolves to a tracked file and an anchor in it.
 */

const ROOT = path.resolve(__dirname, "..", "..");
const CHECKED = /\.(ts|md|ya?ml|json)$/;
/** Vendored upstream files (charts, AWS facts) are kept as retrieved: their own links point into their own projects. */
const VENDORED = /^test\/upstream\//;
/** This file names the patterns it looks for, in its rules and in its mutation cases. */
const SELF = "test/standalone.spec.ts";

export interface Problem {
    file: string;
    line: number;
    text: string;
    why: string;
}

/**
 * The names of the documents this repository was first written against, which live outside it. They are
 * built from parts so that this file, which must name them to find them, holds no pointer outside the repo itself.
 */
const SHARED_DIR = ["..", "shared"].join("/");
const SPEC_FILE = ["global", "infrastructure", "strategy"].join("-");

/** Documents this repository was first written against, which live outside it. */
const OUTSIDE_NAMES: { re: RegExp; why: string }[] = [
    { re: /shared\/(DESIGN\.md|spec\b)/, why: "a path to the shared design or spec outside the repo: cite docs/design.md or docs/requirements.md" },
    { re: new RegExp(SPEC_FILE), why: "the spec's file name: cite docs/requirements.md#<requirement id>" },
    { re: /(?<![\w/.-])DESIGN\.md/, why: "DESIGN.md is outside the repo: cite docs/design.md#<decision anchor>" },
    { re: /(?<![\w.-])\/(work|home|Users)\/[\w.-]/, why: "an absolute path on a machine: use a path relative to the repo" },
];

/** GitHub's heading anchor: lower case, punctuation dropped, each space a hyphen. */
export function slug(heading: string): string {
    const text = heading
        .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
        .trim()
        .toLowerCase();
    return text.replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

/** Anchors a markdown file defines: headings (outside code fences, numbered when repeated) and `<a id|name>`. */
export function anchorsOf(markdown: string): Set<string> {
    const anchors = new Set<string>();
    const seen = new Map<string, number>();
    let fence: string | undefined;
    for (const line of markdown.split("\n")) {
        const f = /^\s*(```|~~~)/.exec(line);
        if (f) fence = fence === undefined ? f[1] : fence === f[1] ? undefined : fence;
        if (fence !== undefined) continue;
        const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
        if (h) {
            const base = slug(h[1]);
            const n = seen.get(base) ?? 0;
            seen.set(base, n + 1);
            anchors.add(n === 0 ? base : `${base}-${n}`);
        }
        for (const a of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(a[1]);
    }
    return anchors;
}

/** The repo's view a scan needs: tracked files and their text. */
export interface RepoView {
    files: ReadonlyMap<string, string>;
}

function resolveInRepo(fromDir: string, target: string): string | undefined {
    const joined = path.posix.normalize(path.posix.join(fromDir, target));
    return joined.startsWith("../") || joined === ".." || path.posix.isAbsolute(joined) ? undefined : joined.replace(/\/$/, "");
}

function exists(repo: RepoView, p: string): boolean {
    if (p === "." || p === "") return true;
    if (repo.files.has(p)) return true;
    const dir = `${p}/`;
    for (const f of repo.files.keys()) if (f.startsWith(dir)) return true;
    return false;
}

/** Checks a `file#anchor` target that is already inside the repo; returns why it fails, if it does. */
function checkTarget(repo: RepoView, target: string, anchor: string | undefined, anchorCache: Map<string, Set<string>>): string | undefined {
    if (!exists(repo, target)) return `links to ${target}, which is not a tracked file or folder`;
    if (anchor === undefined || !target.endsWith(".md")) return undefined;
    let anchors = anchorCache.get(target);
    if (!anchors) anchorCache.set(target, (anchors = anchorsOf(repo.files.get(target) ?? "")));
    return anchors.has(anchor.toLowerCase()) ? undefined : `links to #${anchor} in ${target}, which has no such heading or anchor`;
}

/** Every pointer outside the repo and every link that does not resolve, by file and line (in `only`, if given). */
export function scan(repo: RepoView, only?: string): Problem[] {
    const problems: Problem[] = [];
    const anchorCache = new Map<string, Set<string>>();
    for (const [file, content] of repo.files) {
        if (!CHECKED.test(file) || VENDORED.test(file) || file === SELF || file === "package-lock.json") continue;
        if (only !== undefined && file !== only) continue;
        const dir = path.posix.dirname(file);
        const lines = content.split("\n");
        lines.forEach((text, i) => {
            const report = (why: string) => problems.push({ file, line: i + 1, text: text.trim(), why });
            for (const o of OUTSIDE_NAMES) if (o.re.test(text)) report(o.why);

            // A relative path that climbs out of the repo from this file's folder. Compiled .ts runs from
            // dist/<same folder>, so a path that stays inside the repo from there is fine too.
            for (const m of text.matchAll(/(?<![\w.])((?:\.\.\/)+)([\w@.-][\w@./-]*)?/g)) {
                const target = m[1] + (m[2] ?? "");
                const fromSource = resolveInRepo(dir, target);
                const fromDist = file.endsWith(".ts") ? resolveInRepo(path.posix.join("dist", dir), target) : undefined;
                if (fromSource === undefined && fromDist === undefined) report(`the path ${target} leaves the repo from ${dir}/`);
            }

            if (file.endsWith(".md")) {
                for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
                    const link = m[1];
                    if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto: ...
                    const [p, anchor] = link.split("#", 2) as [string, string | undefined];
                    const target = p === "" ? file : resolveInRepo(dir, decodeURI(p));
                    if (target === undefined) continue; // reported above as a path that leaves the repo
                    const why = checkTarget(repo, target, anchor, anchorCache);
                    if (why) report(why);
                }
            }
            // Citations of the project's docs from anywhere, e.g. "docs/design.md#d7-aurora-global-database-per-zone".
            for (const m of text.matchAll(/(?<![\w./-])(docs\/[\w./-]+\.md)#([\w-]+)/g)) {
                const why = checkTarget(repo, m[1], m[2], anchorCache);
                if (why) report(why);
            }
        });
    }
    return problems;
}

export function formatProblems(problems: readonly Problem[]): string {
    return problems.map((p) => `${p.file}:${p.line}: ${p.why}\n    ${p.text.slice(0, 200)}`).join("\n");
}

function trackedRepo(): RepoView {
    const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
        .split("\0")
        .filter(Boolean);
    const files = new Map<string, string>();
    for (const f of listed) {
        const abs = path.join(ROOT, f);
        // A file deleted in the working tree but not yet in the index is not part of the repo any more.
        if (!fs.existsSync(abs)) continue;
        files.set(f, CHECKED.test(f) ? fs.readFileSync(abs, "utf8") : "");
    }
    return { files };
}

describe("the repository stands alone", () => {
    let repo: RepoView;
    before(() => {
        repo = trackedRepo();
    });

    it("checks every tracked .ts, .md, .yaml/.yml and .json file", () => {
        const checked = [...repo.files.keys()].filter((f) => CHECKED.test(f) && !VENDORED.test(f));
        expect(checked).to.include.members(["docs/design.md", "docs/requirements.md", "README.md", "Pulumi.yaml", "stacks/contract.ts"]);
    });

    it("has no pointer outside the repo and no link that does not resolve", () => {
        const problems = scan(repo);
        expect(problems.length, `pointers outside the repo or broken links:\n${formatProblems(problems)}`).to.equal(0);
    });

    it("gives every design decision and every requirement a stable anchor", () => {
        const design = anchorsOf(repo.files.get("docs/design.md")!);
        expect([...design].filter((a) => /^d\d+-/.test(a)).length).to.be.greaterThan(20);
        const requirements = anchorsOf(repo.files.get("docs/requirements.md")!);
        for (const id of ["r-scale-2", "r-avail-2", "r-avail-3", "r-cost-1", "r-sec-10", "r-alert-1", "r-autoscale-1"]) expect(requirements, id).to.include(id);
    });

    describe("catches each kind of pointer (mutations of a real file)", () => {
        const mutate = (file: string, line: string): Problem[] => {
            const files = new Map(repo.files);
            files.set(file, `${files.get(file) ?? ""}\n${line}\n`);
            return scan({ files }, file).filter((p) => p.file === file && p.text === line.trim());
        };
        const cases: [string, string, RegExp][] = [
            ["README.md", `See \`${SHARED_DIR}/DESIGN.md\` for the topology.`, /shared design/],
            ["stacks/contract.ts", `// (${SHARED_DIR}/spec/${SPEC_FILE}.md, Scaling Thresholds)`, /spec's file name/],
            ["stacks/regions.ts", "/** DESIGN.md topology: zones. */", /DESIGN\.md is outside/],
            ["components/network.ts", 'const p = "/work/main/docs/design.md";', /absolute path/],
            ["components/network.ts", 'const p = "/home/me/notes.md";', /absolute path/],
            ["docs/cost-model.md", "See [the notes](../../notes.md).", /leaves the repo/],
            ["docs/cost-model.md", "See [the design](missing.md).", /not a tracked file/],
            ["docs/cost-model.md", "See [D7](design.md#d7-no-such-decision).", /no such heading/],
            ["docs/cost-model.md", "See [this](#no-such-heading-here).", /no such heading/],
            ["stacks/regional.ts", "// docs/requirements.md#r-nothing-99", /no such heading/],
        ];
        for (const [file, line, why] of cases) {
            it(`reports ${JSON.stringify(line)} in ${file} with file:line`, () => {
                const found = mutate(file, line);
                expect(found.map((p) => p.why).join("; "), formatProblems(found)).to.match(why);
                expect(formatProblems(found)).to.match(new RegExp(`^${file.replace(/\./g, "\\.")}:\\d+: `));
            });
        }
        it("accepts links and citations that resolve, and imports that stay inside", () => {
            expect(
                mutate("docs/cost-model.md", "See [D7](design.md#d7-aurora-global-database-per-zone) and [R-AVAIL-2](requirements.md#r-avail-2)."),
            ).to.deep.equal([]);
            expect(mutate("stacks/regional.ts", "// docs/design.md#d8-the-rpo-is-watched-and-enforced-only-on-request")).to.deep.equal([]);
            expect(mutate("test/x.spec.ts", 'const root = path.resolve(__dirname, "../..");')).to.deep.equal([]);
        });
    });

    describe("slug", () => {
        it("follows GitHub's heading anchors", () => {
            expect(slug("D7. Aurora Global Database per zone")).to.equal("d7-aurora-global-database-per-zone");
            expect(slug("Network (`components/network.ts`)")).to.equal("network-componentsnetworkts");
            expect(slug("D9. I/O-Optimized storage in place of io2")).to.equal("d9-io-optimized-storage-in-place-of-io2");
            expect([...anchorsOf("# A\n## A\n```\n# not a heading\n```\n")]).to.deep.equal(["a", "a-1"]);
        });
    });
});
