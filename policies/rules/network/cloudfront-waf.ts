import { resourceRule } from "../../lib/rule";
import { isUnknown } from "../../lib/props";

export const cloudfrontWaf = resourceRule({
    name: "cloudfront-waf",
    description: "CloudFront distributions must be fronted by an AWS WAF web ACL.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["waf", "cdn", "public-exposure"],
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    peers: { checkov: ["CKV_AWS_68"], compliancePolicies: ["aws-cloudfront-distribution-configure-waf"] },
    remediation: "set webAclId to the ARN of a WAFv2 web ACL with scope CLOUDFRONT (created in us-east-1).",
    check: ({ props }, report) => {
        const acl = props.webAclId;
        if (isUnknown(acl)) return;
        if (typeof acl !== "string" || acl.length === 0) report("The distribution has no webAclId.");
    },
});
