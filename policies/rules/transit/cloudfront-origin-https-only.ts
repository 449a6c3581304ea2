import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

export const cloudfrontOriginHttpsOnly = resourceRule({
    name: "cloudfront-origin-https-only",
    description: "CloudFront must reach custom origins over HTTPS only, with TLSv1.2.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr"],
    topics: ["encryption-in-transit", "tls", "cdn"],
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    peers: { compliancePolicies: ["aws-cloudfront-distribution-enable-tls-to-origin", "aws-cloudfront-distribution-configure-secure-tls-to-origin"] },
    remediation: 'set customOriginConfig.originProtocolPolicy "https-only" and originSslProtocols ["TLSv1.2"] on every custom origin.',
    check: ({ props }, report) => {
        for (const o of asArray<any>(props.origins)) {
            const c = o?.customOriginConfig;
            if (!c) continue;
            if (c.originProtocolPolicy !== "https-only") report(`Origin ${o.originId} has originProtocolPolicy ${JSON.stringify(c.originProtocolPolicy)}.`);
            const weak = asArray<string>(c.originSslProtocols).filter((p) => p !== "TLSv1.2");
            if (weak.length) report(`Origin ${o.originId} allows ${weak.join(", ")}.`);
        }
    },
});
