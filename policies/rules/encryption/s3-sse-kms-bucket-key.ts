import { stackRule } from "../../lib/rule";
import { asArray, dependents, isCustomerManagedKey, isTrue, ofType } from "../../lib/props";

const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";

function problems(rules: unknown): string[] {
    const list = asArray<any>(rules);
    if (!list.length) return ["it has no encryption rule"];
    const out: string[] = [];
    for (const r of list) {
        const d = r?.applyServerSideEncryptionByDefault;
        if (!d || !/^aws:kms/.test(d.sseAlgorithm ?? "")) out.push(`sseAlgorithm is ${JSON.stringify(d?.sseAlgorithm)}, not aws:kms`);
        else if (!isCustomerManagedKey(d.kmsMasterKeyId)) out.push("kmsMasterKeyId is not a customer-managed key");
        if (!isTrue(r?.bucketKeyEnabled)) out.push("bucketKeyEnabled is not true");
    }
    return out;
}

export const s3SseKmsBucketKey = stackRule({
    name: "s3-sse-kms-bucket-key",
    description: "Every S3 bucket must default to SSE-KMS with a customer-managed key and an S3 Bucket Key.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "encryption",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa", "cis"],
    topics: ["encryption-at-rest", "kms", "s3"],
    resourceTypes: ["aws:s3/bucket:Bucket", SSE],
    peers: { checkov: ["CKV_AWS_145"] },
    remediation:
        'add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with sseAlgorithm "aws:kms", kmsMasterKeyId set to the region\'s key and bucketKeyEnabled: true.',
    check: (resources, _config, report) => {
        for (const sse of ofType(resources, SSE))
            for (const p of problems(sse.props.rules)) report(`The bucket encryption configuration is weak: ${p}.`, sse.urn);
        for (const bucket of ofType(resources, "aws:s3/bucket:Bucket")) {
            const inline = bucket.props.serverSideEncryptionConfiguration;
            if (inline) {
                for (const p of problems(asArray(inline).flatMap((c: any) => asArray(c?.rules ?? c?.rule))))
                    report(`The bucket's inline encryption is weak: ${p}.`, bucket.urn);
                continue;
            }
            if (!dependents(resources, bucket, SSE).length) report("The bucket has no server-side encryption configuration.", bucket.urn);
        }
    },
});
