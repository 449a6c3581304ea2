import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

export const eksNodeGroupNoSsh = resourceRule({
    name: "eks-node-group-no-ssh",
    description: "EKS node groups must not open SSH through remoteAccess; a key with no source security groups opens port 22 to 0.0.0.0/0.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["public-exposure", "kubernetes"],
    resourceTypes: ["aws:eks/nodeGroup:NodeGroup"],
    peers: { checkov: ["CKV_AWS_100"] },
    remediation: "drop remoteAccess and reach nodes through SSM Session Manager; if SSH must stay, list sourceSecurityGroupIds.",
    check: ({ props }, report) => {
        const ra = props.remoteAccess;
        if (!ra || !ra.ec2SshKey) return;
        if (!asArray(ra.sourceSecurityGroupIds).length) report("remoteAccess sets ec2SshKey with no sourceSecurityGroupIds: EKS opens port 22 to 0.0.0.0/0.");
    },
});
