import { resourceRule } from "../../lib/rule";
import { asArray, isFalse, isTrue } from "../../lib/props";

const WORLD = ["0.0.0.0/0", "::/0"];

export const eksEndpointPrivate = resourceRule({
    name: "eks-endpoint-private",
    description: "EKS API endpoints must be private, or public only to an explicit allowlist of CIDRs that excludes the internet.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["public-exposure", "kubernetes"],
    resourceTypes: ["eks:index:Cluster", "aws:eks/cluster:Cluster"],
    peers: { checkov: ["CKV_AWS_38", "CKV_AWS_39"], compliancePolicies: ["aws-eks-cluster-disallow-api-endpoint-public-access"] },
    remediation: "set endpointPrivateAccess: true and endpointPublicAccess: false (or publicAccessCidrs to the operators' egress CIDRs).",
    check: ({ type, props }, report) => {
        const cfg = type === "eks:index:Cluster" ? props : props.vpcConfig ?? {};
        // Both default to a public endpoint when unset.
        if (isFalse(cfg.endpointPublicAccess)) {
            if (!isTrue(cfg.endpointPrivateAccess) && type === "eks:index:Cluster") report("endpointPublicAccess is false but endpointPrivateAccess is not true: nothing could reach the API.");
            return;
        }
        const cidrs = asArray<string>(cfg.publicAccessCidrs);
        if (!cidrs.length) report("The API endpoint is public to the whole internet (endpointPublicAccess is not false and publicAccessCidrs is empty).");
        else if (cidrs.some((c) => WORLD.includes(c))) report(`publicAccessCidrs includes ${cidrs.filter((c) => WORLD.includes(c)).join(", ")}.`);
    },
});
