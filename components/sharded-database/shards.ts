import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { RpoEnforcement, rpoParameters } from "./rpo";
import type { StorageType } from "./sizing";
import { serviceRoleTrust } from "../service-role";

/**
 * Aurora accepts TLS 1.3 only (spec: "TLS 1.3 for all communications"; Aurora PostgreSQL offers TLSv1.3 as
 * ssl_min_protocol_version, test/upstream/tls/aws-tls-offers.json). Its clients (PgBouncer, the migration
 * Job, the rotation function, AWS Backup restore tests) all link OpenSSL 1.1.1 or later.
 */
export const AURORA_MIN_TLS = "TLSv1.3";

/**
 * The AWS side of the shards: what a region shares (subnet group, security
 * group, cluster parameter group, Enhanced Monitoring role) and each shard's
 * Aurora PostgreSQL cluster, its instances and reader auto scaling.
 */

export const ENGINE = "aurora-postgresql";
export const PORT = 5432;
/** The database each cluster is created with; the directory tables live in shard 0's. */
export const DATABASE_NAME = "bookedbarber";
export const MASTER_USERNAME = "bbadmin";
/** Enhanced Monitoring granularity in seconds. */
const MONITORING_INTERVAL = 15;
/** Performance Insights retention in days: 7 is the free tier; longer history lives in CloudWatch. */
const PI_RETENTION_DAYS = 7;
/** Retention of the exported PostgreSQL logs (PCI DSS 10.7: a year). */
const LOG_RETENTION_DAYS = 365;
/** RDS CA for the instances' server certificates; PgBouncer verifies against the RDS bundle that includes it. */
export const CA_CERT_IDENTIFIER = "rds-ca-rsa2048-g1";

/** Name of a shard's master credentials secret; a standby derives it from the primary's cluster identifier. */
export function masterSecretName(clusterIdentifier: string): string {
    return `bookedbarber/database/${clusterIdentifier}/master`;
}

/**
 * Inputs of a global database member that the global cluster owns: an engine upgrade is made on the
 * GlobalCluster (the primary stack's), which upgrades every member in place; a member's own
 * engineVersion would only fight it (provider docs, aws.rds.GlobalCluster "Upgrading Engine Versions").
 * The members take the version at creation.
 */
export const GLOBAL_OWNED_CLUSTER_INPUTS = ["engineVersion"] as const;

export type MasterPasswordMode = "rds-managed" | "secrets-manager";

export interface SharedDbResources {
    subnetGroup: aws.rds.SubnetGroup;
    securityGroup: aws.ec2.SecurityGroup;
    parameterGroup: aws.rds.ClusterParameterGroup;
    monitoringRole: aws.iam.Role;
}

export interface SharedDbInputs {
    vpcId: pulumi.Input<string>;
    dataSubnetIds: pulumi.Input<string>[];
    clientSecurityGroupIds: pulumi.Input<string>[];
    engineVersion: string;
    /** This region's role: only a primary's group may carry rds.global_db_rpo. */
    role: "primary" | "standby";
    /** The spec's RPO in seconds: the alarm's line, and rds.global_db_rpo when enforced. */
    rpoSeconds: number;
    /** watched (default: no rds.global_db_rpo) or enforced (rpo.ts). */
    rpoEnforcement: RpoEnforcement;
}

export function sharedDbResources(name: string, i: SharedDbInputs, parent: pulumi.Resource): SharedDbResources {
    const subnetGroup = new aws.rds.SubnetGroup(
        `${name}-subnets`,
        {
            description: "Isolated data subnets of the Aurora shards (no route out)",
            subnetIds: i.dataSubnetIds,
        },
        { parent },
    );

    // No inline rules: ingress comes only from the named client groups, one rule each; the provider removes AWS's default egress.
    const securityGroup = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        {
            vpcId: i.vpcId,
            description: "Aurora shards: PostgreSQL from the cluster's workloads only",
            revokeRulesOnDelete: true,
            tags: { Name: `${name}-sg` },
        },
        { parent },
    );
    i.clientSecurityGroupIds.forEach((client, n) => {
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-sg-from-client-${n}`,
            {
                securityGroupId: securityGroup.id,
                referencedSecurityGroupId: client,
                ipProtocol: "tcp",
                fromPort: PORT,
                toPort: PORT,
                description: "PostgreSQL from the regional cluster's workloads (PgBouncer, migration Job)",
            },
            { parent: securityGroup },
        );
    });

    const family = `aurora-postgresql${i.engineVersion.split(".")[0]}`;
    const parameterGroup = new aws.rds.ClusterParameterGroup(
        `${name}-params`,
        {
            family,
            description: i.rpoEnforcement === "enforced" && i.role === "primary" ? "Shards: TLS only, commits held to the RPO" : "Shards: TLS only",
            parameters: [
                { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
                { name: "ssl_min_protocol_version", value: AURORA_MIN_TLS, applyMethod: "immediate" },
                // rds.global_db_rpo blocks the primary's commits while every secondary lags past it: with one
                // standby that couples the zone's writes to the standby, so it is set only when enforcement is chosen (rpo.ts).
                ...rpoParameters(i.role, i.rpoEnforcement, i.rpoSeconds),
                { name: "log_min_duration_statement", value: "1000", applyMethod: "immediate" },
                { name: "log_lock_waits", value: "1", applyMethod: "immediate" },
            ],
        },
        { parent },
    );

    const monitoringRole = new aws.iam.Role(
        `${name}-monitoring`,
        {
            description: "Lets RDS Enhanced Monitoring publish OS metrics of the shards",
            assumeRolePolicy: serviceRoleTrust("monitoring.rds.amazonaws.com"),
        },
        { parent },
    );
    new aws.iam.RolePolicyAttachment(
        `${name}-monitoring-policy`,
        {
            role: monitoringRole.name,
            policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
        },
        { parent: monitoringRole },
    );

    return { subnetGroup, securityGroup, parameterGroup, monitoringRole };
}

export interface ShardInputs {
    role: "primary" | "standby";
    shardId: number;
    /** Cluster identifier in this region. */
    clusterIdentifier: string;
    /** Primary: the global cluster to create. Standby: the primary's global cluster to join. */
    globalClusterIdentifier: pulumi.Input<string>;
    engineVersion: string;
    /** aurora-iopt1 (I/O-Optimized) or aurora (Standard). */
    storageType: StorageType;
    writerInstanceClass: string;
    readerInstanceClass: string;
    readerMin: number;
    readerMax: number;
    readerTargetCpu: number;
    backupRetentionDays: number;
    azs: readonly string[];
    dbKeyArn: pulumi.Input<string>;
    secretsKeyArn: pulumi.Input<string>;
    logsKeyArn: pulumi.Input<string>;
    masterPassword: MasterPasswordMode;
    /** Replicas of the master secret: the zone's standby region, on a key there (secret-replicas.ts). */
    secretReplicas?: pulumi.Input<aws.types.input.secretsmanager.SecretReplica[]>;
    protect: boolean;
}

export interface Shard {
    cluster: aws.rds.Cluster;
    globalClusterId: pulumi.Output<string>;
    writerInstance: aws.rds.ClusterInstance;
    /** Secrets Manager secret holding {username, password}; the primary's, read by PgBouncer. Undefined on a standby. */
    credentialsSecretArn?: pulumi.Output<string>;
}

export function shard(name: string, i: ShardInputs, shared: SharedDbResources, parent: pulumi.Resource): Shard {
    const stateful = { parent, protect: i.protect };
    // Aurora creates this group on first export, unencrypted and kept forever; creating it first sets the key and retention.
    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-postgresql-logs`,
        {
            name: `/aws/rds/cluster/${i.clusterIdentifier}/postgresql`,
            retentionInDays: LOG_RETENTION_DAYS,
            kmsKeyId: i.logsKeyArn,
            tags: { "log-class": "database" },
        },
        stateful,
    );

    let globalClusterId: pulumi.Output<string>;
    let credentialsSecretArn: pulumi.Output<string> | undefined;
    const common: aws.rds.ClusterArgs = {
        clusterIdentifier: i.clusterIdentifier,
        engine: ENGINE,
        engineVersion: i.engineVersion,
        storageType: i.storageType,
        storageEncrypted: true,
        kmsKeyId: i.dbKeyArn,
        dbSubnetGroupName: shared.subnetGroup.name,
        vpcSecurityGroupIds: [shared.securityGroup.id],
        dbClusterParameterGroupName: shared.parameterGroup.name,
        port: PORT,
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `${i.clusterIdentifier}-final`,
        backupRetentionPeriod: i.backupRetentionDays,
        preferredBackupWindow: "03:00-04:00",
        preferredMaintenanceWindow: "sun:05:00-sun:06:00",
        copyTagsToSnapshot: true,
        iamDatabaseAuthenticationEnabled: true,
        enabledCloudwatchLogsExports: ["postgresql"],
        // A pinned version: minor upgrades of a global database are planned, never automatic.
        allowMajorVersionUpgrade: false,
        tags: { "shard-id": String(i.shardId) },
    };

    let cluster: aws.rds.Cluster;
    if (i.role === "primary") {
        const global = new aws.rds.GlobalCluster(
            `${name}-global`,
            {
                globalClusterIdentifier: i.globalClusterIdentifier,
                engine: ENGINE,
                engineVersion: i.engineVersion,
                storageEncrypted: true,
                deletionProtection: true,
            },
            stateful,
        );
        globalClusterId = global.globalClusterIdentifier;
        let password: Partial<aws.rds.ClusterArgs>;
        if (i.masterPassword === "rds-managed") {
            password = { manageMasterUserPassword: true, masterUserSecretKmsKeyId: i.secretsKeyArn };
        } else {
            // AWS does not let RDS manage the master password of a global database member
            // (Aurora User Guide, "Limitations for Secrets Manager integration"), so the
            // password is generated here, kept as a Pulumi secret and stored in Secrets Manager under the secrets CMK.
            const generated = new random.RandomPassword(
                `${name}-master-password`,
                {
                    length: 40,
                    special: true,
                    // RDS refuses / @ " and space in master passwords.
                    overrideSpecial: "!#%^*()-_=+[]{}:,.?~",
                },
                { parent },
            );
            const secret = new aws.secretsmanager.Secret(
                `${name}-master`,
                {
                    name: masterSecretName(i.clusterIdentifier),
                    description: `Master user of Aurora shard ${i.clusterIdentifier}`,
                    kmsKeyId: i.secretsKeyArn,
                    recoveryWindowInDays: 30,
                    ...(i.secretReplicas ? { replicas: i.secretReplicas } : {}),
                },
                stateful,
            );
            // The first value only: Secrets Manager rotates it from then on (rotation.ts), and a later `up` must not
            // put the generated password back in the secret or on the cluster.
            new aws.secretsmanager.SecretVersion(
                `${name}-master-value`,
                {
                    secretId: secret.id,
                    secretString: pulumi.secret(
                        pulumi.jsonStringify({ username: MASTER_USERNAME, password: generated.result, engine: "postgres", port: PORT }),
                    ),
                },
                { parent: secret, ignoreChanges: ["secretString"] },
            );
            credentialsSecretArn = secret.arn;
            password = { masterPassword: generated.result };
        }
        cluster = new aws.rds.Cluster(
            `${name}-cluster`,
            {
                ...common,
                ...password,
                globalClusterIdentifier: global.globalClusterIdentifier,
                databaseName: DATABASE_NAME,
                masterUsername: MASTER_USERNAME,
            },
            {
                ...stateful,
                dependsOn: [logGroup],
                ignoreChanges: [...GLOBAL_OWNED_CLUSTER_INPUTS, ...(i.masterPassword === "rds-managed" ? [] : ["masterPassword"])],
            },
        );
        if (i.masterPassword === "rds-managed") credentialsSecretArn = cluster.masterUserSecrets.apply((s) => s[0].secretArn);
    } else {
        globalClusterId = pulumi.output(i.globalClusterIdentifier);
        // A secondary takes its users, database and password from the global cluster; AWS refuses them here.
        cluster = new aws.rds.Cluster(
            `${name}-cluster`,
            {
                ...common,
                globalClusterIdentifier: i.globalClusterIdentifier,
            },
            { ...stateful, dependsOn: [logGroup], ignoreChanges: ["replicationSourceIdentifier", ...GLOBAL_OWNED_CLUSTER_INPUTS] },
        );
    }

    const instance = (role: string, n: number, cls: string, tier: number) =>
        new aws.rds.ClusterInstance(
            `${name}-${role}`,
            {
                identifier: `${i.clusterIdentifier}-${role}`,
                clusterIdentifier: cluster.id,
                engine: ENGINE,
                engineVersion: i.engineVersion,
                instanceClass: cls,
                availabilityZone: i.azs[n % i.azs.length],
                promotionTier: tier,
                publiclyAccessible: false,
                dbSubnetGroupName: shared.subnetGroup.name,
                autoMinorVersionUpgrade: false,
                caCertIdentifier: CA_CERT_IDENTIFIER,
                performanceInsightsEnabled: true,
                performanceInsightsKmsKeyId: i.dbKeyArn,
                performanceInsightsRetentionPeriod: PI_RETENTION_DAYS,
                monitoringInterval: MONITORING_INTERVAL,
                monitoringRoleArn: shared.monitoringRole.arn,
                copyTagsToSnapshot: true,
                tags: { "shard-id": String(i.shardId), "instance-role": role.replace(/-\d+$/, "") },
            },
            { parent: cluster, protect: i.protect, ignoreChanges: [...GLOBAL_OWNED_CLUSTER_INPUTS] },
        );

    // On a standby the "writer" is the instance that takes the writes after failover: writer class, promotion tier 0.
    const writerInstance = instance("writer", 0, i.writerInstanceClass, 0);
    for (let r = 1; r <= i.readerMin; r++) instance(`reader-${r}`, r, i.readerInstanceClass, 1);

    if (i.role === "primary") {
        const target = new aws.appautoscaling.Target(
            `${name}-readers`,
            {
                serviceNamespace: "rds",
                scalableDimension: "rds:cluster:ReadReplicaCount",
                resourceId: pulumi.interpolate`cluster:${cluster.clusterIdentifier}`,
                minCapacity: i.readerMin,
                maxCapacity: i.readerMax,
            },
            { parent: cluster, dependsOn: [writerInstance] },
        );
        new aws.appautoscaling.Policy(
            `${name}-readers-cpu`,
            {
                name: `${i.clusterIdentifier}-reader-cpu`,
                policyType: "TargetTrackingScaling",
                serviceNamespace: target.serviceNamespace,
                scalableDimension: target.scalableDimension,
                resourceId: target.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    predefinedMetricSpecification: { predefinedMetricType: "RDSReaderAverageCPUUtilization" },
                    targetValue: i.readerTargetCpu,
                    scaleOutCooldown: 300,
                    // Scale in slowly: a removed reader drops its connections (spec 'Scaling Limits': gentle scale-in).
                    scaleInCooldown: 900,
                },
            },
            { parent: target },
        );
    }

    return { cluster, globalClusterId, writerInstance, credentialsSecretArn };
}
