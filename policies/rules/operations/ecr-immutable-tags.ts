import { resourceRule } from "../../lib/rule";

/**
 * A mutable tag can be re-pushed over the image a rollout verified, so what a tag names stops being what was
 * scanned and approved. The pods pin digests (components/app-images.ts); immutable tags keep the release tags
 * the pipeline resolves those digests from honest too.
 */
export const ecrImmutableTags = resourceRule({
    name: "ecr-immutable-tags",
    description: "ECR repositories must make image tags immutable, so a pushed release tag always names the same image.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "operations",
    frameworks: ["soc2", "pci-dss"],
    topics: ["supply-chain", "container-images"],
    resourceTypes: ["aws:ecr/repository:Repository"],
    remediation: 'set imageTagMutability to "IMMUTABLE" (ContainerRegistry does) and give each release a new tag.',
    peers: { checkov: ["CKV_AWS_51"] },
    check: ({ props }, report) => {
        const m = props.imageTagMutability;
        if (m !== "IMMUTABLE") report(`imageTagMutability is ${JSON.stringify(m ?? "MUTABLE (the default)")}: a tag can be pushed again over another image.`);
    },
});
