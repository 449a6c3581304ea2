import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

export const cloudfrontOriginFailover = resourceRule({
    name: "cloudfront-origin-failover",
    description: "CloudFront distributions must have an origin group that fails over to a second origin.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2"],
    topics: ["cdn", "failover"],
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    peers: { checkov: ["CKV_AWS_310"] },
    remediation: "add originGroups with a primary and a failover member and failoverCriteria status codes.",
    check: ({ props }, report) => {
        if (!asArray(props.originGroups).length) report("The distribution has no originGroups: an origin outage is not failed over.");
    },
});
