import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

export const wafRuleActions = resourceRule({
    name: "waf-rule-actions",
    description: "Every WAFv2 rule that is not a rule-group reference must have an action.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss"],
    topics: ["waf", "public-exposure"],
    resourceTypes: ["aws:wafv2/webAcl:WebAcl", "aws:wafv2/ruleGroup:RuleGroup"],
    peers: { checkov: ["CKV_AWS_342"] },
    remediation: "give each rule action { block | allow | count | captcha | challenge }; a managed or referenced group overrideAction { none: {} }.",
    check: ({ props }, report) => {
        asArray<any>(props.rules).forEach((r, i) => {
            const name = r?.name ?? `rules[${i}]`;
            const group = !!r?.statement?.managedRuleGroupStatement || !!r?.statement?.ruleGroupReferenceStatement;
            const has = (o: unknown) => !!o && typeof o === "object" && Object.keys(o).length > 0;
            // A rule-group reference without overrideAction keeps the group's own actions (the "none" override).
            if (!group && !has(r?.action)) report(`Rule ${name} has no action.`);
        });
    },
});
