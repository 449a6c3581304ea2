import { asArray, Statement, statements } from "./props";

function principals(s: Statement, kind: string): string[] {
    const p = s.Principal;
    if (p === "*") return ["*"];
    return asArray<string>(p?.[kind]);
}

/** Allow statements that let people (AWS principals: accounts, users, roles) assume the role. */
export function humanAssumeStatements(trustPolicy: unknown): Statement[] {
    return statements(trustPolicy).filter((s) => s.Effect === "Allow" && principals(s, "AWS").length > 0);
}

/** True when the statement only allows sessions that signed in with MFA. */
export function requiresMfa(s: Statement): boolean {
    const c = s.Condition ?? {};
    // Only Bool counts: BoolIfExists "true" also admits sessions that carry no MFA key at all (long-term keys).
    if (asArray(c.Bool?.["aws:MultiFactorAuthPresent"]).map(String).includes("true")) return true;
    // A missing key fails NumericLessThan, so a maximum MFA age also proves MFA.
    return c.NumericLessThan?.["aws:MultiFactorAuthAge"] !== undefined || c.NumericLessThanEquals?.["aws:MultiFactorAuthAge"] !== undefined;
}

/** A role whose trust policy admits AWS principals, all of them only with MFA. */
export function isMfaRole(trustPolicy: unknown): boolean {
    const human = humanAssumeStatements(trustPolicy);
    return human.length > 0 && human.every(requiresMfa);
}

const ADMIN_POLICIES = [/:policy\/AdministratorAccess$/, /:policy\/IAMFullAccess$/, /:policy\/PowerUserAccess$/];

export function isAdminManagedPolicy(arn: unknown): boolean {
    return typeof arn === "string" && ADMIN_POLICIES.some((re) => re.test(arn));
}

/** Allow statements granting every action (`*` or `*:*`) on every resource. */
export function adminStatements(doc: unknown): Statement[] {
    return statements(doc).filter((s) => {
        if (s.Effect !== "Allow") return false;
        const actions = asArray<string>(s.Action);
        const resources = asArray<string>(s.Resource);
        const everyAction = actions.some((a) => a === "*" || a === "*:*") || (s.NotAction !== undefined && actions.length === 0);
        return everyAction && resources.includes("*");
    });
}

/** Deny statements that cut off principals without MFA (the AWS "force MFA" pattern). */
export function deniesWithoutMfa(doc: unknown): boolean {
    return statements(doc).some((s) => {
        if (s.Effect !== "Deny") return false;
        const c = s.Condition ?? {};
        return (
            asArray(c.BoolIfExists?.["aws:MultiFactorAuthPresent"]).map(String).includes("false") ||
            asArray(c.Bool?.["aws:MultiFactorAuthPresent"]).map(String).includes("false")
        );
    });
}

/** Condition keys that tie a service principal's grant to our own account or resource (confused-deputy guard). */
const SOURCE_KEYS = ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOwner", "aws:SourceOrgID", "aws:SourceOrgPaths"];

function conditionKeys(s: Statement): string[] {
    return Object.values(s.Condition ?? {}).flatMap((o) => Object.keys(o ?? {}));
}

/**
 * Problems with the Allow statements of a resource policy (bucket, topic): grants to everyone
 * ("*" with no condition, or NotPrincipal) and grants to AWS services not scoped to our account or
 * resource, which any other account could make that service use on our resource.
 */
export function openGrants(doc: unknown): string[] {
    const problems: string[] = [];
    statements(doc).forEach((s, i) => {
        if (s.Effect !== "Allow") return;
        const label = s.Sid ? `Statement ${i} (${s.Sid})` : `Statement ${i}`;
        if (s.NotPrincipal !== undefined) {
            problems.push(`${label} allows with NotPrincipal, which grants everyone not listed.`);
            return;
        }
        const everyone = s.Principal === "*" || asArray(s.Principal?.AWS).includes("*");
        if (everyone && conditionKeys(s).length === 0) problems.push(`${label} allows Principal "*" with no condition: the grant is public.`);
        const services = s.Principal === "*" ? [] : asArray<string>(s.Principal?.Service);
        if (services.length && !conditionKeys(s).some((k) => SOURCE_KEYS.includes(k))) {
            problems.push(
                `${label} allows ${services.join(", ")} with no aws:SourceAccount or aws:SourceArn condition, so another account could have the service act on this resource.`,
            );
        }
    });
    return problems;
}
