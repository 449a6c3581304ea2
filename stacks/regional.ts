import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RegionalKeys } from "../components/kms-keys";
import { alertTopicArn, ObservabilityStack } from "../components/observability-stack";
import { ContinuousCompliance } from "../components/compliance";
import { AuroraBackups } from "../components/aurora-backups";
import { ContainerRegistry } from "../components/container-registry";
import { Network } from "../components/network";
import { RegionalCluster, REGIONAL_CLUSTER_TYPE, regionalClusterName } from "../components/regional-cluster";
import { DATABASE_DEFAULTS, FranchiseRange, RpoEnforcement, ShardedDatabase, ShardOutput } from "../components/sharded-database";
import { databaseLoginPod, poolerServices } from "../components/sharded-database/clients";
import { APP_NAMESPACE } from "../components/regional-cluster/manifests";
import { APP_USER_AUTHENTICATION, RedisGlobal } from "../components/redis-global";
import { JobQueue } from "../components/job-queue";
import { AppSecrets } from "../components/app-secrets";
import { appImageReference } from "../components/app-images";
import { DeliveryStrategy } from "../components/regional-cluster/rollout";
import {
    KUBE_SYSTEM_ADDONS,
    kubeSystemAddonPolicies,
    platformNetworkPolicies,
    PLATFORM_NAMESPACES,
} from "../components/regional-cluster/platform-network-policies";
import { NodeGroupName, NodeGroupSpec, resolveNodeGroups } from "../components/regional-cluster/node-groups";
import { ConfigError, NAMESPACE, RegionalConfig } from "./config";
import { readBootstrap, RegionalOutputs } from "./contract";
import { ingressHostnames } from "./hostnames";
import { zonePrimaryReference } from "./references";
import { regionProvider } from "./providers";
import { shortRegion, ZONE_REGIONS } from "./regions";

/** Node group sizes: the configured table; in a standby the compute group (the backend) runs at the warm size the recovery-time model sets. */
function nodeGroupsFor(config: RegionalConfig): Partial<Record<NodeGroupName, Partial<NodeGroupSpec>>> {
    const table = resolveNodeGroups(config.values.nodeGroups as Partial<Record<NodeGroupName, Partial<NodeGroupSpec>>>);
    if (config.role !== "standby") return table;
    const warm = config.values.standbyNodeGroupMinSize;
    if (warm > table.compute.maxSize) {
        throw new ConfigError(config.stack, [
            `${NAMESPACE}:standbyNodeGroupMinSize = ${warm}: must not exceed the compute group's maxSize (${table.compute.maxSize}); raise nodeGroups.compute.maxSize or lower the warm size`,
        ]);
    }
    return { ...table, compute: { ...table.compute, minSize: warm } };
}

/**
 * A regional stack (wave 1 for primaries, wave 2 for standbys): keys and
 * network first, then the components that sit on them, each handed the network's IDs.
 */
export async function regionalStack(config: RegionalConfig): Promise<RegionalOutputs> {
    // Sizes first: a bad warm size fails before anything is registered.
    const nodeGroups = nodeGroupsFor(config);
    const provider = regionProvider(config, config.region);
    const prefix = `bb-${shortRegion(config.region)}`;
    // Wave 0's outputs: the runner's egress (the EKS API allowlist), the hosted zone and domain (the ingress
    // certificate), the Auto Scaling service-linked role (the eks key policy). docs/decisions/eks-api-access.md.
    const bootstrap = await readBootstrap(config.stackOrg, config.project, config.bootstrapStack, `${prefix}-bootstrap`);
    const accountId = aws.getCallerIdentityOutput({}, { provider }).accountId;
    // A standby joins its zone primary's global clusters and datastore; this is where it reads them.
    const primary = zonePrimaryReference(config);

    const keys = new RegionalKeys(
        `${prefix}-keys`,
        { region: config.region, accountId, autoScalingRoleArn: bootstrap.autoScalingRoleArn, protect: config.protect },
        { provider },
    );
    // The region's VPC, shared by the cluster and the data tier: built here and handed to each by ID.
    const network = new Network(
        `${prefix}-net`,
        {
            cidr: config.network.vpcCidr,
            azs: config.network.azs,
            flowLogRetentionDays: config.network.flowLogRetentionDays,
            logsKeyArn: keys.arns.logs,
            // Subnet discovery tags for the cluster below, which does not exist yet.
            clusterName: regionalClusterName(prefix),
        },
        {
            provider,
            // Until issue 16 the Network was the RegionalCluster's child. The alias maps its old URN to this one, and the
            // engine derives its children's from it, so nothing in the VPC is replaced (test/tools/offline/network-composition.spec.ts).
            aliases: [{ parent: pulumi.createUrn(prefix, REGIONAL_CLUSTER_TYPE) }],
        },
    );
    // What the backend and the worker are handed to reach PgBouncer: each shard's login as files on a CSI mount and
    // the pools' addresses in env (components/sharded-database/clients.ts). The shards are 0..count-1 in every zone.
    const databaseLogin = databaseLoginPod(
        poolerServices(
            Array.from({ length: config.values.databaseShardCount }, (_, n) => n),
            DATABASE_DEFAULTS.namespace,
        ),
    );
    const cluster = new RegionalCluster(
        prefix,
        {
            network: {
                vpcId: network.vpcId,
                vpcCidr: network.vpcCidr,
                azs: config.network.azs,
                privateSubnetIds: network.privateSubnetIds,
                publicSubnetIds: network.publicSubnetIds,
            },
            controlPlaneLogRetentionDays: config.network.flowLogRetentionDays,
            logsKeyArn: keys.arns.logs,
            eksKeyArn: keys.arns.eks,
            kubernetesVersion: config.values.kubernetesVersion,
            // The deploy runner's addresses first (CI reaches the API from the first `up` on), then any extra hosts from config.
            publicAccessCidrs: [...new Set([...bootstrap.runnerEgressCidrs, ...config.values.clusterPublicAccessCidrs])],
            nodeGroups,
            maxNodes: config.values.clusterMaxNodes,
            // defaultTags stop at the launch template; its instances, volumes and ENIs need the tag set too.
            nodeTags: { ...config.tags },
            ingressCertificate: { hostnames: ingressHostnames(bootstrap.domainName, config.region, config.zone), hostedZoneId: bootstrap.hostedZoneId },
            ingressLogRetentionDays: config.values.ingressLogRetentionDays,
            backendImage: appImageReference(accountId, config.region, "backend", config.values.appImages.backend),
            backendDeliveryStrategy: config.values.backendDeliveryStrategy as DeliveryStrategy,
            backendDatabaseLogin: databaseLogin,
            protect: config.protect,
        },
        { provider },
    );

    // The zone's Aurora shards: primaries of global clusters here, secondaries in the standby (wave 2).
    const db = new ShardedDatabase(
        `${prefix}-db`,
        {
            role: config.role,
            zone: config.zone,
            region: config.region,
            azs: config.network.azs,
            vpcId: network.vpcId,
            dataSubnetIds: network.dataSubnetIds,
            clientSecurityGroupIds: [cluster.nodeSecurityGroupId],
            dbKeyArn: keys.arns.db,
            secretsKeyArn: keys.arns.secrets,
            logsKeyArn: keys.arns.logs,
            shardCount: config.values.databaseShardCount,
            zoneRanges: config.values.databaseFranchiseZoneRanges as Record<string, FranchiseRange>,
            catalogLock: config.values.databaseCatalogLock,
            zonePrimaryRegions: Object.fromEntries(Object.entries(ZONE_REGIONS).map(([z, r]) => [z, r.primary])),
            engineVersion: config.values.databaseEngineVersion,
            storageType: config.values.databaseStorageType as "aurora-iopt1" | "aurora",
            writerInstanceClass: config.values.databaseWriterInstanceClass,
            readerInstanceClass: config.values.databaseReaderInstanceClass,
            readerMin: config.values.databaseReaderMin,
            standbyReaders: config.values.databaseStandbyReaders,
            readerMax: config.values.databaseReaderMax,
            readerTargetCpu: config.values.databaseReaderTargetCpu,
            backupRetentionDays: config.values.databaseBackupRetentionDays,
            // Read by the primary only (a standby's parameter group never enforces the RPO).
            ...(config.role === "primary" ? { rpoEnforcement: config.values.databaseRpoEnforcement as RpoEnforcement } : {}),
            masterPassword: config.values.databaseMasterPassword as "rds-managed" | "secrets-manager",
            primaryShards: primary?.requireOutput("shards") as pulumi.Output<ShardOutput[]> | undefined,
            // A standby reads the replicas of the primary's secrets in its own region; the primary makes them (secret-replicas.ts).
            ...(primary
                ? { primaryRegion: ZONE_REGIONS[config.zone].primary }
                : {
                      secretReplica: {
                          region: ZONE_REGIONS[config.zone].standby,
                          provider: regionProvider(config, ZONE_REGIONS[config.zone].standby),
                          accountId,
                      },
                  }),
            kubernetes: {
                provider: cluster.kubernetesProvider,
                clusterName: cluster.clusterName,
                pgbouncerReplicas: config.values.pgbouncerReplicas,
                maxClientConnections: config.values.pgbouncerMaxClientConnections,
                clientNamespace: { name: APP_NAMESPACE, resource: cluster.appNamespace },
            },
            protect: config.protect,
        },
        { provider },
    );

    // Background jobs (spec "Scaling Thresholds": queue depth): the same queue in a standby, empty until a failover.
    const jobQueue = new JobQueue(
        `${prefix}-queue`,
        {
            clusterName: cluster.clusterName,
            keyArn: keys.arns.queue,
            protect: config.protect,
            kubernetes: { provider: cluster.kubernetesProvider, region: config.region, appNamespace: cluster.appNamespace, keda: cluster.keda },
            workerImage: { accountId, digest: config.values.appImages.worker },
            workerDatabaseLogin: databaseLogin,
        },
        { provider },
    );
    // The backend and the worker read the shards' logins (their Pod Identity roles, one per ServiceAccount).
    db.grantLogin(`${prefix}-backend`, jobQueue.producerRole);
    db.grantLogin(`${prefix}-worker`, jobQueue.consumerRole);

    // The app's own secrets (issue 15): created empty in the zone primary, replicated to its standby only;
    // the backend and worker read them (docs/secrets.md).
    new AppSecrets(
        `${prefix}-appsecrets`,
        {
            role: config.role,
            zone: config.zone,
            region: config.region,
            accountId,
            readerRoles: [
                { name: "backend", role: jobQueue.producerRole },
                { name: "worker", role: jobQueue.consumerRole },
            ],
            ...(config.role === "primary"
                ? {
                      secretsKeyArn: keys.arns.secrets,
                      ...(db.secretReplicaKeyArn ? { replica: { region: ZONE_REGIONS[config.zone].standby, kmsKeyArn: db.secretReplicaKeyArn } } : {}),
                      alertTopicArn: alertTopicArn(config.region, accountId, "P3"),
                      logsKeyArn: keys.arns.logs,
                  }
                : {}),
            protect: config.protect,
        },
        { provider },
    );

    // Cache (issue 5): the zone's Global Datastore. A primary creates it; a standby joins the one
    // its zone primary exports, and the component refuses one from another zone (residency).
    // The cache policy ConfigMap lands in the cluster's application namespace.
    const appNamespace = cluster.appNamespace;
    const v = config.values;
    const redis = new RedisGlobal(
        `${prefix}-redis`,
        {
            zone: config.zone,
            membership: primary
                ? {
                      role: "secondary",
                      globalReplicationGroupId: primary.requireOutput("redis").apply((r) => {
                          const id = (r as { globalReplicationGroupId?: unknown } | undefined)?.globalReplicationGroupId;
                          if (typeof id !== "string" || !id)
                              throw new Error(`stack ${config.primaryStack}'s redis output has no globalReplicationGroupId; deploy the zone primary first`);
                          return id;
                      }),
                      zone: primary.requireOutput("zone").apply(String),
                  }
                : { role: "primary" },
            cacheHoldsNoPersonalData: v.redisCacheHoldsNoPersonalData,
            vpcId: network.vpcId,
            subnetIds: network.dataSubnetIds,
            clientSecurityGroupIds: [cluster.nodeSecurityGroupId],
            keyRegions: [ZONE_REGIONS[config.zone].primary, ZONE_REGIONS[config.zone].standby],
            cacheKeyArn: keys.arns.cache,
            logsKeyArn: keys.arns.logs,
            // The app's cache user authenticates with IAM: the backend and the worker log in with their own Pod Identity roles.
            clientRoles: [
                { name: "backend", role: jobQueue.producerRole },
                { name: "worker", role: jobQueue.consumerRole },
            ],
            // Engine, version and node type belong to the zone's Global Datastore: only its primary sets them.
            ...(primary ? {} : { engine: v.redisEngine, engineVersion: v.redisEngineVersion, nodeType: v.redisNodeType }),
            shards: v.redisShards,
            replicasPerShard: v.redisReplicasPerShard,
            snapshotRetentionDays: v.redisSnapshotRetentionDays,
            snapshotWindow: v.redisSnapshotWindow,
            maintenanceWindow: v.redisMaintenanceWindow,
            logRetentionDays: v.redisLogRetentionDays,
            kubernetesProvider: cluster.kubernetesProvider,
            appNamespace: appNamespace.metadata.name,
            protect: config.protect,
            // ObservabilityStack's P2 topic (resource pressure); its name is fixed, so the ARN is known before the topic exists.
            alarmActions: [alertTopicArn(config.region, accountId, "P2")],
        },
        { provider },
    );

    // ---- ObservabilityStack (issue 8): metrics, logs, traces, GuardDuty and the P0-P3 alert topics ----
    // Alarms exist for what `watch` names: the ingress NLB, the cache and the Aurora shards.
    const observability = new ObservabilityStack(
        `${prefix}-obs`,
        {
            mode: "regional",
            region: config.region,
            accountId,
            protect: config.protect,
            network: { vpcId: network.vpcId, dataSubnetIds: network.dataSubnetIds },
            keys: { logs: keys.arns.logs, eks: keys.arns.eks, secrets: keys.arns.secrets },
            kubernetes: {
                provider: cluster.kubernetesProvider,
                clusterName: cluster.clusterName,
                nodeSecurityGroupId: cluster.nodeSecurityGroupId,
                prometheusClients: cluster.prometheusClients,
            },
            watch: {
                // The Istio ingress is an NLB: healthy hosts here; latency and 5xx from the Istio PrometheusRules.
                loadBalancer: {
                    kind: "network",
                    arnSuffix: cluster.ingressMetrics.loadBalancerArnSuffix,
                    targetGroupArnSuffixes: [cluster.ingressMetrics.targetGroupArnSuffix],
                },
                cache: { replicationGroupId: redis.replicationGroupId, shards: v.redisShards, replicasPerShard: v.redisReplicasPerShard },
                jobQueue: { queueName: jobQueue.queue.name },
                // AWS publishes AuroraGlobalDBReplicationLag for the secondary clusters, so only a standby watches it.
                // SourceRegion: the zone primary's region, a dimension of those metrics.
                auroraClusters: db.clusters.map((c) => ({
                    label: `shard-${c.shardId}`,
                    clusterIdentifier: c.clusterIdentifier,
                    inGlobalCluster: config.role === "standby",
                    ...(config.role === "standby" ? { sourceRegion: ZONE_REGIONS[config.zone].primary } : {}),
                })),
            },
            // RedisGlobal raises the 80% memory alarm per shard (to P2, above); the rest of the cache alerts are ours.
            excludeAlerts: ["cache-memory"],
            logRetentionDays: v.logRetentionDays,
            openSearch: {
                retainedTb: v.openSearchRetainedTb,
                hotDays: v.openSearchHotDays,
                warmInstanceCount: v.openSearchWarmInstanceCount,
                warmInstanceType: v.openSearchWarmInstanceType,
                dataInstanceType: v.openSearchDataInstanceType,
                dataInstanceCount: v.openSearchDataInstanceCount,
                volumeSizeGib: v.openSearchVolumeSizeGib,
                masterInstanceType: v.openSearchMasterInstanceType,
                masterInstanceCount: v.openSearchMasterInstanceCount,
            },
            prometheusRetentionDays: v.prometheusRetentionDays,
            prometheusStorageGib: v.prometheusStorageGib,
            traceSamplingPercent: v.traceSamplingPercent,
            alertOverrides: v.alertOverrides,
            alertRoutes: v.alertSubscriptions,
            pagerDutyIntegrationKey: v.pagerDutyIntegrationKey ? pulumi.secret(v.pagerDutyIntegrationKey) : undefined,
        },
        { provider },
    );

    // ---- NetworkPolicies (issue 15): default-deny in every namespace the platform creates or installs into ----
    // After the components that create those namespaces (the app namespace's own are in RegionalCluster).
    const netpolOpts = { provider: cluster.kubernetesProvider, dependsOn: [cluster, db, observability] };
    platformNetworkPolicies(`${prefix}-netpol`, { vpcCidr: network.vpcCidr, namespaces: PLATFORM_NAMESPACES }, netpolOpts);
    kubeSystemAddonPolicies(`${prefix}-netpol`, { vpcCidr: network.vpcCidr, releases: KUBE_SYSTEM_ADDONS }, netpolOpts);

    // ---- AWS Backup (issue 15): the shards' recovery points, copied to the zone's other region only ----
    // Both regions back up their clusters, so backups go on after a failover without a redeploy (docs/backups.md).
    const zoneRegions = ZONE_REGIONS[config.zone];
    new AuroraBackups(
        `${prefix}-backup`,
        {
            region: config.region,
            copyRegion: config.region === zoneRegions.primary ? zoneRegions.standby : zoneRegions.primary,
            accountId,
            keyArn: keys.arns.db,
            clusterArns: db.clusters.map((c) => c.arn),
            alertTopicArn: observability.alertTopicArns!.P2,
            restoreSubnetGroupName: db.dbSubnetGroupName,
            restoreSecurityGroupId: db.dbSecurityGroupId,
            dailyRetentionDays: v.databaseBackupRetentionDays,
            protect: config.protect,
        },
        { provider },
    );

    // ---- ECR (issue 15): the apps' repositories; the zone primary replicates them to its standby, never outside the zone ----
    new ContainerRegistry(
        `${prefix}-ecr`,
        {
            region: config.region,
            accountId,
            keyArn: keys.arns.eks,
            pullerRoleArns: [cluster.nodeGroups.role.arn],
            ...(config.role === "primary" ? { replicateTo: zoneRegions.standby } : {}),
        },
        { provider },
    );

    // ---- Continuous compliance (issue 14): AWS Config and Security Hub, findings to the alert topics ----
    // Global resource types (IAM) are recorded once, in us-east-1, where the global stack lives.
    new ContinuousCompliance(
        `${prefix}-compliance`,
        {
            region: config.region,
            accountId,
            logsKeyArn: keys.arns.logs,
            alertTopicArns: observability.alertTopicArns!,
            recordGlobalResources: config.region === "us-east-1",
            protect: config.protect,
        },
        { provider },
    );

    return {
        region: config.region,
        zone: config.zone,
        role: config.role,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        privateSubnetIds: network.privateSubnetIds,
        dataSubnetIds: network.dataSubnetIds,
        dataRouteTableIds: network.dataRouteTableIds,
        dataSubnetCidrs: network.dataSubnetCidrs,
        kmsKeys: keys.arns,
        clusterName: cluster.clusterName,
        kubeconfig: cluster.kubeconfig,
        oidcProviderArn: cluster.oidcProviderArn,
        dbSubnetGroupName: db.dbSubnetGroupName,
        dbSecurityGroupId: db.dbSecurityGroupId,
        shards: db.shards,
        observability: {
            dashboardUrl: observability.dashboardUrl,
            openSearchEndpoint: observability.openSearchEndpoint!,
            alertTopicArns: observability.alertTopicArns!,
        },
        redis: {
            replicationGroupId: redis.replicationGroupId,
            globalReplicationGroupId: redis.globalReplicationGroupId,
            configurationEndpoint: redis.configurationEndpoint,
            securityGroupId: redis.securityGroupId,
            subnetGroupName: redis.subnetGroupName,
            port: redis.port,
            userName: redis.appUserName,
            auth: APP_USER_AUTHENTICATION,
            tls: "required",
        },
        ingress: cluster.ingress,
        ...(primary ? { primaryStack: primary.name } : {}),
    };
}
