import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

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
export function edgeWebAcl(
    name: string,
    args: { rateLimit: number; logGroupArn: pulumi.Input<string> },
    parent: pulumi.Resource,
): aws.wafv2.WebAcl {
    const rules: aws.types.input.wafv2.WebAclRule[] = [
        {
            name: "rate-limit-per-ip",
            priority: 0,
            action: { block: {} },
            statement: { rateBasedStatement: { limit: args.rateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
            visibilityConfig: visibility(`${name}-rate-limit`),
        },
        ...MANAGED_RULE_GROUPS.map((group, i) => ({
            name: `aws-${group}`,
            priority: i + 1,
            overrideAction: { none: {} },
            statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
            visibilityConfig: visibility(`${name}-${group}`),
        })),
    ];
    const acl = new aws.wafv2.WebAcl(`${name}-waf`, {
        name: `${name}-waf`,
        description: "BookedBarber edge: rate limit, IP reputation, OWASP core, known bad inputs, SQL injection",
        scope: "CLOUDFRONT",
        defaultAction: { allow: {} },
        rules,
        visibilityConfig: visibility(`${name}-waf`),
    }, { parent });
    new aws.wafv2.WebAclLoggingConfiguration(`${name}-waf-logging`, {
        resourceArn: acl.arn,
        logDestinationConfigs: [args.logGroupArn],
        redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
    }, { parent: acl });
    return acl;
}
