import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ArgsCheck } from "../args";
import { APP_NAMESPACE } from "../regional-cluster/manifests";
import { integerLimit, logRetentionLimit, oneOfLimit } from "../limits";
import { connectPolicy, rbac } from "./access";
import { keyPatterns } from "./cache-policy";
import { cacheAlarms, cacheDashboard, LOG_TYPES, logGroups } from "./monitoring";
import { policyConfigMap } from "./publish";
import { crossZoneRule, dailyMinutes, DEFAULT_NODE_TYPE, Engine, ENGINE_VERSIONS, ID_RE, NODE_TYPE_RE, weeklyMinutes, windowsOverlap } from "./validation";
import { withTags } from "../tags";

export * from "./cache-policy";
export { APP_USER_AUTHENTICATION, appAccessString, CONNECT_ACTION, connectPolicy, DEFAULT_USER_ACCESS } from "./access";
export { dashboardBody, memberClusterIds } from "./monitoring";
export { DEFAULT_NODE_TYPE, ENGINE_VERSIONS, NODE_TYPE_RE, SPEC_NODE_TYPE, windowsOverlap } from "./validation";
export type { Engine } from "./validation";

/** RedisGlobal args a secondary may not set: the Global Datastore owns them. */
export const GLOBAL_OWNED_ARGS = ["engine", "engineVersion", "nodeType"] as const;

/**
 * Inputs of a member replication group that the Global Datastore owns once the group has joined
 * (test/upstream/elasticache-global-datastore): the primary's group takes them at creation and
 * ignores later edits, which go through the GlobalReplicationGroup instead.
 */
export const GLOBAL_OWNED_INPUTS = ["engine", "engineVersion", "nodeType", "numNodeGroups", "parameterGroupName"] as const;

/** How this replication group belongs to its zone's Global Datastore. */
export type Membership =
    | { role: "primary" }
    | {
          role: "secondary";
          /** The global replication group to join: the zone primary's `redis.globalReplicationGroupId` output. */
          globalReplicationGroupId: pulumi.Input<string>;
          /** Residency zone of the stack that owns that global group (its `zone` output). */
          zone: pulumi.Input<string>;
      };

/** A workload role allowed to log in to the cache as the application's user. */
export interface CacheClientRole {
    /** Short name of the workload, for the policy's resource name (e.g. "backend"). */
    name: string;
    role: aws.iam.Role;
}

/** RedisGlobal's defaults: the value each optional arg takes when left out. The stack config keys derive theirs from these. */
export const REDIS_DEFAULTS = {
    /** Valkey, Redis OSS's open-source continuation (spec: Redis; same protocol). */
    engine: "valkey",
    /** Valkey 7.2 = Redis OSS 7.2 feature set; Global Datastore needs Valkey 7.2+. */
    engineVersion: "7.2",
    /** Sized by the cost model (validation.ts DEFAULT_NODE_TYPE; spec: r6g.2xlarge). */
    nodeType: DEFAULT_NODE_TYPE,
    /** Spec: 3 primary + 3 replica nodes. */
    shards: 3,
    /** Spec: 3 primary + 3 replica; at least 1 for Multi-AZ failover. */
    replicasPerShard: 1,
    /** The Redis/Valkey port. */
    port: 6379,
    /** No spec figure: a week covers a bad deploy noticed after a weekend. */
    snapshotRetentionDays: 7,
    /** Europe's night, UTC. */
    snapshotWindow: "03:00-04:00",
    /** Europe's night, UTC, clear of the snapshot window. */
    maintenanceWindow: "sun:05:00-sun:06:00",
    /** PCI DSS 10.7: a year. */
    logRetentionDays: 365,
    /** Spec: Cache Performance, memory < 80%. */
    memoryAlarmPercent: 80,
    /** The cache policy's classes all hold personal data. */
    cacheHoldsNoPersonalData: false,
    /** The application's namespace, where the cache policy ConfigMap is published. */
    appNamespace: APP_NAMESPACE,
} as const;

/** RedisGlobal's valid ranges (AWS ElastiCache limits unless said otherwise). */
export const REDIS_LIMITS = {
    engine: oneOfLimit(Object.keys(ENGINE_VERSIONS)),
    /** Cluster mode: 1 to 500 node groups. */
    shards: integerLimit(1, 500),
    /** ElastiCache allows 5 replicas per shard; 1 is the least for Multi-AZ failover. */
    replicasPerShard: integerLimit(1, 5),
    /** ElastiCache allows 1024-65535. */
    port: integerLimit(1024, 65535),
    /** ElastiCache keeps automatic snapshots up to 35 days. */
    snapshotRetentionDays: integerLimit(1, 35),
    /** CloudWatch Logs periods; 90 days at least: PCI DSS 10.7 keeps three months immediately available. */
    logRetentionDays: logRetentionLimit(90),
    memoryAlarmPercent: integerLimit(1, 99),
} as const;

export interface RedisGlobalArgs {
    /** Residency zone of this stack (us, eu, apac). Required. */
    zone: string;
    /** Primary of the zone's Global Datastore, or a secondary joining it. Required (stack role). */
    membership: Membership;
    /**
     * Declares that this cache holds no personal data. Default false. Only then may a secondary join
     * another zone's Global Datastore (docs/design.md#d2-nothing-personal-replicates-across-zones: cross-zone replication only for non-personal data).
     */
    cacheHoldsNoPersonalData?: boolean;
    /** VPC of the data subnets. Required. */
    vpcId: pulumi.Input<string>;
    /** Data subnets, one per AZ, at least 2 (Multi-AZ). Required: the network's `dataSubnetIds`. */
    subnetIds: pulumi.Input<string>[];
    /** Security groups of the workloads allowed on the cache port. Required: the EKS node security group. */
    clientSecurityGroupIds: pulumi.Input<string>[];
    /** Regions whose franchises' keys the application may touch (ACL `~<region>:*`). Required: the zone's regions. */
    keyRegions: readonly string[];
    /** Region's cache CMK, for encryption at rest (`keys.arns.cache`). Required. */
    cacheKeyArn: pulumi.Input<string>;
    /** Region's logs CMK, for the slow-log and engine-log groups (`keys.arns.logs`). Required. */
    logsKeyArn: pulumi.Input<string>;
    /**
     * IAM roles of the workloads that use the cache (the backend's and the worker's Pod Identity roles). Each gets
     * `elasticache:Connect` on this replication group and the application's user, which authenticates with IAM:
     * there is no password. Default none: then nothing can log in as the application.
     */
    clientRoles?: CacheClientRole[];
    /**
     * Engine. Default "valkey" (spec: Redis; Valkey is its open-source continuation, same protocol).
     * Primary only, and held on the Global Datastore (README: "Settings owned by the global group"); a secondary refuses it.
     */
    engine?: string;
    /** Pinned engine version. Default "7.2" (Valkey 7.2 = Redis OSS 7.2 feature set). Primary only, held on the Global Datastore; a secondary refuses it. */
    engineVersion?: string;
    /** Node type. Default cache.r6g.large, sized by the cost model (validation.ts DEFAULT_NODE_TYPE; spec: r6g.2xlarge). Primary only, held on the Global Datastore; a secondary refuses it. */
    nodeType?: string;
    /**
     * Shards (node groups). Default 3 (spec: 3 primary + 3 replica). Held on the Global Datastore by the primary;
     * a secondary inherits them and uses the number only for its alarms, so it must equal the primary's.
     */
    shards?: number;
    /** Replicas per shard, 1 to 5. Default 1 (spec: 3 primary + 3 replica); at least 1 for Multi-AZ failover. */
    replicasPerShard?: number;
    /** Encryption in transit. Default true and must stay true (spec: encryption in transit; RBAC and IAM authentication need TLS). */
    transitEncryption?: boolean;
    /** Port. Default 6379. */
    port?: number;
    /** Days of daily snapshots kept, 1 to 35. Default 7 (no spec figure; see README). */
    snapshotRetentionDays?: number;
    /** Daily snapshot window, UTC "hh:mm-hh:mm", at least 60 minutes. Default "03:00-04:00". */
    snapshotWindow?: string;
    /** Weekly maintenance window, UTC "ddd:hh:mm-ddd:hh:mm", at least 60 minutes. Default "sun:05:00-sun:06:00". */
    maintenanceWindow?: string;
    /** Retention of the slow-log and engine-log groups, in days. Default 365 (PCI DSS 10.7). */
    logRetentionDays?: number;
    /** Memory alarm threshold, percent. Default 80 (spec: Cache Performance, memory < 80%). */
    memoryAlarmPercent?: number;
    /** Where alarms notify (SNS topic ARNs). Default none: the ObservabilityStack's alert classes route them. */
    alarmActions?: pulumi.Input<string>[];
    /** Cluster to publish the cache policy ConfigMap into. Optional: without it nothing is published. */
    kubernetesProvider?: k8s.Provider;
    /** Namespace of the ConfigMap (the application's). Default "bookedbarber". */
    appNamespace?: pulumi.Input<string>;
    /** Protect the replication group and global group from `pulumi destroy`. Default true. */
    protect?: boolean;
    /** Tags added to every AWS resource this component creates, under each resource's own tags (build the design's set with `defaultTags()`). Default none: the provider's defaultTags carry them, as in the stacks. */
    tags?: Record<string, string>;
}

/**
 * An ElastiCache (Valkey/Redis OSS) replication group in cluster mode (spec:
 * "Redis Global Clustering": 3 shards x 1 replica; node type sized by the cost model), encrypted
 * at rest with the region's cache CMK and in transit (TLS required), RBAC
 * users with the default user disabled and the application's user on IAM
 * authentication (no password; `clientRoles` get `elasticache:Connect`), Multi-AZ with automatic failover,
 * daily snapshots, slow and engine logs to KMS-encrypted log groups, in the
 * data subnets behind a security group that admits only the cluster's
 * workloads. A primary creates its zone's Global Datastore; a standby joins
 * it as a secondary, and never another zone's unless the cache is declared
 * free of personal data. Publishes the cache policy for the application.
 */
export class RedisGlobal extends pulumi.ComponentResource {
    /** ElastiCache replication group id of this member (contract `redis.replicationGroupId`). */
    readonly replicationGroupId: pulumi.Output<string>;
    /** Id of the zone's Global Datastore: created by a primary, joined by a standby (contract `redis.globalReplicationGroupId`). */
    readonly globalReplicationGroupId: pulumi.Output<string>;
    /** Cluster-mode configuration endpoint the application connects to over TLS. */
    readonly configurationEndpoint: pulumi.Output<string>;
    /** Security group of the cache: TCP on `port` from `clientSecurityGroupIds` only, no egress. */
    readonly securityGroupId: pulumi.Output<string>;
    /** Cache subnet group over the data subnets. */
    readonly subnetGroupName: pulumi.Output<string>;
    /** ARN of this member's replication group: what a client's `elasticache:Connect` names. */
    readonly replicationGroupArn: pulumi.Output<string>;
    /** The application's ElastiCache user (user id = user name); it authenticates with IAM (`auth: iam`), no password. */
    readonly appUserName: string;
    /** ARN of the application's user: the other resource of `elasticache:Connect`. */
    readonly appUserArn: pulumi.Output<string>;
    /** Port the cache listens on. */
    readonly port: number;
    /** The replication group resource, for callers that add alarms or dependencies. */
    readonly replicationGroup: aws.elasticache.ReplicationGroup;
    /** The per-shard memory and eviction alarms. */
    readonly alarms: aws.cloudwatch.MetricAlarm[];

    constructor(name: string, args: RedisGlobalArgs, opts?: pulumi.ComponentResourceOptions) {
        const engine = args.engine ?? REDIS_DEFAULTS.engine;
        const engineVersion = args.engineVersion ?? REDIS_DEFAULTS.engineVersion;
        const nodeType = args.nodeType ?? REDIS_DEFAULTS.nodeType;
        const shards = args.shards ?? REDIS_DEFAULTS.shards;
        const replicas = args.replicasPerShard ?? REDIS_DEFAULTS.replicasPerShard;
        const transit = args.transitEncryption ?? true;
        const port = args.port ?? REDIS_DEFAULTS.port;
        const retention = args.snapshotRetentionDays ?? REDIS_DEFAULTS.snapshotRetentionDays;
        const snapshotWindow = args.snapshotWindow ?? REDIS_DEFAULTS.snapshotWindow;
        const maintenanceWindow = args.maintenanceWindow ?? REDIS_DEFAULTS.maintenanceWindow;
        const logRetention = args.logRetentionDays ?? REDIS_DEFAULTS.logRetentionDays;
        const memoryPercent = args.memoryAlarmPercent ?? REDIS_DEFAULTS.memoryAlarmPercent;
        const membership = args.membership;
        const noPersonalData = args.cacheHoldsNoPersonalData ?? REDIS_DEFAULTS.cacheHoldsNoPersonalData;
        // A secondary that names a setting the Global Datastore owns would look editable and never take effect.
        const ownedByGlobal = membership?.role === "secondary" ? GLOBAL_OWNED_ARGS.filter((k) => args[k] !== undefined) : [];

        const clientNames = (args.clientRoles ?? []).map((c) => c?.name);
        const check = new ArgsCheck("RedisGlobal", name)
            // The name is the replication group id (40 characters at most) and prefixes the user ids ("-default").
            .that(ID_RE.test(name) && name.length <= 32, "name", name, "must be 1-32 lowercase letters, digits and single hyphens, starting with a letter")
            .oneOf("zone", args.zone, ["us", "eu", "apac"])
            .oneOf("membership.role", membership?.role, ["primary", "secondary"])
            .within("engine", engine, REDIS_LIMITS.engine)
            .within("shards", shards, REDIS_LIMITS.shards)
            .within("replicasPerShard", replicas, REDIS_LIMITS.replicasPerShard)
            .that(
                transit === true,
                "transitEncryption",
                transit,
                "must be true: the spec requires encryption in transit, and RBAC and IAM authentication need TLS",
            )
            .within("port", port, REDIS_LIMITS.port)
            .within("snapshotRetentionDays", retention, REDIS_LIMITS.snapshotRetentionDays)
            .that(dailyMinutes(snapshotWindow) >= 60, "snapshotWindow", snapshotWindow, 'must be a UTC window "hh:mm-hh:mm" of at least 60 minutes')
            .that(
                weeklyMinutes(maintenanceWindow) >= 60,
                "maintenanceWindow",
                maintenanceWindow,
                'must be a UTC window "ddd:hh:mm-ddd:hh:mm" of at least 60 minutes',
            )
            .that(
                !windowsOverlap(snapshotWindow, maintenanceWindow),
                "snapshotWindow",
                snapshotWindow,
                `must not overlap the maintenance window ${maintenanceWindow}`,
            )
            .within("logRetentionDays", logRetention, REDIS_LIMITS.logRetentionDays)
            .within("memoryAlarmPercent", memoryPercent, REDIS_LIMITS.memoryAlarmPercent)
            .that(
                Array.isArray(args.subnetIds) && args.subnetIds.length >= 2,
                "subnetIds",
                Array.isArray(args.subnetIds) ? `${args.subnetIds.length} subnets` : args.subnetIds,
                "must list at least 2 data subnets in distinct AZs (Multi-AZ)",
            )
            .nonEmpty("clientSecurityGroupIds", args.clientSecurityGroupIds)
            .that(
                clientNames.every((n) => ID_RE.test(n)) && new Set(clientNames).size === clientNames.length,
                "clientRoles",
                clientNames,
                "must name each workload once, in lowercase letters, digits and single hyphens",
            )
            .that(
                Array.isArray(args.keyRegions) && args.keyRegions.length > 0 && args.keyRegions.every((r) => /^[a-z]{2}(-[a-z]+)+-\d$/.test(r)),
                "keyRegions",
                args.keyRegions,
                "must list the AWS regions whose franchise keys the application may use",
            );
        const versions: readonly string[] = ENGINE_VERSIONS[engine as Engine] ?? [];
        if (membership?.role === "primary") {
            check
                .that(
                    versions.length === 0 || versions.includes(engineVersion),
                    "engineVersion",
                    engineVersion,
                    `must be one of ${versions.join(", ")} for ${engine}`,
                )
                .that(
                    NODE_TYPE_RE.test(nodeType),
                    "nodeType",
                    nodeType,
                    "must be a Global Datastore node type: cache.{m5,m6g,m7g,r5,r6g,r7g,c7gn}.{large,xlarge,Nxlarge} (spec: r6g.2xlarge)",
                );
        }
        for (const k of ownedByGlobal) {
            check.that(
                false,
                k,
                args[k],
                "is owned by the zone's Global Datastore, which a secondary joins: AWS takes it from the global group and ignores it here. Set it on the zone primary's stack (README: Settings owned by the global group)",
            );
        }
        if (membership?.role === "secondary" && typeof membership.zone === "string" && membership.zone !== args.zone && !noPersonalData) {
            check.that(false, "membership.zone", membership.zone, crossZoneRule(args.zone, membership.zone));
        }
        check.done();
        super("bookedbarber:cache:RedisGlobal", name, {}, withTags("RedisGlobal", name, args.tags, opts));
        const protect = args.protect ?? true;
        this.port = port;

        const subnetGroup = new aws.elasticache.SubnetGroup(
            `${name}-subnets`,
            {
                name: `${name}-subnets`,
                description: `Data subnets of ${name}: no route to the internet`,
                subnetIds: args.subnetIds,
            },
            { parent: this },
        );

        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                name: `${name}-cache`,
                description: `ElastiCache ${name}: TLS on ${port} from the cluster's workloads only`,
                vpcId: args.vpcId,
                ingress: [
                    {
                        description: "Cache clients (EKS workloads), TLS",
                        protocol: "tcp",
                        fromPort: port,
                        toPort: port,
                        securityGroups: args.clientSecurityGroupIds,
                    },
                ],
                // The cache never opens connections; no egress at all.
                egress: [],
                tags: { Name: `${name}-cache` },
            },
            { parent: this },
        );

        const logs = logGroups(name, args.logsKeyArn, logRetention, this);
        const access = rbac(name, { engine, keyPatterns: keyPatterns(args.keyRegions) }, this);

        const common: aws.elasticache.ReplicationGroupArgs = {
            replicationGroupId: name,
            description: `BookedBarber cache (${args.zone} zone, ${membership.role} of the zone's Global Datastore)`,
            replicasPerNodeGroup: replicas,
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
            // Each region encrypts with its own key; a secondary sets only the key (the flag is inherited).
            kmsKeyId: args.cacheKeyArn,
            userGroupIds: [access.userGroup.userGroupId],
            subnetGroupName: subnetGroup.name,
            securityGroupIds: [securityGroup.id],
            port,
            snapshotRetentionLimit: retention,
            snapshotWindow,
            maintenanceWindow,
            finalSnapshotIdentifier: `${name}-final`,
            autoMinorVersionUpgrade: true,
            applyImmediately: false,
            logDeliveryConfigurations: LOG_TYPES.map((type) => ({
                destinationType: "cloudwatch-logs",
                destination: logs[type].name,
                logFormat: "json",
                logType: type,
            })),
        };

        let rg: aws.elasticache.ReplicationGroup;
        let globalId: pulumi.Output<string>;
        if (membership.role === "primary") {
            const parameterGroup = new aws.elasticache.ParameterGroup(
                `${name}-params`,
                {
                    name: `${name}-params`,
                    family: `${engine}${engineVersion.split(".")[0]}`,
                    description: `Cluster mode for ${name}; slow log at the spec's 5 ms response target`,
                    parameters: [
                        { name: "cluster-enabled", value: "yes" },
                        // Every key carries a TTL from the cache policy; evict the least recently used of them.
                        { name: "maxmemory-policy", value: "volatile-lru" },
                        // Spec: cache response time < 5 ms, so every command slower than that is logged (microseconds).
                        { name: "slowlog-log-slower-than", value: "5000" },
                    ],
                },
                { parent: this },
            );
            // Once the group joins its Global Datastore, AWS manages engine, version, node type, shard count and
            // parameter group at the global level (the provider even suppresses diffs of engine, version and parameter
            // group on a member). The replication group takes them at creation only; later edits go to the global group.
            rg = new aws.elasticache.ReplicationGroup(
                `${name}-rg`,
                {
                    ...common,
                    engine,
                    engineVersion,
                    nodeType,
                    parameterGroupName: parameterGroup.name,
                    clusterMode: "enabled",
                    numNodeGroups: shards,
                    atRestEncryptionEnabled: true,
                    transitEncryptionEnabled: true,
                    transitEncryptionMode: "required",
                },
                { parent: this, protect, ignoreChanges: [...GLOBAL_OWNED_INPUTS] },
            );
            const global = new aws.elasticache.GlobalReplicationGroup(
                `${name}-global`,
                {
                    globalReplicationGroupIdSuffix: name,
                    globalReplicationGroupDescription: `BookedBarber ${args.zone} zone cache: primary ${name}; secondaries only in the ${args.zone} zone`,
                    primaryReplicationGroupId: rg.replicationGroupId,
                    // The same values as the primary's at creation (no change); afterwards the one place they change, for every member.
                    engine,
                    engineVersion,
                    cacheNodeType: nodeType,
                    numNodeGroups: shards,
                },
                { parent: this, protect },
            );
            globalId = global.globalReplicationGroupId;
        } else {
            // The residency guard sits on the very input that joins: a foreign zone fails the plan before the group exists.
            const joinId = pulumi.all([membership.globalReplicationGroupId, membership.zone]).apply(([id, zone]) => {
                if (zone !== args.zone && !noPersonalData)
                    throw new pulumi.ResourceError(`RedisGlobal '${name}': membership.zone = ${JSON.stringify(zone)}: ${crossZoneRule(args.zone, zone)}`, this);
                return id;
            });
            // A secondary inherits engine, version, node type, parameter group, shard count and both
            // encryption flags from the Global Datastore; the provider refuses them when a global id is set.
            rg = new aws.elasticache.ReplicationGroup(`${name}-rg`, { ...common, globalReplicationGroupId: joinId }, { parent: this, protect });
            globalId = joinId;
        }

        // The workloads log in with their own Pod Identity roles: Connect on this member and its own user only (in-region, so in-zone).
        for (const client of args.clientRoles ?? []) {
            new aws.iam.RolePolicy(
                `${name}-${client.name}-connect`,
                {
                    role: client.role.id,
                    policy: pulumi.all([rg.arn, access.appUser.arn]).apply(([rgArn, userArn]) => connectPolicy(rgArn, userArn)),
                },
                { parent: this },
            );
        }

        const region = aws.getRegionOutput({}, { parent: this }).region;
        this.alarms = cacheAlarms(
            name,
            { replicationGroupId: rg.replicationGroupId, shards, nodesPerShard: replicas + 1, memoryPercent, alarmActions: args.alarmActions ?? [] },
            this,
        );
        cacheDashboard(name, region, rg.replicationGroupId, shards, replicas + 1, memoryPercent, this);

        if (args.kubernetesProvider) {
            policyConfigMap(
                name,
                {
                    namespace: args.appNamespace ?? REDIS_DEFAULTS.appNamespace,
                    zone: args.zone,
                    role: membership.role,
                    keyRegions: args.keyRegions,
                    configurationEndpoint: rg.configurationEndpointAddress,
                    port,
                    replicationGroupId: rg.replicationGroupId,
                    region,
                    userName: access.appUserName,
                },
                args.kubernetesProvider,
                this,
            );
        }

        this.replicationGroup = rg;
        this.replicationGroupId = rg.replicationGroupId;
        this.globalReplicationGroupId = globalId;
        this.configurationEndpoint = rg.configurationEndpointAddress;
        this.securityGroupId = securityGroup.id;
        this.subnetGroupName = subnetGroup.name;
        this.replicationGroupArn = rg.arn;
        this.appUserName = access.appUserName;
        this.appUserArn = access.appUser.arn;
        this.registerOutputs({
            replicationGroupId: this.replicationGroupId,
            globalReplicationGroupId: this.globalReplicationGroupId,
            configurationEndpoint: this.configurationEndpoint,
            securityGroupId: this.securityGroupId,
            subnetGroupName: this.subnetGroupName,
            replicationGroupArn: this.replicationGroupArn,
            appUserName: this.appUserName,
            appUserArn: this.appUserArn,
        });
    }
}
