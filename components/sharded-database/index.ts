import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ArgsCheck } from "../args";
import { DATABASE_NAMESPACE } from "../regional-cluster/network-policies";
import { integerLimit, oneOfLimit } from "../limits";
import { buildCatalog, CatalogEntry, catalogLockProblem, catalogSpecProblems, FranchiseRange } from "./catalog";
import { kubernetesSide } from "./kubernetes";
import { databaseLoginReadPolicy, grantDatabaseLogin, poolerServices, ShardLogin } from "./clients";
import { DEFAULT_RPO_ENFORCEMENT, GLOBAL_DB_RPO_MIN_SECONDS, RPO_ENFORCEMENTS, RpoEnforcement, SPEC_RPO_SECONDS } from "./rpo";
import { MasterPasswordMode, PORT, shard, sharedDbResources } from "./shards";
import { appCredentials, appSecretName } from "./app-credentials";
import { appRotation, masterRotation, rotationNetwork } from "./rotation";
import { SecretReplicaTarget, secretsReplicaAlias, secretsReplicaKey } from "./secret-replicas";
import { REGIONS } from "../../stacks/regions";
import {
    DEFAULT_READER_CLASS,
    DEFAULT_STORAGE_TYPE,
    DEFAULT_WRITER_CLASS,
    instanceClassProblem,
    maxConnections,
    poolSizing,
    STORAGE_TYPES,
    StorageType,
} from "./sizing";
import { withTags } from "../tags";

export { buildCatalog, catalogLock, routeFranchise } from "./catalog";
export type { CatalogEntry, FranchiseRange } from "./catalog";
export { DEFAULT_RPO_ENFORCEMENT, RPO_ENFORCEMENTS, SPEC_RPO_SECONDS } from "./rpo";
export type { RpoEnforcement } from "./rpo";

/** One shard as the contract publishes it (docs/design.md#the-contract-between-stacks: `shards`). */
export interface ShardOutput {
    shardId: number;
    /** [first, last] franchise numbers, inclusive. */
    franchiseRange: [number, number];
    globalClusterId: string;
    clusterArn: string;
    writerEndpoint: string;
    readerEndpoint: string;
}

export interface ShardedDatabaseKubernetesArgs {
    /** The regional cluster's Kubernetes provider. Required. */
    provider: k8s.Provider;
    /** EKS cluster name, for the Pod Identity associations. Required. */
    clusterName: pulumi.Input<string>;
    /** Namespace of PgBouncer, the catalog ConfigMap and the migration Job. Default "database". */
    namespace?: string;
    /** Create the namespace (Istio injection on, restricted Pod Security). Default true. */
    createNamespace?: boolean;
    /** Install the Secrets Store CSI driver with its AWS provider (Helm). Default true; false when the cluster already has it. */
    installSecretsStoreCsiDriver?: boolean;
    /** PgBouncer pods per shard, spread over AZs. Default 2 (stack config `pgbouncerReplicas`). */
    pgbouncerReplicas?: number;
    /** Client connections per region for each of the writer and reader pools. Default 10,000 (spec: "PgBouncer with 10,000 connections"). */
    maxClientConnections?: number;
    /**
     * Namespace of PgBouncer's clients (the app's): the SecretProviderClass `database-login` that mounts each shard's
     * login for them goes there (clients.ts; pods take it with `databaseLoginPod`). Grant a client's Pod Identity role
     * the read with `grantLogin`. Default none: no client mount.
     */
    clientNamespace?: { name: string; resource?: pulumi.Resource };
}

/** ShardedDatabase's defaults: the value each optional arg takes when left out. The stack config keys derive theirs from these. */
export const DATABASE_DEFAULTS = {
    /** Spec: "Shards per region: 4". */
    shardCount: 4,
    /** Spec: "100,000+ franchise locations" (Current vs Target Scale); the catalog covers 1..franchiseTotal. */
    franchiseTotal: 100_000,
    /** Sized by the cost model (sizing.ts). */
    writerInstanceClass: DEFAULT_WRITER_CLASS,
    /** The writer's class, so a reader can take over. */
    readerInstanceClass: DEFAULT_READER_CLASS,
    /** One reader in another AZ: the in-region failover target. */
    readerMin: 1,
    /** A minimal secondary the DR plan promotes within the RTO (docs/cost-model.md). */
    standbyReaders: 0,
    /** Shards x 5 reaches the spec's 5 read replicas per region. */
    readerMax: 5,
    /** Spec 'Scaling Thresholds': database CPU 70% scales out; tracking 60 keeps headroom. */
    readerTargetCpu: 60,
    /** Pinned Aurora PostgreSQL version; upgrades are deliberate. */
    engineVersion: "16.6",
    /** I/O-Optimized, the spec's io2 stand-in (docs/cost-model.md). */
    storageType: DEFAULT_STORAGE_TYPE,
    /** Aurora's maximum (spec: 'Backup: automated backups'). */
    backupRetentionDays: 35,
    /** Pulumi generates it and keeps it in Secrets Manager: rds-managed is not supported on Global Database members. */
    masterPassword: "secrets-manager",
    rpoEnforcement: DEFAULT_RPO_ENFORCEMENT,
    /** Spread over AZs; at least 2 so a PDB can keep one up. */
    pgbouncerReplicas: 2,
    /** Spec: 'PgBouncer with 10,000 connections'. */
    maxClientConnections: 10_000,
    /** PgBouncer, the catalog ConfigMap and the migration Job live here; the network policies admit the app to it. */
    namespace: DATABASE_NAMESPACE,
} as const;

/** ShardedDatabase's valid ranges. */
export const DATABASE_LIMITS = {
    /** Up to 16 shards per region (the catalog's and the cost model's range). */
    shardCount: integerLimit(1, 16),
    /** Aurora allows 15 replicas per cluster. */
    readerMin: integerLimit(1, 15),
    standbyReaders: integerLimit(0, 15),
    readerMax: integerLimit(1, 15),
    /** Target tracking between idle and saturated. */
    readerTargetCpu: integerLimit(20, 90),
    storageType: oneOfLimit(STORAGE_TYPES),
    /** Aurora keeps automated backups 1 to 35 days; a week at least here. */
    backupRetentionDays: integerLimit(7, 35),
    masterPassword: oneOfLimit(["secrets-manager", "rds-managed"]),
    rpoEnforcement: oneOfLimit(RPO_ENFORCEMENTS),
    pgbouncerReplicas: integerLimit(2, 20),
    /** The spec's 10,000 at least. */
    maxClientConnections: integerLimit(10_000, 200_000),
} as const;

export interface ShardedDatabaseArgs {
    /** primary creates the global clusters; standby joins its zone primary's. Required (stack config `role`). */
    role: "primary" | "standby";
    /** Residency zone whose franchises these shards hold. Required (stack config `zone`). */
    zone: string;
    /** AWS region of the shards (names, CA bundle, KMS conditions). Required. */
    region: string;
    /** AZs to spread instances over, in order; at least 2. Required (the network's AZs). */
    azs: readonly string[];
    /** VPC of the security group. Required. */
    vpcId: pulumi.Input<string>;
    /** Isolated data subnets for the DB subnet group; at least 2 (AWS). Required. */
    dataSubnetIds: pulumi.Input<string>[];
    /** Security groups allowed to reach 5432 (the cluster's workloads). Required, at least one. */
    clientSecurityGroupIds: pulumi.Input<string>[];
    /** The region's db CMK: storage and Performance Insights. Required (RegionalKeys `arns.db`). */
    dbKeyArn: pulumi.Input<string>;
    /** The region's secrets CMK: the master credentials secret. Required (RegionalKeys `arns.secrets`). */
    secretsKeyArn: pulumi.Input<string>;
    /** The region's logs CMK: the exported PostgreSQL logs. Required (RegionalKeys `arns.logs`). */
    logsKeyArn: pulumi.Input<string>;
    /** Shards per zone. Default 4 (spec: "Shards per region: 4"). */
    shardCount?: number;
    /** Each zone's contiguous franchise range. Required (stack config `databaseFranchiseZoneRanges`; spec's ranges). */
    zoneRanges: Readonly<Record<string, FranchiseRange>>;
    /** Franchises the catalog covers, 1..total. Default 100,000 (spec: "100,000+ franchise locations"). */
    franchiseTotal?: number;
    /** Pins the catalog; a change that moves franchises is refused. Required (stack config `databaseCatalogLock`). */
    catalogLock: string;
    /** Primary region of each zone, written to the directory's ranges. Required. */
    zonePrimaryRegions: Readonly<Record<string, string>>;
    /** Pinned Aurora PostgreSQL version. Default "16.6". */
    engineVersion?: string;
    /** Storage configuration: aurora-iopt1 (I/O-Optimized) or aurora (Standard). Default aurora-iopt1 (the spec's io2 stand-in). */
    storageType?: StorageType;
    /** Writer class (on a standby: its one instance, the failover target). Default db.r6g.xlarge (sized by the cost model; spec: db.r6g.16xlarge). */
    writerInstanceClass?: string;
    /** Reader class. Default db.r6g.xlarge (sized by the cost model; spec: db.r6g.8xlarge). */
    readerInstanceClass?: string;
    /** Readers per shard that always run on a primary, at least 1 (the in-region failover target in another AZ). Default 1; auto scaling adds more (spec: 5 per region). */
    readerMin?: number;
    /**
     * Readers per shard on a standby, besides its one writer-class instance. Default 0: a
     * minimal secondary that Aurora can promote within the RTO (a headless one would first
     * need an instance created); readers are added when a failover lasts.
     */
    standbyReaders?: number;
    /** Most readers per shard under auto scaling. Default 5 (Aurora: up to 15). */
    readerMax?: number;
    /** Reader CPU % that auto scaling tracks. Default 60 (spec "Scaling Thresholds": 70% is the scale-out line). */
    readerTargetCpu?: number;
    /** Automated backup retention, days. Default 35 (Aurora's maximum). */
    backupRetentionDays?: number;
    /** The spec's RPO in seconds: the RPO-lag alarm's line, and rds.global_db_rpo when enforced. Default 30 (spec: "RPO Target: 30 seconds"). */
    rpoSeconds?: number;
    /**
     * How the RPO is held. Default "watched": no rds.global_db_rpo, so the primary stays writable while
     * its standby is down or behind, and the standby's RPO lag is alarmed on. "enforced": the primary's
     * cluster parameter group sets rds.global_db_rpo = rpoSeconds, and Aurora blocks commits while the
     * standby lags past it (docs/decisions/rpo.md). Stack config `databaseRpoEnforcement`.
     */
    rpoEnforcement?: RpoEnforcement;
    /**
     * Who holds the master password. Default "secrets-manager": generated here and stored in
     * Secrets Manager under the secrets CMK, because AWS does not support RDS-managed master
     * passwords on global database members. "rds-managed" sets manageMasterUserPassword.
     */
    masterPassword?: MasterPasswordMode;
    /** Standby only, required there: the zone primary's region, where its credentials secrets live. */
    primaryRegion?: string;
    /**
     * Standby only: the zone primary's secrets CMK (its `kmsKeys.secrets` output). No longer read: the standby's
     * PgBouncer reads the replicas in its own region (secret-replicas.ts).
     */
    primarySecretsKeyArn?: pulumi.Input<string>;
    /**
     * Primary only: the zone's standby region, where every database secret is replicated (and nowhere else),
     * on a key the primary creates there. Omit for a zone without a standby.
     */
    secretReplica?: SecretReplicaTarget;
    /** Standby only, required there: the zone primary's `shards` output, read through StackReference. */
    primaryShards?: pulumi.Input<ShardOutput[]>;
    /** The in-cluster side (PgBouncer, catalog ConfigMap, migration Job). Omit to build the AWS side only. */
    kubernetes?: ShardedDatabaseKubernetesArgs;
    /** Protect stateful resources from `pulumi destroy`. Default true. */
    protect?: boolean;
    /** Tags added to every AWS resource this component creates, under each resource's own tags (build the design's set with `defaultTags()`). Default none: the provider's defaultTags carry them, as in the stacks. */
    tags?: Record<string, string>;
}

/** Why a standby cannot join the primary's shards (different count or ranges), or undefined when it can. */
export function standbyCatalogProblem(
    mine: readonly CatalogEntry[],
    primaryShards: readonly Pick<ShardOutput, "shardId" | "franchiseRange">[] | undefined,
): string | undefined {
    const want = mine.map((e) => `${e.shardId}:${e.franchiseRange.join("-")}`).join(",");
    const got = (primaryShards ?? []).map((p) => `${p.shardId}:${p.franchiseRange.join("-")}`).join(",");
    if (want === got) return undefined;
    return `the zone primary publishes shards ${got || "(none)"} but this standby's catalog is ${want}; a standby joins only its own zone's primary, deployed first with the same databaseShardCount and databaseFranchiseZoneRanges`;
}

/** The spec's "Read Replicas: Count: 5 per region": the reader auto-scaling maximum reaches it (readerMax x shards), not the floor. */
export const SPEC_READERS_PER_REGION = 5;

/**
 * The zone's sharded PostgreSQL estate in one region (spec: "Global Database
 * Architecture"): N Aurora PostgreSQL clusters, each the primary (or, in the
 * standby, a secondary) of an Aurora Global Database; the shard catalog
 * published as a stack output, an SSM parameter and a ConfigMap; PgBouncer per
 * shard in the regional cluster; and the directory migration Job.
 */
export class ShardedDatabase extends pulumi.ComponentResource {
    /** The contract's `shards`: this region's shards with their franchise ranges and endpoints. */
    readonly shards: pulumi.Output<ShardOutput[]>;
    /** DB subnet group over the data subnets, shared by every shard. */
    readonly dbSubnetGroupName: pulumi.Output<string>;
    /** Security group of every shard: 5432 from `clientSecurityGroupIds` only. */
    readonly dbSecurityGroupId: pulumi.Output<string>;
    /** This region's Aurora clusters by shard, for the alarms that watch them (CloudWatch's DBClusterIdentifier). */
    readonly clusters: readonly { shardId: number; clusterIdentifier: pulumi.Output<string>; arn: pulumi.Output<string> }[];
    /** The whole catalog (every zone), as built from config. */
    readonly catalog: readonly CatalogEntry[];
    /** SSM parameter holding the shard catalog (`/bookedbarber/<zone>/<region>/database/shard-catalog`). */
    readonly catalogParameterName: pulumi.Output<string>;
    /** The RPO the shards are held to, in seconds, and whether Aurora enforces it (rds.global_db_rpo) or an alarm watches it. */
    readonly rpoSeconds: number;
    /** Whether the RPO is watched (alarm) or enforced (`rds.global_db_rpo`), as given or defaulted. */
    readonly rpoEnforcement: RpoEnforcement;
    /** Primary with a standby: the zone's replica key in the standby region (secret-replicas.ts), for other secrets replicated there. */
    readonly secretReplicaKeyArn?: pulumi.Output<string>;
    /** In-cluster DNS names of each shard's PgBouncer pools, when the Kubernetes side is built. */
    readonly poolerServices?: { shardId: number; writer: string; reader: string }[];
    /** The inline policy that reads exactly this region's app role secrets (the logins PgBouncer accepts), when the Kubernetes side is built. */
    readonly loginReadPolicy?: pulumi.Output<string>;

    constructor(name: string, args: ShardedDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        const shardCount = args.shardCount ?? DATABASE_DEFAULTS.shardCount;
        const total = args.franchiseTotal ?? DATABASE_DEFAULTS.franchiseTotal;
        const writerClass = args.writerInstanceClass ?? DATABASE_DEFAULTS.writerInstanceClass;
        const readerClass = args.readerInstanceClass ?? DATABASE_DEFAULTS.readerInstanceClass;
        const readerMin = args.readerMin ?? DATABASE_DEFAULTS.readerMin;
        const standbyReaders = args.standbyReaders ?? DATABASE_DEFAULTS.standbyReaders;
        const readerMax = args.readerMax ?? DATABASE_DEFAULTS.readerMax;
        const engineVersion = args.engineVersion ?? DATABASE_DEFAULTS.engineVersion;
        const storageType = args.storageType ?? DATABASE_DEFAULTS.storageType;
        const backupRetentionDays = args.backupRetentionDays ?? DATABASE_DEFAULTS.backupRetentionDays;
        const rpoSeconds = args.rpoSeconds ?? SPEC_RPO_SECONDS;
        const rpoEnforcement = args.rpoEnforcement ?? DATABASE_DEFAULTS.rpoEnforcement;
        const replicas = args.kubernetes?.pgbouncerReplicas ?? DATABASE_DEFAULTS.pgbouncerReplicas;
        const maxClients = args.kubernetes?.maxClientConnections ?? DATABASE_DEFAULTS.maxClientConnections;
        const check = new ArgsCheck("ShardedDatabase", name)
            .oneOf("role", args.role, ["primary", "standby"])
            .within("shardCount", shardCount, DATABASE_LIMITS.shardCount)
            .that(instanceClassProblem(writerClass) === undefined, "writerInstanceClass", writerClass, instanceClassProblem(writerClass) ?? "")
            .that(instanceClassProblem(readerClass) === undefined, "readerInstanceClass", readerClass, instanceClassProblem(readerClass) ?? "")
            .within("readerMin", readerMin, DATABASE_LIMITS.readerMin)
            .within("readerMax", readerMax, DATABASE_LIMITS.readerMax)
            .within("readerTargetCpu", args.readerTargetCpu ?? DATABASE_DEFAULTS.readerTargetCpu, DATABASE_LIMITS.readerTargetCpu)
            .that(readerMin <= readerMax, "readerMin", readerMin, `must not exceed readerMax (${readerMax})`)
            .within("standbyReaders", standbyReaders, DATABASE_LIMITS.standbyReaders)
            .that(
                shardCount * readerMax >= SPEC_READERS_PER_REGION,
                "readerMax",
                readerMax,
                `times shardCount (${shardCount}) must reach the spec's ${SPEC_READERS_PER_REGION} read replicas per region under load`,
            )
            .within("storageType", storageType, DATABASE_LIMITS.storageType)
            .that(/^1[4-7]\.\d+$/.test(engineVersion), "engineVersion", engineVersion, "must be a pinned Aurora PostgreSQL major.minor from 14 to 17")
            .within("backupRetentionDays", backupRetentionDays, DATABASE_LIMITS.backupRetentionDays)
            .integer("rpoSeconds", rpoSeconds, GLOBAL_DB_RPO_MIN_SECONDS, 300)
            .within("rpoEnforcement", rpoEnforcement, DATABASE_LIMITS.rpoEnforcement)
            .that(Array.isArray(args.azs) && new Set(args.azs).size >= 2, "azs", args.azs, "must list at least 2 distinct availability zones")
            .that(
                Array.isArray(args.dataSubnetIds) && args.dataSubnetIds.length >= 2,
                "dataSubnetIds",
                args.dataSubnetIds?.length,
                "must list at least 2 data subnets (a DB subnet group spans 2+ AZs)",
            )
            .nonEmpty("clientSecurityGroupIds", args.clientSecurityGroupIds)
            .that(
                args.role !== "standby" || args.primaryShards !== undefined,
                "primaryShards",
                args.primaryShards,
                "a standby joins its zone primary's global clusters: pass the primary's `shards` output (StackReference)",
            )
            .that(
                args.role !== "standby" || /^[a-z]{2}(-[a-z]+)+-\d$/.test(args.primaryRegion ?? ""),
                "primaryRegion",
                args.primaryRegion,
                "a standby must name its zone primary's region",
            )
            .that(
                args.secretReplica === undefined || args.role === "primary",
                "secretReplica",
                args.secretReplica?.region,
                "only a zone primary replicates its secrets (to its standby)",
            )
            .that(
                args.secretReplica === undefined || (REGIONS[args.secretReplica.region]?.zone === args.zone && args.secretReplica.region !== args.region),
                "secretReplica.region",
                args.secretReplica?.region,
                `must be another region of the ${args.zone} zone: a zone's secrets never leave it`,
            )
            .within("masterPassword", args.masterPassword ?? DATABASE_DEFAULTS.masterPassword, DATABASE_LIMITS.masterPassword)
            .within("kubernetes.pgbouncerReplicas", replicas, DATABASE_LIMITS.pgbouncerReplicas)
            .within("kubernetes.maxClientConnections", maxClients, DATABASE_LIMITS.maxClientConnections);
        // shardCount is checked above; here only the ranges (at the smallest count they must hold).
        const rangeProblems = catalogSpecProblems(
            { shardCount: Number.isInteger(shardCount) && shardCount >= 1 ? shardCount : 1, zoneRanges: args.zoneRanges },
            total,
        );
        for (const p of rangeProblems) check.that(false, "zoneRanges", args.zoneRanges, p);
        check.that(
            args.zoneRanges?.[args.zone] !== undefined,
            "zone",
            args.zone,
            `must have a franchise range in zoneRanges (${Object.keys(args.zoneRanges ?? {}).join(", ")})`,
        );
        if (Number.isInteger(shardCount) && shardCount >= 1 && rangeProblems.length === 0) {
            const lockProblem = catalogLockProblem({ shardCount, zoneRanges: args.zoneRanges }, args.catalogLock, total);
            check.that(lockProblem === undefined, "shardCount", shardCount, lockProblem ?? "");
        }
        check.done();
        super("bookedbarber:database:ShardedDatabase", name, {}, withTags("ShardedDatabase", name, args.tags, opts));

        const protect = args.protect ?? true;
        this.catalog = buildCatalog({ shardCount, zoneRanges: args.zoneRanges }, total);
        const mine = this.catalog.filter((e) => e.zone === args.zone);
        const shared = sharedDbResources(
            name,
            {
                vpcId: args.vpcId,
                dataSubnetIds: args.dataSubnetIds,
                clientSecurityGroupIds: args.clientSecurityGroupIds,
                engineVersion,
                role: args.role,
                rpoSeconds,
                rpoEnforcement,
            },
            this,
        );
        this.rpoSeconds = rpoSeconds;
        this.rpoEnforcement = rpoEnforcement;

        // The standby must mirror the primary exactly: same shard count, same franchise ranges.
        const primaryShards =
            args.role === "standby"
                ? pulumi.output(args.primaryShards!).apply((ps) => {
                      const problem = standbyCatalogProblem(mine, ps);
                      if (problem) throw new Error(`ShardedDatabase '${name}': ${problem}`);
                      return ps;
                  })
                : undefined;

        const replicaKey = args.secretReplica ? secretsReplicaKey(name, args.zone, args.secretReplica, protect, this) : undefined;
        const secretReplicas = replicaKey ? [{ region: args.secretReplica!.region, kmsKeyId: replicaKey.arn }] : undefined;
        this.secretReplicaKeyArn = replicaKey?.arn;
        const built = mine.map((e) => {
            const id = `${name}-shard-${e.shardId}`;
            return shard(
                `${name}-shard-${e.shardId}`,
                {
                    role: args.role,
                    shardId: e.shardId,
                    clusterIdentifier: id,
                    globalClusterIdentifier: primaryShards
                        ? primaryShards.apply((ps) => ps.find((p) => p.shardId === e.shardId)!.globalClusterId)
                        : `bookedbarber-${args.zone}-shard-${e.shardId}`,
                    engineVersion,
                    storageType,
                    writerInstanceClass: writerClass,
                    readerInstanceClass: readerClass,
                    readerMin: args.role === "standby" ? standbyReaders : readerMin,
                    readerMax,
                    readerTargetCpu: args.readerTargetCpu ?? DATABASE_DEFAULTS.readerTargetCpu,
                    backupRetentionDays,
                    azs: args.azs,
                    dbKeyArn: args.dbKeyArn,
                    secretsKeyArn: args.secretsKeyArn,
                    logsKeyArn: args.logsKeyArn,
                    masterPassword: args.masterPassword ?? DATABASE_DEFAULTS.masterPassword,
                    protect,
                    secretReplicas,
                },
                shared,
                this,
            );
        });

        this.shards = pulumi.all(
            built.map((b, n) =>
                pulumi
                    .all([b.globalClusterId, b.cluster.arn, b.cluster.endpoint, b.cluster.readerEndpoint])
                    .apply(([globalClusterId, clusterArn, writerEndpoint, readerEndpoint]): ShardOutput => ({
                        shardId: mine[n].shardId,
                        franchiseRange: mine[n].franchiseRange,
                        globalClusterId,
                        clusterArn,
                        writerEndpoint,
                        readerEndpoint,
                    })),
            ),
        );
        // Secrets Manager rotates the master passwords it holds (rotation.ts); RDS-managed ones rotate themselves.
        // The app role secrets (PgBouncer's login) rotate with alternating users, after the Job that creates the user.
        const masterInSecretsManager = (args.masterPassword ?? DATABASE_DEFAULTS.masterPassword) === "secrets-manager";
        const primaryWithApp = args.role === "primary" && args.kubernetes !== undefined;
        const rotationSg =
            args.role === "primary" && (masterInSecretsManager || primaryWithApp)
                ? rotationNetwork(
                      name,
                      {
                          region: args.region,
                          vpcId: args.vpcId,
                          dataSubnetIds: args.dataSubnetIds,
                          dbSecurityGroupId: shared.securityGroup.id,
                          clientSecurityGroupIds: args.clientSecurityGroupIds,
                          port: PORT,
                      },
                      this,
                  )
                : undefined;
        if (args.role === "primary" && masterInSecretsManager) {
            masterRotation(
                name,
                {
                    region: args.region,
                    dataSubnetIds: args.dataSubnetIds,
                    functionSecurityGroup: rotationSg!,
                    secretsKeyArn: args.secretsKeyArn,
                    secretArns: built.map((b) => b.credentialsSecretArn!),
                },
                this,
            );
        }
        const appSecrets = primaryWithApp
            ? built.map((b, n) =>
                  appCredentials(
                      `${name}-shard-${mine[n].shardId}`,
                      {
                          clusterIdentifier: `${name}-shard-${mine[n].shardId}`,
                          writerEndpoint: b.cluster.endpoint,
                          masterSecretArn: b.credentialsSecretArn!,
                          secretsKeyArn: args.secretsKeyArn,
                          protect,
                          replicas: secretReplicas,
                      },
                      this,
                  ),
              )
            : [];
        this.clusters = built.map((b, n) => ({ shardId: mine[n].shardId, clusterIdentifier: b.cluster.clusterIdentifier, arn: b.cluster.arn }));
        this.dbSubnetGroupName = shared.subnetGroup.name;
        this.dbSecurityGroupId = shared.securityGroup.id;

        const namespace = args.kubernetes?.namespace ?? DATABASE_DEFAULTS.namespace;
        const services = args.kubernetes
            ? poolerServices(
                  mine.map((e) => e.shardId),
                  namespace,
              )
            : undefined;
        this.poolerServices = services;
        const catalogJson = this.shards.apply((shards) =>
            JSON.stringify({
                version: args.catalogLock,
                zone: args.zone,
                region: args.region,
                role: args.role,
                franchiseTotal: total,
                catalog: this.catalog,
                shards: shards.map((s) => ({ ...s, pooler: services?.find((p) => p.shardId === s.shardId) })),
            }),
        );
        const parameter = new aws.ssm.Parameter(
            `${name}-catalog`,
            {
                name: `/bookedbarber/${args.zone}/${args.region}/database/shard-catalog`,
                description: "Shard catalog: franchise ranges per (zone, shard) and this region's shard endpoints. Not sensitive.",
                type: "String",
                // Not a secret, so it is readable in plans; Intelligent-Tiering moves it to Advanced only if it outgrows 4 KB.
                insecureValue: catalogJson,
                tier: "Intelligent-Tiering",
            },
            { parent: this },
        );
        this.catalogParameterName = parameter.name;

        if (args.kubernetes) {
            const share = 0.8;
            const readerServers = args.role === "standby" ? standbyReaders : readerMin;
            // A standby without readers answers its reader endpoint from its one instance, so both pools share that instance's budget.
            const oneInstance = readerServers === 0;
            const writerSizing = poolSizing({
                serverMaxConnections: maxConnections(writerClass),
                servers: 1,
                serverShare: oneInstance ? share / 2 : share,
                replicas,
                shardClientConnections: Math.ceil(maxClients / shardCount),
            });
            const readerSizing = poolSizing({
                serverMaxConnections: maxConnections(oneInstance ? writerClass : readerClass),
                servers: Math.max(1, readerServers),
                serverShare: oneInstance ? share / 2 : share,
                replicas,
                shardClientConnections: Math.ceil(maxClients / shardCount),
            });
            // PgBouncer logs in as the app role (app-credentials.ts), never the master user. A standby's PgBouncer
            // reads the replicas of the zone primary's app secrets in its own region (secret-replicas.ts): same
            // names, on the zone's replica key there, and the global database carries the primary's users and
            // passwords. So it starts and re-reads its credentials while the primary region is down.
            const credentials =
                args.role === "primary"
                    ? built.map((b, n) => ({
                          credentialsSecret: appSecrets[n].arn,
                          credentialsPolicyResource: appSecrets[n].arn,
                          masterSecret: b.credentialsSecretArn!,
                      }))
                    : mine.map((e) => {
                          const primaryShard = primaryShards!.apply((ps) => ps.find((p) => p.shardId === e.shardId)!);
                          const secretName = primaryShard.apply((p) => appSecretName(p.clusterArn.split(":").pop()!));
                          return {
                              credentialsSecret: secretName,
                              credentialsPolicyResource: pulumi.all([primaryShard, secretName]).apply(([p, n]) => {
                                  const account = p.clusterArn.split(":")[4];
                                  return `arn:aws:secretsmanager:${args.region}:${account}:secret:${n}-??????`;
                              }),
                          };
                      });
            const account = args.role === "primary" ? undefined : pulumi.output(args.primaryShards!).apply((ps) => ps[0].clusterArn.split(":")[4]);
            const credentialsKey =
                args.role === "primary"
                    ? { arn: args.secretsKeyArn }
                    : { alias: secretsReplicaAlias(args.zone), keys: account!.apply((a) => `arn:aws:kms:${args.region}:${a}:key/*`) };
            const logins: ShardLogin[] = credentials.map((c, n) => ({
                shardId: mine[n].shardId,
                secret: c.credentialsSecret,
                policyResource: c.credentialsPolicyResource,
            }));
            this.loginReadPolicy = databaseLoginReadPolicy(logins, credentialsKey, args.region);
            kubernetesSide(
                name,
                {
                    provider: args.kubernetes.provider,
                    clusterName: args.kubernetes.clusterName,
                    namespace,
                    createNamespace: args.kubernetes.createNamespace ?? true,
                    installCsiDriver: args.kubernetes.installSecretsStoreCsiDriver ?? true,
                    region: args.region,
                    zone: args.zone,
                    role: args.role,
                    replicas,
                    writerSizing,
                    readerSizing,
                    shards: built.map((b, n) => ({
                        shardId: mine[n].shardId,
                        writerEndpoint: b.cluster.endpoint,
                        readerEndpoint: b.cluster.readerEndpoint,
                        ...credentials[n],
                    })),
                    secretsKey: credentialsKey,
                    credentialsRegion: args.region,
                    catalogJson,
                    catalog: this.catalog,
                    zonePrimaryRegions: args.zonePrimaryRegions,
                    migrationDependsOn: new Map(built.map((b, n) => [mine[n].shardId, [b.writerInstance]])),
                    clientNamespace: args.kubernetes.clientNamespace,
                    // The app secrets rotate with alternating users after the Job that creates the user; PgBouncer waits
                    // for that first rotation (its mount reads the AWSPREVIOUS version, which only a rotation makes).
                    credentialsReady: (shardId, job) => {
                        const n = mine.findIndex((e) => e.shardId === shardId);
                        return [
                            appRotation(
                                name,
                                {
                                    region: args.region,
                                    dataSubnetIds: args.dataSubnetIds,
                                    functionSecurityGroup: rotationSg!,
                                    secretsKeyArn: args.secretsKeyArn,
                                    shardId,
                                    secretArn: appSecrets[n].arn,
                                    masterSecretArn: built[n].credentialsSecretArn!,
                                    dependsOn: [job],
                                },
                                this,
                            ),
                        ];
                    },
                },
                this,
            );
        }

        this.registerOutputs({ shards: this.shards, dbSubnetGroupName: this.dbSubnetGroupName, dbSecurityGroupId: this.dbSecurityGroupId });
    }

    /**
     * Lets a client of PgBouncer read its login: an inline policy on the client's Pod Identity role that reads exactly
     * this region's app role secrets (clients.ts). The pods mount them through `clientNamespace`'s SecretProviderClass.
     */
    grantLogin(name: string, role: aws.iam.Role): aws.iam.RolePolicy {
        if (!this.loginReadPolicy)
            throw new Error(`ShardedDatabase: grantLogin('${name}') needs the Kubernetes side (args.kubernetes), which holds PgBouncer and its logins`);
        return grantDatabaseLogin(name, role, this.loginReadPolicy, this);
    }
}
