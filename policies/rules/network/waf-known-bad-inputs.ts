import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

const KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet";
/** The rules of the group that block Log4Shell (CVE-2021-44228) lookups. */
const LOG4J_RULES = ["Log4JRCE", "Log4JRCE_HEADER", "Log4JRCE_QUERYSTRING", "Log4JRCE_BODY", "Log4JRCE_URIPATH"];

export const wafKnownBadInputs = resourceRule({
    name: "waf-known-bad-inputs",
    description: "WAFv2 web ACLs must run the AWS known-bad-inputs rule group (Log4j, CVE-2021-44228) in block mode.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss"],
    topics: ["waf", "public-exposure"],
    resourceTypes: ["aws:wafv2/webAcl:WebAcl"],
    peers: { checkov: ["CKV_AWS_192"] },
    remediation: "add the AWSManagedRulesKnownBadInputsRuleSet group with overrideAction { none: {} } and no count override of the Log4JRCE rules.",
    check: ({ props }, report) => {
        const kbi = asArray<any>(props.rules).find((r) => r?.statement?.managedRuleGroupStatement?.name === KNOWN_BAD_INPUTS);
        if (!kbi) return report(`The web ACL does not use ${KNOWN_BAD_INPUTS}.`);
        if (kbi.overrideAction?.count !== undefined) report(`${KNOWN_BAD_INPUTS} runs with overrideAction count: it blocks nothing.`);
        const mg = kbi.statement.managedRuleGroupStatement;
        const weakened = [...asArray<any>(mg.ruleActionOverrides).filter((o) => o?.actionToUse?.block === undefined), ...asArray<any>(mg.excludedRules)]
            .map((o) => o?.name)
            .filter((n) => LOG4J_RULES.includes(n));
        if (weakened.length) report(`${KNOWN_BAD_INPUTS} overrides ${weakened.join(", ")}, so Log4j lookups are not blocked.`);
    },
});
