import { expect } from "chai";
import { projectRoot } from "../../stacks/stack-files";
import * as fs from "fs";
import * as path from "path";
import { ArgsCheck } from "../../components/args";
import { AURORA_BACKUPS_DEFAULTS, AURORA_BACKUPS_LIMITS } from "../../components/aurora-backups";
import { DEPLOY_RUNNER_DEFAULTS, DEPLOY_RUNNER_LIMITS } from "../../components/deploy-runner";
import { EDGE_DEFAULTS, EDGE_LIMITS } from "../../components/edge-network";
import { JOB_QUEUE_DEFAULTS, JOB_QUEUE_LIMITS } from "../../components/job-queue";
import { REGIONAL_KEYS_DEFAULTS, REGIONAL_KEYS_LIMITS } from "../../components/kms-keys";
import { TAG_DEFAULTS } from "../../components/tags";
import { boundaryProbes, Limit, LOG_RETENTION_DAYS } from "../../components/limits";
import { NETWORK_DEFAULTS, NETWORK_LIMITS } from "../../components/network";
import { dataInstanceCountProblem, OPENSEARCH_DEFAULTS, OPENSEARCH_LIMITS, warmInstanceCountProblem } from "../../components/observability/opensearch-sizing";
import { OBSERVABILITY_DEFAULTS, OBSERVABILITY_LIMITS } from "../../components/observability-stack";
import { REDIS_DEFAULTS, REDIS_LIMITS } from "../../components/redis-global";
import { CLUSTER_DEFAULTS, CLUSTER_LIMITS, KUBERNETES_VERSIONS } from "../../components/regional-cluster";
import { CLUSTER_AUTOSCALER_CHART_BY_MINOR } from "../../components/helm/charts";
import { DATABASE_DEFAULTS, DATABASE_LIMITS } from "../../components/sharded-database";
import { ZONE_RECOVERY_DEFAULTS, ZONE_RECOVERY_LIMITS } from "../../components/zone-recovery-plan";
import { CONFIG_SCHEMA } from "../../stacks/config-schema";
import { KeyDef, LOG_RETENTION_DAYS as CONFIG_LOG_RETENTION_DAYS } from "../../stacks/config-keys/define";

const ROOT = projectRoot();

/**
 * Every component's exported defaults and limits, by export name. A new `<COMPONENT>_DEFAULTS` or
 * `_LIMITS` export must be added here (a test below reads the sources), so that the name rule
 * below knows its fields.
 */
const DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
    AURORA_BACKUPS_DEFAULTS,
    DEPLOY_RUNNER_DEFAULTS,
    EDGE_DEFAULTS,
    JOB_QUEUE_DEFAULTS,
    REGIONAL_KEYS_DEFAULTS,
    NETWORK_DEFAULTS,
    OPENSEARCH_DEFAULTS,
    OBSERVABILITY_DEFAULTS,
    REDIS_DEFAULTS,
    CLUSTER_DEFAULTS,
    DATABASE_DEFAULTS,
    ZONE_RECOVERY_DEFAULTS,
    TAG_DEFAULTS,
};
const LIMITS: Readonly<Record<string, Readonly<Record<string, Limit>>>> = {
    AURORA_BACKUPS_LIMITS,
    DEPLOY_RUNNER_LIMITS,
    EDGE_LIMITS,
    JOB_QUEUE_LIMITS,
    REGIONAL_KEYS_LIMITS,
    NETWORK_LIMITS,
    OBSERVABILITY_LIMITS,
    OPENSEARCH_LIMITS,
    REDIS_LIMITS,
    CLUSTER_LIMITS,
    DATABASE_LIMITS,
    ZONE_RECOVERY_LIMITS,
};
/** `_LIMITS` exports that are not argument ranges: TAG_LIMITS holds AWS's tag-size facts, checked by tagProblems. */
const NOT_ARG_LIMITS = new Set(["TAG_LIMITS"]);

/**
 * Config keys whose name ends in a component arg's name but that set no component arg, each with why.
 * Adding a key here is a deliberate statement that it is a stack-only fact.
 */
const STACK_ONLY: Readonly<Record<string, string>> = {
    regionWatchOutsideRegion: "where the global stack runs its region-down canary; no component has a default for it",
    standbyNodeGroupMinSize: "a stack policy applied to the compute group's minSize (the recovery-time model), not a RegionalCluster default",
};

type Schema = Readonly<Record<string, KeyDef<unknown>>>;

const lower = (s: string) => s.toLowerCase();

/**
 * What breaks "one home" in a schema: a key that sets a component arg but carries its own default
 * or a check that disagrees with the component's limit, or a key named for a component arg that
 * does not derive from it.
 */
export function secondHomes(schema: Schema): string[] {
    const problems: string[] = [];
    const knownDefaults = new Set<object>(Object.values(DEFAULTS));
    const fields = Object.values(DEFAULTS).flatMap((d) => Object.keys(d));
    for (const [name, def] of Object.entries(schema)) {
        const arg = def.arg;
        if (!arg) {
            const match = fields.find((f) => lower(name) === lower(f) || (f.length > 4 && lower(name).endsWith(lower(f))));
            if (match && !(name in STACK_ONLY))
                problems.push(`${name}: named for the component arg '${match}' but does not derive from it (use fromArg in stacks/config-keys)`);
            continue;
        }
        if (!knownDefaults.has(arg.defaults)) problems.push(`${name}: derives from a defaults object that is no component's exported <COMPONENT>_DEFAULTS`);
        const library = arg.defaults[arg.field];
        if (!(arg.field in arg.defaults)) problems.push(`${name}: ${arg.component} has no default for '${arg.field}'`);
        if (arg.override) {
            if (def.default !== arg.override.default)
                problems.push(`${name}: default ${JSON.stringify(def.default)} is not its declared override ${JSON.stringify(arg.override.default)}`);
            if (arg.override.default === library) problems.push(`${name}: overrides ${arg.component}.${arg.field} with the same value; drop the override`);
            if (arg.override.why.trim().length < 20) problems.push(`${name}: an override must say why it departs from the library default`);
        } else if (def.default !== library) {
            problems.push(
                `${name}: default ${JSON.stringify(def.default)} is not ${arg.component}.${arg.field} (${JSON.stringify(library)}); derive it, or declare an override with why`,
            );
        }
        if (arg.limit) {
            if (!def.check) {
                problems.push(`${name}: has no check, but ${arg.component}.${arg.field} has a limit`);
                continue;
            }
            for (const v of [...boundaryProbes(arg.limit), def.default]) {
                const component = new ArgsCheck(arg.component, "probe").within(arg.field, v, arg.limit).recorded.length === 0;
                const config = def.check(v).length === 0;
                if (component !== config)
                    problems.push(
                        `${name}: ${JSON.stringify(v)} is ${config ? "accepted" : "refused"} by the config key but ${component ? "accepted" : "refused"} by ${arg.component}.${arg.field}`,
                    );
            }
        }
    }
    return problems;
}

/** `<NAME>.<field>` of every limit that no `ArgsCheck.within(...)` call in `text` uses. */
function unenforcedLimits(text: string): string[] {
    return Object.entries(LIMITS).flatMap(([name, limits]) =>
        Object.keys(limits)
            .filter((field) => !new RegExp(`\\.within\\([^;]*?${name}\\.${field}\\b`).test(text))
            .map((field) => `${name}.${field}`),
    );
}

/** Component defaults their own component's limit refuses. */
function defaultsOutsideLimits(defaults: typeof DEFAULTS, limits: typeof LIMITS): string[] {
    return Object.entries(limits).flatMap(([name, fields]) => {
        const own = defaults[name.replace(/_LIMITS$/, "_DEFAULTS")];
        return Object.entries(fields)
            .filter(([field]) => field in own)
            .flatMap(([field, limit]) => new ArgsCheck(name, "x").within(field, own[field], limit).recorded.map((p) => `${name}.${p}`));
    });
}

function componentSources(): { file: string; text: string }[] {
    const out: { file: string; text: string }[] = [];
    const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name.endsWith(".ts")) out.push({ file: path.relative(ROOT, p), text: fs.readFileSync(p, "utf8") });
        }
    };
    walk(path.join(ROOT, "components"));
    return out;
}

describe("one home for each default and valid range", () => {
    const schema = CONFIG_SCHEMA as unknown as Schema;
    const sources = componentSources();

    it("every config key that sets a component arg takes its default and check from the component's exports", () => {
        expect(secondHomes(schema)).to.deep.equal([]);
        // The rule has something to hold: the five main components' keys all derive.
        const derived = new Set(Object.values(schema).flatMap((d) => (d.arg ? [d.arg.component] : [])));
        expect([...derived]).to.include.members([
            "RedisGlobal",
            "RegionalCluster",
            "ShardedDatabase",
            "EdgeNetwork",
            "ObservabilityStack",
            "Network",
            "ZoneRecoveryPlan",
        ]);
    });

    it("catches a key that writes the default again, one whose check drifts from the limit, and one that skips fromArg", () => {
        const shards = schema.redisShards;
        const mutated: Schema = {
            ...schema,
            // A second home for the number: the component changes, the key does not.
            redisShards: { ...shards, default: 4 },
            // A range that disagrees with the component's at the upper edge.
            redisReplicasPerShard: { ...schema.redisReplicasPerShard, check: (v) => ((v as number) >= 1 && (v as number) <= 6 ? [] : ["no"]) },
            // A new key for a component arg, defined by hand.
            redisMemoryAlarmPercent: { type: "integer", description: "x", default: 80, roles: ["primary"] },
            // An override that gives no reason.
            healthCheckIntervalSeconds: {
                ...schema.healthCheckIntervalSeconds,
                arg: { ...schema.healthCheckIntervalSeconds.arg!, override: { default: 10, why: "" } },
            },
        };
        const problems = secondHomes(mutated).join("\n");
        expect(problems).to.contain("redisShards: default 4 is not RedisGlobal.shards (3)");
        expect(problems).to.contain("redisReplicasPerShard: 6 is accepted by the config key but refused by RedisGlobal.replicasPerShard");
        expect(problems).to.contain("redisMemoryAlarmPercent: named for the component arg 'memoryAlarmPercent'");
        expect(problems).to.contain("healthCheckIntervalSeconds: an override must say why");
    });

    it("every component default lies inside the component's own range", () => {
        expect(defaultsOutsideLimits(DEFAULTS, LIMITS)).to.deep.equal([]);
        // A default moved past its range is reported.
        const moved = { ...DEFAULTS, REDIS_DEFAULTS: { ...REDIS_DEFAULTS, replicasPerShard: 6 } };
        expect(defaultsOutsideLimits(moved, LIMITS)).to.deep.equal(["REDIS_LIMITS.replicasPerShard = 6: must be an integer from 1 to 5"]);
    });

    it("every Kubernetes minor RegionalCluster accepts has a pinned Cluster Autoscaler chart", () => {
        for (const minor of KUBERNETES_VERSIONS) expect(CLUSTER_AUTOSCALER_CHART_BY_MINOR, minor).to.have.property(minor);
        expect(CLUSTER_LIMITS.kubernetesVersion.values).to.equal(KUBERNETES_VERSIONS);
    });

    it("each deliberate stack override stays inside the component's range", () => {
        const overrides = Object.entries(schema).filter(([, d]) => d.arg?.override);
        expect(overrides.map(([n]) => n)).to.include("healthCheckIntervalSeconds");
        for (const [name, d] of overrides) {
            if (d.arg!.limit) expect(new ArgsCheck(d.arg!.component, "x").within(d.arg!.field, d.default, d.arg!.limit).recorded, name).to.deep.equal([]);
        }
    });

    it("every <COMPONENT>_DEFAULTS and _LIMITS export is registered, and every limit is enforced by its component", () => {
        const exported = (suffix: string) => sources.flatMap((s) => [...s.text.matchAll(new RegExp(`export const (\\w+${suffix})\\b`, "g"))].map((m) => m[1]));
        expect(exported("_DEFAULTS").sort()).to.deep.equal(Object.keys(DEFAULTS).sort());
        expect(
            exported("_LIMITS")
                .filter((n) => !NOT_ARG_LIMITS.has(n))
                .sort(),
        ).to.deep.equal(Object.keys(LIMITS).sort());
        const all = sources.map((s) => s.text).join("\n");
        expect(unenforcedLimits(all), "limits no component checks its arg against with ArgsCheck.within").to.deep.equal([]);
        // A component that checks a field by hand instead of against its limit is reported.
        const handWritten = all.replace('.within("shards", shards, REDIS_LIMITS.shards)', '.integer("shards", shards, 1, 500)');
        expect(handWritten).to.not.equal(all);
        expect(unenforcedLimits(handWritten)).to.deep.equal(["REDIS_LIMITS.shards"]);
    });

    it("components take optional args' defaults from their exports, not from literals", () => {
        // `args.x ?? 365`, `args.x ?? "valkey"`: a default written where it is used, not in <COMPONENT>_DEFAULTS.
        const literal = /\bargs(?:\??\.\w+)+ \?\? (?:-?\d|"[^"]+"|'[^']+'|\[\s*["'\d])/g;
        // The pattern finds what it names (and leaves a derived default alone).
        expect('args.logRetentionDays ?? 365; args.kubernetes?.namespace ?? "database"; args.deployments ?? ["a/b"]'.match(literal)).to.have.length(3);
        expect("args.shards ?? REDIS_DEFAULTS.shards".match(literal)).to.equal(null);
        const found = sources.flatMap((s) => [...s.text.matchAll(literal)].map((m) => `${s.file}: ${m[0]}`));
        expect(found).to.deep.equal([]);
    });

    it("CloudWatch retention periods have one list, and every CloudWatch log group's retention is checked against it", () => {
        expect(CONFIG_LOG_RETENTION_DAYS).to.equal(LOG_RETENTION_DAYS);
        // No second copy of the list anywhere in the components or stacks.
        const copies = [...sources, ...["stacks", "tools"].flatMap((d) => listTs(path.join(ROOT, d)))].filter(
            (s) => s.text.includes("2192, 2557, 2922") && s.file !== path.join("components", "limits.ts"),
        );
        expect(copies.map((c) => c.file)).to.deep.equal([]);
        // The components whose retention lands on a CloudWatch log group use the CloudWatch limit.
        for (const limit of [
            REDIS_LIMITS.logRetentionDays,
            EDGE_LIMITS.logRetentionDays,
            NETWORK_LIMITS.flowLogRetentionDays,
            DEPLOY_RUNNER_LIMITS.logRetentionDays,
            ZONE_RECOVERY_LIMITS.logRetentionDays,
            OBSERVABILITY_LIMITS.domainLogRetentionDays,
            OBSERVABILITY_LIMITS.trailLogRetentionDays,
        ]) {
            expect(limit.kind).to.equal("logRetention");
        }
    });
});

function listTs(dir: string): { file: string; text: string }[] {
    const out: { file: string; text: string }[] = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) out.push(...listTs(p));
        else if (e.name.endsWith(".ts")) out.push({ file: path.relative(ROOT, p), text: fs.readFileSync(p, "utf8") });
    }
    return out;
}

describe("rules the Limit type cannot express have one home too", () => {
    it("the compound OpenSearch counts (multiples of 3 data nodes, 0 or 2-150 warm nodes) are one rule for the component and its config keys", () => {
        const probes = [-3, 0, 1, 2, 3, 4, 6, 9, 75, 78, 79, 81, 150, 151, 2.5];
        for (const [key, rule] of [
            ["openSearchDataInstanceCount", dataInstanceCountProblem],
            ["openSearchWarmInstanceCount", warmInstanceCountProblem],
        ] as const) {
            const check = (CONFIG_SCHEMA[key] as unknown as { check: (v: number) => string[] }).check;
            for (const v of probes) expect(check(v), `${key} = ${v}`).to.deep.equal(rule(v) === undefined ? [] : [rule(v)]);
        }
        expect(dataInstanceCountProblem(6)).to.equal(undefined);
        expect(dataInstanceCountProblem(4)).to.match(/multiple of 3/);
        expect(warmInstanceCountProblem(1)).to.match(/0 \(no warm tier\) or from 2 to 150/);
    });
});
