import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

/** CloudFront security policies at or above TLSv1.2_2021, oldest first. */
const ALLOWED = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

export const cloudfrontViewerTls = resourceRule({
    name: "cloudfront-viewer-tls",
    description: "CloudFront distributions must accept nothing older than TLSv1.2_2021 from viewers (so no default CloudFront certificate).",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr", "cis"],
    topics: ["encryption-in-transit", "tls", "cdn"],
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    peers: { checkov: ["CKV_AWS_174"], compliancePolicies: ["aws-cloudfront-distribution-configure-secure-tls"] },
    remediation: "set viewerCertificate { acmCertificateArn, sslSupportMethod: \"sni-only\", minimumProtocolVersion: \"TLSv1.2_2021\" }.",
    check: ({ props }, report) => {
        const cert = props.viewerCertificate ?? {};
        if (isTrue(cert.cloudfrontDefaultCertificate)) report("The distribution uses the default CloudFront certificate, which cannot enforce a minimum TLS version.");
        else if (!ALLOWED.includes(cert.minimumProtocolVersion)) report(`minimumProtocolVersion is ${JSON.stringify(cert.minimumProtocolVersion)}, below TLSv1.2_2021.`);
    },
});
