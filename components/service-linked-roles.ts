import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Service-linked roles the stacks name or need before AWS would create them on
 * its own. One per account, so the bootstrap stack (wave 0) creates them and
 * the regional stacks read their ARNs (docs/decisions/eks-api-access.md).
 * Role names are AWS's (test/upstream/service-linked-roles/aws.json holds the
 * sources; a test holds this table to them).
 */
export const SERVICE_LINKED_ROLES = {
    /** Named in the eks key's policy: node groups launch CMK-encrypted volumes through it. AWS refuses a key policy naming a role that does not exist. */
    autoscaling: { service: "autoscaling.amazonaws.com", roleName: "AWSServiceRoleForAutoScaling" },
    /** OpenSearch VPC domains need it, and AWS creates it only from the console. */
    opensearch: { service: "opensearchservice.amazonaws.com", roleName: "AWSServiceRoleForAmazonOpenSearchService" },
} as const;
export type ServiceLinkedRoleKey = keyof typeof SERVICE_LINKED_ROLES;

/** The role name AWS gives a service's service-linked role (with a custom suffix where the service allows one). */
export function serviceLinkedRoleName(service: string, customSuffix?: unknown): string {
    const known = Object.values(SERVICE_LINKED_ROLES).find((r) => r.service === service);
    const base = known?.roleName ?? `AWSServiceRoleFor${service.split(".")[0].replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`;
    return typeof customSuffix === "string" && customSuffix ? `${base}_${customSuffix}` : base;
}

/** The ARN of a service-linked role, from its service and account (IAM puts it under /aws-service-role/<service>/). */
export function serviceLinkedRoleArn(accountId: string, key: ServiceLinkedRoleKey): string {
    const { service, roleName } = SERVICE_LINKED_ROLES[key];
    return `arn:aws:iam::${accountId}:role/aws-service-role/${service}/${roleName}`;
}

/** Creates every role of the table; returns their ARNs by key. */
export function createServiceLinkedRoles(
    name: string,
    parent: pulumi.Resource,
    opts: pulumi.CustomResourceOptions = {},
): Record<ServiceLinkedRoleKey, pulumi.Output<string>> {
    const arns = {} as Record<ServiceLinkedRoleKey, pulumi.Output<string>>;
    for (const [key, { service }] of Object.entries(SERVICE_LINKED_ROLES) as [ServiceLinkedRoleKey, { service: string }][]) {
        arns[key] = new aws.iam.ServiceLinkedRole(
            `${name}-${key}-slr`,
            {
                awsServiceName: service,
                description: `Created by the bootstrap stack: the stacks need it before ${service} would create it`,
            },
            { parent, ...opts },
        ).arn;
    }
    return arns;
}
