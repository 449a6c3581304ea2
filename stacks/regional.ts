import * as aws from "@pulumi/aws";
import { RegionalKeys } from "../components/kms-keys";
import { ObservabilityStack } from "../components/observability-stack";
import { RegionalCluster } from "../components/regional-cluster";
import { NodeGroupName, NodeGroupSpec, resolveNodeGroups } from "../components/regional-cluster/node-groups";
import { RegionalConfig } from "./config";
import { RegionalOutputs } from "./contract";
import { zonePrimaryReference } from "./references";
import { regionProvider } from "./providers";
import { shortRegion } from "./regions";

/** Node group sizes: the configured table, with every minimum lowered to the standby minimum in a standby (spec: DR "Scale up backup region"). */
function nodeGroupsFor(config: RegionalConfig): Partial<Record<NodeGroupName, Partial<NodeGroupSpec>>> {
    const table = resolveNodeGroups(config.values.nodeGroups as Partial<Record<NodeGroupName, Partial<NodeGroupSpec>>>);
    if (config.role !== "standby") return table;
    const min = config.values.standbyNodeGroupMinSize;
    return Object.fromEntries(Object.entries(table).map(([g, spec]) => [g, { ...spec, minSize: Math.min(min, spec.maxSize) }]));
}

/**
 * A regional stack (wave 1 for primaries, wave 2 for standbys): keys and
 * network first, then the components that sit on them.
 */
export function regionalStack(config: RegionalConfig): RegionalOutputs {
    const provider = regionProvider(config, config.region);
    const prefix = `bb-${shortRegion(config.region)}`;
    const accountId = aws.getCallerIdentityOutput({}, { provider }).accountId;
    // A standby joins its zone primary's global clusters and datastore; this is where it reads them.
    const primary = zonePrimaryReference(config);

    const keys = new RegionalKeys(`${prefix}-keys`, { region: config.region, accountId, protect: config.protect }, { provider });
    // RegionalCluster owns the network baseline: the VPC is sized and tagged for the cluster it carries.
    const cluster = new RegionalCluster(prefix, {
        network: { cidr: config.network.vpcCidr, azs: config.network.azs, flowLogRetentionDays: config.network.flowLogRetentionDays },
        logsKeyArn: keys.arns.logs,
        eksKeyArn: keys.arns.eks,
        kubernetesVersion: config.values.kubernetesVersion,
        publicAccessCidrs: config.values.clusterPublicAccessCidrs,
        nodeGroups: nodeGroupsFor(config),
        maxNodes: config.values.clusterMaxNodes,
        protect: config.protect,
    }, { provider });
    const network = cluster.network;

    // ---- ObservabilityStack (issue 8): metrics, logs, traces, GuardDuty and the P0-P3 alert topics ----
    // Alarms watch what is passed in `watch`; the ingress load balancer, the Aurora shards and the cache join it as they land.
    const v = config.values;
    const observability = new ObservabilityStack(`${prefix}-obs`, {
        mode: "regional",
        region: config.region,
        accountId,
        protect: config.protect,
        network: { vpcId: network.vpcId, dataSubnetIds: network.dataSubnetIds },
        keys: { logs: keys.arns.logs, eks: keys.arns.eks, secrets: keys.arns.secrets },
        kubernetes: { provider: cluster.kubernetesProvider, clusterName: cluster.clusterName, nodeSecurityGroupId: cluster.nodeSecurityGroupId },
        watch: {},
        logRetentionDays: v.logRetentionDays,
        openSearch: {
            retainedTb: v.openSearchRetainedTb,
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
    }, { provider });

    return {
        region: config.region,
        zone: config.zone,
        role: config.role,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        privateSubnetIds: network.privateSubnetIds,
        dataSubnetIds: network.dataSubnetIds,
        dataRouteTableIds: network.dataRouteTableIds,
        kmsKeys: keys.arns,
        clusterName: cluster.clusterName,
        kubeconfig: cluster.kubeconfig,
        oidcProviderArn: cluster.oidcProviderArn,
        observability: {
            dashboardUrl: observability.dashboardUrl,
            openSearchEndpoint: observability.openSearchEndpoint!,
            alertTopicArns: observability.alertTopicArns!,
        },
        ...(primary ? { primaryStack: primary.name } : {}),
    };
}
