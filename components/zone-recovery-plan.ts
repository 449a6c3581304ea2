import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgsCheck } from "./args";
import { integerLimit, logRetentionLimit } from "./limits";
import { APP_NAMESPACE, BACKEND } from "./regional-cluster/manifests";
import { BACKEND_SCALE_TARGET } from "./regional-cluster/manifests";
import { cacheFailoverFunctions, RecoveryCache } from "./zone-recovery-cache";
import { failoverTrigger } from "./zone-recovery-trigger";
import { serviceRoleTrust } from "./service-role";

/** Defaults of the automatic start (docs/decisions/failover-start.md). */
export const FAILOVER_GUARD_MINUTES = 1;
export const MIN_MINUTES_BETWEEN_FAILOVERS = 60;

/** One Aurora global cluster of the zone and its two members. */
/** ZoneRecoveryPlan's defaults: the value each optional arg takes when left out. The stack config keys derive theirs from these. */
export const ZONE_RECOVERY_DEFAULTS = {
    /** Spec: RTO Target: 5 minutes. */
    recoveryTimeObjectiveMinutes: 5,
    /** Spec: RPO Target: 30 seconds. */
    recoveryPointObjectiveSeconds: 30,
    /** The backend Rollout (spec: "kubectl scale deployment bookedbarber-backend"). */
    deployments: [`${APP_NAMESPACE}/${BACKEND}`] as readonly string[],
    failoverGuardMinutes: FAILOVER_GUARD_MINUTES,
    minMinutesBetweenFailovers: MIN_MINUTES_BETWEEN_FAILOVERS,
    /** PCI DSS 10.7: a year. */
    logRetentionDays: 365,
} as const;

/** ZoneRecoveryPlan's valid ranges. */
export const ZONE_RECOVERY_LIMITS = {
    /** An hour at most: a slower plan is not a recovery plan for a 5-minute RTO. */
    recoveryTimeObjectiveMinutes: integerLimit(1, 60),
    recoveryPointObjectiveSeconds: integerLimit(1, 3600),
    /** The cache-failover functions log to CloudWatch log groups (its periods only); PCI DSS 10.7: a year at least. */
    logRetentionDays: logRetentionLimit(365),
    failoverGuardMinutes: integerLimit(1, 10),
    minMinutesBetweenFailovers: integerLimit(30, 1440),
} as const;

export interface RecoveryShard {
    /** Global cluster identifier (contract `shards[].globalClusterId`). Required. */
    globalClusterId: string;
    /** ARN of the member cluster in the primary region (primary stack's `shards[].clusterArn`). Required. */
    primaryClusterArn: string;
    /** ARN of the member cluster in the standby region (standby stack's `shards[].clusterArn`). Required. */
    standbyClusterArn: string;
}

export interface ZoneRecoveryPlanArgs {
    /** Residency zone (us, eu, apac). Required. */
    zone: string;
    /** Zone primary region and standby region (docs/design.md#topology). Required. */
    primaryRegion: string;
    /** The zone's standby region. Required. */
    standbyRegion: string;
    /** Every Aurora shard of the zone: the plan fails them all over (spec: "Promote read replica to master"). Required, at least one. */
    shards: RecoveryShard[];
    /** EKS cluster names of the two regions (contract `clusterName`). Required. */
    primaryClusterName: string;
    /** EKS cluster name of the standby region. Required. */
    standbyClusterName: string;
    /** Workloads (the backend Rollout; the plan scales kubernetesResourceTypes) scaled up in the activated region, as namespace/name; their HPA is <name>-hpa. Default bookedbarber/bookedbarber-backend (spec: "kubectl scale deployment bookedbarber-backend"). */
    deployments?: string[];
    /** Route 53 hosted zone and the zone's failover record the plan flips (spec: "Switch DNS to backup region"). Required. */
    hostedZoneId: pulumi.Input<string>;
    /** Name of the zone's failover record (`<zone>.api.<domain>`). Required. */
    recordName: string;
    /** Set identifiers of the primary and standby failover records. Required. */
    primarySetIdentifier: string;
    /** Set identifier of the standby failover record. Required. */
    standbySetIdentifier: string;
    /** RTO the plan is held to, in minutes; also each step's timeout. Default 5 (spec: RTO Target: 5 minutes). */
    recoveryTimeObjectiveMinutes?: number;
    /** RPO the plan is held to, in seconds (spec: RPO Target: 30 seconds). Default 30. ARC has no RPO field: it is in the plan's tags and description, and its alarms are associated. */
    recoveryPointObjectiveSeconds?: number;
    /**
     * ARNs of the standby's RPO-lag alarms (ObservabilityStack's `aurora-rpo-lag`, one per shard), associated
     * with the plan as application-health alarms: whoever runs the plan sees whether a failover now would lose
     * more than the RPO. Default none.
     */
    rpoLagAlarmArns?: pulumi.Input<string>[];
    /** The zone's Global Datastore: the plan promotes the activated region's member (spec: Redis cross-region replication). Required. */
    cache: RecoveryCache;
    /** Logs key ARN by region (contract `kmsKeys.logs`): the cache failover functions' log groups. Required for both regions. */
    logKeyArns: Record<string, string>;
    /** Days the functions' logs are kept. Default 365 (PCI DSS 10.5.1). */
    logRetentionDays?: number;
    /** Route 53 endpoint health checks of the two regions: the automatic start watches them. Required. */
    primaryHealthCheckId: pulumi.Input<string>;
    /** Route 53 endpoint health check of the standby region. Required. */
    standbyHealthCheckId: pulumi.Input<string>;
    /** Whole minutes the primary must fail before the plan starts itself. Default 1 (FAILOVER_GUARD_MINUTES). */
    failoverGuardMinutes?: number;
    /** Least minutes between two automatic executions. Default 60 (MIN_MINUTES_BETWEEN_FAILOVERS). */
    minMinutesBetweenFailovers?: number;
    /** SNS topics (in us-east-1) the trigger's alarms notify: an automatic failover pages the on-call. Default none. */
    alarmActions?: pulumi.Input<string>[];
    /** Provider in us-east-1, where Route 53 publishes health-check metrics (the trigger's alarms). Required. */
    alarmProvider: aws.Provider;
    /** Account of every resource the plan touches. Required. */
    accountId: pulumi.Input<string>;
    /** Providers pinned to the two regions. The plan and its role are managed from the standby: it is run when the primary is impaired. Required. */
    primaryProvider: aws.Provider;
    /** AWS provider of the standby region. Required. */
    standbyProvider: aws.Provider;
}

const EKS_EDIT_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy";

/**
 * The zone's disaster-recovery runbook as an ARC Region switch plan (spec:
 * Recovery Procedures; docs/design.md#d10-the-dr-runbook-is-an-arc-region-switch-plan), active/passive, with one activate
 * workflow usable in both directions (failover and failback):
 * 0. it starts itself (ARC trigger, docs/decisions/failover-start.md) when the primary's
 *    endpoint health check has failed for `failoverGuardMinutes` whole minutes while the
 *    standby's passes, at most once per `minMinutesBetweenFailovers`; an operator can also start it;
 * 1. in parallel, an Aurora global switchover of every shard (graceful: no data
 *    loss; an ungraceful execution fails over instead, losing at most the
 *    replication lag, bounded by rds.global_db_rpo) and scaling up the
 *    activated region's deployments, which the cluster autoscaler turns into
 *    node-group capacity (spec: "Scale up backup region"), and the Global Datastore failover
 *    to the activated region's member (a Lambda step: ARC has no ElastiCache block);
 * 2. the DNS flip: ARC's Route 53 health checks for the zone's failover record.
 * Plus the least-privilege role the plan runs as, and EKS access for it.
 */
export class ZoneRecoveryPlan extends pulumi.ComponentResource {
    /** ARN of the ARC Region switch plan. */
    readonly planArn: pulumi.Output<string>;
    /** ARN of the plan's execution role. */
    readonly roleArn: pulumi.Output<string>;
    /** The ARC health check of the primary region's record, or undefined when ARC reports none (the DNS flip then relies on the endpoint check). */
    readonly primaryGateHealthCheckId: pulumi.Output<string | undefined>;

    constructor(name: string, args: ZoneRecoveryPlanArgs, opts?: pulumi.ComponentResourceOptions) {
        const rto = args.recoveryTimeObjectiveMinutes ?? ZONE_RECOVERY_DEFAULTS.recoveryTimeObjectiveMinutes;
        const rpoSeconds = args.recoveryPointObjectiveSeconds ?? ZONE_RECOVERY_DEFAULTS.recoveryPointObjectiveSeconds;
        const rpoAlarms = args.rpoLagAlarmArns ?? [];
        const deployments = args.deployments ?? [...ZONE_RECOVERY_DEFAULTS.deployments];
        const shards = args.shards ?? [];
        const guard = args.failoverGuardMinutes ?? ZONE_RECOVERY_DEFAULTS.failoverGuardMinutes;
        const between = args.minMinutesBetweenFailovers ?? ZONE_RECOVERY_DEFAULTS.minMinutesBetweenFailovers;
        new ArgsCheck("ZoneRecoveryPlan", name)
            .nonEmpty("shards", shards)
            .that(
                new Set(shards.map((s) => s.globalClusterId)).size === shards.length,
                "shards",
                shards.map((s) => s.globalClusterId),
                "must name each global cluster once",
            )
            .that(
                shards.every((s) => /^arn:aws[a-z-]*:rds:/.test(s.primaryClusterArn ?? "") && (s.primaryClusterArn ?? "").includes(`:${args.primaryRegion}:`)),
                "shards[].primaryClusterArn",
                shards.map((s) => s.primaryClusterArn),
                `must be RDS cluster ARNs in ${args.primaryRegion}`,
            )
            .that(
                shards.every((s) => /^arn:aws[a-z-]*:rds:/.test(s.standbyClusterArn ?? "") && (s.standbyClusterArn ?? "").includes(`:${args.standbyRegion}:`)),
                "shards[].standbyClusterArn",
                shards.map((s) => s.standbyClusterArn),
                `must be RDS cluster ARNs in ${args.standbyRegion}`,
            )
            .that(args.primaryRegion !== args.standbyRegion, "standbyRegion", args.standbyRegion, "must differ from primaryRegion")
            .within("recoveryTimeObjectiveMinutes", rto, ZONE_RECOVERY_LIMITS.recoveryTimeObjectiveMinutes)
            .within("recoveryPointObjectiveSeconds", rpoSeconds, ZONE_RECOVERY_LIMITS.recoveryPointObjectiveSeconds)
            .that(
                /^[a-z0-9-]+$/.test(args.cache?.globalReplicationGroupId ?? "") &&
                    /^[a-z0-9-]+$/.test(args.cache?.primaryReplicationGroupId ?? "") &&
                    /^[a-z0-9-]+$/.test(args.cache?.standbyReplicationGroupId ?? ""),
                "cache",
                args.cache,
                "must name the Global Datastore and its primary and standby replication groups",
            )
            .that(
                [args.primaryRegion, args.standbyRegion].every((r) => new RegExp(`^arn:aws[a-z-]*:kms:${r}:`).test(args.logKeyArns?.[r] ?? "")),
                "logKeyArns",
                args.logKeyArns,
                `must hold a KMS key ARN for ${args.primaryRegion} and ${args.standbyRegion}`,
            )
            .within("logRetentionDays", args.logRetentionDays ?? ZONE_RECOVERY_DEFAULTS.logRetentionDays, ZONE_RECOVERY_LIMITS.logRetentionDays)
            .within("failoverGuardMinutes", guard, ZONE_RECOVERY_LIMITS.failoverGuardMinutes)
            .within("minMinutesBetweenFailovers", between, ZONE_RECOVERY_LIMITS.minMinutesBetweenFailovers)
            .that(
                deployments.length > 0 && deployments.every((d) => /^[a-z0-9-]+\/[a-z0-9-]+$/.test(d)),
                "deployments",
                deployments,
                "must be a non-empty list of namespace/name",
            )
            .done();
        super("bookedbarber:dr:ZoneRecoveryPlan", name, {}, opts);

        const standby = { parent: this, provider: args.standbyProvider };
        const regions = [args.primaryRegion, args.standbyRegion];
        const clusterArn = (acct: string, region: string, cluster: string) => `arn:aws:eks:${region}:${acct}:cluster/${cluster}`;
        const namespaces = [...new Set(deployments.map((d) => d.split("/")[0]))];

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `Runs the ${args.zone} zone's ARC Region switch plan`,
                assumeRolePolicy: pulumi.output(args.accountId).apply((acct) => serviceRoleTrust("arc-region-switch.amazonaws.com", { account: acct })),
            },
            standby,
        );
        new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.id,
                policy: pulumi.all([args.accountId, args.hostedZoneId]).apply(([acct, hostedZone]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "SwitchOrFailOverTheZonesAuroraGlobalClusters",
                                Effect: "Allow",
                                Action: ["rds:SwitchoverGlobalCluster", "rds:FailoverGlobalCluster", "rds:DescribeGlobalClusters", "rds:DescribeDBClusters"],
                                Resource: [
                                    ...shards.map((s) => `arn:aws:rds::${acct}:global-cluster:${s.globalClusterId}`),
                                    ...shards.flatMap((s) => [s.primaryClusterArn, s.standbyClusterArn]),
                                ],
                            },
                            {
                                Sid: "ReachTheZonesEksClusters",
                                Effect: "Allow",
                                Action: ["eks:DescribeCluster"],
                                Resource: [
                                    clusterArn(acct, args.primaryRegion, args.primaryClusterName),
                                    clusterArn(acct, args.standbyRegion, args.standbyClusterName),
                                ],
                            },
                            ...(rpoAlarms.length
                                ? [
                                      {
                                          Sid: "ReadTheRpoLagAlarms",
                                          Effect: "Allow",
                                          Action: ["cloudwatch:DescribeAlarms"],
                                          Resource: `arn:aws:cloudwatch:${args.standbyRegion}:${acct}:alarm:*`,
                                      },
                                  ]
                                : []),
                            {
                                Sid: "RunTheCacheFailoverFunctions",
                                Effect: "Allow",
                                Action: ["lambda:InvokeFunction"],
                                Resource: regions.map((r) => `arn:aws:lambda:${r}:${acct}:function:${`${name}-cache-${r}`.slice(0, 64)}`),
                            },
                            {
                                // Route 53 publishes health-check metrics only in us-east-1, so the trigger alarms live there.
                                Sid: "ReadTheTriggerAlarms",
                                Effect: "Allow",
                                Action: ["cloudwatch:DescribeAlarms"],
                                Resource: [
                                    `arn:aws:cloudwatch:us-east-1:${acct}:alarm:${name}-primary-down`,
                                    `arn:aws:cloudwatch:us-east-1:${acct}:alarm:${name}-standby-down`,
                                ],
                            },
                            {
                                Sid: "ReadTheFailoverRecords",
                                Effect: "Allow",
                                Action: ["route53:ListResourceRecordSets"],
                                Resource: `arn:aws:route53:::hostedzone/${hostedZone}`,
                            },
                        ],
                    }),
                ),
            },
            { parent: role, provider: args.standbyProvider },
        );

        // The plan scales Deployments through the Kubernetes API: edit rights in their namespaces only.
        for (const [region, cluster, provider] of [
            [args.primaryRegion, args.primaryClusterName, args.primaryProvider],
            [args.standbyRegion, args.standbyClusterName, args.standbyProvider],
        ] as const) {
            const entry = new aws.eks.AccessEntry(
                `${name}-eks-${region}`,
                {
                    clusterName: cluster,
                    principalArn: role.arn,
                    type: "STANDARD",
                },
                { parent: this, provider },
            );
            new aws.eks.AccessPolicyAssociation(
                `${name}-eks-${region}-edit`,
                {
                    clusterName: cluster,
                    principalArn: role.arn,
                    policyArn: EKS_EDIT_POLICY,
                    accessScope: { type: "namespace", namespaces },
                },
                { parent: entry, provider, dependsOn: [entry] },
            );
        }

        const auroraSteps = shards.map((s) => ({
            name: `aurora-${s.globalClusterId}`.slice(0, 64),
            description: `Aurora global switchover of ${s.globalClusterId}`,
            executionBlockType: "AuroraGlobalDatabase",
            globalAuroraConfigs: [
                {
                    behavior: "switchoverOnly",
                    globalClusterIdentifier: s.globalClusterId,
                    databaseClusterArns: [s.primaryClusterArn, s.standbyClusterArn],
                    timeoutMinutes: rto,
                    ungracefuls: [{ ungraceful: "failover" }],
                },
            ],
        }));
        const scaleStep = pulumi.output(args.accountId).apply((acct) => ({
            name: "scale-up-compute",
            description: "Scale the activated region's deployments to the deactivated region's load; the cluster autoscaler adds nodes",
            executionBlockType: "EKSResourceScaling",
            eksResourceScalingConfigs: [
                {
                    capacityMonitoringApproach: "sampledMaxInLast24Hours",
                    targetPercent: 100,
                    timeoutMinutes: rto,
                    eksClusters: [
                        { clusterArn: clusterArn(acct, args.primaryRegion, args.primaryClusterName) },
                        { clusterArn: clusterArn(acct, args.standbyRegion, args.standbyClusterName) },
                    ],
                    // The backend is an Argo Rollout (components/regional-cluster/rollout.ts); Rollouts implement the scale subresource.
                    kubernetesResourceTypes: [{ apiVersion: BACKEND_SCALE_TARGET.apiVersion, kind: BACKEND_SCALE_TARGET.kind }],
                    scalingResources: namespaces.map((ns) => ({
                        namespace: ns,
                        resources: deployments
                            .filter((d) => d.startsWith(`${ns}/`))
                            .map((d) => {
                                const dep = d.split("/")[1];
                                return { resourceName: dep, name: dep, namespace: ns, hpaName: `${dep}-hpa` };
                            }),
                    })),
                    ungracefuls: [{ minimumSuccessPercentage: 90 }],
                },
            ],
        }));

        const cacheFunctions = cacheFailoverFunctions(name, {
            cache: args.cache,
            primaryRegion: args.primaryRegion,
            standbyRegion: args.standbyRegion,
            accountId: args.accountId,
            timeoutSeconds: 60,
            logKeyArns: args.logKeyArns,
            logRetentionDays: args.logRetentionDays ?? ZONE_RECOVERY_DEFAULTS.logRetentionDays,
            providers: { [args.primaryRegion]: args.primaryProvider, [args.standbyRegion]: args.standbyProvider },
            parent: this,
        });
        const cacheStep = {
            name: "promote-cache",
            description: `Global Datastore failover of ${args.cache.globalReplicationGroupId} to the activated region's member`,
            executionBlockType: "CustomActionLambda",
            customActionLambdaConfigs: [
                {
                    lambdas: cacheFunctions.map((f) => ({ arn: f.arn })),
                    regionToRun: "activatingRegion",
                    retryIntervalMinutes: 1,
                    timeoutMinutes: rto,
                },
            ],
        };
        const trigger = failoverTrigger(name, {
            zone: args.zone,
            primaryRegion: args.primaryRegion,
            standbyRegion: args.standbyRegion,
            primaryHealthCheckId: args.primaryHealthCheckId,
            standbyHealthCheckId: args.standbyHealthCheckId,
            guardMinutes: guard,
            minMinutesBetween: between,
            alarmActions: args.alarmActions ?? [],
            provider: args.alarmProvider,
            parent: this,
        });

        const plan = new aws.arcregionswitch.Plan(
            `${name}-plan`,
            {
                name: `bookedbarber-${args.zone}-failover`,
                description: `DR runbook of the ${args.zone} zone: Aurora shards, compute, DNS (spec: Recovery Procedures); RTO ${rto} min, RPO ${rpoSeconds} s (watched by its associated alarms)`,
                // ARC has an RTO field but none for the RPO; the RPO rides as a tag and as the standby's RPO-lag alarms.
                tags: { "recovery-point-objective-seconds": String(rpoSeconds) },
                executionRole: role.arn,
                recoveryApproach: "activePassive",
                primaryRegion: args.primaryRegion,
                regions,
                recoveryTimeObjectiveMinutes: rto,
                // The trigger's alarms start the plan; the RPO-lag alarms tell whoever watches it what a failover now would lose.
                associatedAlarms: [
                    ...trigger.associatedAlarms,
                    ...rpoAlarms.map((arn, n) => ({ mapBlockKey: `rpo-lag-${n}`, alarmType: "applicationHealth", resourceIdentifier: arn })),
                ],
                triggers: trigger.triggers,
                workflows: [
                    {
                        workflowTargetAction: "activate",
                        workflowDescription: "Activate either region of the zone: failover to the standby, or failback to the primary",
                        steps: [
                            {
                                name: "databases-and-compute",
                                executionBlockType: "Parallel",
                                parallelConfigs: [{ steps: [...auroraSteps, cacheStep, scaleStep] }],
                            },
                            {
                                name: "flip-dns",
                                description: `Route 53 health checks of ${args.recordName}`,
                                executionBlockType: "Route53HealthCheck",
                                route53HealthCheckConfigs: [
                                    {
                                        hostedZoneId: args.hostedZoneId,
                                        recordName: args.recordName,
                                        timeoutMinutes: rto,
                                        recordSets: [
                                            { recordSetIdentifier: args.primarySetIdentifier, region: args.primaryRegion },
                                            { recordSetIdentifier: args.standbySetIdentifier, region: args.standbyRegion },
                                        ],
                                    },
                                ],
                            },
                        ],
                    },
                ],
            },
            { ...standby, dependsOn: [role, ...cacheFunctions, ...trigger.alarms] },
        );

        const arcChecks = aws.arcregionswitch.getRoute53HealthChecksOutput({ planArn: plan.arn }, standby);
        this.primaryGateHealthCheckId = arcChecks.apply((r) => {
            const found = r.healthChecks.find((h) => h.region === args.primaryRegion && (!h.recordName || h.recordName.replace(/\.$/, "") === args.recordName));
            if (!found)
                pulumi.log.warn(
                    `ARC reports no Route 53 health check for ${args.recordName} in ${args.primaryRegion}; the failover record follows the endpoint health check only`,
                    this,
                );
            return found?.healthCheckId;
        });
        this.planArn = plan.arn;
        this.roleArn = role.arn;
        this.registerOutputs({ planArn: this.planArn, roleArn: this.roleArn });
    }
}
