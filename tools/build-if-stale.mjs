// Runs `tsc -p tsconfig.json` only when a compiled input is newer than the last build, so
// `npm run policy-check` does not pay for a no-op incremental build (about 6 s of CPU) each call.
// Plain JavaScript on purpose: it has to run before anything is compiled.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

// BUILD_IF_STALE_ROOT lets a test point it at a scratch tree.
const root = process.env.BUILD_IF_STALE_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Written after every successful build; its mtime is the build's. */
const STAMP = path.join(root, "dist", ".build-stamp");
/** What tsconfig.json compiles (its "include"), plus the files that change how it compiles. */
const INPUTS = ["index.ts", "components", "examples", "stacks", "policies", "test", "tools", "tsconfig.json", "package.json", "package-lock.json"];
const SKIP = new Set(["node_modules", "dist", "plan"]);

function newest(p) {
    let st;
    try {
        st = fs.statSync(p);
    } catch {
        return 0;
    }
    if (!st.isDirectory()) return /\.(ts|json)$/.test(p) ? st.mtimeMs : 0;
    let max = st.mtimeMs; // a deleted file shows as a newer directory
    for (const e of fs.readdirSync(p)) if (!SKIP.has(e)) max = Math.max(max, newest(path.join(p, e)));
    return max;
}

export function isStale() {
    let built;
    try {
        built = fs.statSync(STAMP).mtimeMs;
    } catch {
        return true;
    }
    return INPUTS.some((i) => newest(path.join(root, i)) > built);
}

/** The command: its exit code. Set as process.exitCode, so what it printed drains before the process ends. */
function main() {
    const started = Date.now();
    const stale = isStale();
    // --check: report only (exit 1 when a build is due), for tests and scripts.
    if (process.argv.includes("--check")) {
        console.log(stale ? "stale" : "fresh");
        return stale ? 1 : 0;
    }
    if (!stale) {
        if (process.env.BUILD_IF_STALE_VERBOSE) console.error(`dist/ is fresh (checked in ${Date.now() - started} ms); not rebuilding`);
        return 0;
    }
    const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
    const r = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json")], { stdio: "inherit" });
    if (r.status !== 0) return r.status ?? 1;
    fs.mkdirSync(path.dirname(STAMP), { recursive: true });
    fs.writeFileSync(STAMP, new Date().toISOString() + "\n");
    return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main();
