import { resourceRule } from "../../lib/rule";
import { isFalse } from "../../lib/props";

export const cloudfrontEnabled = resourceRule({
    name: "cloudfront-enabled",
    description: "CloudFront distributions must be enabled; a disabled one serves nothing but still exists.",
    severity: "low",
    enforcementLevel: "mandatory",
    domain: "operations",
    frameworks: ["soc2"],
    topics: ["cdn", "availability"],
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    peers: { checkov: ["CKV_AWS_216"] },
    remediation: "leave enabled: true, or delete the distribution.",
    check: ({ props }, report) => {
        if (isFalse(props.enabled)) report("The distribution is disabled (enabled: false).");
    },
});
