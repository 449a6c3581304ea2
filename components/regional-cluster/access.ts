import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DEPLOYER_GROUP, deployerBinding, READONLY_GROUP, readonlyBinding } from "./manifests";

/** The EKS access policy that makes a principal cluster-admin. */
export const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
/** An admin session must come from an MFA sign-in no older than this (spec: "MFA: Mandatory for all administrative access"). */
export const ADMIN_MFA_MAX_AGE_SECONDS = 3600;

/**
 * Trust policy: principals of this account may assume the role, only from an MFA sign-in (every
 * role here is assumed by people; spec: "MFA: Mandatory"). `maxMfaAgeSeconds` also bounds how old
 * that sign-in may be (the admin role's stricter condition).
 */
export function accountTrustPolicy(accountId: string, maxMfaAgeSeconds?: number): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                Action: "sts:AssumeRole",
                Condition: {
                    Bool: { "aws:MultiFactorAuthPresent": "true" },
                    ...(maxMfaAgeSeconds !== undefined ? { NumericLessThan: { "aws:MultiFactorAuthAge": String(maxMfaAgeSeconds) } } : {}),
                },
            },
        ],
    });
}

export interface AccessArgs {
    clusterName: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    provider: k8s.Provider;
    appNamespace: k8s.core.v1.Namespace;
}

/**
 * Who may use the cluster, through EKS access entries (spec: "RBAC", "MFA: Mandatory for all
 * administrative access"): a cluster-admin role that can only be assumed with MFA, a read-only role
 * mapped to a group bound to `view`, and a deployer role mapped to a group bound to `edit` in the
 * application namespace. Each role is assumable, with MFA, by the account's principals that IAM allows to.
 */
export function configureAccess(name: string, args: AccessArgs, parent: pulumi.Resource) {
    const role = (suffix: string, description: string, isAdmin: boolean) =>
        new aws.iam.Role(
            `${name}-${suffix}`,
            {
                description,
                maxSessionDuration: isAdmin ? 3600 : 7200,
                assumeRolePolicy: pulumi.output(args.accountId).apply((a) => accountTrustPolicy(a, isAdmin ? ADMIN_MFA_MAX_AGE_SECONDS : undefined)),
            },
            { parent },
        );
    const admin = role("cluster-admin", "EKS cluster-admin; assumable only with a recent MFA sign-in", true);
    const readonly = role("eks-readonly", "EKS read-only (view) across the cluster; assumable only with MFA", false);
    const deployer = role("eks-deployer", "EKS deployer: edit in the application namespace; assumable only with MFA", false);

    const adminEntry = new aws.eks.AccessEntry(
        `${name}-cluster-admin-entry`,
        { clusterName: args.clusterName, principalArn: admin.arn, type: "STANDARD" },
        { parent: admin },
    );
    new aws.eks.AccessPolicyAssociation(
        `${name}-cluster-admin-policy`,
        {
            clusterName: args.clusterName,
            principalArn: admin.arn,
            policyArn: CLUSTER_ADMIN_POLICY,
            accessScope: { type: "cluster" },
        },
        { parent: admin, dependsOn: [adminEntry] },
    );
    new aws.eks.AccessEntry(
        `${name}-eks-readonly-entry`,
        { clusterName: args.clusterName, principalArn: readonly.arn, type: "STANDARD", kubernetesGroups: [READONLY_GROUP] },
        { parent: readonly },
    );
    new aws.eks.AccessEntry(
        `${name}-eks-deployer-entry`,
        { clusterName: args.clusterName, principalArn: deployer.arn, type: "STANDARD", kubernetesGroups: [DEPLOYER_GROUP] },
        { parent: deployer },
    );

    const opts = { parent, provider: args.provider };
    new k8s.rbac.v1.ClusterRoleBinding(`${name}-readonly-view`, readonlyBinding(), opts);
    new k8s.rbac.v1.RoleBinding(`${name}-deployers-edit`, deployerBinding(), { ...opts, dependsOn: [args.appNamespace] });
    return { admin, readonly, deployer };
}
