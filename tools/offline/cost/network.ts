import { GB, hourly, line, ofType, unpriced } from "./lines";
import type { CostContext, CostFunction, DraftLine, UnpricedItem } from "./types";

/** Requests a month that reach the region's ingress (CloudFront answers the cacheable share). */
export function originRequests(ctx: CostContext): number {
    return ctx.requestsPerMonth * (1 - ctx.load.cacheableShare);
}

/** A NAT gateway: hours, and its share of the pods' internet egress (load profile egressBytesPerRequest). */
export const natGateway: CostFunction = (r, ctx) => {
    if (r.inputs.connectivityType === "private") return [];
    const hour = ctx.prices.get("vpc.nat-hour", ctx.region);
    const gbPrice = ctx.prices.get("vpc.nat-gb", ctx.region);
    const out: (DraftLine | UnpricedItem)[] = [];
    if (hour) out.push(hourly(r, 1, { item: "NAT gateway", kind: "fixed", category: "network-cdn", price: hour }));
    else out.push(unpriced(r, `no NAT gateway price in ${ctx.region}`));
    const gateways = Math.max(1, ofType(ctx, "aws:ec2/natGateway:NatGateway").length);
    const gb = (originRequests(ctx) * ctx.load.egressBytesPerRequest) / GB / gateways;
    if (gb > 0) {
        if (gbPrice)
            out.push(
                line(r, {
                    item: `data processed (1/${gateways} of the region's egress)`,
                    kind: "per-request",
                    category: "network-cdn",
                    quantity: gb,
                    unit: "GB",
                    price: gbPrice,
                }),
            );
        else out.push(unpriced(r, `no NAT data price in ${ctx.region}`));
    }
    return out;
};

/** An Elastic IP: every public IPv4 address is billed by the hour. */
export const elasticIp: CostFunction = (r, ctx) => {
    const price = ctx.prices.get("vpc.public-ipv4", ctx.region);
    return price ? [hourly(r, 1, { item: "public IPv4 address", kind: "fixed", category: "network-cdn", price })] : [unpriced(r, "no public IPv4 price")];
};

/**
 * A load balancer: hours, and capacity units for the origin traffic. CloudFront keeps
 * connections to its origins open, so bytes processed set the unit count (1 NLCU or
 * LCU = 1 GB an hour), not new or active connections.
 */
export const loadBalancer: CostFunction = (r, ctx) => {
    const network = r.inputs.loadBalancerType === "network";
    const hour = ctx.prices.get(network ? "elb.nlb-hour" : "elb.alb-hour", ctx.region);
    const unit = ctx.prices.get(network ? "elb.nlcu-hour" : "elb.lcu-hour", ctx.region);
    const out: (DraftLine | UnpricedItem)[] = [];
    if (hour)
        out.push(hourly(r, 1, { item: network ? "Network Load Balancer" : "Application Load Balancer", kind: "fixed", category: "network-cdn", price: hour }));
    else out.push(unpriced(r, `no load balancer price in ${ctx.region}`));
    const lbs = Math.max(1, ofType(ctx, "aws:lb/loadBalancer:LoadBalancer").length);
    const gb = (originRequests(ctx) * (ctx.load.bytesPerResponse + ctx.load.writeShare * ctx.load.bytesPerWrite)) / GB / lbs;
    if (gb > 0) {
        if (unit)
            out.push(
                line(r, {
                    item: `${network ? "NLCU" : "LCU"}-hours for ${Math.round(gb)} GB processed`,
                    kind: "per-request",
                    category: "network-cdn",
                    quantity: gb,
                    unit: `${network ? "NLCU" : "LCU"}-hours`,
                    price: unit,
                }),
            );
        else out.push(unpriced(r, `no capacity unit price in ${ctx.region}`));
    }
    return out;
};

/** A VPC endpoint: gateway endpoints are free; interface endpoints bill per AZ-hour. */
export const vpcEndpoint: CostFunction = (r, ctx) => {
    if (r.inputs.vpcEndpointType !== "Interface") return [];
    const azs = Math.max(1, ((r.inputs.subnetIds as unknown[] | undefined) ?? []).length);
    const price = ctx.prices.get("vpc.interface-endpoint", ctx.region);
    return price
        ? [hourly(r, azs, { item: `interface endpoint in ${azs} AZs`, kind: "fixed", category: "network-cdn", price })]
        : [unpriced(r, `no interface endpoint price in ${ctx.region}`)];
};
