import type { Rule } from "../../policies/lib/rule";
import type { Violation } from "../offline/policy-runner";

/** One judged plan file, as policy-check's reports read it. */
export interface JudgedPlan {
    file: string;
    stack: string;
    resources: number;
    violations: readonly Violation[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The default report: per plan file, violations grouped by rule (mandatory rules
 * first), each distinct message printed once with the resources it applies to
 * under it.
 */
export function groupedReport(plans: readonly JudgedPlan[]): string[] {
    const out: string[] = [];
    for (const p of plans) {
        const m = p.violations.filter((v) => v.level === "mandatory").length;
        out.push(`${p.file} (stack ${p.stack}, ${p.resources} resources): ${m} mandatory, ${p.violations.length - m} advisory`);
        const byRule = new Map<string, Violation[]>();
        for (const v of p.violations) byRule.set(v.policy, [...(byRule.get(v.policy) ?? []), v]);
        const rules = [...byRule].sort(([a, va], [b, vb]) => (va[0].level === vb[0].level ? a.localeCompare(b) : va[0].level === "mandatory" ? -1 : 1));
        for (const [rule, vs] of rules) {
            out.push(`  [${vs[0].level}] ${rule} (${plural(vs.length, "violation")})`);
            const byMessage = new Map<string, string[]>();
            for (const v of vs) byMessage.set(v.message, [...(byMessage.get(v.message) ?? []), v.urn]);
            for (const [message, urns] of byMessage) {
                out.push(`    ${message.replace(/\n/g, "\n    ")}`);
                for (const urn of urns) out.push(`      - ${urn}`);
            }
        }
    }
    return out;
}

/** --summary: violations per rule across the files, then per stack. */
export function summaryReport(plans: readonly JudgedPlan[]): string[] {
    const perRule = new Map<string, { level: string; count: number; stacks: Set<string> }>();
    for (const p of plans) {
        for (const v of p.violations) {
            const e = perRule.get(v.policy) ?? { level: v.level, count: 0, stacks: new Set<string>() };
            e.count++;
            e.stacks.add(p.stack);
            perRule.set(v.policy, e);
        }
    }
    const ruleRows = [...perRule].sort(([a, x], [b, y]) => y.count - x.count || a.localeCompare(b));
    const w = Math.max(4, ...ruleRows.map(([r]) => r.length));
    const sw = Math.max(5, ...plans.map((p) => p.stack.length));
    return [
        "violations per rule:",
        `  ${"rule".padEnd(w)}  level      count  stacks`,
        ...ruleRows.map(([r, e]) => `  ${r.padEnd(w)}  ${e.level.padEnd(9)}  ${String(e.count).padStart(5)}  ${[...e.stacks].sort().join(", ")}`),
        "violations per stack:",
        `  ${"stack".padEnd(sw)}  mandatory  advisory  resources  file`,
        ...plans.map((p) => {
            const m = p.violations.filter((v) => v.level === "mandatory").length;
            return `  ${p.stack.padEnd(sw)}  ${String(m).padStart(9)}  ${String(p.violations.length - m).padStart(8)}  ${String(p.resources).padStart(9)}  ${p.file}`;
        }),
    ];
}

/** --list-rules: each rule's name, default level, frameworks and description. */
export function ruleList(rules: readonly Rule[]): string[] {
    const w = Math.max(...rules.map((r) => r.name.length));
    return [
        `${"rule".padEnd(w)}  level      frameworks  description`,
        ...[...rules]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((r) => `${r.name.padEnd(w)}  ${r.enforcementLevel.padEnd(9)}  ${r.metadata.frameworks.join(",")}  ${r.description}`),
        `${rules.length} rules (levels are the defaults; --config <pack-config.json> overrides them)`,
    ];
}
