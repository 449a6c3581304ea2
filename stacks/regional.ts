import * as aws from "@pulumi/aws";
import { RegionalKeys } from "../components/kms-keys";
import { RegionalCluster } from "../components/regional-cluster";
import { RegionalConfig } from "./config";
import { RegionalOutputs } from "./contract";
import { zonePrimaryReference } from "./references";
import { regionProvider } from "./providers";
import { shortRegion } from "./regions";

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
        protect: config.protect,
    }, { provider });
    const network = cluster.network;

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
        ...(primary ? { primaryStack: primary.name } : {}),
    };
}
