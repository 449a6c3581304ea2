import { stackRule } from "../../lib/rule";
import { dependents, ofType } from "../../lib/props";

const ACL = "aws:wafv2/webAcl:WebAcl";
const LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";

export const wafLogging = stackRule({
    name: "waf-logging",
    description: "Every WAF web ACL must have a logging configuration.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "logging",
    frameworks: ["soc2", "pci-dss"],
    topics: ["audit-logging", "waf"],
    resourceTypes: [ACL, LOGGING],
    peers: { checkov: ["CKV2_AWS_31"] },
    remediation:
        "add an aws.wafv2.WebAclLoggingConfiguration with resourceArn set to the ACL's arn and a log group named aws-waf-logs-* (or firehose/S3) as logDestinationConfigs; redact the authorization header.",
    check: (resources, _c, report) => {
        for (const acl of ofType(resources, ACL)) if (!dependents(resources, acl, LOGGING).length) report("The web ACL has no logging configuration.", acl.urn);
        for (const l of ofType(resources, LOGGING)) if (!l.props.logDestinationConfigs?.length) report("The logging configuration has no destination.", l.urn);
    },
});
