import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../stacks/stack-files";
import { renderPulumiYaml, renderReadme } from "../../tools/gen-docs";

describe("generated docs", () => {
    const root = projectRoot();
    it("Pulumi.yaml declares the config schema as it is now (run `npm run docs` to refresh)", () => {
        expect(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")).to.equal(renderPulumiYaml());
    });
    it("README's config table matches the schema (run `npm run docs` to refresh)", () => {
        const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
        expect(readme).to.equal(renderReadme(readme));
    });
});
