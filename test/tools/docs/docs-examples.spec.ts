import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../../stacks/stack-files";
import { COMPONENT_DOCS } from "../../../tools/docs/catalog";
import { CapturedResource } from "../../../tools/offline/mock-engine";
import { runStack } from "../../../tools/offline/stack-runner";

/**
 * The usage examples the component READMEs show (examples/*.ts, included by `npm run docs`) are
 * type-checked by `tsc` with the rest of the repo, and here each is planned offline: it must
 * register its component and children without an error, so a README never shows an example
 * that throws.
 */
describe("docs: the README examples plan offline", () => {
    const root = projectRoot();
    const withExamples = COMPONENT_DOCS.filter((d) => d.example);
    const runs = new Map<string, { error?: Error; resources: CapturedResource[] }>();
    before(async () => {
        for (const d of withExamples) {
            const mod = (await import(path.join(root, "dist", d.example!.file.replace(/\.ts$/, ".js")))) as Record<string, () => unknown>;
            const run = await runStack({ stack: "us-east-1", root, program: async () => (mod[d.example!.fn](), {}) });
            runs.set(d.component, { error: run.error, resources: run.resources });
        }
    });

    for (const d of withExamples) {
        it(`${d.example!.file} builds a ${d.component} with its children`, () => {
            const run = runs.get(d.component)!;
            expect(run.error?.message).to.equal(undefined);
            const comp = run.resources.filter((r) => r.type.endsWith(`:${d.component}`));
            expect(comp, `${d.component} registered`).to.have.length(1);
            expect(run.resources.filter((r) => r.parent === comp[0].urn).length, "children").to.be.greaterThan(0);
        });
    }
});

describe("docs: the examples are part of the build", () => {
    it("tsconfig compiles examples/ and build-if-stale watches every folder tsconfig compiles", () => {
        const root = projectRoot();
        const include = (JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8")) as { include: string[] }).include;
        expect(include).to.include("examples/**/*.ts");
        const inputs = /const INPUTS = \[([^\]]*)\]/.exec(fs.readFileSync(path.join(root, "tools", "build-if-stale.mjs"), "utf8"))![1];
        for (const top of new Set(include.map((i) => i.split("/")[0]))) expect(inputs, `build-if-stale INPUTS lacks ${top}`).to.contain(`"${top}"`);
    });
});
