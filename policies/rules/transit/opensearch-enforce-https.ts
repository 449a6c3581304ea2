import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

const POLICIES = ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"];

export const opensearchEnforceHttps = resourceRule({
    name: "opensearch-enforce-https",
    description: "OpenSearch domains must enforce HTTPS with a TLS 1.2+ policy and encrypt node-to-node traffic.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-in-transit", "tls", "search"],
    resourceTypes: ["aws:opensearch/domain:Domain"],
    peers: { checkov: ["CKV_AWS_83", "CKV_AWS_228", "CKV_AWS_6"] },
    remediation: "set domainEndpointOptions { enforceHttps: true, tlsSecurityPolicy: \"Policy-Min-TLS-1-2-PFS-2023-10\" } and nodeToNodeEncryption { enabled: true }.",
    check: ({ props }, report) => {
        const ep = props.domainEndpointOptions ?? {};
        if (!isTrue(ep.enforceHttps)) report("domainEndpointOptions.enforceHttps is not true.");
        if (!POLICIES.includes(ep.tlsSecurityPolicy)) report(`tlsSecurityPolicy is ${JSON.stringify(ep.tlsSecurityPolicy)}.`);
        if (!isTrue(props.nodeToNodeEncryption?.enabled)) report("nodeToNodeEncryption is not enabled.");
    },
});
