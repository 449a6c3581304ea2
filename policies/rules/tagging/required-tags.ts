import { resourceRule } from "../../lib/rule";
import { effectiveTags } from "../../lib/props";
import { TAGGABLE_TYPES } from "./taggable-types";

export const DESIGN_TAG_KEYS = ["app", "environment", "zone", "region", "owner", "cost-center", "data-classification", "compliance-scope"];

export const requiredTags = resourceRule<{ requiredKeys: string[] }>({
    name: "required-tags",
    description: "Every taggable AWS resource must carry the design's tag keys, through the provider's defaultTags or its own tags.",
    severity: "low",
    enforcementLevel: "mandatory",
    domain: "tagging",
    frameworks: ["soc2", "gdpr"],
    topics: ["tagging", "cost-allocation", "data-classification"],
    resourceTypes: TAGGABLE_TYPES,
    remediation: "create the resource with a provider from stacks/providers.ts (regionProvider), whose defaultTags carry the design's tags.",
    config: {
        requiredKeys: {
            type: "array",
            items: { type: "string" },
            default: DESIGN_TAG_KEYS,
            description: "Tag keys every taggable resource carries (docs/design.md#conventions).",
        },
    },
    check: ({ props, providerProps, config }, report) => {
        const tags = effectiveTags(props, providerProps);
        const missing = config.requiredKeys.filter((k) => !tags[k]);
        if (missing.length) report(`Missing tag keys: ${missing.join(", ")}.`);
    },
});
