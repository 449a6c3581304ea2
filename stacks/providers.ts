import * as aws from "@pulumi/aws";
import { taggedAwsProvider } from "../components/tags";
import { StackConfig } from "./config";
import { shortRegion } from "./regions";

/**
 * An AWS provider pinned to one region, carrying the design's tags through
 * `defaultTags` so every taggable resource gets them without repeating them.
 */
export function regionProvider(config: StackConfig, region: string): aws.Provider {
    return taggedAwsProvider(`aws-${shortRegion(region)}`, { region, tags: { ...config.tags, ...(config.role === "global" ? { region } : {}) } });
}
