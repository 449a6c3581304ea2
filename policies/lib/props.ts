import type { PolicyResource } from "@pulumi/policy";

/**
 * Readers for resource properties as the engine hands them to a policy: plain
 * JSON where values are known, provider config sometimes JSON-encoded, and
 * placeholders for values a preview cannot know yet.
 */

/** Values the offline engine (and a preview) cannot know: never treat them as compliant or as violations. */
export function isUnknown(v: unknown): boolean {
    return v === "[unknown]" || v === "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
}

export function asArray<T = any>(v: unknown): T[] {
    if (v === undefined || v === null) return [];
    return Array.isArray(v) ? (v as T[]) : [v as T];
}

/** `true` or the string "true" (launch templates and provider config carry booleans as strings). */
export function isTrue(v: unknown): boolean {
    return v === true || v === "true";
}

export function isFalse(v: unknown): boolean {
    return v === false || v === "false";
}

export function nonEmpty(v: unknown): boolean {
    return typeof v === "string" ? v.length > 0 : v !== undefined && v !== null;
}

/** Parses a JSON string (policy documents, provider config); returns objects as they are. */
export function parseJson(v: unknown): any {
    if (typeof v !== "string") return v;
    try {
        return JSON.parse(v);
    } catch {
        return undefined;
    }
}

/** Region of an ARN (`arn:aws:<service>:<region>:...`), or undefined for global ARNs and non-ARNs. */
export function arnRegion(v: unknown): string | undefined {
    if (typeof v !== "string") return undefined;
    const m = /^arn:aws[a-z-]*:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d):/.exec(v);
    return m?.[1];
}

/** Looks like a KMS key, alias ARN or key id that names a customer-managed key (not `alias/aws/...`). */
export function isCustomerManagedKey(v: unknown): boolean {
    if (isUnknown(v)) return true;
    if (typeof v !== "string" || v.length === 0) return false;
    return !/alias\/aws\//.test(v);
}

export interface Statement {
    Effect?: string;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    Principal?: any;
    Condition?: Record<string, Record<string, unknown>>;
}

/** Statements of an IAM policy document given as a JSON string or object. */
export function statements(doc: unknown): Statement[] {
    const parsed = parseJson(doc);
    if (!parsed || typeof parsed !== "object") return [];
    return asArray<Statement>(parsed.Statement);
}

/** Provider `defaultTags.tags`, whether the engine passed defaultTags as an object or a JSON string. */
export function providerTags(providerProps: Record<string, any> | undefined): Record<string, string> {
    const dt = parseJson(providerProps?.defaultTags);
    const tags = parseJson(dt?.tags);
    return tags && typeof tags === "object" ? tags : {};
}

/** Own tags plus the provider's default tags: what AWS ends up with. */
export function effectiveTags(props: Record<string, any>, providerProps: Record<string, any> | undefined): Record<string, string> {
    const own = parseJson(props.tags);
    return { ...providerTags(providerProps), ...(own && typeof own === "object" ? own : {}) };
}

/** A resource's region: its own `region` input (@pulumi/aws 7), else its provider's. */
export function effectiveRegion(props: Record<string, any>, providerProps: Record<string, any> | undefined): string | undefined {
    if (typeof props.region === "string" && props.region && !isUnknown(props.region)) return props.region;
    const r = providerProps?.region;
    return typeof r === "string" && r ? r : undefined;
}

export function ofType(resources: readonly PolicyResource[], ...types: string[]): PolicyResource[] {
    return resources.filter((r) => types.includes(r.type));
}

/** Resources of `types` that depend on `target` (took one of its outputs as an input). */
export function dependents(resources: readonly PolicyResource[], target: PolicyResource, ...types: string[]): PolicyResource[] {
    return resources.filter((r) => types.includes(r.type) && r.dependencies.some((d) => d.urn === target.urn));
}

/** The aws providers' design tags: the stack's zone and compliance scope live there. */
export function stackTagsFromProviders(resources: readonly PolicyResource[]): Record<string, string> {
    const tags: Record<string, string> = {};
    for (const p of resources.filter((r) => r.type === "pulumi:providers:aws")) Object.assign(tags, providerTags(p.props));
    return tags;
}

/** Compliance scope of a resource: its own or its provider's `compliance-scope` tag ("soc2+pci-dss+gdpr"). */
export function complianceScope(props: Record<string, any>, providerProps: Record<string, any> | undefined): string[] {
    const scope = effectiveTags(props, providerProps)["compliance-scope"];
    return typeof scope === "string" ? scope.split("+").filter(Boolean) : [];
}
