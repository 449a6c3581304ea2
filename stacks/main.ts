import { loadStackConfig } from "./config";
import { bootstrapStack } from "./bootstrap";
import { globalStack } from "./global";
import { regionalStack } from "./regional";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { projectRoot, siblingStacks } from "./stack-files";

/** The project folder the engine runs us in (where the stack files are), else the one above this file. */
function runningProjectRoot(): string {
    const dir = pulumi.runtime.getRootDirectory();
    return dir && fs.existsSync(path.join(dir, "Pulumi.yaml")) ? dir : projectRoot();
}

/**
 * The program: read the stack config once (bad config fails here, before any
 * resource), then build the stack its role calls for.
 */
export async function main(): Promise<Record<string, unknown>> {
    const config = loadStackConfig(siblingStacks(runningProjectRoot()));
    if (config.role === "bootstrap") return { ...bootstrapStack(config) };
    return config.role === "global" ? { ...(await globalStack(config)) } : { ...(await regionalStack(config)) };
}
