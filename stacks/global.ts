import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EdgeNetwork } from "../components/edge-network";
import { RegionWatch } from "../components/observability/region-watch";
import { ALERT_DEFINITIONS, ObservabilityStack } from "../components/observability-stack";
import { cloudWatchAlarmArn, cloudWatchAlarmName } from "../components/observability/aws-alarms";
import { ZonePeering } from "../components/zone-peering";
import { ZoneRecoveryPlan } from "../components/zone-recovery-plan";
import { ConfigError, GlobalConfig, NAMESPACE } from "./config";
import { readBootstrap } from "./contract";
import { regionProvider } from "./providers";
import { pairZones, readRegionalStacks, ZonePair } from "./regional-reader";
import { EDGE_REGION } from "./regions";

/** The standby's RPO-lag alarm definition, whose alarms the DR plans carry. */
const RPO_ALARM = ALERT_DEFINITIONS.find((d) => d.id === "aurora-rpo-lag")!;

export interface GlobalOutputs {
    /** The public hostname served by CloudFront. */
    publicHostname: string;
    distributionId: pulumi.Output<string>;
    distributionDomainName: pulumi.Output<string>;
    /** The public hosted zone (the bootstrap stack's; its name servers are the bootstrap output nameServers). */
    hostedZoneId: pulumi.Output<string>;
    /** Endpoint health check ids by region. */
    healthCheckIds: Record<string, pulumi.Output<string>>;
    webAclArn: pulumi.Output<string>;
    /** ARC Region switch plan ARNs by zone: the DR runbooks. */
    recoveryPlanArns: Record<string, pulumi.Output<string>>;
    /** VPC peering connection ids by zone. */
    peeringConnectionIds: Record<string, pulumi.Output<string>>;
    /** ObservabilityStack global mode: the account's multi-region CloudTrail. */
    auditTrailArn: pulumi.Output<string>;
    /** Region-down watchers: the region each regional stack's alarm lives in (never the region itself). */
    regionWatchedFrom: Record<string, string>;
}

/** Cross-key config rule the schema cannot express per key. */
function checkAlertRoutes(config: GlobalConfig): void {
    // The global stack's only alerts are the region-down watchers' P0: a route for another class would never fire.
    const unused = Object.keys(config.values.alertSubscriptions ?? {}).filter((c) => c !== "P0");
    if (unused.length) {
        throw new ConfigError(config.stack, [
            `${NAMESPACE}:alertSubscriptions has ${unused.join(", ")}: the global stack raises only P0 (region-down watchers); allowed: P0`,
        ]);
    }
}

/**
 * The global stack (wave 3): reads every regional stack's outputs through
 * StackReference, only the contract's names (stacks/regional-reader.ts), and
 * builds what spans regions: the zone peerings, the edge (CloudFront, WAF,
 * Route 53, ACM) and a DR plan per zone.
 */
export async function globalStack(config: GlobalConfig): Promise<GlobalOutputs> {
    checkAlertRoutes(config);
    // The hosted zone and domain are the bootstrap stack's (wave 0): delegated before any certificate here waits on them.
    const bootstrap = await readBootstrap(config.stackOrg, config.project, config.bootstrapStack, "ref-bootstrap");
    const zones: ZonePair[] = pairZones(await readRegionalStacks(config));
    const v = config.values;

    const providers = new Map<string, aws.Provider>();
    const provider = (region: string) => {
        if (!providers.has(region)) providers.set(region, regionProvider(config, region));
        return providers.get(region)!;
    };
    const edgeProvider = provider(EDGE_REGION);
    const accountId = aws.getCallerIdentityOutput({}, { provider: edgeProvider }).accountId;

    // Cross-region links: each zone's primary and standby VPCs, data tier to data tier.
    const peeringConnectionIds: Record<string, pulumi.Output<string>> = {};
    for (const { zone, primary, standby } of zones) {
        const side = (r: typeof primary) => ({
            region: r.region,
            vpcId: r.vpcId,
            vpcCidr: r.vpcCidr,
            dataSubnetCidrs: r.dataSubnetCidrs,
            dataRouteTableIds: r.dataRouteTableIds,
            provider: provider(r.region),
        });
        peeringConnectionIds[zone] = new ZonePeering(`bb-${zone}-peering`, { zone, primary: side(primary), standby: side(standby) }).peeringConnectionId;
    }

    const edgeP0 = zones.flatMap((z) => [z.primary, z.standby]).find((r) => r.region === EDGE_REGION)?.alertTopicP0;

    // The edge, and the DR plan of each zone, which gates the zone primary's failover record.
    const plans: Record<string, ZoneRecoveryPlan> = {};
    const edge = new EdgeNetwork(
        "bb-edge",
        {
            domainName: bootstrap.domainName,
            hostedZoneName: bootstrap.hostedZoneName,
            hostedZoneId: bootstrap.hostedZoneId,
            accountId,
            region: EDGE_REGION,
            zones: zones.map(({ zone, primary, standby }) => ({
                zone,
                primary: { region: primary.region, ingressDnsName: primary.ingress.dnsName, ingressZoneId: primary.ingress.zoneId },
                standby: { region: standby.region, ingressDnsName: standby.ingress.dnsName, ingressZoneId: standby.ingress.zoneId },
            })),
            healthCheckPath: v.healthCheckPath,
            healthCheckIntervalSeconds: v.healthCheckIntervalSeconds,
            healthCheckFailureThreshold: v.healthCheckFailureThreshold,
            apiCacheVaryHeaders: v.apiCacheVaryHeaders,
            staticPathPatterns: v.staticPathPatterns,
            apiPathPatterns: v.apiPathPatterns,
            wafRateLimit: v.wafRateLimit,
            logRetentionDays: v.edgeLogRetentionDays,
            protect: config.protect,
            primaryHealthGates: (dns) => {
                const gates: Record<string, pulumi.Output<string | undefined>> = {};
                for (const { zone, primary, standby } of zones) {
                    const byGlobal = new Map(standby.shards.map((s) => [s.globalClusterId, s.clusterArn]));
                    plans[zone] = new ZoneRecoveryPlan(`bb-${zone}-dr`, {
                        zone,
                        primaryRegion: primary.region,
                        standbyRegion: standby.region,
                        shards: primary.shards.map((s) => ({
                            globalClusterId: s.globalClusterId,
                            primaryClusterArn: s.clusterArn,
                            standbyClusterArn: byGlobal.get(s.globalClusterId)!,
                        })),
                        primaryClusterName: primary.clusterName,
                        standbyClusterName: standby.clusterName,
                        deployments: v.drScaledDeployments,
                        hostedZoneId: dns.hostedZoneId,
                        recordName: dns.failoverRecordName(zone),
                        primarySetIdentifier: primary.region,
                        standbySetIdentifier: standby.region,
                        recoveryTimeObjectiveMinutes: v.recoveryTimeObjectiveMinutes,
                        // The standby's RPO-lag alarm of each shard (its name is fixed by class, region, id and shard).
                        recoveryPointObjectiveSeconds: RPO_ALARM.threshold / 1000,
                        rpoLagAlarmArns: standby.shards.map((s) =>
                            pulumi
                                .output(accountId)
                                .apply((acct) =>
                                    cloudWatchAlarmArn(
                                        standby.region,
                                        acct,
                                        cloudWatchAlarmName(RPO_ALARM.class, standby.region, RPO_ALARM.id, `shard-${s.shardId}`),
                                    ),
                                ),
                        ),
                        cache: {
                            globalReplicationGroupId: primary.redis.globalReplicationGroupId,
                            primaryReplicationGroupId: primary.redis.replicationGroupId,
                            standbyReplicationGroupId: standby.redis.replicationGroupId,
                        },
                        logKeyArns: { [primary.region]: primary.logsKeyArn, [standby.region]: standby.logsKeyArn },
                        logRetentionDays: v.edgeLogRetentionDays,
                        primaryHealthCheckId: dns.healthCheckIds[primary.region],
                        standbyHealthCheckId: dns.healthCheckIds[standby.region],
                        alarmProvider: edgeProvider,
                        // The trigger alarms live in us-east-1 (Route 53 metrics): they page through that region's P0 topic.
                        alarmActions: edgeP0 ? [edgeP0] : [],
                        accountId,
                        primaryProvider: provider(primary.region),
                        standbyProvider: provider(standby.region),
                    });
                    gates[zone] = plans[zone].primaryGateHealthCheckId;
                }
                return gates;
            },
        },
        { provider: edgeProvider },
    );

    // ---- ObservabilityStack, global mode (issue 8): the account's multi-region audit trail, in the home region ----
    const audit = new ObservabilityStack(
        "bb-global-obs",
        {
            mode: "global",
            region: config.region,
            accountId,
            protect: config.protect,
        },
        { provider: provider(config.region) },
    );

    // ---- each region watched from outside it (docs/alerting.md) ----
    const regions = zones.flatMap(({ primary, standby }) => [primary.region, standby.region]);
    const watch = new RegionWatch("bb-region-watch", {
        accountId,
        healthUrls: Object.fromEntries(regions.map((r) => [r, `https://${r}.api.${bootstrap.domainName}${v.healthCheckPath}`])),
        healthCheckIds: edge.healthCheckIds,
        outsideRegion: v.regionWatchOutsideRegion,
        routes: v.alertSubscriptions,
        pagerDutyIntegrationKey: v.pagerDutyIntegrationKey ? pulumi.secret(v.pagerDutyIntegrationKey) : undefined,
        protect: config.protect,
        provider,
    });

    return {
        publicHostname: edge.publicHostname,
        distributionId: edge.distributionId,
        distributionDomainName: edge.distributionDomainName,
        hostedZoneId: edge.hostedZoneId,
        healthCheckIds: edge.healthCheckIds,
        webAclArn: edge.webAclArn,
        recoveryPlanArns: Object.fromEntries(Object.entries(plans).map(([zone, p]) => [zone, p.planArn])),
        peeringConnectionIds,
        auditTrailArn: audit.trailArn!,
        regionWatchedFrom: watch.watchedFrom,
    };
}
