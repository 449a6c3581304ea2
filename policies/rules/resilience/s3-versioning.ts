import { stackRule } from "../../lib/rule";
import { dependents, ofType } from "../../lib/props";

const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";

export const s3Versioning = stackRule({
    name: "s3-versioning",
    description: "Every S3 bucket must have versioning enabled, so an overwrite or delete can be undone.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["data-loss", "s3"],
    resourceTypes: ["aws:s3/bucket:Bucket", VERSIONING],
    peers: { checkov: ["CKV_AWS_21"] },
    remediation:
        'add an aws.s3.BucketVersioning for the bucket with versioningConfiguration.status "Enabled" (and a lifecycle rule that expires old versions).',
    check: (resources, _c, report) => {
        for (const b of ofType(resources, "aws:s3/bucket:Bucket")) {
            const v = dependents(resources, b, VERSIONING);
            const inline = b.props.versioning?.enabled === true;
            if (!inline && !v.some((x) => x.props.versioningConfiguration?.status === "Enabled")) report("Versioning is not enabled on the bucket.", b.urn);
        }
    },
});
