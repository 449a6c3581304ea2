import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ObservabilityStack } from "../components/observability-stack";
import { GlobalConfig } from "./config";
import { stackRefName } from "./contract";
import { shortRegion } from "./regions";

export interface GlobalOutputs {
    /** What the global stack found in each regional stack it reads. */
    regions: pulumi.Output<{ stack: string; region: string; zone: string; role: string; vpcCidr: string }>[];
    /** ObservabilityStack global mode: the account's multi-region CloudTrail. */
    auditTrailArn: pulumi.Output<string>;
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

    // ---- ObservabilityStack, global mode (issue 8): the account's multi-region audit trail ----
    // Its own provider for the home region (same region and tags as regionProvider), so it never collides by name
    // with the edge block's providers.
    const auditProvider = new aws.Provider(`aws-audit-${shortRegion(config.region)}`, {
        region: config.region,
        defaultTags: { tags: { ...config.tags, region: config.region } },
    });
    const audit = new ObservabilityStack("bb-global-obs", {
        mode: "global",
        region: config.region,
        accountId: aws.getCallerIdentityOutput({}, { provider: auditProvider }).accountId,
        protect: config.protect,
    }, { provider: auditProvider });

    return { regions, auditTrailArn: audit.trailArn! };
}
