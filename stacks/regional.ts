import * as aws from "@pulumi/aws";
import { RegionalKeys } from "../components/kms-keys";
import { Network } from "../components/network";
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
    const network = new Network(`${prefix}-net`, {
        cidr: config.network.vpcCidr,
        azs: config.network.azs,
        flowLogRetentionDays: config.network.flowLogRetentionDays,
        logsKeyArn: keys.arns.logs,
        clusterName: `${prefix}-eks`,
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
        dataSubnetCidrs: network.dataSubnetCidrs,
        kmsKeys: keys.arns,
        ...(primary ? { primaryStack: primary.name } : {}),
    };
}
