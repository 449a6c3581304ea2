/**
 * Which component is documented where: each entry names the Args interface and the component
 * class the reference tables are read from (tools/docs/reference.ts), the files whose exported
 * `*_DEFAULTS` supply defaults, the README the tables go into, and the compiled usage example
 * (examples/, type-checked by `tsc` and run offline by test/tools/docs/docs-examples.spec.ts) it shows.
 * Paths are relative to the project root.
 */
export interface ComponentDoc {
    /** The class name: the README's markers carry it. */
    component: string;
    /** File declaring the Args interface and the class. */
    source: string;
    args: string;
    /** Files or folders searched for exported `*_DEFAULTS` objects. */
    defaults: readonly string[];
    readme: string;
    /** Usage example shown in the README (one per README at most); its function builds the component. */
    example?: { file: string; fn: string };
}

export const COMPONENT_DOCS: readonly ComponentDoc[] = [
    {
        component: "RegionalCluster",
        source: "components/regional-cluster/index.ts",
        args: "RegionalClusterArgs",
        defaults: ["components/regional-cluster"],
        readme: "components/regional-cluster/README.md",
        example: { file: "examples/regional-cluster.ts", fn: "regionalClusterExample" },
    },
    {
        component: "ShardedDatabase",
        source: "components/sharded-database/index.ts",
        args: "ShardedDatabaseArgs",
        defaults: ["components/sharded-database"],
        readme: "components/sharded-database/README.md",
        example: { file: "examples/sharded-database.ts", fn: "shardedDatabaseExample" },
    },
    {
        component: "RedisGlobal",
        source: "components/redis-global/index.ts",
        args: "RedisGlobalArgs",
        defaults: ["components/redis-global"],
        readme: "components/redis-global/README.md",
        example: { file: "examples/redis-global.ts", fn: "redisGlobalExample" },
    },
    {
        component: "EdgeNetwork",
        source: "components/edge-network/index.ts",
        args: "EdgeNetworkArgs",
        defaults: ["components/edge-network"],
        readme: "components/edge-network/README.md",
        example: { file: "examples/edge-network.ts", fn: "edgeNetworkExample" },
    },
    {
        component: "ObservabilityStack",
        source: "components/observability-stack.ts",
        args: "ObservabilityStackArgs",
        defaults: ["components/observability-stack.ts", "components/observability"],
        readme: "components/observability/README.md",
        example: { file: "examples/observability-stack.ts", fn: "observabilityStackExample" },
    },
    // Supporting components: tables only, in components/README.md (their sources are single files).
    { component: "Network", source: "components/network.ts", args: "NetworkArgs", defaults: ["components/network.ts"], readme: "components/README.md" },
    {
        component: "RegionalKeys",
        source: "components/kms-keys.ts",
        args: "RegionalKeysArgs",
        defaults: ["components/kms-keys.ts"],
        readme: "components/README.md",
    },
    { component: "JobQueue", source: "components/job-queue.ts", args: "JobQueueArgs", defaults: ["components/job-queue.ts"], readme: "components/README.md" },
    {
        component: "AuroraBackups",
        source: "components/aurora-backups.ts",
        args: "AuroraBackupsArgs",
        defaults: ["components/aurora-backups.ts"],
        readme: "components/README.md",
    },
    {
        component: "ContainerRegistry",
        source: "components/container-registry.ts",
        args: "ContainerRegistryArgs",
        defaults: ["components/container-registry.ts"],
        readme: "components/README.md",
    },
    {
        component: "ZonePeering",
        source: "components/zone-peering.ts",
        args: "ZonePeeringArgs",
        defaults: ["components/zone-peering.ts"],
        readme: "components/README.md",
    },
    {
        component: "ZoneRecoveryPlan",
        source: "components/zone-recovery-plan.ts",
        args: "ZoneRecoveryPlanArgs",
        defaults: ["components/zone-recovery-plan.ts"],
        readme: "components/README.md",
    },
    {
        component: "DeployRunner",
        source: "components/deploy-runner.ts",
        args: "DeployRunnerArgs",
        defaults: ["components/deploy-runner.ts"],
        readme: "components/README.md",
    },
    {
        component: "ContinuousCompliance",
        source: "components/compliance/index.ts",
        args: "ContinuousComplianceArgs",
        defaults: ["components/compliance"],
        readme: "components/compliance/README.md",
    },
];
