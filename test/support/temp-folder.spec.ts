import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { leftoverMessage, leftovers } from "./temp-folder";

describe("the temporary-folder check (test/support/temp-folder.ts)", () => {
    it("names every entry a test left behind, and passes an empty folder", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "temp-check-"));
        try {
            expect(leftoverMessage(dir, leftovers(dir))).to.equal(undefined);
            fs.writeFileSync(path.join(dir, "plan-abc.json"), "{}");
            fs.mkdirSync(path.join(dir, "cli-out-xyz"));
            expect(leftoverMessage(dir, leftovers(dir))).to.equal(
                `tests left 2 entries in the temporary folder ${dir}: cli-out-xyz, plan-abc.json (remove them in an after hook or a finally block)`,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("runs the specs in a temporary folder of the run's own when mocha loads it", function () {
        // Under `npm test` (.mocharc.json requires the hook) os.tmpdir() is the run's folder; the shared one otherwise.
        if (!process.env.TMPDIR?.includes("bb-test-run-")) this.skip();
        expect(path.basename(os.tmpdir())).to.match(/^bb-test-run-/);
    });
});
