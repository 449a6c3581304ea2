import { resourceRule } from "../../lib/rule";
import { asArray, isFalse } from "../../lib/props";

/** Origins that serve files from S3 (an S3 origin config, an origin access control, or an S3 domain). */
function isS3Origin(o: any): boolean {
    return !!o?.s3OriginConfig || !!o?.originAccessControlId || /\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.test(String(o?.domainName ?? ""));
}

export const cloudfrontDistributionSettings = resourceRule({
    name: "cloudfront-distribution-settings",
    description: "CloudFront distributions must be enabled, serve a default root object when the default origin is an S3 bucket, and have an origin group for failover.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2", "pci-dss"],
    topics: ["cdn", "availability"],
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    peers: { checkov: ["CKV_AWS_216", "CKV_AWS_305", "CKV_AWS_310"] },
    remediation: "leave enabled: true; set defaultRootObject (e.g. index.html) for a bucket origin so \"/\" does not list or expose the bucket; add originGroups with a primary and a failover origin.",
    check: ({ props }, report) => {
        if (isFalse(props.enabled)) report("The distribution is disabled (enabled: false): it serves nothing while it still exists and costs.");
        const origins = asArray<any>(props.origins);
        const target = props.defaultCacheBehavior?.targetOriginId;
        const defaultOrigin = origins.find((o) => o?.originId === target) ?? (origins.length === 1 ? origins[0] : undefined);
        if (defaultOrigin && isS3Origin(defaultOrigin) && !props.defaultRootObject) report("The default origin is an S3 bucket and defaultRootObject is not set.");
        if (!asArray(props.originGroups).length) report("The distribution has no originGroups: an origin outage is not failed over.");
    },
});
