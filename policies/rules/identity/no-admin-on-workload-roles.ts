import { resourceRule } from "../../lib/rule";
import { adminStatements, isAdminManagedPolicy } from "../../lib/iam";
import { asArray } from "../../lib/props";

export const noAdminOnWorkloadRoles = resourceRule({
    name: "no-admin-on-workload-roles",
    description: "No role or policy the program creates may grant every action on every resource (*:*) or attach an AWS administrator policy.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["least-privilege", "iam"],
    resourceTypes: ["aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment"],
    remediation:
        "list the actions and resources the workload needs (Pod Identity roles from podIdentityRole); people get administrator access through IAM Identity Center with MFA, not through roles this program creates.",
    check: ({ type, props }, report) => {
        const docs: unknown[] = [];
        if (type === "aws:iam/role:Role") {
            for (const p of asArray<any>(props.inlinePolicies)) docs.push(p?.policy);
            for (const arn of asArray(props.managedPolicyArns)) if (isAdminManagedPolicy(arn)) report(`The role attaches ${arn}.`);
        } else if (type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment") {
            if (isAdminManagedPolicy(props.policyArn)) report(`The attachment grants ${props.policyArn}.`);
        } else docs.push(props.policy);
        for (const d of docs) if (adminStatements(d).length) report('A policy statement allows Action "*" on Resource "*".');
    },
});
