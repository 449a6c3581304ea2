import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CONTINENT_COUNTRIES, CONTINENT_ZONE } from "./geo";

/**
 * AWS managed rule groups on the edge Web ACL (spec: "WAF: Custom rules for
 * DDoS, SQL injection, XSS"), in priority order after the rate limit:
 * IP reputation (botnets, scanners), the core rule set (OWASP top 10, XSS),
 * known bad inputs (Log4j, Java deserialization) and SQL injection.
 */
export const MANAGED_RULE_GROUPS = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
] as const;

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });

/**
 * The CLOUDFRONT-scope Web ACL (must live in us-east-1: the parent's provider)
 * and its logging to the encrypted aws-waf-logs-* log group, with credentials
 * redacted from the logs.
 */
/**
 * EU-zone viewers (docs/decisions/edge-log-residency.md): the first rule labels every request from a
 * country of the eu zone (the zone table in geo.ts, the one DNS and the CDN route by) without acting on
 * it, so the label is on the request whatever rule ends it; the logging filter then drops every record
 * carrying the label, and no EU viewer's IP address is stored in us-east-1. WAF cannot redact the client
 * IP (redactedFields takes only a header, the method, the query string or the URI path).
 */
export const EU_VIEWER_LABEL = "viewer-zone:eu";
export const RESIDENT_ZONE = "eu";

/**
 * Codes of the zone table that the WAF geo match may refuse: XK (Kosovo, a user-assigned code) is not in
 * the WAFv2 CountryCode enum of the AWS SDK models we could read, and one unknown code fails the whole
 * Web ACL. Its viewers' WAF records stay in us-east-1 (docs/decisions/edge-log-residency.md, Consequences).
 */
export const WAF_GEO_UNSUPPORTED = ["XK"];

/** The countries of a zone, as the WAF geo match takes them. */
export function zoneCountries(zone: string): string[] {
    return Object.entries(CONTINENT_COUNTRIES)
        .filter(([continent]) => CONTINENT_ZONE[continent] === zone)
        .flatMap(([, c]) => c)
        .filter((c) => !WAF_GEO_UNSUPPORTED.includes(c))
        .sort();
}

export function edgeWebAcl(
    name: string,
    args: { rateLimit: number; logGroupArn: pulumi.Input<string>; accountId: pulumi.Input<string> },
    parent: pulumi.Resource,
): aws.wafv2.WebAcl {
    const rules: aws.types.input.wafv2.WebAclRule[] = [
        {
            name: "label-eu-zone-viewers",
            priority: 0,
            action: { count: {} },
            statement: { geoMatchStatement: { countryCodes: zoneCountries(RESIDENT_ZONE) } },
            ruleLabels: [{ name: EU_VIEWER_LABEL }],
            visibilityConfig: visibility(`${name}-eu-viewers`),
        },
        {
            name: "rate-limit-per-ip",
            priority: 1,
            action: { block: {} },
            statement: { rateBasedStatement: { limit: args.rateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
            visibilityConfig: visibility(`${name}-rate-limit`),
        },
        ...MANAGED_RULE_GROUPS.map((group, i) => ({
            name: `aws-${group}`,
            priority: i + 2,
            overrideAction: { none: {} },
            statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
            visibilityConfig: visibility(`${name}-${group}`),
        })),
    ];
    const acl = new aws.wafv2.WebAcl(
        `${name}-waf`,
        {
            name: `${name}-waf`,
            description: "BookedBarber edge: rate limit, IP reputation, OWASP core, known bad inputs, SQL injection",
            scope: "CLOUDFRONT",
            defaultAction: { allow: {} },
            rules,
            visibilityConfig: visibility(`${name}-waf`),
        },
        { parent },
    );
    new aws.wafv2.WebAclLoggingConfiguration(
        `${name}-waf-logging`,
        {
            resourceArn: acl.arn,
            logDestinationConfigs: [args.logGroupArn],
            redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
            loggingFilter: {
                defaultBehavior: "KEEP",
                filters: [
                    {
                        behavior: "DROP",
                        requirement: "MEETS_ANY",
                        // A logging filter takes the fully qualified label: awswaf:<account>:webacl:<web ACL name>:<label>.
                        conditions: [{ labelNameCondition: { labelName: pulumi.interpolate`awswaf:${args.accountId}:webacl:${acl.name}:${EU_VIEWER_LABEL}` } }],
                    },
                ],
            },
        },
        { parent: acl },
    );
    return acl;
}
