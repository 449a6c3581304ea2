import * as pulumi from "@pulumi/pulumi";
import { GlobalConfig } from "./config";
import { stackRefName } from "./contract";

export interface GlobalOutputs {
    /** What the global stack found in each regional stack it reads. */
    regions: pulumi.Output<{ stack: string; region: string; zone: string; role: string; vpcCidr: string }>[];
}

/**
 * The global stack (wave 3): reads every regional stack's outputs through
 * StackReference, using only the names of the contract in stacks/contract.ts.
 */
export function globalStack(config: GlobalConfig): GlobalOutputs {
    const regions = config.regionalStacks.map((stack) => {
        const ref = new pulumi.StackReference(`ref-${stack}`, { name: stackRefName(config.stackOrg, config.project, stack) });
        return pulumi.all([
            ref.requireOutput("region"),
            ref.requireOutput("zone"),
            ref.requireOutput("role"),
            ref.requireOutput("vpcCidr"),
        ]).apply(([region, zone, role, vpcCidr]) => ({ stack, region: String(region), zone: String(zone), role: String(role), vpcCidr: String(vpcCidr) }));
    });
    return { regions };
}
