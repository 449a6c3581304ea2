import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { RULES } from "../../policies/rules";
import { projectRoot } from "../../stacks/stack-files";
import { renderCompliance } from "../../tools/compliance-doc";

describe("docs/compliance.md", () => {
    it("matches the rules' metadata (run `npm run docs` to refresh)", () => {
        expect(fs.readFileSync(path.join(projectRoot(), "docs", "compliance.md"), "utf8")).to.equal(renderCompliance());
    });

    it("lists every rule with its frameworks and the types it covers", () => {
        const doc = renderCompliance();
        for (const r of RULES) {
            expect(doc).to.contain(`| \`${r.name}\` | ${r.metadata.domain} | ${r.enforcementLevel} |`);
            for (const t of r.metadata.resourceTypes) expect(doc).to.contain(`| \`${t}\` |`);
        }
    });
});
