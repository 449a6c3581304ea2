import { DESIGN_TAGS, provider, res } from "../helpers";
import { clone, distribution, knownBadInputsRule, webAcl } from "./base";
import { CorpusCase } from "./types";

const CF = "aws:cloudfront/distribution:Distribution";
const ACL = "aws:wafv2/webAcl:WebAcl";
/** Edge resources live in the global stack, on its us-east-1 provider. */
const GLOBAL = provider("us-east-1", { ...DESIGN_TAGS, zone: "global", region: "us-east-1" }, "aws-global");
const one = (type: string, inputs: Record<string, unknown>) => () => [GLOBAL, res(type, clone(inputs), { provider: GLOBAL })];
const without = (o: Record<string, unknown>, k: string) => {
    const c = clone(o);
    delete c[k];
    return c;
};

/** A web ACL with its logging configuration (waf-logging judges the pair). */
const acl = (inputs: Record<string, unknown>) => () => {
    const a = res(ACL, clone(inputs), { provider: GLOBAL });
    return [
        GLOBAL,
        a,
        res(
            "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
            { resourceArn: a.urn, logDestinationConfigs: ["arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-edge"] },
            { deps: [a], provider: GLOBAL },
        ),
    ];
};

export const EDGE_CASES: CorpusCase[] = [
    { rule: "cloudfront-waf", peer: "CKV_AWS_68", what: "no web ACL", good: one(CF, distribution), bad: one(CF, without(distribution, "webAclId")) },
    {
        rule: "cloudfront-waf",
        peer: "aws-cloudfront-distribution-configure-waf",
        what: "empty web ACL id",
        good: one(CF, distribution),
        bad: one(CF, { ...distribution, webAclId: "" }),
    },
    {
        rule: "cloudfront-geo-restriction",
        peer: "CKV_AWS_374",
        what: "geo restriction none",
        good: one(CF, distribution),
        bad: one(CF, { ...distribution, restrictions: { geoRestriction: { restrictionType: "none" } } }),
    },
    {
        rule: "cloudfront-default-root-object",
        peer: "CKV_AWS_305",
        what: "S3 origin without a default root object",
        good: one(CF, {
            ...distribution,
            origins: [{ originId: "a", domainName: "site.s3.eu-west-1.amazonaws.com", originAccessControlId: "oac" }, distribution.origins[1]],
        }),
        bad: one(CF, {
            ...without(distribution, "defaultRootObject"),
            origins: [{ originId: "a", domainName: "site.s3.eu-west-1.amazonaws.com", originAccessControlId: "oac" }, distribution.origins[1]],
            defaultCacheBehavior: { ...distribution.defaultCacheBehavior, targetOriginId: "a" },
        }),
    },
    {
        rule: "cloudfront-enabled",
        peer: "CKV_AWS_216",
        what: "disabled distribution",
        good: one(CF, distribution),
        bad: one(CF, { ...distribution, enabled: false }),
    },
    {
        rule: "cloudfront-origin-failover",
        peer: "CKV_AWS_310",
        what: "no origin failover",
        good: one(CF, distribution),
        bad: one(CF, { ...without(distribution, "originGroups"), defaultCacheBehavior: { ...distribution.defaultCacheBehavior, targetOriginId: "a" } }),
    },
    {
        rule: "cloudfront-viewer-https",
        peer: "CKV_AWS_34",
        what: "viewer protocol allow-all",
        good: one(CF, distribution),
        bad: one(CF, { ...distribution, defaultCacheBehavior: { ...distribution.defaultCacheBehavior, viewerProtocolPolicy: "allow-all" } }),
    },
    {
        rule: "cloudfront-viewer-tls",
        peer: "CKV_AWS_174",
        what: "TLS 1.0 viewer certificate",
        good: one(CF, distribution),
        bad: one(CF, { ...distribution, viewerCertificate: { ...distribution.viewerCertificate, minimumProtocolVersion: "TLSv1" } }),
    },
    {
        rule: "cloudfront-access-logs",
        peer: "CKV_AWS_86",
        what: "no access logging",
        good: one(CF, distribution),
        bad: one(CF, without(distribution, "loggingConfig")),
    },
    {
        rule: "cloudfront-origin-https-only",
        peer: "aws-cloudfront-distribution-enable-tls-to-origin",
        what: "origin over HTTP",
        good: one(CF, distribution),
        bad: one(CF, {
            ...distribution,
            origins: [
                { ...distribution.origins[0], customOriginConfig: { ...distribution.origins[0].customOriginConfig, originProtocolPolicy: "http-only" } },
                distribution.origins[1],
            ],
        }),
    },
    {
        rule: "cloudfront-response-headers-hsts",
        peer: "CKV_AWS_259",
        what: "no HSTS header",
        good: one("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", {
            securityHeadersConfig: { strictTransportSecurity: { accessControlMaxAgeSec: 31536000, includeSubdomains: true, override: true } },
        }),
        bad: one("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", { securityHeadersConfig: { contentTypeOptions: { override: true } } }),
    },
    { rule: "waf-has-rules", peer: "CKV_AWS_175", what: "web ACL without rules", good: acl(webAcl), bad: acl({ ...webAcl, rules: [] }) },
    {
        rule: "waf-rule-actions",
        peer: "CKV_AWS_342",
        what: "rule without an action",
        good: acl(webAcl),
        bad: acl({ ...webAcl, rules: [{ ...webAcl.rules[0], action: undefined }, knownBadInputsRule] }),
    },
    {
        rule: "waf-known-bad-inputs",
        peer: "CKV_AWS_192",
        what: "no known-bad-inputs group",
        good: acl(webAcl),
        bad: acl({ ...webAcl, rules: [webAcl.rules[0]] }),
    },
    {
        rule: "waf-known-bad-inputs",
        peer: "CKV_AWS_192",
        what: "Log4JRCE overridden to count",
        good: acl(webAcl),
        bad: acl({
            ...webAcl,
            rules: [
                webAcl.rules[0],
                {
                    ...knownBadInputsRule,
                    statement: {
                        managedRuleGroupStatement: {
                            ...knownBadInputsRule.statement.managedRuleGroupStatement,
                            ruleActionOverrides: [{ name: "Log4JRCE", actionToUse: { count: {} } }],
                        },
                    },
                },
            ],
        }),
    },
    {
        rule: "waf-known-bad-inputs",
        peer: "CKV_AWS_192",
        what: "known-bad-inputs group in count mode",
        good: acl(webAcl),
        bad: acl({ ...webAcl, rules: [webAcl.rules[0], { ...knownBadInputsRule, overrideAction: { count: {} } }] }),
    },
    {
        rule: "waf-logging",
        peer: "CKV2_AWS_31",
        what: "web ACL without logging",
        good: acl(webAcl),
        bad: one(ACL, webAcl),
    },
];
