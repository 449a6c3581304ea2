import { resourceRule } from "../../lib/rule";

export const s3AclsDisabled = resourceRule<{ logDeliveryAclResources: string[] }>({
    name: "s3-acls-disabled",
    description:
        "S3 bucket ownership controls must be BucketOwnerEnforced, which disables ACLs, unless the bucket is a documented legacy log-delivery exception.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "gdpr", "cis"],
    topics: ["public-exposure", "s3", "least-privilege"],
    resourceTypes: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
    remediation:
        'set rule.objectOwnership to "BucketOwnerEnforced" (log delivery v2, ALB/NLB and CloudFront standard logging v2 need no ACLs); a bucket that must take ACL-based legacy log delivery uses "BucketOwnerPreferred" and is listed, with the reason, in this rule\'s logDeliveryAclResources config.',
    config: {
        logDeliveryAclResources: {
            type: "array",
            items: { type: "string" },
            default: [],
            description:
                "Names of BucketOwnershipControls resources that may keep ACLs (BucketOwnerPreferred) for a legacy log-delivery service that writes with ACLs; document each in the pack config.",
        },
    },
    check: ({ props, name, config }, report) => {
        const ownership = props.rule?.objectOwnership;
        if (ownership === "BucketOwnerEnforced") return;
        if (ownership === "BucketOwnerPreferred" && config.logDeliveryAclResources.includes(name)) return;
        report(`objectOwnership is ${JSON.stringify(ownership)}: ACLs stay enabled, so objects can be shared (or made public) around the bucket policy.`);
    },
});
