import { asArray, Statement, statements } from "./props";

/** Types that carry an identity policy document, and where. */
export const IDENTITY_POLICY_TYPES = [
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
    "aws:iam/role:Role",
    "aws:iam/user:User",
    "aws:iam/group:Group",
];

/** Identity policy documents of a resource: `policy`, or a role's `inlinePolicies[].policy`. Strings or objects. */
export function identityDocuments(type: string, props: Record<string, any>): unknown[] {
    if (type === "aws:iam/role:Role")
        return asArray<any>(props.inlinePolicies)
            .map((p) => p?.policy)
            .filter((p) => p !== undefined);
    if (type === "aws:iam/user:User" || type === "aws:iam/group:Group") return [];
    return props.policy === undefined ? [] : [props.policy];
}

/** `iam:Create*` → a case-insensitive matcher (IAM action names are case-insensitive). */
function globToRegExp(glob: string): RegExp {
    return new RegExp(
        `^${glob
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        "i",
    );
}

/** True when the statement's Action (or NotAction) admits `action`. */
export function allowsAction(s: Statement, action: string): boolean {
    if (s.Action !== undefined) return asArray<string>(s.Action).some((a) => globToRegExp(String(a)).test(action));
    if (s.NotAction !== undefined) return !asArray<string>(s.NotAction).some((a) => globToRegExp(String(a)).test(action));
    return false;
}

/** Allow statements on every resource (`Resource: "*"` or NotResource) that no condition narrows. */
export function unconstrainedAllows(doc: unknown): Statement[] {
    return statements(doc).filter((s) => {
        if (s.Effect !== "Allow") return false;
        const everywhere = asArray<string>(s.Resource).includes("*") || (s as { NotResource?: unknown }).NotResource !== undefined;
        return everywhere && Object.keys(s.Condition ?? {}).length === 0;
    });
}

/** Actions from `actions` that some unconstrained Allow statement of `doc` admits. */
export function unconstrainedActions(doc: unknown, actions: readonly string[]): string[] {
    const allows = unconstrainedAllows(doc);
    return actions.filter((a) => allows.some((s) => allowsAction(s, a)));
}

export const label = (s: Statement, i: number) => `Statement ${i}${s.Sid ? ` (${s.Sid})` : ""}`;
