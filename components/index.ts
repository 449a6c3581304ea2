/**
 * The component library's public surface: what `import { ... } from "bookedbarber-infra"`
 * gives a program (package.json `exports["."]`). Everything else under components/ is
 * internal and may change without notice. Each export is named here on purpose (no
 * `export *`), so a new helper in a component file does not become public by accident.
 *
 * Public, and why:
 * - The five components (RegionalCluster, ShardedDatabase, RedisGlobal, EdgeNetwork,
 *   ObservabilityStack), their Args, every type those Args and their outputs name, and
 *   their defaults and spec figures: a caller reads the default it overrides.
 * - The supporting components a regional stack is composed of, each usable on its own with
 *   explicit inputs: Network (the VPC the data tier and cluster sit in), RegionalKeys (the
 *   per-domain KMS keys every component asks for), JobQueue, AppSecrets, AuroraBackups and
 *   ContinuousCompliance; and `alertTopicArn`, which names an alert topic before it exists.
 * - Tags without the stack config: `defaultTags`, `taggedAwsProvider` and each component's
 *   `tags` argument (components/tags.ts).
 * - ArgsError: what every component throws on bad arguments, before registering anything.
 *
 * Internal, and why:
 * - Cross-stack orchestration (ZonePeering, ZoneRecoveryPlan and its trigger and cache,
 *   RegionWatch): they read this project's stack contract (stacks/contract.ts) and only make
 *   sense inside the project's seven stacks.
 * - The bootstrap stack's account set-up (DeployRunner, service-linked roles): once per
 *   account, owned by that stack.
 * - Building blocks that take a parent instead of being components (log buckets, Pod
 *   Identity roles, Helm releases, manifests, alarm and dashboard builders), the pricing and
 *   capacity models, and the BookedBarber app images: they are how the components are built,
 *   not what a caller composes.
 *
 * Defaults: a component's defaults constant goes in its section, one line each
 * (e.g. `export { REDIS_DEFAULTS } from "./redis-global";`).
 */

// ---- RegionalCluster: EKS, managed node groups, Istio ingress, autoscaling ----
export { RegionalCluster, ACM_MAX_NAMES, CONTROL_PLANE_LOG_TYPES, regionalClusterName } from "./regional-cluster";
export type { RegionalClusterArgs } from "./regional-cluster";
export type { ClusterNetwork } from "./regional-cluster/network-args";
export { DEFAULT_CLUSTER_MAX_NODES, DEFAULT_NODE_GROUPS, NODE_GROUP_NAMES, SPEC_NODE_GROUPS } from "./regional-cluster/node-groups";
export type { NodeGroupName, NodeGroupSpec, NodeGroups } from "./regional-cluster/node-groups";
export { APP_NAMESPACE, SPEC_HPA } from "./regional-cluster/manifests";
export type { HpaSpec } from "./regional-cluster/manifests";

// ---- ShardedDatabase: Aurora global clusters, one per franchise shard, and PgBouncer ----
export {
    ShardedDatabase,
    SPEC_READERS_PER_REGION,
    DEFAULT_RPO_ENFORCEMENT,
    RPO_ENFORCEMENTS,
    SPEC_RPO_SECONDS,
    buildCatalog,
    routeFranchise,
} from "./sharded-database";
export type { ShardedDatabaseArgs, ShardedDatabaseKubernetesArgs, ShardOutput, CatalogEntry, FranchiseRange, RpoEnforcement } from "./sharded-database";
export {
    DEFAULT_READER_CLASS,
    DEFAULT_STORAGE_TYPE,
    DEFAULT_WRITER_CLASS,
    SPEC_READER_CLASS,
    SPEC_WRITER_CLASS,
    STORAGE_TYPES,
} from "./sharded-database/sizing";
export type { StorageType } from "./sharded-database/sizing";
export type { MasterPasswordMode } from "./sharded-database/shards";

// ---- RedisGlobal: ElastiCache Global Datastore member ----
export { RedisGlobal, DEFAULT_NODE_TYPE, ENGINE_VERSIONS, SPEC_NODE_TYPE, GLOBAL_OWNED_ARGS } from "./redis-global";
export type { RedisGlobalArgs, Membership, Engine } from "./redis-global";

// ---- EdgeNetwork: CloudFront, WAF, Route 53 failover ----
export { EdgeNetwork, API_TTL_SECONDS, FAILOVER_STATUS_CODES, MANAGED_RULE_GROUPS } from "./edge-network";
export type { EdgeNetworkArgs, EdgeRegionArgs, EdgeZoneArgs, EdgeDns } from "./edge-network";

// ---- ObservabilityStack: metrics, logs, traces, alert topics ----
export { ObservabilityStack, ALERT_CLASSES, ALERT_DEFINITIONS, alertTopicArn } from "./observability-stack";
export type {
    ObservabilityStackArgs,
    ObservabilityKubernetes,
    OpenSearchSizing,
    WatchedResources,
    AlertClass,
    AlertDefinition,
    AlertOverride,
    AlertRoutes,
    AlertSubscriber,
} from "./observability-stack";
export { OPENSEARCH_DEFAULTS } from "./observability/opensearch";

// ---- Supporting components of a regional stack ----
export { Network } from "./network";
export type { NetworkArgs } from "./network";
export { RegionalKeys, KEY_DOMAINS } from "./kms-keys";
export type { RegionalKeysArgs, KeyDomain } from "./kms-keys";
export { JobQueue, JOB_QUEUE_DEFAULTS } from "./job-queue";
export type { JobQueueArgs } from "./job-queue";
export { AppSecrets, APP_SECRETS, JWT_ROTATION_DAYS, VENDOR_KEY_MAX_AGE_DAYS } from "./app-secrets";
export type { AppSecretsArgs, AppSecretSpec } from "./app-secrets";
export { AuroraBackups } from "./aurora-backups";
export type { AuroraBackupsArgs, VaultLockMode } from "./aurora-backups";
export { ContinuousCompliance } from "./compliance";
export type { ContinuousComplianceArgs } from "./compliance";

// ---- Tags, errors ----
export { defaultTags, taggedAwsProvider, TAG_LIMITS } from "./tags";
export type { DefaultTagsArgs } from "./tags";
export { ArgsError } from "./args";
