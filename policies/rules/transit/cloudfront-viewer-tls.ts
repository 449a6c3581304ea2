import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

/**
 * CloudFront security policies that accept TLS 1.3 only: CloudFront offers one (TLSv1.3_2025), so the spec's
 * "TLS 1.3 for all communications" holds at the viewer (test/upstream/tls/aws-tls-offers.json).
 */
export const CLOUDFRONT_TLS13_POLICIES = ["TLSv1.3_2025"];

export const cloudfrontViewerTls = resourceRule({
    name: "cloudfront-viewer-tls",
    description: "CloudFront distributions must accept TLS 1.3 only from viewers (TLSv1.3_2025; so no default CloudFront certificate).",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr", "cis"],
    topics: ["encryption-in-transit", "tls", "cdn"],
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    peers: { checkov: ["CKV_AWS_174"], compliancePolicies: ["aws-cloudfront-distribution-configure-secure-tls"] },
    remediation: 'set viewerCertificate { acmCertificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.3_2025" }.',
    check: ({ props }, report) => {
        const cert = props.viewerCertificate ?? {};
        if (isTrue(cert.cloudfrontDefaultCertificate))
            report("The distribution uses the default CloudFront certificate, which cannot enforce a minimum TLS version.");
        else if (!CLOUDFRONT_TLS13_POLICIES.includes(cert.minimumProtocolVersion))
            report(
                `minimumProtocolVersion is ${JSON.stringify(cert.minimumProtocolVersion)}, which accepts TLS older than 1.3 (use ${CLOUDFRONT_TLS13_POLICIES.join(" or ")}).`,
            );
    },
});
