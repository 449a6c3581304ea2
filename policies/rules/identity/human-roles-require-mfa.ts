import { resourceRule } from "../../lib/rule";
import { humanAssumeStatements, requiresMfa } from "../../lib/iam";
import { asArray } from "../../lib/props";

export const humanRolesRequireMfa = resourceRule<{ machinePrincipals: string[] }>({
    name: "human-roles-require-mfa",
    description: "IAM roles that people can assume must require aws:MultiFactorAuthPresent in their trust policy.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["mfa", "iam"],
    resourceTypes: ["aws:iam/role:Role"],
    remediation:
        'add Condition { Bool: { "aws:MultiFactorAuthPresent": "true" } } to every trust statement with an AWS principal, or list an automation principal in this rule\'s machinePrincipals config.',
    config: {
        machinePrincipals: {
            type: "array",
            items: { type: "string" },
            default: [],
            description: "ARNs of automation principals (CI roles) that assume roles without MFA.",
        },
    },
    check: ({ props, config }, report) => {
        for (const s of humanAssumeStatements(props.assumeRolePolicy)) {
            const who = asArray<string>(s.Principal === "*" ? "*" : s.Principal.AWS);
            if (who.every((p) => config.machinePrincipals.includes(p))) continue;
            if (!requiresMfa(s)) report(`The trust policy lets ${who.join(", ")} assume the role without MFA.`);
        }
    },
});
