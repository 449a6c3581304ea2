import type { CapturedResource } from "../mock-engine";
import type { PlanFile } from "../plan-file";

/** A resource with the stack that plans it. */
export interface Located {
    stack: string;
    resource: CapturedResource;
}

/**
 * Every resource of every stack planned in one run, findable by what names it
 * (ARN, id, DNS name), so a check can follow a reference from one stack into
 * another the way AWS would resolve it.
 */
export class PlanIndex {
    private readonly byIdentity = new Map<string, Located[]>();
    readonly all: Located[] = [];
    private readonly providerRegion = new Map<string, string>();
    private readonly stackRegion = new Map<string, string>();

    constructor(plans: ReadonlyMap<string, PlanFile>) {
        for (const [stack, plan] of plans) {
            if (typeof plan.config["aws:region"] === "string") this.stackRegion.set(stack, plan.config["aws:region"]);
            for (const resource of plan.resources) {
                const at = { stack, resource };
                this.all.push(at);
                for (const v of Object.values(resource.identity ?? {})) {
                    const list = this.byIdentity.get(v) ?? [];
                    list.push(at);
                    this.byIdentity.set(v, list);
                }
                if (resource.type.startsWith("pulumi:providers:") && typeof resource.inputs.region === "string") {
                    this.providerRegion.set(resource.urn, resource.inputs.region);
                }
            }
        }
    }

    /** Resources whose id, ARN or address equals `value` (of `type`, when given). */
    find(value: unknown, type?: string): Located[] {
        if (typeof value !== "string") return [];
        return (this.byIdentity.get(value) ?? []).filter((l) => !type || l.resource.type === type);
    }

    ofType(type: string): Located[] {
        return this.all.filter((l) => l.resource.type === type);
    }

    /** A resource's effective region: its own `region` input, else its provider's (docs/design.md#conventions, providers). */
    regionOf(r: CapturedResource, fallback: string): string {
        if (typeof r.inputs.region === "string" && r.inputs.region) return r.inputs.region;
        return (r.provider && this.providerRegion.get(r.provider)) || fallback;
    }

    /** As regionOf, falling back to the stack's own `aws:region` (components and default providers). */
    regionAt(l: Located): string {
        return this.regionOf(l.resource, this.stackRegion.get(l.stack) ?? "");
    }
}

/** "<type> <name> (<stack>)": how an item names a resource. */
export function describe(l: Located): string {
    return `${l.resource.type.split(":").pop()} ${l.resource.name} (${l.stack})`;
}

/** Policy documents anywhere in a resource's inputs: JSON strings or objects with a Statement. */
export function policyDocuments(value: unknown, out: object[] = []): object[] {
    if (typeof value === "string" && value.includes('"Statement"')) {
        try {
            const doc = JSON.parse(value);
            if (doc && typeof doc === "object") out.push(doc);
        } catch {
            // not JSON after all
        }
    } else if (Array.isArray(value)) value.forEach((v) => policyDocuments(v, out));
    else if (value && typeof value === "object") {
        if ("Statement" in value) out.push(value);
        else Object.values(value).forEach((v) => policyDocuments(v, out));
    }
    return out;
}

/** The principals of a policy document's statements, by kind (AWS, Federated, Service). */
export function principalsOf(doc: object): { kind: string; value: string }[] {
    const statements = (doc as { Statement?: unknown }).Statement;
    const list = Array.isArray(statements) ? statements : [statements];
    const out: { kind: string; value: string }[] = [];
    for (const s of list) {
        const p = (s as { Principal?: unknown } | undefined)?.Principal;
        if (!p || typeof p !== "object") continue;
        for (const [kind, v] of Object.entries(p as Record<string, unknown>)) {
            for (const value of Array.isArray(v) ? v : [v]) if (typeof value === "string") out.push({ kind, value });
        }
    }
    return out;
}
