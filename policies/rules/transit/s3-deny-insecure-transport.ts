import { stackRule } from "../../lib/rule";
import { asArray, dependents, ofType, statements } from "../../lib/props";

const POLICY = "aws:s3/bucketPolicy:BucketPolicy";

/** A Deny on every principal and every S3 action for requests that did not come over TLS. */
function deniesInsecureTransport(doc: unknown): boolean {
    return statements(doc).some((s) => {
        if (s.Effect !== "Deny") return false;
        const everyone = s.Principal === "*" || asArray(s.Principal?.AWS).includes("*");
        const everyAction = asArray<string>(s.Action).some((a) => a === "*" || a === "s3:*");
        return everyone && everyAction && asArray(s.Condition?.Bool?.["aws:SecureTransport"]).map(String).includes("false");
    });
}

export const s3DenyInsecureTransport = stackRule({
    name: "s3-deny-insecure-transport",
    description: "Every S3 bucket must have a bucket policy that denies all requests not made over TLS (aws:SecureTransport false).",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa", "cis"],
    topics: ["encryption-in-transit", "tls", "s3"],
    resourceTypes: ["aws:s3/bucket:Bucket", POLICY],
    remediation:
        'give the bucket an aws.s3.BucketPolicy with a statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucket ARN, bucket ARN + "/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } } (CIS AWS 2.1.1).',
    check: (resources, _c, report) => {
        for (const b of ofType(resources, "aws:s3/bucket:Bucket")) {
            if (!dependents(resources, b, POLICY).length) report("The bucket has no bucket policy, so nothing refuses plain-HTTP requests.", b.urn);
        }
        // Every policy, including those on buckets made elsewhere, must carry the deny itself.
        for (const p of ofType(resources, POLICY)) {
            if (!deniesInsecureTransport(p.props.policy))
                report("The bucket policy has no Deny of every principal and action when aws:SecureTransport is false.", p.urn);
        }
    },
});
