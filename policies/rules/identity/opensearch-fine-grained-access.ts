import { resourceRule } from "../../lib/rule";
import { isTrue } from "../../lib/props";

export const opensearchFineGrainedAccess = resourceRule({
    name: "opensearch-fine-grained-access",
    description: "OpenSearch domains must use fine-grained access control with anonymous access off.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["search", "authentication"],
    resourceTypes: ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"],
    peers: { checkov: ["CKV2_AWS_52"] },
    remediation: "set advancedSecurityOptions { enabled: true, anonymousAuthEnabled: false, masterUserOptions.masterUserArn: an IAM role }.",
    check: ({ props }, report) => {
        const aso = props.advancedSecurityOptions;
        if (!isTrue(aso?.enabled)) report("advancedSecurityOptions.enabled is not true: any principal the access policy admits can read every index.");
        if (isTrue(aso?.anonymousAuthEnabled)) report("advancedSecurityOptions.anonymousAuthEnabled is true.");
    },
});
