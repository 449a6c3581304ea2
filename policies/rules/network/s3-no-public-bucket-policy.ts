import { resourceRule } from "../../lib/rule";
import { openGrants } from "../../lib/iam";

export const s3NoPublicBucketPolicy = resourceRule({
    name: "s3-no-public-bucket-policy",
    description:
        'S3 bucket policies must not allow every principal ("*" without a condition, or NotPrincipal), and grants to AWS services must be scoped to our account or resource.',
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa", "cis"],
    topics: ["public-exposure", "s3", "least-privilege"],
    resourceTypes: ["aws:s3/bucketPolicy:BucketPolicy"],
    peers: { checkov: ["CKV_AWS_70"] },
    remediation:
        'name the principal (a service such as delivery.logs.amazonaws.com, a role ARN, cloudfront.amazonaws.com for origin access control) and narrow service grants with aws:SourceAccount / aws:SourceArn conditions; never Allow Principal "*" unconditionally.',
    check: ({ props }, report) => {
        for (const problem of openGrants(props.policy)) report(problem);
    },
});
