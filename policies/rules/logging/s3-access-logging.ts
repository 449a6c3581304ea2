import { stackRule } from "../../lib/rule";
import { dependents, ofType, parseJson } from "../../lib/props";

const LOGGING = "aws:s3/bucketLogging:BucketLogging";

export const s3AccessLogging = stackRule({
    name: "s3-access-logging",
    description: "S3 buckets should log access to a log bucket; log buckets themselves are exempt.",
    severity: "low",
    enforcementLevel: "advisory",
    domain: "logging",
    frameworks: ["soc2", "pci-dss"],
    topics: ["audit-logging", "s3"],
    resourceTypes: ["aws:s3/bucket:Bucket", LOGGING],
    peers: { checkov: ["CKV_AWS_18"] },
    remediation: "add an aws.s3.BucketLogging with targetBucket set to the region's log bucket, or tag a log bucket log-class so it is recognised as one.",
    check: (resources, _c, report) => {
        for (const b of ofType(resources, "aws:s3/bucket:Bucket")) {
            const isLogBucket = !!(parseJson(b.props.tags) ?? {})["log-class"] || /log/.test(String(b.props.bucket ?? b.name));
            if (isLogBucket || b.props.logging) continue;
            if (!dependents(resources, b, LOGGING).length) report("The bucket does not log access.", b.urn);
        }
    },
});
