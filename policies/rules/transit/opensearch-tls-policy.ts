import { resourceRule } from "../../lib/rule";

/** OpenSearch endpoint policies with TLS 1.2 as the floor (OpenSearch Service developer guide). */
const TLS12_POLICIES = ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10", "Policy-Min-TLS-1-2-RFC9151-FIPS-2024-08"];

export const opensearchTlsPolicy = resourceRule({
    name: "opensearch-tls-policy",
    description: "OpenSearch domain endpoints must use a TLS 1.2+ security policy.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-in-transit", "tls", "search"],
    resourceTypes: ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"],
    peers: { checkov: ["CKV_AWS_228"] },
    remediation: 'set domainEndpointOptions.tlsSecurityPolicy to "Policy-Min-TLS-1-2-PFS-2023-10" (or Policy-Min-TLS-1-2-2019-07).',
    check: ({ props }, report) => {
        const policy = props.domainEndpointOptions?.tlsSecurityPolicy;
        if (!TLS12_POLICIES.includes(policy)) report(`tlsSecurityPolicy is ${JSON.stringify(policy ?? "unset (Policy-Min-TLS-1-0-2019-07)")}.`);
    },
});
