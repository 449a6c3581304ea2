import * as pulumi from "@pulumi/pulumi";
import { ArgsCheck } from "../args";

/** Fewest AZs a regional cluster spans (spec: Multi-AZ; components/network.ts builds one subnet of each tier per AZ). */
export const CLUSTER_MIN_AZS = 3;

/**
 * The VPC a RegionalCluster runs in, by ID. The stack builds it (components/network.ts) and hands the same
 * IDs to the data tier, the way pulumi-eks and terraform-aws-eks take a VPC built outside the cluster.
 * Any VPC will do that has, in each AZ, a private subnet with a route out (NAT) and a public subnet tagged
 * `kubernetes.io/role/elb` (the load balancer controller finds the ingress subnets by that tag).
 */
export interface ClusterNetwork {
    /** ID of the VPC. Required (Network.vpcId). */
    vpcId: pulumi.Input<string>;
    /** IPv4 CIDR of the VPC: the peer the app namespace's NetworkPolicies admit from inside the VPC. Required (Network.vpcCidr). */
    vpcCidr: pulumi.Input<string>;
    /** AZs the subnets are in, in order; at least CLUSTER_MIN_AZS, distinct. Required (stack config `azCount`). */
    azs: readonly string[];
    /** One private application subnet per AZ, in `azs` order: the control plane's ENIs and the nodes. Required (Network.privateSubnetIds). */
    privateSubnetIds: readonly pulumi.Input<string>[];
    /** One public subnet per AZ, in `azs` order: the internet-facing ingress NLB. Required (Network.publicSubnetIds). */
    publicSubnetIds: readonly pulumi.Input<string>[];
}

const CIDR_RE = /^\d+\.\d+\.\d+\.\d+\/([0-9]|[12]\d|3[0-2])$/;

/** A known string must be non-empty; an Output is taken as given (its value is not known before `up`). */
function present(v: pulumi.Input<string> | undefined): boolean {
    return v !== undefined && v !== null && (typeof v !== "string" || v.length > 0);
}

/** A list of IDs, shown in an error by its length: Outputs have no printable value before `up`. */
function describeIds(ids: unknown): string {
    return Array.isArray(ids) ? `${ids.length} subnet${ids.length === 1 ? "" : "s"}` : String(ids);
}

/** Records the problems of a ClusterNetwork on `check`, fields named `network.<field>`. */
export function checkClusterNetwork(check: ArgsCheck, network: ClusterNetwork | undefined): ArgsCheck {
    const n = network ?? ({} as Partial<ClusterNetwork>);
    const azs = Array.isArray(n.azs) ? n.azs : [];
    const azsOk =
        Array.isArray(n.azs) && azs.length >= CLUSTER_MIN_AZS && azs.every((az) => typeof az === "string" && az !== "") && new Set(azs).size === azs.length;
    check
        .that(
            network !== undefined,
            "network",
            network,
            "must give the VPC the cluster runs in (vpcId, vpcCidr, azs, privateSubnetIds, publicSubnetIds: a Network's outputs)",
        )
        .that(present(n.vpcId), "network.vpcId", n.vpcId, "must be the ID of the VPC (Network.vpcId)")
        .that(
            present(n.vpcCidr) && (typeof n.vpcCidr !== "string" || CIDR_RE.test(n.vpcCidr)),
            "network.vpcCidr",
            n.vpcCidr,
            "must be the VPC's IPv4 CIDR such as 10.10.0.0/16 (Network.vpcCidr)",
        )
        .that(azsOk, "network.azs", n.azs, `must list at least ${CLUSTER_MIN_AZS} distinct availability zones (spec: Multi-AZ)`);
    for (const field of ["privateSubnetIds", "publicSubnetIds"] as const) {
        const ids = n[field];
        const ok = Array.isArray(ids) && ids.length === azs.length && ids.length >= CLUSTER_MIN_AZS && ids.every(present);
        check.that(
            ok,
            `network.${field}`,
            describeIds(ids),
            `must give one subnet per AZ, at least ${CLUSTER_MIN_AZS}, in the order of network.azs (${azs.length}: ${azs.join(", ") || "none"})`,
        );
    }
    return check;
}
