import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { geoRoutingFunctionCode } from "./geo";

/**
 * Viewer TLS: TLS 1.3 only (spec: "TLS 1.3 for all communications"; CloudFront's TLSv1.3_2025 policy,
 * test/upstream/tls/aws-tls-offers.json). Viewers that cannot speak TLS 1.3 are refused.
 */
export const VIEWER_SECURITY_POLICY = "TLSv1.3_2025";

/** CloudFront's managed SecurityHeadersPolicy: HSTS, X-Content-Type-Options, X-Frame-Options, Referrer-Policy. */
export const SECURITY_HEADERS_POLICY_ID = "67f7725c-6f97-4210-82d7-5512b31e9d03";

/** Origin status codes that make an origin group retry on the zone's standby. */
export const FAILOVER_STATUS_CODES = [500, 502, 503, 504] as const;

/** Spec (CDN Configuration, Cache Behaviors): static assets 1 year, API responses 5 minutes, user content not cached. */
export const ONE_YEAR_SECONDS = 31_536_000;
export const API_TTL_SECONDS = 300;

const READ_METHODS = ["GET", "HEAD", "OPTIONS"];
const ALL_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];
const CACHED_METHODS = ["GET", "HEAD"];

/** Viewer headers the origins need, plus the country header the geo-routing functions read. */
const ORIGIN_HEADERS = ["Accept", "Accept-Language", "Content-Type", "Origin", "Referer", "User-Agent", "X-Requested-With", "X-Franchise-Id"];
const COUNTRY_HEADER = "CloudFront-Viewer-Country";

export interface CdnZone {
    zone: string;
    primaryRegion: string;
    standbyRegion: string;
    /** Regional API names of the zone's two ingresses (<region>.api.<domain>). */
    primaryHost: string;
    standbyHost: string;
    /** The zone's Route 53 failover name (<zone>.api.<domain>). */
    failoverHost: string;
}

export interface CdnArgs {
    aliases: string[];
    certificateArn: pulumi.Input<string>;
    webAclArn: pulumi.Input<string>;
    zones: CdnZone[];
    defaultZone: string;
    staticPathPatterns: string[];
    apiPathPatterns: string[];
    apiCacheVaryHeaders: string[];
}

/** Origin ids: `<zone>-primary`, `<zone>-standby`, `<zone>-failover` (DNS), and the group `<zone>-group`. */
export const originId = (zone: string, kind: "primary" | "standby" | "failover" | "group") => `${zone}-${kind}`;

function httpsOrigin(id: string, host: string, shieldRegion: string): aws.types.input.cloudfront.DistributionOrigin {
    return {
        originId: id,
        domainName: host,
        customOriginConfig: {
            httpPort: 80,
            httpsPort: 443,
            originProtocolPolicy: "https-only",
            originSslProtocols: ["TLSv1.2"],
            originReadTimeout: 30,
            originKeepaliveTimeout: 5,
        },
        // Origin Shield in the origin's own region: one regional cache in front of each ingress (spec: "Origin Shield: Reduce origin load").
        originShield: { enabled: true, originShieldRegion: shieldRegion },
    };
}

/**
 * The distribution (spec: CDN Configuration). Three behaviours:
 * - static assets: cached a year, read-only, served by the zone's origin group
 *   (primary ingress, failing over to the standby on 5xx);
 * - API: cached 5 minutes keyed by the configured headers;
 * - user content (default): not cached.
 * CloudFront refuses POST/PUT/PATCH/DELETE on a behaviour that targets an origin
 * group, so the API and user content, which take writes, go to the zone's
 * Route 53 failover name instead: DNS fails it over on the health checks.
 * Viewer-request functions send each viewer to their zone (geo.ts).
 */
export function edgeDistribution(name: string, args: CdnArgs, parent: pulumi.Resource): aws.cloudfront.Distribution {
    const origins = args.zones.flatMap((z) => [
        httpsOrigin(originId(z.zone, "primary"), z.primaryHost, z.primaryRegion),
        httpsOrigin(originId(z.zone, "standby"), z.standbyHost, z.standbyRegion),
        httpsOrigin(originId(z.zone, "failover"), z.failoverHost, z.primaryRegion),
    ]);
    const originGroups = args.zones.map((z) => ({
        originId: originId(z.zone, "group"),
        failoverCriteria: { statusCodes: [...FAILOVER_STATUS_CODES] },
        members: [{ originId: originId(z.zone, "primary") }, { originId: originId(z.zone, "standby") }],
    }));

    const staticPolicy = new aws.cloudfront.CachePolicy(
        `${name}-static-cache`,
        {
            name: `${name}-static-1y`,
            comment: "Static assets: 1-year cache, compression (spec: CDN Cache Behaviors)",
            minTtl: 0,
            defaultTtl: ONE_YEAR_SECONDS,
            maxTtl: ONE_YEAR_SECONDS,
            parametersInCacheKeyAndForwardedToOrigin: {
                enableAcceptEncodingGzip: true,
                enableAcceptEncodingBrotli: true,
                headersConfig: { headerBehavior: "none" },
                cookiesConfig: { cookieBehavior: "none" },
                queryStringsConfig: { queryStringBehavior: "all" },
            },
        },
        { parent },
    );
    const apiPolicy = new aws.cloudfront.CachePolicy(
        `${name}-api-cache`,
        {
            name: `${name}-api-5m`,
            comment: "API responses: 5-minute cache, varying by the configured headers (spec: CDN Cache Behaviors)",
            minTtl: 0,
            defaultTtl: API_TTL_SECONDS,
            maxTtl: API_TTL_SECONDS,
            parametersInCacheKeyAndForwardedToOrigin: {
                enableAcceptEncodingGzip: true,
                enableAcceptEncodingBrotli: true,
                headersConfig: { headerBehavior: "whitelist", headers: { items: args.apiCacheVaryHeaders } },
                cookiesConfig: { cookieBehavior: "none" },
                queryStringsConfig: { queryStringBehavior: "all" },
            },
        },
        { parent },
    );
    // Not cached: TTLs 0 unless the origin asks for at most a second. The max of 1 s is what lets Authorization
    // into the key and so to the origin (a policy with every TTL at 0 may carry no headers at all).
    const userPolicy = new aws.cloudfront.CachePolicy(
        `${name}-user-nocache`,
        {
            name: `${name}-user-no-cache`,
            comment: "User content: no cache, direct to origin (spec: CDN Cache Behaviors)",
            minTtl: 0,
            defaultTtl: 0,
            maxTtl: 1,
            parametersInCacheKeyAndForwardedToOrigin: {
                enableAcceptEncodingGzip: true,
                enableAcceptEncodingBrotli: true,
                headersConfig: { headerBehavior: "whitelist", headers: { items: ["Authorization"] } },
                cookiesConfig: { cookieBehavior: "none" },
                queryStringsConfig: { queryStringBehavior: "none" },
            },
        },
        { parent },
    );

    const staticRequest = new aws.cloudfront.OriginRequestPolicy(
        `${name}-static-origin`,
        {
            name: `${name}-static-origin`,
            comment: "Static assets: only the viewer country, for zone routing",
            headersConfig: { headerBehavior: "whitelist", headers: { items: [COUNTRY_HEADER] } },
            cookiesConfig: { cookieBehavior: "none" },
            queryStringsConfig: { queryStringBehavior: "none" },
        },
        { parent },
    );
    // No cookies to the API: they are not in its cache key, so a cookie-dependent response would be shared.
    const apiRequest = new aws.cloudfront.OriginRequestPolicy(
        `${name}-api-origin`,
        {
            name: `${name}-api-origin`,
            comment: "API: request headers the backend reads, no cookies",
            headersConfig: {
                headerBehavior: "whitelist",
                headers: { items: [...ORIGIN_HEADERS.filter((h) => !args.apiCacheVaryHeaders.includes(h)), COUNTRY_HEADER] },
            },
            cookiesConfig: { cookieBehavior: "none" },
            queryStringsConfig: { queryStringBehavior: "none" },
        },
        { parent },
    );
    const userRequest = new aws.cloudfront.OriginRequestPolicy(
        `${name}-user-origin`,
        {
            name: `${name}-user-origin`,
            comment: "User content: headers, cookies and query strings go to the origin",
            headersConfig: { headerBehavior: "whitelist", headers: { items: [...ORIGIN_HEADERS, COUNTRY_HEADER] } },
            cookiesConfig: { cookieBehavior: "all" },
            queryStringsConfig: { queryStringBehavior: "all" },
        },
        { parent },
    );

    const groupRouting = new aws.cloudfront.Function(
        `${name}-geo-group`,
        {
            name: `${name}-geo-group`,
            runtime: "cloudfront-js-2.0",
            comment: "Viewer country -> zone origin group (primary, failing over to standby)",
            publish: true,
            code: geoRoutingFunctionCode({
                defaultZone: args.defaultZone,
                mode: "group",
                zones: args.zones.map((z) => z.zone),
                failoverStatusCodes: FAILOVER_STATUS_CODES,
            }),
        },
        { parent },
    );
    const dnsRouting = new aws.cloudfront.Function(
        `${name}-geo-dns`,
        {
            name: `${name}-geo-dns`,
            runtime: "cloudfront-js-2.0",
            comment: "Viewer country -> zone failover name (Route 53 fails it over)",
            publish: true,
            code: geoRoutingFunctionCode({
                defaultZone: args.defaultZone,
                mode: "dns",
                zones: args.zones.map((z) => z.zone),
                failoverStatusCodes: FAILOVER_STATUS_CODES,
            }),
        },
        { parent },
    );
    const viewerRequest = (fn: aws.cloudfront.Function) => [{ eventType: "viewer-request", functionArn: fn.arn }];

    const common = {
        viewerProtocolPolicy: "redirect-to-https",
        compress: true,
        cachedMethods: CACHED_METHODS,
        responseHeadersPolicyId: SECURITY_HEADERS_POLICY_ID,
    };
    const orderedCacheBehaviors = [
        ...args.staticPathPatterns.map((pathPattern) => ({
            ...common,
            pathPattern,
            targetOriginId: originId(args.defaultZone, "group"),
            allowedMethods: READ_METHODS,
            cachePolicyId: staticPolicy.id,
            originRequestPolicyId: staticRequest.id,
            functionAssociations: viewerRequest(groupRouting),
        })),
        ...args.apiPathPatterns.map((pathPattern) => ({
            ...common,
            pathPattern,
            targetOriginId: originId(args.defaultZone, "failover"),
            allowedMethods: ALL_METHODS,
            cachePolicyId: apiPolicy.id,
            originRequestPolicyId: apiRequest.id,
            functionAssociations: viewerRequest(dnsRouting),
        })),
    ];

    return new aws.cloudfront.Distribution(
        `${name}-cdn`,
        {
            enabled: true,
            comment: "BookedBarber global edge",
            aliases: args.aliases,
            isIpv6Enabled: true,
            httpVersion: "http2and3",
            priceClass: "PriceClass_All",
            webAclId: args.webAclArn,
            origins,
            originGroups,
            defaultCacheBehavior: {
                ...common,
                targetOriginId: originId(args.defaultZone, "failover"),
                allowedMethods: ALL_METHODS,
                cachePolicyId: userPolicy.id,
                originRequestPolicyId: userRequest.id,
                functionAssociations: viewerRequest(dnsRouting),
            },
            orderedCacheBehaviors,
            viewerCertificate: {
                acmCertificateArn: args.certificateArn,
                sslSupportMethod: "sni-only",
                minimumProtocolVersion: VIEWER_SECURITY_POLICY,
            },
            restrictions: { geoRestriction: { restrictionType: "none" } },
        },
        { parent },
    );
}
