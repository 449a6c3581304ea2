import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgsCheck } from "../args";
import { integerLimit, logRetentionLimit, oneOfLimit } from "../limits";
import { APP_HEALTH_PATH } from "../regional-cluster/manifests";
import { edgeDistribution, originId } from "./cdn";
import { DnsZone, dnsNames, edgeCertificate, endpointHealthCheck, routingRecords } from "./dns";
import { distributionAccessLogs, edgeLogDestinations } from "./logs";
import { edgeWebAcl } from "./waf";
import { withTags } from "../tags";

export { MANAGED_RULE_GROUPS } from "./waf";
export { FAILOVER_STATUS_CODES, ONE_YEAR_SECONDS, API_TTL_SECONDS } from "./cdn";
export { dnsNames } from "./dns";

/** One region's ingress, as the regional stack exports it (contract `ingress`). */
export interface EdgeRegionArgs {
    /** AWS region of the ingress. Required. */
    region: string;
    /** DNS name of the region's ingress load balancer (contract `ingress.dnsName`). Required. */
    ingressDnsName: string;
    /** Route 53 hosted zone id of that load balancer, for alias records (contract `ingress.zoneId`). Required. */
    ingressZoneId: string;
}

/** A residency zone: its primary and its standby (docs/design.md#topology). */
export interface EdgeZoneArgs {
    /** Zone name (us, eu, apac). Required. */
    zone: string;
    /** The zone's primary region: serves traffic. Required. */
    primary: EdgeRegionArgs;
    /** The zone's standby region: takes over on failure (spec: "US Traffic: US-East-1 (primary), US-West-2 (backup)"). Required. */
    standby: EdgeRegionArgs;
}

/** What the DR plans need of the edge's DNS, handed to `primaryHealthGates`. */
export interface EdgeDns {
    hostedZoneId: pulumi.Output<string>;
    /** The zone's failover record name (<zone>.api.<domain>); its set identifiers are the two region names. */
    failoverRecordName: (zone: string) => string;
    /** Endpoint health check id by region: the DR plans' failover triggers watch them. */
    healthCheckIds: Record<string, pulumi.Output<string>>;
}

/** EdgeNetwork's defaults: the value each optional arg takes when left out. The stack config keys derive theirs from these. */
export const EDGE_DEFAULTS = {
    /** Spec: US-East-1 is the primary region. */
    defaultZone: "us",
    /** CloudFront's certificate and CLOUDFRONT-scope WAF live only there. */
    region: "us-east-1",
    /** The path the backend's probes use too (spec: Recovery Procedures). */
    healthCheckPath: APP_HEALTH_PATH,
    /** Spec: Health Checks, Interval 30 s. */
    healthCheckIntervalSeconds: 30,
    /** Spec: Health Checks, Failure Threshold: 3 consecutive failures. */
    healthCheckFailureThreshold: 3,
    /** Spec: API Responses vary by headers; Authorization keeps one user's response from another. */
    apiCacheVaryHeaders: ["Authorization", "Accept", "Accept-Language", "X-Franchise-Id"] as readonly string[],
    /** Spec: Static Assets, 1-year cache. */
    staticPathPatterns: ["/static/*", "/assets/*"] as readonly string[],
    /** Spec: API Responses, 5-minute cache. */
    apiPathPatterns: ["/api/*"] as readonly string[],
    /** Spec: WAF rules for DDoS, no per-client figure: AWS's suggested start, about 7 req/s per IP. */
    wafRateLimit: 2000,
    /** PCI DSS 10.7: a year. */
    logRetentionDays: 365,
} as const;

/** EdgeNetwork's valid ranges (Route 53, WAF and CloudWatch Logs limits). */
export const EDGE_LIMITS = {
    /** Route 53 health checks run every 10 or 30 seconds. */
    healthCheckIntervalSeconds: oneOfLimit([10, 30]),
    /** Route 53 FailureThreshold: 1 to 10. */
    healthCheckFailureThreshold: integerLimit(1, 10),
    /** WAF rate-based rule limit: 100 (10 before 2024) to 2,000,000,000. */
    wafRateLimit: integerLimit(100, 2_000_000_000),
    /** The WAF logs go to a CloudWatch log group (periods only); PCI DSS 10.7: a year at least. */
    logRetentionDays: logRetentionLimit(365),
} as const;

export interface EdgeNetworkArgs {
    /** Public hostname served by CloudFront; www.<domainName> too. Required (config `domainName`, spec: CDN and Global Load Balancing). */
    domainName: string;
    /** Name of the Route 53 public hosted zone; must contain domainName. Required (the bootstrap stack's `hostedZoneName`). */
    hostedZoneName: string;
    /**
     * Id of that hosted zone. Required: the bootstrap stack creates and delegates the zone (wave 0), so the
     * certificate validation here never waits on a delegation made in the same run.
     */
    hostedZoneId: pulumi.Input<string>;
    /** The zones behind the edge, each with its primary and standby ingress. Required, at least one. */
    zones: EdgeZoneArgs[];
    /** Zone for viewers whose location maps to no listed zone, and the geolocation default record. Default "us" (spec: US-East-1 is the primary region). */
    defaultZone?: string;
    /** Account that owns the log key; its root administers it. Required. */
    accountId: pulumi.Input<string>;
    /** Region of the parent's provider. Must be us-east-1: CloudFront's certificate, CLOUDFRONT-scope WAF and their logs live there. Default "us-east-1". */
    region?: string;
    /** Path of the HTTPS health checks. Default "/health" (spec: Recovery Procedures). */
    healthCheckPath?: string;
    /** Health check interval in seconds, 10 or 30. Default 30 (spec: Health Checks, Interval). */
    healthCheckIntervalSeconds?: number;
    /** Consecutive failures before unhealthy, 1-10. Default 3 (spec: Health Checks, Failure Threshold). */
    healthCheckFailureThreshold?: number;
    /** Headers in the API cache key; must include Authorization. Default Authorization, Accept, Accept-Language, X-Franchise-Id (spec: API Responses vary by headers). */
    apiCacheVaryHeaders?: string[];
    /** Path patterns of static assets (1-year cache). Default /static/*, /assets/* (spec: Static Assets). */
    staticPathPatterns?: string[];
    /** Path patterns of API responses (5-minute cache). Default /api/* (spec: API Responses). */
    apiPathPatterns?: string[];
    /** WAF rate limit: requests per IP per 5 minutes, at least 100. Default 2000 (spec: WAF for DDoS; no per-client figure given). */
    wafRateLimit?: number;
    /** Days WAF and CloudFront logs are kept, at least 365. Default 365 (PCI DSS 10.7). */
    logRetentionDays?: number;
    /** Protect the log key, log group, and log bucket from `pulumi destroy`. Default true. */
    protect?: boolean;
    /** Tags added to every AWS resource this component creates, under each resource's own tags (build the design's set with `defaultTags()`). Default none: the provider's defaultTags carry them, as in the stacks. */
    tags?: Record<string, string>;
    /**
     * Called once the hosted zone exists; returns, by zone, an extra health check the zone primary's failover
     * record must also pass (the DR plan's switch, so executing the plan moves DNS). Default: none, the
     * failover follows the endpoint health checks only (spec: "Automatic: DNS-based failover").
     */
    primaryHealthGates?: (dns: EdgeDns) => Record<string, pulumi.Input<string | undefined>>;
}

const ZONE_NAME_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * The global edge (spec: CDN and Global Load Balancing): ACM certificate and
 * CLOUDFRONT-scope WAF in us-east-1, a CloudFront distribution with an origin
 * group per zone (primary ingress failing over to the standby), Origin Shield,
 * HTTPS only (TLS 1.3, VIEWER_SECURITY_POLICY), the spec's three cache behaviours and geographic
 * routing, encrypted WAF and access logs, and, in the bootstrap stack's Route 53 zone, a health
 * check per regional ingress and records for geolocation, latency, failover
 * (no weighted record: the standby takes users only through failover).
 */
export class EdgeNetwork extends pulumi.ComponentResource {
    /** The public hostname users reach (`domainName`). */
    readonly publicHostname: string;
    /** CloudFront distribution id. */
    readonly distributionId: pulumi.Output<string>;
    /** The distribution's `*.cloudfront.net` name, the alias target of `domainName` and `www`. */
    readonly distributionDomainName: pulumi.Output<string>;
    /** The hosted zone the records were written to. */
    readonly hostedZoneId: pulumi.Output<string>;
    /** Endpoint health check ids by region. */
    readonly healthCheckIds: Record<string, pulumi.Output<string>>;
    /** The CLOUDFRONT-scope WAFv2 Web ACL in front of the distribution. */
    readonly webAclArn: pulumi.Output<string>;
    /** The us-east-1 ACM certificate of `domainName` and `www.<domainName>`. */
    readonly certificateArn: pulumi.Output<string>;

    constructor(name: string, args: EdgeNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        const region = args.region ?? EDGE_DEFAULTS.region;
        const defaultZone = args.defaultZone ?? EDGE_DEFAULTS.defaultZone;
        const path = args.healthCheckPath ?? EDGE_DEFAULTS.healthCheckPath;
        const interval = args.healthCheckIntervalSeconds ?? EDGE_DEFAULTS.healthCheckIntervalSeconds;
        const failureThreshold = args.healthCheckFailureThreshold ?? EDGE_DEFAULTS.healthCheckFailureThreshold;
        const vary = args.apiCacheVaryHeaders ?? [...EDGE_DEFAULTS.apiCacheVaryHeaders];
        const staticPaths = args.staticPathPatterns ?? [...EDGE_DEFAULTS.staticPathPatterns];
        const apiPaths = args.apiPathPatterns ?? [...EDGE_DEFAULTS.apiPathPatterns];
        const rateLimit = args.wafRateLimit ?? EDGE_DEFAULTS.wafRateLimit;
        const retention = args.logRetentionDays ?? EDGE_DEFAULTS.logRetentionDays;
        const zones = args.zones ?? [];
        const regions = zones.flatMap((z) => [z.primary?.region, z.standby?.region]);
        new ArgsCheck("EdgeNetwork", name)
            .that(region === "us-east-1", "region", region, "must be us-east-1 (CloudFront certificates and CLOUDFRONT-scope WAF live only there)")
            .that(ZONE_NAME_RE.test(args.hostedZoneName ?? ""), "hostedZoneName", args.hostedZoneName, "must be a lower-case DNS name")
            .that(
                ZONE_NAME_RE.test(args.domainName ?? "") && (args.domainName === args.hostedZoneName || args.domainName.endsWith(`.${args.hostedZoneName}`)),
                "domainName",
                args.domainName,
                `must be a DNS name inside the hosted zone ${args.hostedZoneName}`,
            )
            .that(
                args.hostedZoneId !== undefined && args.hostedZoneId !== "",
                "hostedZoneId",
                args.hostedZoneId,
                "must be the public hosted zone's id (the bootstrap stack's hostedZoneId)",
            )
            .nonEmpty("zones", zones)
            .that(
                new Set(zones.map((z) => z.zone)).size === zones.length,
                "zones",
                zones.map((z) => z.zone),
                "must name each zone once",
            )
            .that(
                new Set(regions).size === regions.length && regions.every((r) => typeof r === "string"),
                "zones",
                regions,
                "must give every zone a primary and a standby in distinct regions",
            )
            .that(
                zones.every((z) => [z.primary, z.standby].every((s) => !!s?.ingressDnsName && !!s?.ingressZoneId)),
                "zones",
                zones.map((z) => z.zone),
                "must give every region an ingress dnsName and zoneId",
            )
            .oneOf(
                "defaultZone",
                defaultZone,
                zones.map((z) => z.zone),
            )
            .that(/^\/[A-Za-z0-9/._~-]*$/.test(path), "healthCheckPath", path, "must be an absolute URL path")
            .within("healthCheckIntervalSeconds", interval, EDGE_LIMITS.healthCheckIntervalSeconds)
            .within("healthCheckFailureThreshold", failureThreshold, EDGE_LIMITS.healthCheckFailureThreshold)
            .that(
                vary.some((h) => h.toLowerCase() === "authorization") && vary.length <= 10,
                "apiCacheVaryHeaders",
                vary,
                "must include Authorization (or cached API responses are shared between users) and list at most 10 headers",
            )
            .nonEmpty("staticPathPatterns", staticPaths)
            .nonEmpty("apiPathPatterns", apiPaths)
            .within("wafRateLimit", rateLimit, EDGE_LIMITS.wafRateLimit)
            .within("logRetentionDays", retention, EDGE_LIMITS.logRetentionDays)
            .done();
        super("bookedbarber:edge:EdgeNetwork", name, {}, withTags("EdgeNetwork", name, args.tags, opts));

        const protect = args.protect ?? true;
        const names = dnsNames(args.domainName);
        const publicNames = [args.domainName, `www.${args.domainName}`];

        const hostedZone = { zoneId: pulumi.output(args.hostedZoneId) };

        const logs = edgeLogDestinations(name, { region, accountId: args.accountId, retentionDays: retention, protect }, this);
        const webAcl = edgeWebAcl(name, { rateLimit, logGroupArn: logs.wafLogGroup.arn, accountId: args.accountId }, this);
        const certificate = edgeCertificate(name, { hostedZoneId: hostedZone.zoneId, names: publicNames }, this);

        const distribution = edgeDistribution(
            name,
            {
                aliases: publicNames,
                certificateArn: certificate.certificateArn,
                webAclArn: webAcl.arn,
                defaultZone,
                staticPathPatterns: staticPaths,
                apiPathPatterns: apiPaths,
                apiCacheVaryHeaders: vary,
                zones: zones.map((z) => ({
                    zone: z.zone,
                    primaryRegion: z.primary.region,
                    standbyRegion: z.standby.region,
                    primaryHost: names.regional(z.primary.region),
                    standbyHost: names.regional(z.standby.region),
                    failoverHost: names.failover(z.zone),
                })),
            },
            this,
        );
        distributionAccessLogs(name, distribution.arn, logs.bucket, this);

        const healthChecks: Record<string, aws.route53.HealthCheck> = {};
        for (const z of zones) {
            for (const side of [z.primary, z.standby]) {
                healthChecks[side.region] = endpointHealthCheck(
                    `${name}-hc-${side.region}`,
                    {
                        fqdn: names.regional(side.region),
                        path,
                        interval,
                        failureThreshold,
                    },
                    this,
                );
            }
        }
        const healthCheckIds = Object.fromEntries(Object.entries(healthChecks).map(([r, hc]) => [r, hc.id]));

        const gates = args.primaryHealthGates?.({ hostedZoneId: hostedZone.zoneId, failoverRecordName: names.failover, healthCheckIds }) ?? {};
        const primaryGateIds: Record<string, pulumi.Input<string>> = {};
        for (const z of zones) {
            const endpoint = healthChecks[z.primary.region];
            if (gates[z.zone] === undefined) {
                primaryGateIds[z.zone] = endpoint.id;
                continue;
            }
            // Healthy only while the endpoint answers AND the DR plan has not switched the region off.
            const children = pulumi.all([endpoint.id, gates[z.zone]]).apply(([hc, gate]) => (gate ? [hc, gate] : [hc]));
            primaryGateIds[z.zone] = new aws.route53.HealthCheck(
                `${name}-hc-${z.zone}-primary-gate`,
                {
                    type: "CALCULATED",
                    childHealthchecks: children,
                    childHealthThreshold: children.apply((c) => c.length),
                    tags: { Name: `${names.failover(z.zone)} primary: endpoint and DR plan` },
                },
                { parent: this },
            ).id;
        }

        const dnsZones: DnsZone[] = zones.map((z) => ({ zone: z.zone, primary: z.primary, standby: z.standby }));
        routingRecords(
            name,
            {
                domain: args.domainName,
                hostedZoneId: hostedZone.zoneId,
                zones: dnsZones,
                defaultZone,
                healthCheckIds,
                primaryGateIds,
                distribution,
                publicNames,
            },
            this,
        );

        this.publicHostname = args.domainName;
        this.distributionId = distribution.id;
        this.distributionDomainName = distribution.domainName;
        this.hostedZoneId = hostedZone.zoneId;
        this.healthCheckIds = healthCheckIds;
        this.webAclArn = webAcl.arn;
        this.certificateArn = certificate.certificateArn;
        this.registerOutputs({
            publicHostname: this.publicHostname,
            distributionId: this.distributionId,
            hostedZoneId: this.hostedZoneId,
            healthCheckIds: this.healthCheckIds,
            webAclArn: this.webAclArn,
        });
    }
}

export { originId };
