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

/**
 * An IAM role for one Kubernetes service account through EKS Pod Identity
 * (docs/design.md#d12-eks-through-the-pulumi-eks-provider-v4: Pod Identity for every workload that needs AWS access). Only the
 * Pod Identity agent can assume it, and only for this cluster, namespace and
 * service account; the permissions are one inline least-privilege policy.
 * Children are parented to `parent`, named `${name}-role`, `${name}-policy`, `${name}-association`.
 */
export function podIdentityRole(name: string, args: PodIdentityRoleArgs, parent: pulumi.Resource): aws.iam.Role {
    const role = new aws.iam.Role(`${name}-role`, {
        description: args.description,
        assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{
                Effect: "Allow",
                Principal: { Service: "pods.eks.amazonaws.com" },
                Action: ["sts:AssumeRole", "sts:TagSession"],
                Condition: {
                    StringEquals: {
                        "aws:RequestTag/kubernetes-namespace": args.namespace,
                        "aws:RequestTag/kubernetes-service-account": args.serviceAccount,
                    },
                },
            }],
        }),
    }, { parent });
    new aws.iam.RolePolicy(`${name}-policy`, { role: role.id, policy: args.policy }, { parent: role });
    new aws.eks.PodIdentityAssociation(`${name}-association`, {
        clusterName: args.clusterName,
        namespace: args.namespace,
        serviceAccount: args.serviceAccount,
        roleArn: role.arn,
    }, { parent: role });
    return role;
}
