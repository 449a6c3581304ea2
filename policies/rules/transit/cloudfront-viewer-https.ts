import { resourceRule } from "../../lib/rule";
import { asArray, isTrue } from "../../lib/props";

/** CloudFront security policies at or above TLSv1.2_2021, oldest first. */
const ALLOWED = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

export const cloudfrontViewerHttps = resourceRule({
    name: "cloudfront-viewer-https",
    description: "CloudFront distributions must redirect viewers to HTTPS and accept nothing older than TLSv1.2_2021.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr", "cis"],
    topics: ["encryption-in-transit", "tls", "cdn"],
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    peers: { checkov: ["CKV_AWS_34", "CKV_AWS_174"], compliancePolicies: ["aws-cloudfront-distribution-disallow-unencrypted-traffic", "aws-cloudfront-distribution-configure-secure-tls"] },
    remediation: "set viewerProtocolPolicy \"redirect-to-https\" (or \"https-only\") on every cache behavior and viewerCertificate { acmCertificateArn, sslSupportMethod: \"sni-only\", minimumProtocolVersion: \"TLSv1.2_2021\" }.",
    check: ({ props }, report) => {
        const behaviors = [props.defaultCacheBehavior, ...asArray<any>(props.orderedCacheBehaviors)].filter(Boolean);
        for (const b of behaviors) {
            if (!["redirect-to-https", "https-only"].includes(b.viewerProtocolPolicy)) report(`The cache behavior ${b.pathPattern ?? "(default)"} has viewerProtocolPolicy ${JSON.stringify(b.viewerProtocolPolicy)}.`);
        }
        const cert = props.viewerCertificate ?? {};
        if (isTrue(cert.cloudfrontDefaultCertificate)) report("The distribution uses the default CloudFront certificate, which cannot enforce a minimum TLS version.");
        else if (!ALLOWED.includes(cert.minimumProtocolVersion)) report(`minimumProtocolVersion is ${JSON.stringify(cert.minimumProtocolVersion)}, below TLSv1.2_2021.`);
    },
});
