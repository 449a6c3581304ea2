import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

export const wafHasRules = resourceRule({
    name: "waf-has-rules",
    description: "WAFv2 web ACLs and rule groups must have rules.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss"],
    topics: ["waf", "public-exposure"],
    resourceTypes: ["aws:wafv2/webAcl:WebAcl", "aws:wafv2/ruleGroup:RuleGroup"],
    peers: { checkov: ["CKV_AWS_175"] },
    remediation: "add rules (rate limiting and the AWS managed groups).",
    check: ({ props }, report) => {
        if (!asArray(props.rules).length) report("There are no rules: only the default action applies.");
    },
});
