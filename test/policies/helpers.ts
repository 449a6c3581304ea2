import { CapturedResource } from "../../tools/offline/mock-engine";
import { evaluatePolicies, Violation } from "../../tools/offline/policy-runner";
import { Rule } from "../../policies/lib/rule";

/** Builders for hand-made captured resources, shaped exactly like the offline engine's. */

export const DESIGN_TAGS = {
    app: "bookedbarber",
    environment: "production",
    zone: "eu",
    region: "eu-west-1",
    owner: "platform-engineering",
    "cost-center": "infrastructure",
    "data-classification": "confidential",
    "compliance-scope": "soc2+pci-dss+gdpr",
};

let counter = 0;
const STACK_URN = "urn:pulumi:test::bookedbarber::pulumi:pulumi:Stack::bookedbarber-test";

export interface Opts {
    name?: string;
    deps?: CapturedResource[];
    protect?: boolean;
    provider?: CapturedResource | null;
}

export function provider(region = "eu-west-1", tags: Record<string, string> = DESIGN_TAGS, name = "aws-test"): CapturedResource {
    return res("pulumi:providers:aws", { region, defaultTags: JSON.stringify({ tags }) }, { name, provider: null });
}

export const PROVIDER = provider();

export function res(type: string, inputs: Record<string, unknown>, o: Opts = {}): CapturedResource {
    const name = o.name ?? `r${++counter}`;
    const prov = o.provider === undefined ? PROVIDER : o.provider;
    return {
        urn: `urn:pulumi:test::bookedbarber::${type}::${name}`,
        type,
        name,
        parent: STACK_URN,
        provider: prov ? prov.urn : null,
        custom: true,
        inputs,
        options: {
            protect: o.protect ?? false,
            ignoreChanges: [],
            retainOnDelete: false,
            deleteBeforeReplace: false,
            additionalSecretOutputs: [],
            dependencies: (o.deps ?? []).map((d) => d.urn),
        },
    };
}

/** A stack: the root, the providers the resources use, then the resources. */
export function stack(...resources: CapturedResource[]): CapturedResource[] {
    const root: CapturedResource = { ...res("pulumi:pulumi:Stack", {}, { provider: null }), urn: STACK_URN, parent: null, custom: false };
    const providers = new Map<string, CapturedResource>([[PROVIDER.urn, PROVIDER]]);
    for (const r of resources) if (r.type.startsWith("pulumi:providers:")) providers.set(r.urn, r);
    return [root, ...providers.values(), ...resources.filter((r) => !r.type.startsWith("pulumi:providers:"))];
}

/** Violations of one rule over a stack made of `resources`. */
export async function violationsOf(rule: Rule, resources: CapturedResource[]): Promise<Violation[]> {
    return (await evaluatePolicies(stack(...resources), { rules: [rule] })).violations;
}
