import type { PolicyResource } from "@pulumi/policy";
import { stackRule } from "../../lib/rule";
import { isMfaRole } from "../../lib/iam";
import { asArray, ofType } from "../../lib/props";

const ADMIN_POLICY = /:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/;

/**
 * The role in this stack an ARN names (`arn:aws:iam::<acct>:role/<path/><physical name>`): by its
 * explicit name, or by Pulumi's auto-name (`<resource name>-<suffix>`). Candidates the granting
 * resource depends on come first, since an ARN taken from a role's output makes it a dependency.
 */
function roleFor(resources: readonly PolicyResource[], arn: string, grant: PolicyResource): PolicyResource | undefined {
    const name = /:role\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
    if (!name) return undefined;
    const matches = (r: PolicyResource) =>
        r.type === "aws:iam/role:Role" && (r.props.name === name || (!r.props.name && (name === r.name || name.startsWith(`${r.name}-`))));
    return grant.dependencies.find(matches) ?? ofType(resources, "aws:iam/role:Role").find(matches);
}

export const clusterAdminMfaOnly = stackRule<{ mfaPrincipals: string[] }>({
    name: "cluster-admin-mfa-only",
    description: "EKS cluster-admin access entries may only name roles whose trust policy requires MFA.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["mfa", "kubernetes", "rbac"],
    resourceTypes: ["aws:eks/accessEntry:AccessEntry", "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "eks:index:Cluster", "aws:iam/role:Role"],
    remediation:
        "grant AmazonEKSClusterAdminPolicy (or system:masters) only to a role created here with a Bool aws:MultiFactorAuthPresent trust condition, or list an external MFA-enforcing role (IAM Identity Center) in this rule's mfaPrincipals config.",
    config: {
        mfaPrincipals: {
            type: "array",
            items: { type: "string" },
            default: [],
            description: "Role ARNs created outside this program that are known to require MFA (IAM Identity Center permission sets).",
        },
    },
    check: (resources, config, report) => {
        const judge = (principal: unknown, grant: PolicyResource) => {
            if (typeof principal !== "string" || principal === "[unknown]") return;
            if (config.mfaPrincipals.includes(principal)) return;
            const role = roleFor(resources, principal, grant);
            if (!role || !isMfaRole(role.props.assumeRolePolicy))
                report(`Cluster-admin access is granted to ${principal}, which is not a role that requires MFA.`, grant.urn);
        };
        for (const a of ofType(resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"))
            if (ADMIN_POLICY.test(String(a.props.policyArn))) judge(a.props.principalArn, a);
        for (const e of ofType(resources, "aws:eks/accessEntry:AccessEntry"))
            if (asArray(e.props.kubernetesGroups).includes("system:masters")) judge(e.props.principalArn, e);
        for (const c of ofType(resources, "eks:index:Cluster")) {
            for (const entry of Object.values<any>(c.props.accessEntries ?? {})) {
                const policies = Object.values<any>(entry?.accessPolicies ?? {});
                const admin = policies.some((p) => ADMIN_POLICY.test(String(p?.policyArn))) || asArray(entry?.kubernetesGroups).includes("system:masters");
                if (admin) judge(entry.principalArn, c);
            }
        }
    },
});
