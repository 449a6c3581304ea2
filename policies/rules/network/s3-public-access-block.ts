import { stackRule } from "../../lib/rule";
import { dependents, isTrue, ofType } from "../../lib/props";

const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

export const s3PublicAccessBlock = stackRule({
    name: "s3-public-access-block",
    description: "Every S3 bucket must have a public access block with all four settings on.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa", "cis"],
    topics: ["public-exposure", "s3"],
    resourceTypes: ["aws:s3/bucket:Bucket", PAB],
    peers: { checkov: ["CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"] },
    remediation:
        "add an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets true; CloudFront reads through origin access control, not public access.",
    check: (resources, _c, report) => {
        for (const b of ofType(resources, "aws:s3/bucket:Bucket"))
            if (!dependents(resources, b, PAB).length) report("The bucket has no public access block.", b.urn);
        for (const p of ofType(resources, PAB)) {
            const off = FLAGS.filter((f) => !isTrue(p.props[f]));
            if (off.length) report(`The public access block leaves ${off.join(", ")} off.`, p.urn);
        }
    },
});
