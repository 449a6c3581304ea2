import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * Tests must leave nothing in the temporary folder. Other processes share /tmp, so a
 * before/after listing of it cannot tell our leftovers from theirs: instead the whole run
 * gets a temporary folder of its own (TMPDIR, which os.tmpdir() and child processes read),
 * and after the last test anything still in it is a leftover of this run, named in the
 * failure. The folder itself is removed either way.
 *
 * Loaded by mocha before any spec (`require` in .mocharc.json), so every spec's
 * os.tmpdir() is the run's folder.
 */

/** What is in `dir` (files and folders at its top level), by name. */
export function leftovers(dir: string): string[] {
    return fs.readdirSync(dir).sort();
}

/** The failure message for leftovers, naming each; undefined when there are none. */
export function leftoverMessage(dir: string, names: readonly string[]): string | undefined {
    if (names.length === 0) return undefined;
    return `tests left ${names.length} entr${names.length === 1 ? "y" : "ies"} in the temporary folder ${dir}: ${names.join(", ")} (remove them in an after hook or a finally block)`;
}

const shared = os.tmpdir();
const runDir = fs.mkdtempSync(path.join(shared, "bb-test-run-"));
// Like /tmp: services the tests start as another user (PostgreSQL as postgres) make their own folders in it.
fs.chmodSync(runDir, 0o1777);
process.env.TMPDIR = runDir;

export const mochaHooks = {
    afterAll(): void {
        const names = leftovers(runDir);
        process.env.TMPDIR = shared;
        fs.rmSync(runDir, { recursive: true, force: true });
        const message = leftoverMessage(runDir, names);
        if (message) throw new Error(message);
    },
};
