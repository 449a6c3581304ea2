import * as pulumi from "@pulumi/pulumi";
import type { ShardOutput } from "../components/sharded-database";

/**
 * The contract between stacks (DESIGN.md, "Regional outputs"): the names every
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
    /** KMS key ARNs by data domain (db, cache, logs, eks, secrets). */
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

/** RedisGlobal's part of the contract (DESIGN.md: redis). */
export interface RedisOutputs {
    replicationGroupId: pulumi.Output<string>;
    globalReplicationGroupId: pulumi.Output<string>;
    configurationEndpoint: pulumi.Output<string>;
    securityGroupId: pulumi.Output<string>;
    subnetGroupName: pulumi.Output<string>;
}

/** Output names of the contract, in the order the design lists them. */
export const REGIONAL_OUTPUT_NAMES = [
    "region", "zone", "role",
    "vpcId", "vpcCidr", "privateSubnetIds", "dataSubnetIds", "dataRouteTableIds", "dataSubnetCidrs",
    "kmsKeys",
    "clusterName", "kubeconfig", "oidcProviderArn", "ingress",
    "dbSubnetGroupName", "dbSecurityGroupId", "shards",
    "observability",
    "redis",
] as const satisfies readonly (keyof RegionalOutputs)[];

/** Full StackReference name of a stack in this project. */
export function stackRefName(org: string, project: string, stack: string): string {
    return `${org}/${project}/${stack}`;
}
