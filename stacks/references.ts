import * as pulumi from "@pulumi/pulumi";
import { RegionalConfig } from "./config";
import { stackRefName } from "./contract";
import { shortRegion } from "./regions";

/**
 * The standby's reference to its zone primary, or undefined for a primary.
 * Read only the contract's names from it (stacks/contract.ts), with
 * `requireOutput`, so a missing output fails naming the stack and the output.
 */
export function zonePrimaryReference(config: RegionalConfig): pulumi.StackReference | undefined {
    if (config.role !== "standby" || !config.primaryStack) return undefined;
    return new pulumi.StackReference(`bb-${shortRegion(config.region)}-primary`, {
        name: stackRefName(config.stackOrg, config.project, config.primaryStack),
    });
}
