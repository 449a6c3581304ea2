import { resourceRule } from "../../lib/rule";
import { asArray, isFalse, isTrue } from "../../lib/props";

/** A single IPv4 host: the only entry a public API allowlist may hold (docs/decisions/eks-api-access.md). */
const HOST = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\/32$/;

export const eksEndpointPrivate = resourceRule({
    name: "eks-endpoint-private",
    description:
        "EKS API endpoints must be private, or public only to an explicit allowlist of single addresses (/32, such as the deploy runner's NAT addresses) with the private endpoint on.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["public-exposure", "kubernetes"],
    resourceTypes: ["eks:index:Cluster", "aws:eks/cluster:Cluster"],
    peers: { checkov: ["CKV_AWS_38", "CKV_AWS_39"], compliancePolicies: ["aws-eks-cluster-disallow-api-endpoint-public-access"] },
    remediation:
        "set endpointPrivateAccess: true and endpointPublicAccess: false, or publicAccessCidrs to the deploy runner's /32 egress addresses (the bootstrap stack's runner.egressCidrs).",
    check: ({ type, props }, report) => {
        const cfg = type === "eks:index:Cluster" ? props : (props.vpcConfig ?? {});
        // Both default to a public endpoint when unset.
        if (isFalse(cfg.endpointPublicAccess)) {
            if (!isTrue(cfg.endpointPrivateAccess) && type === "eks:index:Cluster")
                report("endpointPublicAccess is false but endpointPrivateAccess is not true: nothing could reach the API.");
            return;
        }
        const cidrs = asArray<string>(cfg.publicAccessCidrs);
        if (!cidrs.length) report("The API endpoint is public to the whole internet (endpointPublicAccess is not false and publicAccessCidrs is empty).");
        const wide = cidrs.filter((c) => !HOST.test(c));
        if (wide.length) report(`publicAccessCidrs includes ${wide.join(", ")}; only single addresses (/32) may reach a public endpoint.`);
        // With the private endpoint off, nodes would reach their own API over the internet.
        if (!isTrue(cfg.endpointPrivateAccess)) report("The endpoint is public but endpointPrivateAccess is not true.");
    },
});
