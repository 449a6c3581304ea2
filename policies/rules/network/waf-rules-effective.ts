import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

const KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet";
/** The rule inside the known-bad-inputs group that blocks Log4Shell (CVE-2021-44228) request lookups. */
const LOG4J_RULES = ["Log4JRCE", "Log4JRCE_HEADER", "Log4JRCE_QUERYSTRING", "Log4JRCE_BODY", "Log4JRCE_URIPATH"];

const hasKey = (o: unknown, k: string) => !!o && typeof o === "object" && (o as Record<string, unknown>)[k] !== undefined;

export const wafRulesEffective = resourceRule({
    name: "waf-rules-effective",
    description: "WAFv2 web ACLs must have rules, every rule must have an action (or a group's override action), and the AWS known-bad-inputs group (Log4j, CVE-2021-44228) must run in block mode.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss"],
    topics: ["waf", "public-exposure"],
    resourceTypes: ["aws:wafv2/webAcl:WebAcl", "aws:wafv2/ruleGroup:RuleGroup"],
    peers: { checkov: ["CKV_AWS_175", "CKV_AWS_342", "CKV_AWS_192"] },
    remediation: `add rules; give each rule action { block | allow | count | captcha | challenge } or, for a managed group, overrideAction { none: {} }; include the ${KNOWN_BAD_INPUTS} group with overrideAction none and no count override of Log4JRCE.`,
    check: ({ type, props }, report) => {
        const rules = asArray<any>(props.rules);
        if (!rules.length) return report("The web ACL has no rules: only its default action applies.");
        rules.forEach((r, i) => {
            const name = r?.name ?? `rules[${i}]`;
            const group = !!r?.statement?.managedRuleGroupStatement || !!r?.statement?.ruleGroupReferenceStatement;
            if (group ? !hasKey(r?.overrideAction, "none") && !hasKey(r?.overrideAction, "count") : !r?.action || Object.keys(r.action).length === 0) {
                report(`Rule ${name} has no ${group ? "overrideAction" : "action"}.`);
            }
        });
        if (type !== "aws:wafv2/webAcl:WebAcl") return;
        const kbi = rules.find((r) => r?.statement?.managedRuleGroupStatement?.name === KNOWN_BAD_INPUTS);
        if (!kbi) return report(`The web ACL does not use ${KNOWN_BAD_INPUTS} (Log4j, CVE-2021-44228).`);
        if (hasKey(kbi.overrideAction, "count")) report(`${KNOWN_BAD_INPUTS} runs with overrideAction count: it blocks nothing.`);
        const mg = kbi.statement.managedRuleGroupStatement;
        const weakened = [...asArray<any>(mg.ruleActionOverrides).filter((o) => !hasKey(o?.actionToUse, "block")), ...asArray<any>(mg.excludedRules)].map((o) => o?.name).filter((n) => LOG4J_RULES.includes(n));
        if (weakened.length) report(`${KNOWN_BAD_INPUTS} overrides ${weakened.join(", ")} so Log4j lookups are not blocked.`);
    },
});
