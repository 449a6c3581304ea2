import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dnsValidatedCertificate } from "../dns-validated-certificate";
import { CONTINENT_ZONE } from "./geo";

/** CloudFront's fixed hosted zone id for alias records. */
export const CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2";

/** The names the edge publishes in the hosted zone (all under api.<domain> except the public ones). */
export const dnsNames = (domain: string) => ({
    /** Each region's own ingress: health-checked, and the CloudFront origins. */
    regional: (region: string) => `${region}.api.${domain}`,
    /** Failover: the zone primary, or its standby when the primary is unhealthy or the DR plan switched it off. Set identifiers are the region names, which ARC Region switch maps to regions. */
    failover: (zone: string) => `${zone}.api.${domain}`,
    /** Geolocation: API clients go to their zone. */
    geo: `api.${domain}`,
    /** Latency: the lowest-latency zone, for clients that are not bound to a zone. */
    latency: `nearest.api.${domain}`,
});

export interface DnsRegion {
    region: string;
    ingressDnsName: string;
    ingressZoneId: string;
}

export interface DnsZone {
    zone: string;
    primary: DnsRegion;
    standby: DnsRegion;
}

/** ACM certificate for the public names, in us-east-1 (the parent's provider) as CloudFront requires, validated through DNS. */
export function edgeCertificate(
    name: string,
    args: { hostedZoneId: pulumi.Input<string>; names: string[] },
    parent: pulumi.Resource,
): aws.acm.CertificateValidation {
    // No name is shared with another stack's certificate, so the records go with the certificate.
    return dnsValidatedCertificate(`${name}-cert`, { names: args.names, hostedZoneId: args.hostedZoneId }, parent);
}

/** Spec (Global Load Balancing Strategy, Health Checks): HTTPS on the health path, 30 s interval, 3 failures. */
export function endpointHealthCheck(
    name: string,
    args: { fqdn: string; path: string; interval: number; failureThreshold: number },
    parent: pulumi.Resource,
): aws.route53.HealthCheck {
    return new aws.route53.HealthCheck(
        name,
        {
            type: "HTTPS",
            fqdn: args.fqdn,
            port: 443,
            resourcePath: args.path,
            enableSni: true,
            requestInterval: args.interval,
            failureThreshold: args.failureThreshold,
            measureLatency: true,
            tags: { Name: `${args.fqdn}${args.path}` },
        },
        { parent },
    );
}

const aliasTo = (target: DnsRegion) => [{ name: target.ingressDnsName, zoneId: target.ingressZoneId, evaluateTargetHealth: true }];

export interface RoutingArgs {
    domain: string;
    hostedZoneId: pulumi.Input<string>;
    zones: DnsZone[];
    defaultZone: string;
    /** Endpoint health check id by region. */
    healthCheckIds: Record<string, pulumi.Input<string>>;
    /** The health check each zone primary's failover record must pass (the endpoint's, or a calculated one that adds the DR plan's). */
    primaryGateIds: Record<string, pulumi.Input<string>>;
    distribution: aws.cloudfront.Distribution;
    publicNames: string[];
}

/**
 * The record sets of every routing policy the spec names (Global Load Balancing
 * Strategy, Routing Policies): simple regional names, failover per zone,
 * geolocation by continent with a default, latency across zones, and the public
 * names aliased to CloudFront. No weighted record: a weighted split between a zone's primary
 * and its standby sends users to a read-only standby (its Aurora and cache are secondaries)
 * while the primary is healthy; the standby takes traffic only through the failover records.
 */
export function routingRecords(name: string, args: RoutingArgs, parent: pulumi.Resource): aws.route53.Record[] {
    const n = dnsNames(args.domain);
    const zoneId = args.hostedZoneId;
    const all: aws.route53.Record[] = [];
    const record = (id: string, a: Omit<aws.route53.RecordArgs, "zoneId">, opts: pulumi.CustomResourceOptions = {}) => {
        const r = new aws.route53.Record(`${name}-${id}`, { zoneId, ...a }, { parent, ...opts });
        all.push(r);
        return r;
    };

    const failover: aws.route53.Record[] = [];
    for (const z of args.zones) {
        for (const side of [z.primary, z.standby]) {
            record(`regional-${side.region}`, { name: n.regional(side.region), type: "A", aliases: aliasTo(side) });
        }
        failover.push(
            record(`failover-${z.zone}-primary`, {
                name: n.failover(z.zone),
                type: "A",
                setIdentifier: z.primary.region,
                failoverRoutingPolicies: [{ type: "PRIMARY" }],
                healthCheckId: args.primaryGateIds[z.zone],
                aliases: aliasTo(z.primary),
            }),
        );
        failover.push(
            record(`failover-${z.zone}-standby`, {
                name: n.failover(z.zone),
                type: "A",
                setIdentifier: z.standby.region,
                failoverRoutingPolicies: [{ type: "SECONDARY" }],
                healthCheckId: args.healthCheckIds[z.standby.region],
                aliases: aliasTo(z.standby),
            }),
        );
    }

    // Aliases to the failover names: Route 53 refuses an alias to a name that does not exist yet.
    const toZone = (zone: string) => [{ name: n.failover(zone), zoneId, evaluateTargetHealth: true }];
    const after = { dependsOn: failover };
    const served = new Set(args.zones.map((z) => z.zone));
    for (const [continent, zone] of Object.entries(CONTINENT_ZONE)) {
        if (!served.has(zone)) continue;
        record(
            `geo-${continent.toLowerCase()}`,
            {
                name: n.geo,
                type: "A",
                setIdentifier: `continent-${continent}`,
                geolocationRoutingPolicies: [{ continent }],
                aliases: toZone(zone),
            },
            after,
        );
    }
    record(
        "geo-default",
        {
            name: n.geo,
            type: "A",
            setIdentifier: "default",
            geolocationRoutingPolicies: [{ country: "*" }],
            aliases: toZone(args.defaultZone),
        },
        after,
    );
    for (const z of args.zones) {
        record(
            `latency-${z.zone}`,
            {
                name: n.latency,
                type: "A",
                setIdentifier: `latency-${z.zone}`,
                latencyRoutingPolicies: [{ region: z.primary.region }],
                aliases: toZone(z.zone),
            },
            after,
        );
    }

    args.publicNames.forEach((host, i) => {
        for (const type of ["A", "AAAA"]) {
            record(`public-${i}-${type.toLowerCase()}`, {
                name: host,
                type,
                aliases: [{ name: args.distribution.domainName, zoneId: CLOUDFRONT_ZONE_ID, evaluateTargetHealth: false }],
            });
        }
    });
    return all;
}
