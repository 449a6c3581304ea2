import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const opensearchEnforceHttps = resourceRule({
    name: "opensearch-enforce-https",
    description: "OpenSearch domains must refuse plain HTTP.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-in-transit", "tls", "search"],
    resourceTypes: ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"],
    peers: { checkov: ["CKV_AWS_83"] },
    remediation: "set domainEndpointOptions.enforceHttps: true.",
    check: ({ props }, report) => {
        const ep = props.domainEndpointOptions ?? {};
        if (!isTrue(ep.enforceHttps)) report("domainEndpointOptions.enforceHttps is not true.");
    },
});
