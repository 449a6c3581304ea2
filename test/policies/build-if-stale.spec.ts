import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../stacks/stack-files";

/** tools/build-if-stale.mjs: `npm run policy-check` rebuilds only when an input is newer than the last build. */
describe("policy-check's build step (tools/build-if-stale.mjs)", () => {
    const script = path.join(projectRoot(), "tools", "build-if-stale.mjs");
    const check = (root: string) =>
        spawnSync(process.execPath, [script, "--check"], { encoding: "utf8", env: { ...process.env, BUILD_IF_STALE_ROOT: root } }).stdout.trim();
    const at = (p: string, seconds: number) => fs.utimesSync(p, seconds, seconds);

    let root: string | undefined;
    after(() => root && fs.rmSync(root, { recursive: true, force: true }));

    it("is stale with no build, fresh after one, and stale again when a source changes or is added", () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "build-if-stale-"));
        fs.mkdirSync(path.join(root, "policies"));
        fs.mkdirSync(path.join(root, "dist"));
        const src = path.join(root, "policies", "rule.ts");
        fs.writeFileSync(src, "export {};\n");
        fs.writeFileSync(path.join(root, "tsconfig.json"), "{}\n");
        for (const p of [src, path.join(root, "policies"), path.join(root, "tsconfig.json")]) at(p, 1_000_000);
        expect(check(root)).to.equal("stale");
        const stamp = path.join(root, "dist", ".build-stamp");
        fs.writeFileSync(stamp, "built\n");
        at(stamp, 2_000_000);
        expect(check(root)).to.equal("fresh");
        at(src, 3_000_000);
        expect(check(root)).to.equal("stale");
        at(src, 1_000_000);
        fs.writeFileSync(path.join(root, "policies", "new-rule.ts"), "export {};\n");
        expect(check(root)).to.equal("stale");
    });
});
