import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ConfigError, parseStackConfig } from "../../stacks/config";
import { CROSS_KEY_RULES } from "../../stacks/config-cross";
import { CONFIG_SCHEMA, ConfigKey } from "../../stacks/config-schema";
import { LOG_RETENTION_DAYS } from "../../stacks/config-keys/define";
import type { KeyDef, Role } from "../../stacks/config-keys/define";
import { projectRoot, readStackConfig, siblingStacks } from "../../stacks/stack-files";
import { runStack } from "../../tools/offline/stack-runner";

/**
 * Config validation in one pass, in config terms (issue 18): a component argument
 * check that reads only config must fire during config validation, with every other
 * problem, naming the config key. The components' own checks stay (they guard callers
 * that do not come through config); these tests prove config gets there first.
 */

const NS = "bookedbarber:";
const raw = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

function problemsOf(stack: string, overrides: Record<string, unknown>): string[] {
    const cfg = { ...readStackConfig(stack) };
    for (const [k, v] of Object.entries(overrides)) cfg[NS + k] = raw(v);
    try {
        parseStackConfig(cfg, stack, "bookedbarber", siblingStacks());
        return [];
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return [...(e as ConfigError).problems];
    }
}

/**
 * A bad value for each cross-key rule, on a stack whose role reads its keys. A rule
 * added to CROSS_KEY_RULES without a case here fails the first test.
 */
const CASES: Record<string, { stack: string; set: Record<string, unknown> }> = {
    "ShardedDatabase readerMin <= readerMax": { stack: "eu-west-1", set: { databaseReaderMin: 10, databaseReaderMax: 5 } },
    "ShardedDatabase shardCount x readerMax >= SPEC_READERS_PER_REGION": { stack: "eu-west-1", set: { databaseReaderMin: 1, databaseReaderMax: 1 } },
    "ShardedDatabase catalog lock": { stack: "eu-west-1", set: { databaseShardCount: 5 } },
    "RedisGlobal snapshotWindow must not overlap maintenanceWindow": {
        stack: "eu-west-1",
        set: { redisSnapshotWindow: "03:00-04:00", redisMaintenanceWindow: "sun:03:00-sun:04:00" },
    },
    "RedisGlobal engineVersion must be a version of engine": { stack: "eu-west-1", set: { redisEngine: "valkey", redisEngineVersion: "7.1" } },
    "ObservabilityStack watch.cache must have at most CACHE_WATCH_MAX_NODES nodes": { stack: "eu-west-1", set: { redisShards: 4, redisReplicasPerShard: 2 } },
    "RegionalCluster node group maximums <= maxNodes": { stack: "eu-west-1", set: { clusterMaxNodes: 20 } },
    "a standby's warm compute size <= the compute group's maxSize (stacks/regional.ts nodeGroupsFor)": {
        stack: "eu-central-1",
        set: { standbyNodeGroupMinSize: 41 },
    },
    "ObservabilityStack openSearch.volumeSizeGib <= the instance type's EBS limit": { stack: "eu-west-1", set: { openSearchVolumeSizeGib: 9000 } },
    "ObservabilityStack openSearch.hotDays < logRetentionDays with UltraWarm nodes": { stack: "eu-west-1", set: { openSearchHotDays: 400 } },
    "ObservabilityStack hot and warm storage must hold the retained logs": { stack: "eu-west-1", set: { openSearchRetainedTb: 500 } },
};

describe("config validation in one pass, in config terms", function () {
    this.timeout(300_000);

    it("each cross-key rule fires on its bad case, naming the config keys, where today only the component would (after a fix-and-rerun)", async () => {
        expect(Object.keys(CASES).sort(), "a case per rule in stacks/config-cross.ts").to.deep.equal(CROSS_KEY_RULES.map((r) => r.component).sort());
        for (const rule of CROSS_KEY_RULES) {
            const c = CASES[rule.component];
            expect(problemsOf(c.stack, {}), `${c.stack} is valid as it is`).to.deep.equal([]);
            const problems = problemsOf(c.stack, c.set);
            expect(problems, rule.component).to.have.length.greaterThan(0);
            for (const p of problems) expect(p, `${rule.component}: a problem in config terms`).to.match(/^bookedbarber:[A-Za-z]+/);
            expect(problems.join("\n"), rule.component).to.contain(`${NS}${rule.keys[0]}`);
        }
        // A run of the program reports it the same way, before any resource (it used to come from ShardedDatabase as "readerMin = 10").
        const r = await runStack({ stack: "eu-west-1", configOverrides: { [`${NS}databaseReaderMin`]: "10", [`${NS}databaseReaderMax`]: "5" } });
        expect(String(r.error?.message)).to.match(/bookedbarber:databaseReaderMin = 10: must not exceed bookedbarber:databaseReaderMax/);
    });

    it("one run reports a bad nodeGroups.general.minSize together with every other problem, key problems and cross-key problems alike", () => {
        const problems = problemsOf("eu-west-1", {
            nodeGroups: { general: { minSize: -1 } },
            databaseReaderMin: 10,
            databaseReaderMax: 5,
            redisSnapshotWindow: "03:00-04:00",
            redisMaintenanceWindow: "sun:03:00-sun:04:00",
            redisEngineVersion: "7.1",
            openSearchVolumeSizeGib: 9000,
            openSearchHotDays: 400,
            redisShards: 0,
        });
        const named = (k: string) => problems.some((p) => p.startsWith(`${NS}${k}`));
        for (const k of [
            "nodeGroups.general.minSize",
            "databaseReaderMin",
            "redisSnapshotWindow",
            "redisEngineVersion",
            "openSearchVolumeSizeGib",
            "openSearchHotDays",
            "redisShards",
        ]) {
            expect(named(k), `${k} in ${JSON.stringify(problems, null, 1)}`).to.equal(true);
        }
    });

    it("every exported *Problem(s) check of a component is called by config validation, or says why it cannot be", () => {
        const NOT_CONFIG: Record<string, string> = {
            standbyCatalogProblem:
                "compares a standby's catalog with its primary's deployed shards (a stack output); the config side compares the two stack files' mirrored keys instead (MIRRORED_KEYS)",
        };
        const root = projectRoot();
        const walk = (d: string): string[] =>
            fs
                .readdirSync(d, { withFileTypes: true })
                .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith(".ts") ? [path.join(d, e.name)] : []));
        const found = walk(path.join(root, "components")).flatMap((f) =>
            [...fs.readFileSync(f, "utf8").matchAll(/export function (\w+Problems?)\(/g)].map((m) => m[1]),
        );
        expect(found.length).to.be.greaterThan(4);
        const configSide = [
            ...walk(path.join(root, "stacks", "config-keys")),
            path.join(root, "stacks", "config.ts"),
            path.join(root, "stacks", "config-cross.ts"),
        ]
            .map((f) => fs.readFileSync(f, "utf8"))
            .join("\n");
        const unhooked = found.filter((fn) => !new RegExp(`\\b${fn}\\b`).test(configSide) && !(fn in NOT_CONFIG));
        expect(unhooked, "call it from the key's check in stacks/config-keys, or from a rule in stacks/config-cross.ts").to.deep.equal([]);
    });

    /**
     * The class of bug, whatever the check: for each role, every integer key at the lowest
     * (then highest) value its own check accepts, all at once. Whatever config validation
     * then still accepts, the program must run without a component rejecting its arguments.
     * A new component check stricter than config at an extreme fails here.
     */
    let primaryOutputs: Record<string, unknown> = {};
    before(async () => {
        const r = await runStack({ stack: "eu-west-1" });
        expect(r.error).to.equal(undefined);
        primaryOutputs = r.rawOutputs;
    });
    for (const [stack, role] of [
        ["eu-west-1", "primary"],
        ["eu-central-1", "standby"],
    ] as [string, Role][]) {
        for (const end of ["lowest", "highest"] as const) {
            it(`${role} (${stack}): every integer key at the ${end} value config accepts, the components accept whatever config validation passes`, async () => {
                const candidates = [
                    ...new Set([
                        -1,
                        0,
                        1,
                        2,
                        3,
                        4,
                        5,
                        6,
                        7,
                        8,
                        10,
                        12,
                        15,
                        16,
                        20,
                        25,
                        30,
                        32,
                        35,
                        50,
                        60,
                        64,
                        90,
                        100,
                        128,
                        200,
                        256,
                        300,
                        500,
                        1000,
                        1024,
                        1440,
                        2000,
                        3072,
                        3600,
                        4096,
                        10000,
                        16384,
                        43200,
                        100000,
                        200000,
                        1_000_000,
                        2_000_000_000,
                        ...LOG_RETENTION_DAYS,
                    ]),
                ].sort((a, b) => a - b);
                const set: Record<string, unknown> = {};
                for (const [k, d] of Object.entries(CONFIG_SCHEMA) as [ConfigKey, KeyDef<unknown>][]) {
                    if (d.type !== "integer" || !d.check || !d.roles.includes(role)) continue;
                    const ok = candidates.filter((c) => d.check!(c).length === 0);
                    if (ok.length) set[k] = end === "lowest" ? ok[0] : ok[ok.length - 1];
                }
                expect(Object.keys(set).length).to.be.greaterThan(20);
                // Drop what config refuses in combination (it says so, naming the key), until it accepts.
                for (let i = 0; i < 10; i++) {
                    const problems = problemsOf(stack, set);
                    if (!problems.length) break;
                    const named = new Set(problems.flatMap((p) => [...p.matchAll(/bookedbarber:([A-Za-z]+)/g)].map((m) => m[1])));
                    // A rule names the keys it reports on; the others it reads share the blame.
                    for (const r of CROSS_KEY_RULES) if (r.keys.some((k) => named.has(k))) r.keys.forEach((k) => named.add(k));
                    const before = Object.keys(set).length;
                    for (const k of named) delete set[k];
                    expect(Object.keys(set).length, `config refused ${JSON.stringify(problems)} without naming a key set here`).to.be.lessThan(before);
                }
                expect(problemsOf(stack, set)).to.deep.equal([]);
                expect(Object.keys(set).length, "most keys stay at their extreme").to.be.greaterThan(10);
                const r = await runStack({
                    stack,
                    configOverrides: Object.fromEntries(Object.entries(set).map(([k, v]) => [NS + k, raw(v)])),
                    stackReferences: role === "standby" ? { "eu-west-1": primaryOutputs } : undefined,
                });
                expect(r.error?.message, `config accepted ${JSON.stringify(set)}`).to.equal(undefined);
            });
        }
    }
});
