import type { EnforcementLevel } from "@pulumi/policy";
import { didYouMean } from "./nearest";
import type { Rule } from "./rule";

/**
 * The pack config file (`pulumi preview --policy-pack-config <file>`,
 * `npm run policy-check -- --config <file>`): a JSON object keyed by policy
 * name, each value an enforcement level or `{ enforcementLevel?, ...properties }`
 * where the properties are the policy's configSchema; the reserved key `all`
 * sets the level of every policy, and a policy's own entry overrides it
 * (https://www.pulumi.com/docs/using-pulumi/crossguard/configuration/, retrieved 2026-11-29).
 * A misspelled policy, property or level would otherwise be ignored and the rule
 * keep its default, so every one is refused.
 */

/** @pulumi/policy's EnforcementLevel, every member (policy.d.ts of @pulumi/policy 1.21.0). */
export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const satisfies readonly EnforcementLevel[];
// Fails to compile if @pulumi/policy adds a level this list lacks.
const _everyLevel: Record<EnforcementLevel, true> = { advisory: true, mandatory: true, remediate: true, disabled: true };
void _everyLevel;

/** The key that sets every policy's level. */
export const ALL = "all";

const show = (v: unknown) => JSON.stringify(v);

function levelProblem(where: string, value: unknown): string | undefined {
    if (typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value)) return undefined;
    const hint = typeof value === "string" ? didYouMean(value, ENFORCEMENT_LEVELS) : "";
    return `${where} = ${show(value)}: not an enforcement level${hint}; allowed: ${ENFORCEMENT_LEVELS.join(", ")}`;
}

type PropSchema = { type?: string; items?: { type?: string } };

/** Whether a value has the JSON-schema type a rule's config property declares. */
function hasType(value: unknown, schema: PropSchema): boolean {
    switch (schema.type) {
        case "integer":
            return Number.isInteger(value);
        case "number":
            return typeof value === "number" && Number.isFinite(value);
        case "string":
            return typeof value === "string";
        case "boolean":
            return typeof value === "boolean";
        case "array":
            return Array.isArray(value) && (!schema.items?.type || value.every((e) => hasType(e, schema.items!)));
        case "object":
            return typeof value === "object" && value !== null && !Array.isArray(value);
        default:
            return true;
    }
}

const describeType = (s: PropSchema) => (s.type === "array" && s.items?.type ? `a list of ${s.items.type}s` : `${s.type === "integer" ? "an" : "a"} ${s.type}`);

/** Every problem with a pack config, each naming the key, the bad value and what is allowed. Empty when it is valid. */
export function packConfigProblems(config: unknown, rules: readonly Rule[]): string[] {
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        return [`the top level must be an object keyed by policy name (or "${ALL}"), not ${Array.isArray(config) ? "a list" : show(config)}`];
    }
    const byName = new Map(rules.map((r) => [r.name, r]));
    const names = [ALL, ...byName.keys()];
    const problems: string[] = [];
    for (const [key, value] of Object.entries(config)) {
        const rule = byName.get(key);
        if (key !== ALL && !rule) {
            const hint = didYouMean(key, names);
            problems.push(
                `${show(key)} is not a policy of this pack${hint}; allowed keys: "${ALL}" and the pack's ${byName.size} policy names` +
                    (hint ? " (docs/compliance.md lists them)" : `: ${[...byName.keys()].sort().join(", ")}`),
            );
            continue;
        }
        if (typeof value === "string") {
            const p = levelProblem(key, value);
            if (p) problems.push(p);
            continue;
        }
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
            problems.push(
                `${key} = ${show(value)}: must be an enforcement level (${ENFORCEMENT_LEVELS.join(", ")}) or an object { "enforcementLevel": ..., ...properties }`,
            );
            continue;
        }
        const props = (rule?.configSchema?.properties ?? {}) as Record<string, PropSchema>;
        for (const [prop, v] of Object.entries(value as Record<string, unknown>)) {
            if (prop === "enforcementLevel") {
                const p = levelProblem(`${key}.enforcementLevel`, v);
                if (p) problems.push(p);
                continue;
            }
            const schema = props[prop];
            if (!schema) {
                const known = ["enforcementLevel", ...Object.keys(props)];
                problems.push(
                    `${key}.${prop}: ${key === ALL ? `"${ALL}" takes only enforcementLevel` : `not a property of policy ${key}${didYouMean(prop, known)}; allowed: ${known.join(", ")}`}`,
                );
                continue;
            }
            if (!hasType(v, schema)) problems.push(`${key}.${prop} = ${show(v)}: must be ${describeType(schema)}`);
        }
    }
    return problems;
}

/** A pack config that passed packConfigProblems: the rule's level, by precedence (its own entry, then "all", then the rule's default). */
export function configuredLevel(config: Readonly<Record<string, unknown>> | undefined, ruleName: string): EnforcementLevel | undefined {
    const levelIn = (c: unknown): EnforcementLevel | undefined =>
        typeof c === "string" ? (c as EnforcementLevel) : ((c as { enforcementLevel?: EnforcementLevel } | undefined)?.enforcementLevel ?? undefined);
    return levelIn(config?.[ruleName]) ?? levelIn(config?.[ALL]);
}
