import { resourceRule } from "../../lib/rule";
import { isUnknown } from "../../lib/props";

/**
 * Kubernetes versions Amazon EKS supports (standard and extended support), as listed in
 * https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (retrieved 2026-11-29,
 * kept with its source in test/upstream/eks/supported-versions.json, which a test compares).
 */
export const EKS_SUPPORTED_VERSIONS = ["1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"];

export const eksSupportedVersion = resourceRule({
    name: "eks-supported-version",
    description: "EKS clusters and node groups must run a Kubernetes version Amazon EKS still supports.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "operations",
    frameworks: ["soc2", "pci-dss"],
    topics: ["kubernetes", "change-management"],
    resourceTypes: ["eks:index:Cluster", "aws:eks/cluster:Cluster", "aws:eks/nodeGroup:NodeGroup"],
    peers: { checkov: ["CKV_AWS_339"] },
    config: { versions: { type: "array", items: { type: "string" }, default: EKS_SUPPORTED_VERSIONS, description: "Kubernetes minor versions EKS supports." } },
    remediation: `set version to one of ${EKS_SUPPORTED_VERSIONS.join(", ")} (unsupported versions get no security patches, and extended support costs more).`,
    check: ({ props, config }, report) => {
        const v = props.version;
        // Unset: EKS picks its current default, which is supported.
        if (v === undefined || v === null || v === "" || isUnknown(v)) return;
        const minor = /^(\d+\.\d+)/.exec(String(v))?.[1];
        if (!minor || !config.versions.includes(minor)) report(`version ${v} is not a supported EKS Kubernetes version (${config.versions.join(", ")}).`);
    },
});
