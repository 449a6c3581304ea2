import * as pulumi from "@pulumi/pulumi";
import type { ShardOutput } from "../components/sharded-database";

/**
 * The contract between stacks (docs/design.md#the-contract-between-stacks): the names every
 * regional stack exports and the only names the global stack and the standbys
 * read. Changing one means changing its readers and tests in the same commit.
 */
export interface RegionalOutputs {
    region: string;
    zone: string;
    role: string;
    vpcId: pulumi.Output<string>;
    vpcCidr: pulumi.Output<string>;
    privateSubnetIds: pulumi.Output<string>[];
    dataSubnetIds: pulumi.Output<string>[];
    /** Route tables of the data subnets: the global stack adds cross-region peering routes here. */
    dataRouteTableIds: pulumi.Output<string>[];
    /** CIDRs of the data subnets: the global stack routes only these across the zone's peering. */
    dataSubnetCidrs: string[];
    /** KMS key ARNs by data domain (db, cache, logs, eks, secrets, queue). */
    kmsKeys: Record<string, pulumi.Output<string>>;
    /** EKS cluster name. */
    clusterName: pulumi.Output<string>;
    /** Kubeconfig (JSON) of the cluster: a secret. */
    kubeconfig: pulumi.Output<string>;
    /** IAM OIDC provider of the cluster. */
    oidcProviderArn: pulumi.Output<string>;
    /** DB subnet group of the Aurora shards (isolated data subnets). */
    dbSubnetGroupName: pulumi.Output<string>;
    /** Security group of the Aurora shards: 5432 from the cluster's workloads only. */
    dbSecurityGroupId: pulumi.Output<string>;
    /** The region's shards: franchise range, global cluster id, cluster ARN and endpoints; standbys read the primary's. */
    shards: pulumi.Output<ShardOutput[]>;
    /** ObservabilityStack: Grafana's URL, the OpenSearch endpoint and the SNS topic of each alert class (P0-P3). */
    observability: ObservabilityOutputs;
    /** The zone's cache: a standby reads `globalReplicationGroupId` from its zone primary's to join its Global Datastore. */
    redis: RedisOutputs;
    /** The regional ingress load balancer, for Route 53 alias records and CloudFront origins. */
    ingress: pulumi.Output<{ dnsName: string; zoneId: string }>;
    /** Standby only: the full name of the zone primary stack it reads. */
    primaryStack?: pulumi.Output<string>;
}

/** The `observability` output of a regional stack. */
export interface ObservabilityOutputs {
    dashboardUrl: pulumi.Output<string>;
    openSearchEndpoint: pulumi.Output<string>;
    alertTopicArns: Record<"P0" | "P1" | "P2" | "P3", pulumi.Output<string>>;
}

/** RedisGlobal's part of the contract (docs/design.md#the-contract-between-stacks: redis). */
export interface RedisOutputs {
    replicationGroupId: pulumi.Output<string>;
    globalReplicationGroupId: pulumi.Output<string>;
    configurationEndpoint: pulumi.Output<string>;
    securityGroupId: pulumi.Output<string>;
    subnetGroupName: pulumi.Output<string>;
    /** What a client needs to log in, none of it secret: the port, the application's user, how it authenticates, TLS. */
    port: number;
    userName: string;
    /** `iam`: a SigV4 token signed by the workload's role, for `userName` and this member's replication group (components/redis-global/README.md). */
    auth: string;
    /** `required`: the cache refuses clear text. */
    tls: string;
}

/** Output names of the contract, in the order the design lists them. */
export const REGIONAL_OUTPUT_NAMES = [
    "region",
    "zone",
    "role",
    "vpcId",
    "vpcCidr",
    "privateSubnetIds",
    "dataSubnetIds",
    "dataRouteTableIds",
    "dataSubnetCidrs",
    "kmsKeys",
    "clusterName",
    "kubeconfig",
    "oidcProviderArn",
    "ingress",
    "dbSubnetGroupName",
    "dbSecurityGroupId",
    "shards",
    "observability",
    "redis",
] as const satisfies readonly (keyof RegionalOutputs)[];

/** Full StackReference name of a stack in this project. */
export function stackRefName(org: string, project: string, stack: string): string {
    return `${org}/${project}/${stack}`;
}

/**
 * The bootstrap stack's outputs (wave 0; docs/decisions/eks-api-access.md): what the regional and
 * global stacks read through their `bootstrapStack` reference, and only these names.
 */
export interface BootstrapOutputs {
    /** The public domain: CloudFront serves it and www.<domainName>; API names live under api.<domainName>. */
    domainName: string;
    /** The public hosted zone's name. */
    hostedZoneName: string;
    /** The public hosted zone: certificate validation records and the edge's routing records go here. */
    hostedZoneId: pulumi.Output<string>;
    /** The zone's name servers: the delegation (set by the stack with route53-domains, by hand with registrar). */
    nameServers: pulumi.Output<string[]>;
    /** How the zone is delegated: route53-domains or registrar. */
    dnsDelegation: string;
    /** The deploy runner: CodeBuild project, the `runs-on` label, and its egress addresses (/32), the EKS public endpoint allowlist. */
    runner: { projectName: pulumi.Output<string>; label: pulumi.Output<string>; egressCidrs: pulumi.Output<string[]> };
    /** Service-linked roles by key (autoscaling, opensearch): the eks key policy names the autoscaling one. */
    serviceLinkedRoleArns: Record<string, pulumi.Output<string>>;
    /** The role GitHub Actions assumes through OIDC (secret AWS_DEPLOY_ROLE_ARN). */
    ciRoleArn: pulumi.Output<string>;
}

/** The bootstrap outputs the other stacks read. */
export const BOOTSTRAP_READS = ["domainName", "hostedZoneName", "hostedZoneId", "runner", "serviceLinkedRoleArns"] as const;

/** What a regional or global stack reads from the bootstrap stack, as plain values. */
export interface BootstrapView {
    domainName: string;
    hostedZoneName: string;
    hostedZoneId: string;
    runnerEgressCidrs: string[];
    autoScalingRoleArn: string;
}

/**
 * Reads the bootstrap stack's outputs as plain values (known at preview, like the global stack's
 * regional reads), so the EKS allowlist and the certificate names are validated before anything is
 * registered. A missing output fails naming the stack and the output.
 */
export async function readBootstrap(org: string, project: string, stack: string, refName: string): Promise<BootstrapView> {
    const ref = new pulumi.StackReference(refName, { name: stackRefName(org, project, stack) });
    const [domainName, hostedZoneName, hostedZoneId, runner, slr] = await Promise.all(BOOTSTRAP_READS.map((n) => ref.requireOutputValue(n)));
    const egress = (runner as { egressCidrs?: unknown } | undefined)?.egressCidrs;
    const asg = (slr as Record<string, unknown> | undefined)?.autoscaling;
    const bad = (output: string, problem: string) =>
        new pulumi.RunError(`stack '${stack}' output '${output}' ${problem} (the bootstrap outputs: stacks/contract.ts BootstrapOutputs)`);
    if (typeof domainName !== "string" || !domainName) throw bad("domainName", "must be the public domain name");
    if (typeof hostedZoneName !== "string" || !hostedZoneName) throw bad("hostedZoneName", "must be the hosted zone's name");
    if (typeof hostedZoneId !== "string" || !hostedZoneId) throw bad("hostedZoneId", "must be the hosted zone id");
    if (!Array.isArray(egress) || egress.length === 0 || !egress.every((c) => typeof c === "string" && /\/32$/.test(c)))
        throw bad("runner.egressCidrs", "must be a non-empty list of /32 CIDRs");
    if (typeof asg !== "string" || !asg.startsWith("arn:"))
        throw bad("serviceLinkedRoleArns.autoscaling", "must be the Auto Scaling service-linked role's ARN");
    return { domainName, hostedZoneName, hostedZoneId, runnerEgressCidrs: egress as string[], autoScalingRoleArn: asg };
}
