import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

/** One year, the HSTS preload list's floor (hstspreload.org). */
export const HSTS_MIN_AGE_SECONDS = 31536000;

export const cloudfrontResponseHeadersHsts = resourceRule({
    name: "cloudfront-response-headers-hsts",
    description: "CloudFront response headers policies must send Strict-Transport-Security (at least a year, overriding the origin).",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss"],
    topics: ["tls", "cdn", "encryption-in-transit"],
    resourceTypes: ["aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"],
    peers: { checkov: ["CKV_AWS_259"] },
    remediation: `set securityHeadersConfig.strictTransportSecurity { accessControlMaxAgeSec: ${HSTS_MIN_AGE_SECONDS} or more, includeSubdomains: true, override: true }.`,
    check: ({ props }, report) => {
        const hsts = props.securityHeadersConfig?.strictTransportSecurity;
        if (!hsts) return report("The policy sets no strictTransportSecurity header.");
        if (!isTrue(hsts.override)) report("strictTransportSecurity.override is not true: an origin header can replace it.");
        if (Number(hsts.accessControlMaxAgeSec) < HSTS_MIN_AGE_SECONDS)
            report(`strictTransportSecurity max-age is ${hsts.accessControlMaxAgeSec}, under ${HSTS_MIN_AGE_SECONDS}.`);
    },
});
