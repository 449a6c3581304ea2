import { resourceRule } from "../../lib/rule";
import { asArray, statements } from "../../lib/props";

export const s3NoPublicBucketPolicy = resourceRule({
    name: "s3-no-public-bucket-policy",
    description: "S3 bucket policies must not allow every principal (\"*\") unless a condition narrows who can use the grant.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa", "cis"],
    topics: ["public-exposure", "s3", "least-privilege"],
    resourceTypes: ["aws:s3/bucketPolicy:BucketPolicy"],
    remediation: "name the principal (a service such as delivery.logs.amazonaws.com, a role ARN, cloudfront.amazonaws.com for origin access control) and narrow it with aws:SourceAccount / aws:SourceArn conditions; never Allow Principal \"*\" unconditionally.",
    check: ({ props }, report) => {
        statements(props.policy).forEach((s, i) => {
            if (s.Effect !== "Allow") return;
            const raw = s as Record<string, unknown>;
            if (raw.NotPrincipal !== undefined) {
                report(`Statement ${i} allows with NotPrincipal, which grants everyone not listed.`);
                return;
            }
            const everyone = s.Principal === "*" || asArray(s.Principal?.AWS).includes("*");
            if (everyone && Object.keys(s.Condition ?? {}).length === 0) report(`Statement ${i} allows Principal "*" with no condition: the grant is public.`);
        });
    },
});
