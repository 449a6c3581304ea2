import { CapturedAlias, CapturedResource } from "./mock-engine";

/**
 * URNs as the Pulumi engine writes them into a stack's state, and how it finds a registration's old state through
 * `aliases`: what proves that a refactor which moves resources to another parent replaces nothing
 * (test/tools/offline/network-composition.spec.ts).
 *
 * The SDK's mock monitor, which the offline engine builds on, abbreviates a URN's type chain to the parent's
 * last type (`pulumi:pulumi:Stack$<type>` for top-level resources). The engine qualifies a resource's type with
 * its parent's whole type chain, and leaves the root stack out (Pulumi docs, "Resource names: URNs"; engine
 * `Deployment.generateURN`). Plans keep the mock's URNs (every plan reader uses them); the functions here
 * work on the engine's. The engine's rules, with their sources: test/upstream/pulumi/engine-urns-and-aliases.json.
 */

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

interface UrnParts {
    stack: string;
    project: string;
    qualifiedType: string;
    name: string;
}

function parseUrn(urn: string): UrnParts {
    const m = /^urn:pulumi:([^:]*)::([^:]*)::(.*?)::(.*)$/.exec(urn);
    if (!m) throw new Error(`not a Pulumi URN: ${urn}`);
    return { stack: m[1], project: m[2], qualifiedType: m[3], name: m[4] };
}

/** The engine's URN of a resource named `name` of `type` under `parent` (an engine URN, or "" for the root stack). */
export function createEngineUrn(stack: string, project: string, name: string, type: string, parent: string): string {
    const parentType = parent ? parseUrn(parent).qualifiedType : "";
    const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** Each captured resource's URN in the engine's form, by its URN in the plan. Parents come before children in a capture. */
export function engineUrns(resources: readonly CapturedResource[]): Map<string, string> {
    const byPlanUrn = new Map<string, string>();
    for (const r of resources) {
        const { stack, project } = parseUrn(r.urn);
        const parent = r.parent ? byPlanUrn.get(r.parent) : "";
        if (parent === undefined) throw new Error(`${r.urn}: its parent ${r.parent} was not registered before it`);
        byPlanUrn.set(r.urn, createEngineUrn(stack, project, r.name, r.type, parent));
    }
    return byPlanUrn;
}

/** How one registration found its old state. */
export interface AliasMatch {
    /** The resource's engine URN in this program. */
    urn: string;
    /** The old URN it takes over: its own URN when unchanged, an alias's otherwise; undefined for a resource the engine would create. */
    old?: string;
}

export interface AliasResolution {
    /** One entry per registration, in registration order. */
    matches: AliasMatch[];
    /** Old URNs no registration took over: the engine would delete them. */
    orphaned: string[];
    /** Old URNs two registrations claimed: the engine refuses the update (duplicate alias). */
    claimedTwice: string[];
}

/**
 * Replays the engine's lookup of old state (`stepGenerator.generateAliases` and the loop after it, pulumi/pulumi
 * pkg/resource/deploy/step_generator.go) over a plan's registrations against the URNs of a previous state: a
 * resource keeps its URN, or takes over the first old URN among its own aliases and the aliases it inherits
 * from its parent. A parent that matched through an alias hands that old URN down, so a component's alias
 * carries its whole subtree, a child's name prefix renamed with the parent's (`inheritedChildAlias`).
 */
export function resolveAliases(resources: readonly CapturedResource[], oldUrns: Iterable<string>): AliasResolution {
    const olds = new Set(oldUrns);
    const engine = engineUrns(resources);
    /** New engine URN -> the old URN it matched through an alias (the engine's `sg.aliases`). */
    const matchedAlias = new Map<string, string>();
    const claimedBy = new Map<string, string>();
    const claimedTwice: string[] = [];
    const matches: AliasMatch[] = [];

    for (const r of resources) {
        const urn = engine.get(r.urn)!;
        const { stack, project } = parseUrn(urn);
        const parent = r.parent ? engine.get(r.parent)! : "";
        const collapse = (a: CapturedAlias): string => {
            if (a.urn) return a.urn;
            let aliasParent = a.parentUrn ? (engine.get(a.parentUrn) ?? a.parentUrn) : parent;
            if (a.parentUrn) aliasParent = matchedAlias.get(aliasParent) ?? aliasParent;
            if (a.noParent) aliasParent = "";
            return createEngineUrn(a.stack || stack, a.project || project, a.name || r.name, a.type || r.type, aliasParent);
        };
        const own = (r.aliases ?? []).map(collapse);
        const candidates = [...own];
        const parentAlias = parent ? matchedAlias.get(parent) : undefined;
        if (parentAlias) {
            const parentName = parseUrn(parent).name;
            const inherited = (type: string, name: string): string =>
                createEngineUrn(
                    stack,
                    project,
                    name.startsWith(parentName) ? parseUrn(parentAlias).name + name.slice(parentName.length) : name,
                    type,
                    parentAlias,
                );
            candidates.push(inherited(r.type, r.name));
            for (const a of own) candidates.push(inherited(parseUrn(a).qualifiedType.split("$").pop()!, parseUrn(a).name));
        }
        const old = [urn, ...candidates].find((c) => olds.has(c));
        if (old !== undefined) {
            if (claimedBy.has(old)) claimedTwice.push(old);
            claimedBy.set(old, urn);
            if (old !== urn) matchedAlias.set(urn, old);
        }
        matches.push({ urn, ...(old !== undefined ? { old } : {}) });
    }
    return { matches, orphaned: [...olds].filter((u) => !claimedBy.has(u)), claimedTwice };
}
