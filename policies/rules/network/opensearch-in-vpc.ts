import { resourceRule } from "../../lib/rule";

export const opensearchInVpc = resourceRule({
    name: "opensearch-in-vpc",
    description: "OpenSearch domains must run inside a VPC.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["search", "public-exposure"],
    resourceTypes: ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"],
    peers: { checkov: ["CKV_AWS_137"] },
    remediation: "set vpcOptions.subnetIds (and securityGroupIds).",
    check: ({ props }, report) => {
        if (!(props.vpcOptions?.subnetIds ?? []).length) report("The domain has no vpcOptions.subnetIds: its endpoint is public.");
    },
});
