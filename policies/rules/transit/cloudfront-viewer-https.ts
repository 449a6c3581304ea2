import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

export const cloudfrontViewerHttps = resourceRule({
    name: "cloudfront-viewer-https",
    description: "CloudFront distributions must redirect viewers to HTTPS (or serve HTTPS only) on every cache behaviour.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr", "cis"],
    topics: ["encryption-in-transit", "tls", "cdn"],
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    peers: { checkov: ["CKV_AWS_34"], compliancePolicies: ["aws-cloudfront-distribution-disallow-unencrypted-traffic"] },
    remediation: 'set viewerProtocolPolicy "redirect-to-https" (or "https-only") on every cache behavior.',
    check: ({ props }, report) => {
        const behaviors = [props.defaultCacheBehavior, ...asArray<any>(props.orderedCacheBehaviors)].filter(Boolean);
        for (const b of behaviors) {
            if (!["redirect-to-https", "https-only"].includes(b.viewerProtocolPolicy))
                report(`The cache behavior ${b.pathPattern ?? "(default)"} has viewerProtocolPolicy ${JSON.stringify(b.viewerProtocolPolicy)}.`);
        }
    },
});
