import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgsCheck } from "./args";

/** One side of a zone's peering, as the regional stack exports it (contract names). */
export interface PeeringSide {
    /** AWS region of the VPC. Required. */
    region: string;
    /** VPC id (contract `vpcId`). Required. */
    vpcId: string;
    /** VPC CIDR (contract `vpcCidr`); must not overlap the other side's. Required. */
    vpcCidr: string;
    /** CIDRs of the data subnets (contract `dataSubnetCidrs`): the only destinations routed across. Required. */
    dataSubnetCidrs: string[];
    /** Route tables of the data subnets (contract `dataRouteTableIds`): the only tables that get routes. Required. */
    dataRouteTableIds: string[];
    /** Provider pinned to this side's region. Required: the global stack never uses the ambient region. */
    provider: aws.Provider;
}

export interface ZonePeeringArgs {
    /** Residency zone the two VPCs belong to; peering never crosses zones (docs/design.md#d2-nothing-personal-replicates-across-zones). Required. */
    zone: string;
    /** The zone primary's VPC: requests the peering. Required. */
    primary: PeeringSide;
    /** The zone standby's VPC: accepts it. Required. */
    standby: PeeringSide;
}

function toRange(cidr: string): [number, number] | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m) return undefined;
    const [a, b, c, d, p] = m.slice(1).map(Number);
    if ([a, b, c, d].some((o) => o > 255) || p > 32) return undefined;
    const start = (((a << 24) | (b << 16) | (c << 8) | d) >>> 0) & (p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0);
    return [start >>> 0, (start >>> 0) + 2 ** (32 - p) - 1];
}

/** True when two IPv4 CIDRs share any address. Exported for tests. */
export function rangesOverlap(a: string, b: string): boolean {
    const ra = toRange(a);
    const rb = toRange(b);
    return !!ra && !!rb && ra[0] <= rb[1] && rb[0] <= ra[1];
}

/**
 * Cross-region link of one zone (spec: "VPC: Isolated per region with peering"):
 * a VPC peering connection from the primary to the standby, with routes only in
 * the data route tables and only to the other side's data subnets. Aurora Global
 * Database and ElastiCache Global Datastore replicate over AWS's backbone, not
 * through this link; it carries what runs inside the data tier across the pair
 * (logical replication or DMS during shard moves and failback resyncs),
 * still gated by the data tier's security groups.
 */
export class ZonePeering extends pulumi.ComponentResource {
    /** The VPC peering connection between the zone's primary and standby. */
    readonly peeringConnectionId: pulumi.Output<string>;
    /** Number of routes added, both sides together. */
    readonly routeCount: number;

    constructor(name: string, args: ZonePeeringArgs, opts?: pulumi.ComponentResourceOptions) {
        const check = new ArgsCheck("ZonePeering", name);
        for (const [label, s] of [
            ["primary", args.primary],
            ["standby", args.standby],
        ] as const) {
            check
                .that(toRange(s?.vpcCidr ?? "") !== undefined, `${label}.vpcCidr`, s?.vpcCidr, "must be an IPv4 CIDR")
                .nonEmpty(`${label}.dataSubnetCidrs`, s?.dataSubnetCidrs)
                .nonEmpty(`${label}.dataRouteTableIds`, s?.dataRouteTableIds)
                .that(
                    (s?.dataSubnetCidrs ?? []).every((c) => toRange(c) !== undefined && rangesOverlap(c, s.vpcCidr)),
                    `${label}.dataSubnetCidrs`,
                    s?.dataSubnetCidrs,
                    `must be CIDRs inside the VPC ${s?.vpcCidr}`,
                );
        }
        check
            .that(args.primary?.region !== args.standby?.region, "standby.region", args.standby?.region, "must differ from the primary's region")
            .that(
                !rangesOverlap(args.primary?.vpcCidr ?? "", args.standby?.vpcCidr ?? ""),
                "standby.vpcCidr",
                args.standby?.vpcCidr,
                `overlaps the primary's VPC ${args.primary?.vpcCidr} (${args.primary?.region}); peered VPCs must have disjoint CIDRs`,
            )
            .done();
        super("bookedbarber:network:ZonePeering", name, {}, opts);

        const { primary, standby } = args;
        const connection = new aws.ec2.VpcPeeringConnection(
            `${name}-pcx`,
            {
                vpcId: primary.vpcId,
                peerVpcId: standby.vpcId,
                peerRegion: standby.region,
                // Cross-region peering cannot be auto-accepted by the requester; the accepter below does it.
                autoAccept: false,
                tags: { Name: `${name} ${primary.region} <-> ${standby.region}`, zone: args.zone },
            },
            { parent: this, provider: primary.provider },
        );
        const accepter = new aws.ec2.VpcPeeringConnectionAccepter(
            `${name}-pcx-accept`,
            {
                vpcPeeringConnectionId: connection.id,
                autoAccept: true,
                tags: { Name: `${name} ${primary.region} <-> ${standby.region}`, zone: args.zone },
            },
            { parent: connection, provider: standby.provider },
        );

        let routeCount = 0;
        for (const [from, to] of [
            [primary, standby],
            [standby, primary],
        ] as const) {
            from.dataRouteTableIds.forEach((rt, i) => {
                to.dataSubnetCidrs.forEach((cidr, j) => {
                    new aws.ec2.Route(
                        `${name}-${from.region}-data${i}-to-${to.region}-data${j}`,
                        {
                            routeTableId: rt,
                            destinationCidrBlock: cidr,
                            vpcPeeringConnectionId: connection.id,
                        },
                        { parent: accepter, provider: from.provider, dependsOn: [accepter] },
                    );
                    routeCount++;
                });
            });
        }

        this.peeringConnectionId = connection.id;
        this.routeCount = routeCount;
        this.registerOutputs({ peeringConnectionId: this.peeringConnectionId });
    }
}
