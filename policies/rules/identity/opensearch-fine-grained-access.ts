import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

const DOMAIN_TYPES = ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"];

export const opensearchFineGrainedAccess = resourceRule({
    name: "opensearch-fine-grained-access",
    description: "OpenSearch domains must use fine-grained access control with anonymous access off, and run inside a VPC.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["search", "authentication", "public-exposure"],
    resourceTypes: DOMAIN_TYPES,
    peers: { checkov: ["CKV2_AWS_52", "CKV_AWS_137"] },
    remediation: "set advancedSecurityOptions { enabled: true, anonymousAuthEnabled: false, masterUserOptions.masterUserArn: an IAM role } and vpcOptions.subnetIds.",
    check: ({ props }, report) => {
        const aso = props.advancedSecurityOptions;
        if (!isTrue(aso?.enabled)) report("advancedSecurityOptions.enabled is not true: any principal the access policy admits can read every index.");
        if (isTrue(aso?.anonymousAuthEnabled)) report("advancedSecurityOptions.anonymousAuthEnabled is true.");
        if (!(props.vpcOptions?.subnetIds ?? []).length) report("The domain has no vpcOptions.subnetIds: its endpoint is public.");
    },
});
