import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../stacks/stack-files";

/**
 * docs/install.md lists the packages whose engines exclude the project's lowest
 * supported Node (each one is an EBADENGINE warning in `npm ci` there). Computed
 * here from package-lock.json, so the list cannot drift from the lockfile.
 */

const root = projectRoot();

type Version = [number, number, number];
const parse = (v: string): Version => {
    const [a, b, c] = v
        .replace(/^v/, "")
        .split(".")
        .map((x) => (x === "*" || x === "x" || x === undefined ? 0 : Number(x)));
    return [a ?? 0, b ?? 0, c ?? 0];
};
const cmp = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether a node-semver range (the forms package.json engines use: >=, <, ^, X, X.*, spaces, ||) admits version v. */
export function satisfies(v: string, range: string): boolean {
    const ver = parse(v);
    return range.split("||").some((alt) => {
        const parts = alt
            .trim()
            .replace(/(>=|<=|>|<|\^|~)\s+/g, "$1")
            .split(/\s+/)
            .filter(Boolean);
        return parts.every((p) => {
            const m = /^(>=|<=|>|<|\^|~)?(.+)$/.exec(p)!;
            const [op, raw] = [m[1] ?? "", m[2]];
            const b = parse(raw);
            const given = raw.split(".").filter((x) => x !== "*" && x !== "x").length;
            switch (op) {
                case ">=":
                    return cmp(ver, b) >= 0;
                case ">":
                    return cmp(ver, b) > 0;
                case "<=":
                    return cmp(ver, b) <= 0;
                case "<":
                    return cmp(ver, b) < 0;
                case "^":
                    return cmp(ver, b) >= 0 && ver[0] === b[0];
                case "~":
                    return cmp(ver, b) >= 0 && ver[0] === b[0] && ver[1] === b[1];
                default:
                    return given === 1 ? ver[0] === b[0] : given === 2 ? ver[0] === b[0] && ver[1] === b[1] : cmp(ver, b) === 0;
            }
        });
    });
}

describe("install on the lowest supported Node", () => {
    it("the range check reads engines ranges as npm does", () => {
        expect(satisfies("20.19.0", ">=22")).to.equal(false);
        expect(satisfies("20.19.0", ">=20.19 <21 || >=22")).to.equal(true);
        expect(satisfies("20.19.0", "^20.19.0 || ^22.13.0 || >=24")).to.equal(true);
        expect(satisfies("20.19.0", "^20.19.0 || >=22.12.0")).to.equal(true);
        expect(satisfies("20.19.0", "^20.17.0 || >=22.9.0")).to.equal(true);
        expect(satisfies("20.19.0", "20 || >=22")).to.equal(true);
        expect(satisfies("20.19.0", "^18.17.0 || >=20.5.0")).to.equal(true);
        expect(satisfies("20.19.0", "6.* || 8.* || >= 10.*")).to.equal(true);
        expect(satisfies("20.19.0", "^16.14.0 || ^18")).to.equal(false);
        expect(satisfies("20.19.0", ">= 20.19.1")).to.equal(false);
    });

    it("docs/install.md lists exactly the packages whose engines exclude it (each an EBADENGINE warning)", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { engines: { node: string } };
        const lowest = /^>=\s*([\d.]+)/.exec(pkg.engines.node)![1];
        expect(satisfies(lowest, pkg.engines.node)).to.equal(true);
        const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
            packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
        };
        const excluded = new Set<string>();
        for (const [where, p] of Object.entries(lock.packages)) {
            const node = !Array.isArray(p.engines) ? p.engines?.node : undefined;
            if (!where || !node || satisfies(lowest, node)) continue;
            excluded.add(`${where.replace(/^.*node_modules\//, "")}@${p.version}`);
        }
        const doc = fs.readFileSync(path.join(root, "docs", "install.md"), "utf8");
        const table = doc.slice(doc.indexOf("<!-- ebadengine:start -->"), doc.indexOf("<!-- ebadengine:end -->"));
        const listed = new Set([...table.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]));
        expect([...listed].sort()).to.deep.equal([...excluded].sort());
    });

    it("every other supported line installs quietly: no package excludes the lowest Node of any other alternative of the project's range", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { engines: { node: string } };
        // The lowest version each alternative admits (">=20.19 <21 || ^22.13 || >=24" -> 20.19.0, 22.13.0, 24.0.0).
        const floors = pkg.engines.node.split("||").map((alt) => {
            const [maj, min = "0", pat = "0"] = /^(?:>=|\^|~)?\s*([\d.]+)/.exec(alt.trim())![1].split(".");
            return `${maj}.${min}.${pat}`;
        });
        expect(floors.length).to.be.greaterThan(1);
        const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
            packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
        };
        expect((lock.packages[""].engines as { node: string }).node, "the lockfile's copy of engines").to.equal(pkg.engines.node);
        const doc = fs.readFileSync(path.join(root, "docs", "install.md"), "utf8");
        expect(doc).to.contain(`The project supports Node \`${pkg.engines.node}\``);
        for (const floor of floors.slice(1)) {
            const excluded = Object.entries(lock.packages)
                .filter(([where, p]) => where && !Array.isArray(p.engines) && p.engines?.node && !satisfies(floor, p.engines.node))
                .map(([where]) => where);
            expect(excluded, `packages whose engines exclude Node ${floor}`).to.deep.equal([]);
        }
        // The check can fail: Node 22.0, which the old range ">=20.19 <21 || >=22" admitted, is refused by ESLint.
        const eslint = lock.packages["node_modules/eslint"].engines as { node: string };
        expect(satisfies("22.0.0", eslint.node)).to.equal(false);
    });
});
