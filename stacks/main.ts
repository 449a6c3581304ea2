import { loadStackConfig } from "./config";
import { globalStack } from "./global";
import { regionalStack } from "./regional";
import { siblingStacks } from "./stack-files";

/**
 * The program: read the stack config once (bad config fails here, before any
 * resource), then build the stack its role calls for.
 */
export async function main(): Promise<Record<string, unknown>> {
    const config = loadStackConfig(siblingStacks());
    return config.role === "global" ? { ...(await globalStack(config)) } : { ...regionalStack(config) };
}
