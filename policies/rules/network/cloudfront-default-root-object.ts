import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

export const cloudfrontDefaultRootObject = resourceRule({
    name: "cloudfront-default-root-object",
    description: "CloudFront distributions whose default behaviour serves files (not a custom HTTP origin) must set a default root object.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss"],
    topics: ["cdn", "public-exposure"],
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    peers: { checkov: ["CKV_AWS_305"] },
    remediation: 'set defaultRootObject (e.g. index.html) so a request for "/" does not list or expose the origin.',
    check: ({ props }, report) => {
        const origins = asArray<any>(props.origins);
        const target = props.defaultCacheBehavior?.targetOriginId;
        const group = asArray<any>(props.originGroups).find((g) => g?.originId === target);
        const ids = group ? asArray<any>(group.members).map((m) => m?.originId) : [target];
        const serving = origins.filter((o) => ids.includes(o?.originId));
        // An HTTP application behind customOriginConfig routes "/" itself; S3 (and anything unresolved) does not.
        const filesOrigin = serving.length === 0 || serving.some((o) => !o?.customOriginConfig);
        if (filesOrigin && !props.defaultRootObject) report("The default behaviour serves files and defaultRootObject is not set.");
    },
});
