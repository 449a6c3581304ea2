// Stack config keys of ShardedDatabase (issue 4). Merged into CONFIG_SCHEMA (stacks/config-schema.ts);
// decoded values reach the stacks as `config.values.<key>`.
import { buildCatalog, catalogLock, catalogSpecProblems, FranchiseRange } from "../../components/sharded-database/catalog";
import { RpoEnforcement } from "../../components/sharded-database/rpo";
import {
    DEFAULT_READER_CLASS,
    DEFAULT_WRITER_CLASS,
    instanceClassProblem,
    SPEC_READER_CLASS,
    SPEC_WRITER_CLASS,
} from "../../components/sharded-database/sizing";
import { DATABASE_DEFAULTS, DATABASE_LIMITS, SPEC_READERS_PER_REGION } from "../../components/sharded-database";
import { argsOf, key, KeyDef, REGIONAL_ROLES } from "./define";

/** Spec: "100,000+ franchise locations" (Current vs Target Scale); the catalog covers 1..FRANCHISE_TOTAL. */
export const FRANCHISE_TOTAL = DATABASE_DEFAULTS.franchiseTotal;

/**
 * Spec's ranges ("Shard 1: US-East Franchises (1-25,000)", "Shard 2: US-West (25,001-50,000)",
 * "Shard 3: EU (50,001-75,000)", "Shard 4: APAC (75,001-100,000)"), read as zone ranges: the
 * us zone owns the two US ranges, and each zone splits its range over its own shards.
 */
export const DEFAULT_ZONE_RANGES: Readonly<Record<string, FranchiseRange>> = {
    us: { first: 1, last: 50_000 },
    eu: { first: 50_001, last: 75_000 },
    apac: { first: 75_001, last: 100_000 },
};

export const DEFAULT_SHARD_COUNT = DATABASE_DEFAULTS.shardCount;

const instanceClass = (v: string) => {
    const p = instanceClassProblem(v);
    return p ? [p] : [];
};

const dbArg = argsOf("ShardedDatabase", DATABASE_DEFAULTS, DATABASE_LIMITS);

export const DATABASE_KEYS = {
    databaseShardCount: key<number>({
        type: "integer",
        description:
            "Aurora PostgreSQL shards per region (spec: 'Shards per region: 4'). Changing it moves franchises, so databaseCatalogLock must change with it.",
        ...dbArg("shardCount"),
        roles: REGIONAL_ROLES,
    }),
    databaseFranchiseZoneRanges: key<Record<string, FranchiseRange>>({
        type: "object",
        description:
            "Contiguous franchise-number range of each residency zone, {first, last} (spec: shard ranges 1-25,000 ... 75,001-100,000; us = US-East + US-West). Must tile 1-100,000 and be the same in every stack.",
        default: DEFAULT_ZONE_RANGES as Record<string, FranchiseRange>,
        roles: REGIONAL_ROLES,
        check: (v) => catalogSpecProblems({ shardCount: 1, zoneRanges: v }, FRANCHISE_TOTAL),
    }),
    databaseCatalogLock: key<string>({
        type: "string",
        description:
            "Pins the shard catalog ('<shards>:<zone>=<first>-<last>,...'). A shard count or zone range that moves a franchise fails until the data is migrated and this lock is updated (README: Changing the shard count).",
        default: catalogLock({ shardCount: DEFAULT_SHARD_COUNT, zoneRanges: DEFAULT_ZONE_RANGES }),
        roles: REGIONAL_ROLES,
        check: (v) => (/^\d+:[a-z]+=\d+-\d+(,[a-z]+=\d+-\d+)*$/.test(v) ? [] : ["must look like 4:us=1-50000,eu=50001-75000,apac=75001-100000"]),
    }),
    databaseEngineVersion: key<string>({
        type: "string",
        description: "Pinned Aurora PostgreSQL engine version (major.minor); upgrades are deliberate config changes.",
        ...dbArg("engineVersion"),
        roles: REGIONAL_ROLES,
        check: (v) => (/^1[4-7]\.\d+$/.test(v) ? [] : ["must be an Aurora PostgreSQL version major.minor from 14 to 17, such as 16.6"]),
    }),
    databaseStorageType: key<string>({
        type: "string",
        description:
            "Aurora storage configuration: aurora-iopt1 (I/O-Optimized: no I/O charge, instances +30%, storage 0.225/GB) or aurora (Standard: 0.20 per million I/Os). Default I/O-Optimized, the spec's io2 stand-in; npm run cost shows the difference (docs/cost-model.md). The same in a zone's primary and standby.",
        ...dbArg("storageType"),
        roles: REGIONAL_ROLES,
    }),
    databaseWriterInstanceClass: key<string>({
        type: "string",
        description: `Writer instance class; on a standby, the class of its one instance (the failover target). Default ${DEFAULT_WRITER_CLASS}, sized by the cost model for the load profile (docs/cost-model.md; spec: ${SPEC_WRITER_CLASS}). Memory-optimized families r6g, r6i, r7g, r7i, r8g.`,
        ...dbArg("writerInstanceClass"),
        roles: REGIONAL_ROLES,
        check: instanceClass,
    }),
    databaseReaderInstanceClass: key<string>({
        type: "string",
        description: `Reader instance class. Default ${DEFAULT_READER_CLASS}, the writer's, so a reader can take over (docs/cost-model.md; spec: ${SPEC_READER_CLASS}). Readers that Application Auto Scaling adds use the writer's class (Aurora's rule).`,
        ...dbArg("readerInstanceClass"),
        roles: REGIONAL_ROLES,
        check: instanceClass,
    }),
    databaseReaderMin: key<number>({
        type: "integer",
        description: `Readers per shard that always run on a primary, in another AZ than the writer: the in-region failover target. Default ${DATABASE_DEFAULTS.readerMin}; reader auto scaling adds up to databaseReaderMax (shards x databaseReaderMax must reach the spec's ${SPEC_READERS_PER_REGION} read replicas per region).`,
        ...dbArg("readerMin"),
        roles: ["primary"],
    }),
    databaseStandbyReaders: key<number>({
        type: "integer",
        description: `Standby only: readers per shard besides the secondary's one writer-class instance. Default ${DATABASE_DEFAULTS.standbyReaders}, a minimal secondary that the DR plan promotes within the RTO (docs/cost-model.md); add readers when a failover lasts.`,
        ...dbArg("standbyReaders"),
        roles: ["standby"],
    }),
    databaseReaderMax: key<number>({
        type: "integer",
        description: `Most readers per shard that Application Auto Scaling may run (Aurora allows ${DATABASE_LIMITS.readerMax.max} replicas per cluster).`,
        ...dbArg("readerMax"),
        roles: REGIONAL_ROLES,
    }),
    databaseReaderTargetCpu: key<number>({
        type: "integer",
        description:
            "Average reader CPU (%) that reader auto scaling tracks (spec 'Scaling Thresholds': database CPU 70% scales out; tracking 60 keeps headroom).",
        ...dbArg("readerTargetCpu"),
        roles: REGIONAL_ROLES,
    }),
    databaseBackupRetentionDays: key<number>({
        type: "integer",
        description: `Automated backup retention in days (${DATABASE_DEFAULTS.backupRetentionDays}, the Aurora maximum; spec: 'Backup: automated backups').`,
        ...dbArg("backupRetentionDays"),
        roles: REGIONAL_ROLES,
    }),
    databaseMasterPassword: key<string>({
        type: "string",
        description:
            "Who holds the shards' master password: secrets-manager (generated by Pulumi, stored in Secrets Manager under the secrets CMK) or rds-managed (manageMasterUserPassword). AWS does not support rds-managed on Aurora Global Database members (Aurora User Guide, Secrets Manager limitations).",
        ...dbArg("masterPassword"),
        roles: ["primary"],
    }),
    databaseRpoEnforcement: key<RpoEnforcement>({
        type: "string",
        description:
            "How the spec's 30 s RPO is held. watched (default): the primary stays writable when its standby is down or lags; the standby's AuroraGlobalDBRPOLag alarm (P1) fires above 30 s and the DR plan carries it. enforced: rds.global_db_rpo = 30 on the primary, so Aurora blocks commits while the standby lags past 30 s, making the standby a single point of failure for the zone's writes (docs/decisions/rpo.md).",
        // The component types the default as its union; the key decodes a string and checks it against the same list.
        ...(dbArg("rpoEnforcement") as Pick<KeyDef<RpoEnforcement>, "default" | "check" | "arg">),
        roles: ["primary"],
    }),
    pgbouncerReplicas: key<number>({
        type: "integer",
        description: "PgBouncer pods per shard, spread over AZs (at least 2 so a PDB can keep one up).",
        ...dbArg("pgbouncerReplicas"),
        roles: REGIONAL_ROLES,
    }),
    pgbouncerMaxClientConnections: key<number>({
        type: "integer",
        description: "Client connections PgBouncer accepts per region, for each of the writer and reader pools (spec: 'PgBouncer with 10,000 connections').",
        ...dbArg("maxClientConnections"),
        roles: REGIONAL_ROLES,
    }),
} as const;

// The defaults must agree with each other: a broken default would fail every stack.
buildCatalog({ shardCount: DEFAULT_SHARD_COUNT, zoneRanges: DEFAULT_ZONE_RANGES }, FRANCHISE_TOTAL);
