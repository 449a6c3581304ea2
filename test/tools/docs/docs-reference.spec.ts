import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../../stacks/stack-files";
import { replaceBlock } from "../../../tools/docs/blocks";
import { COMPONENT_DOCS } from "../../../tools/docs/catalog";
import { renderReference } from "../../../tools/docs/component-readmes";
import { argRows, componentFiles, defaultFromDoc, exportedDefaults, outputRows, parse } from "../../../tools/docs/reference";
import { staleFiles } from "../../../tools/gen-docs";

/**
 * The split docs (issue 16): a short root README, one README per component with tables read
 * from the code, and a generator that notices when they drift. Freshness of every generated
 * file is test/tools/docs.spec.ts; here: the shape, the links, and that each check fails on its defect.
 */

const root = projectRoot();
const read = (f: string) => fs.readFileSync(path.join(root, f), "utf8");
const FIVE = ["RegionalCluster", "ShardedDatabase", "RedisGlobal", "EdgeNetwork", "ObservabilityStack"];

describe("docs: the split", () => {
    it("the root README is under 300 lines and links each component's page", () => {
        const readme = read("README.md");
        expect(readme.split("\n").length).to.be.lessThan(300);
        for (const d of COMPONENT_DOCS.filter((c) => FIVE.includes(c.component))) expect(readme, d.component).to.contain(`](${d.readme})`);
        for (const page of ["policies/README.md", "docs/performance.md", "docs/config.md", "docs/offline-tools.md"])
            expect(readme, page).to.contain(`](${page})`);
    });

    it("each of the five components has a README with a purpose, a compiled example and Inputs and Outputs tables", () => {
        for (const name of FIVE) {
            const doc = COMPONENT_DOCS.find((d) => d.component === name)!;
            expect(doc.example, name).to.not.equal(undefined);
            const text = read(doc.readme);
            const purpose = text.split("\n## ")[0].split("\n").slice(1).join(" ").trim();
            expect(purpose.length, `${name}: purpose paragraph`).to.be.greaterThan(100);
            expect(text, name).to.contain(`<!-- example:${name}:start`).and.to.contain("#### Inputs").and.to.contain("#### Outputs");
            expect(text, name).to.contain(`export function ${doc.example!.fn}(`);
        }
    });

    it("every input and output of every documented component has a description (TSDoc)", () => {
        for (const d of COMPONENT_DOCS) {
            const file = path.join(root, d.source);
            const defaults = exportedDefaults(componentFiles(root, d.defaults));
            const missing = [...argRows(file, d.args, defaults), ...outputRows(file, d.component)].filter((r) => r.description === "").map((r) => r.name);
            expect(missing, `${d.component}: add TSDoc to`).to.deep.equal([]);
        }
    });

    it("every relative link in the READMEs and docs/*.md points at a file or folder that exists", () => {
        const pages = [
            "README.md",
            "policies/README.md",
            ...new Set(COMPONENT_DOCS.map((d) => d.readme)),
            ...fs
                .readdirSync(path.join(root, "docs"))
                .filter((f) => f.endsWith(".md"))
                .map((f) => `docs/${f}`),
        ];
        const broken: string[] = [];
        for (const page of pages) {
            for (const m of read(page).matchAll(/\]\(([^)\s]+)\)/g)) {
                const target = m[1].split("#")[0];
                if (target === "" || /^[a-z]+:/.test(target)) continue;
                if (!fs.existsSync(path.join(root, path.dirname(page), target))) broken.push(`${page}: ${m[1]}`);
            }
        }
        expect(broken).to.deep.equal([]);
    });
});

describe("docs: reading the reference from the code (tools/docs/reference.ts)", () => {
    const SOURCE = `
export const CACHE_DEFAULTS = {
    port: 6379,
    /** Shards: 3 primaries. */
    shards: 3,
} as const;
export interface CacheArgs {
    /** Residency zone. Required. */
    zone: string;
    /** Port. Default 6380 (the TSDoc is overruled by CACHE_DEFAULTS). */
    port?: number;
    /** Snapshot window. Default "03:00-04:00". */
    window?: string;
    /**
     * Alarm actions.
     * @default []
     */
    actions?: string[];
    /** A knob with no stated default. */
    knob?: boolean;
    shards?: number;
}
export class Cache {
    /** The endpoint. */
    readonly endpoint: string;
    private readonly secret: string;
    static readonly KIND = "cache";
}`;
    const sf = parse("cache.ts", SOURCE);

    it("takes a default from *_DEFAULTS before the TSDoc, then @default, then the TSDoc's Default sentence", () => {
        const rows = argRows(sf, "CacheArgs", exportedDefaults([sf]));
        expect(rows.map((r) => [r.name, r.required, r.default])).to.deep.equal([
            ["zone", true, "n/a"],
            ["port", false, "`6379` (CACHE_DEFAULTS)"],
            ["window", false, '"03:00-04:00"'],
            ["actions", false, "[]"],
            ["knob", false, "none"],
            ["shards", false, "`3` (CACHE_DEFAULTS)"],
        ]);
        expect(rows[0].description).to.equal("Residency zone. Required.");
        // No TSDoc of its own: the defaults constant's comment describes it.
        expect(rows[5].description).to.equal("Shards: 3 primaries.");
    });

    it("a property added to Args, or a default changed, changes the table (so a stale README fails)", () => {
        const base = argRows(sf, "CacheArgs", exportedDefaults([sf]));
        const added = parse(
            "cache.ts",
            SOURCE.replace("    shards?: number;", "    shards?: number;\n    /** Replicas. Default 2. */\n    replicas?: number;"),
        );
        const rows = argRows(added, "CacheArgs", exportedDefaults([added]));
        expect(rows.length).to.equal(base.length + 1);
        expect(rows[rows.length - 1]).to.deep.include({ name: "replicas", default: "2" });
        const changed = parse("cache.ts", SOURCE.replace("port: 6379", "port: 7000"));
        expect(argRows(changed, "CacheArgs", exportedDefaults([changed]))[1].default).to.equal("`7000` (CACHE_DEFAULTS)");
    });

    it("lists public instance properties as outputs, not private or static ones", () => {
        expect(outputRows(sf, "Cache")).to.deep.equal([{ name: "endpoint", type: "string", description: "The endpoint." }]);
    });

    it("names the file and the interface when the Args interface is gone (a rename must reach the catalog)", () => {
        expect(() => argRows(sf, "CachArgs", new Map())).to.throw("cache.ts declares no interface CachArgs");
    });

    it("reads a default from the TSDoc's sentence", () => {
        expect(defaultFromDoc("Days kept. Default 365 (PCI DSS 10.7).")).to.equal("365");
        expect(defaultFromDoc('Namespace. Default "bookedbarber".')).to.equal('"bookedbarber"');
        expect(defaultFromDoc("Where alarms go. Default none: the topics route them.")).to.equal("none");
        expect(defaultFromDoc("Days kept, no default stated.")).to.equal(undefined);
    });

    it("a README without a component's markers is refused, naming the file and the block", () => {
        expect(() => replaceBlock("# X\n", "components/x/README.md", "reference:X", "t")).to.throw(
            'components/x/README.md has no generated block "reference:X"',
        );
    });

    it("the real components' tables come out of their sources (RedisGlobal: port 6379, zone required)", () => {
        const text = renderReference(
            root,
            COMPONENT_DOCS.find((d) => d.component === "RedisGlobal")!,
        );
        expect(text).to.match(/\| `zone` \|[^\n]*\| n\/a \| yes \|/);
        expect(text).to.match(/\| `port` \|[^\n]*\| `6379`[^\n]*\| no \|/);
        expect(text).to.contain("| `configurationEndpoint` |");
    });
});

describe("docs: staleness (npm run docs -- --check)", () => {
    let tmp: string;
    before(() => {
        // A copy of what the generator reads, so a README can be made stale without touching the checkout.
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bb-docs-"));
        for (const d of ["components", "docs", "examples", "package.json", "Pulumi.yaml"])
            fs.cpSync(path.join(root, d), path.join(tmp, d), { recursive: true });
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("finds nothing stale in the checkout, and names a README whose table was edited by hand", () => {
        expect(staleFiles(tmp)).to.deep.equal([]);
        const f = path.join(tmp, "components/redis-global/README.md");
        fs.writeFileSync(f, fs.readFileSync(f, "utf8").replace("| `port` |", "| `prot` |"));
        const perf = path.join(tmp, "docs/bench-results.json");
        fs.writeFileSync(perf, fs.readFileSync(perf, "utf8").replace(/"planMs": \d+/, '"planMs": 1'));
        expect(staleFiles(tmp)).to.deep.equal(["docs/performance.md", "components/redis-global/README.md"]);
    });

    it("npm run docs -- --check exits 0 on the checkout and writes nothing", () => {
        const before = fs.readFileSync(path.join(root, "README.md"));
        const r = spawnSync(process.execPath, [path.join(root, "dist/tools/gen-docs.js"), "--check"], { cwd: root, encoding: "utf8" });
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout).to.contain("up to date");
        expect(fs.readFileSync(path.join(root, "README.md")).equals(before)).to.equal(true);
    });
});
