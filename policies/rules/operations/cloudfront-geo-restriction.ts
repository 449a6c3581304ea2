import { resourceRule } from "../../lib/rule";

export const cloudfrontGeoRestriction = resourceRule({
    name: "cloudfront-geo-restriction",
    description: "CloudFront distributions should restrict viewer countries (an allow list, or a block list such as embargoed countries).",
    severity: "low",
    // Advisory: which countries a global booking platform serves is a business decision; the
    // default plan serves everyone (restrictionType "none") and the waiver table says why.
    enforcementLevel: "advisory",
    domain: "operations",
    frameworks: ["soc2"],
    topics: ["cdn"],
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    peers: { checkov: ["CKV_AWS_374"] },
    remediation: 'set restrictions.geoRestriction to restrictionType "whitelist" or "blacklist" with the countries.',
    check: ({ props }, report) => {
        const geo = props.restrictions?.geoRestriction;
        const type = geo?.restrictionType ?? "none";
        if (type === "none") report('restrictions.geoRestriction.restrictionType is "none": viewers from every country are served.');
        else if (!(geo?.locations ?? []).length) report(`restrictions.geoRestriction is ${type} with no locations.`);
    },
});
