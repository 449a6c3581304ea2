import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../stacks/stack-files";
import { renderGenerated, renderPulumiYaml } from "../../tools/gen-docs";

describe("generated docs", () => {
    const root = projectRoot();
    // One render for the file: the generator runs in memory and writes nothing.
    let generated: Map<string, string>;
    before(() => {
        generated = renderGenerated(root);
    });

    it("Pulumi.yaml declares the config schema as it is now (run `npm run docs` to refresh)", () => {
        expect(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")).to.equal(renderPulumiYaml());
    });

    it("every generated file is fresh: config table, tool flags, compliance, component references and examples, bench figures (run `npm run docs`)", () => {
        expect(generated.size).to.be.greaterThan(8);
        for (const [file, text] of generated) expect(fs.readFileSync(path.join(root, file), "utf8"), `${file} is stale: run npm run docs`).to.equal(text);
    });
});
