import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface PodIdentityRoleArgs {
    /** EKS cluster the service account lives in. Required. */
    clusterName: pulumi.Input<string>;
    /** Kubernetes namespace of the service account. Required. */
    namespace: string;
    /** Service account name. Required. */
    serviceAccount: string;
    /** Inline IAM policy (JSON) granting exactly what the workload needs. Required: no managed admin policies. */
    policy: pulumi.Input<string>;
    /** What the role is for, written to its description. */
    description: string;
}

/** The service principal of the EKS Pod Identity agent, the only one a Pod Identity role trusts. */
export const POD_IDENTITY_SERVICE = "pods.eks.amazonaws.com";

/**
 * The trust policy of a Pod Identity role: the Pod Identity agent may assume it (and tag the session, which
 * Pod Identity requires) only for this namespace and service account (EKS User Guide, "Create an IAM role
 * with a trust policy required by EKS Pod Identity"; the session tags are the ones EKS sets).
 */
export function podIdentityTrustPolicy(namespace: string, serviceAccount: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: POD_IDENTITY_SERVICE },
                Action: ["sts:AssumeRole", "sts:TagSession"],
                Condition: {
                    StringEquals: {
                        "aws:RequestTag/kubernetes-namespace": namespace,
                        "aws:RequestTag/kubernetes-service-account": serviceAccount,
                    },
                },
            },
        ],
    });
}

/** Binds a role made with `podIdentityTrustPolicy` to its service account in a cluster; parented to the role. */
export function podIdentityAssociation(
    name: string,
    args: Pick<PodIdentityRoleArgs, "clusterName" | "namespace" | "serviceAccount"> & { role: aws.iam.Role },
): aws.eks.PodIdentityAssociation {
    return new aws.eks.PodIdentityAssociation(
        name,
        {
            clusterName: args.clusterName,
            namespace: args.namespace,
            serviceAccount: args.serviceAccount,
            roleArn: args.role.arn,
        },
        { parent: args.role },
    );
}

/**
 * An IAM role for one Kubernetes service account through EKS Pod Identity
 * (docs/design.md#d12-eks-through-the-pulumi-eks-provider-v4: Pod Identity for every workload that needs AWS access). Only the
 * Pod Identity agent can assume it, and only for this cluster, namespace and
 * service account; the permissions are one inline least-privilege policy.
 * Children are parented to `parent`, named `${name}-role`, `${name}-policy`, `${name}-association`.
 * A role that must exist before its cluster (the OpenSearch master role) is built from
 * `podIdentityTrustPolicy` and `podIdentityAssociation` instead, in two steps.
 */
export function podIdentityRole(name: string, args: PodIdentityRoleArgs, parent: pulumi.Resource): aws.iam.Role {
    const role = new aws.iam.Role(
        `${name}-role`,
        {
            description: args.description,
            assumeRolePolicy: podIdentityTrustPolicy(args.namespace, args.serviceAccount),
        },
        { parent },
    );
    new aws.iam.RolePolicy(`${name}-policy`, { role: role.id, policy: args.policy }, { parent: role });
    podIdentityAssociation(`${name}-association`, { ...args, role });
    return role;
}
