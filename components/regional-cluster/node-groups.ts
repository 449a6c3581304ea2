import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceRoleTrust } from "../service-role";
import { encryptsInTransit, instanceFamily } from "../../policies/lib/nitro-in-transit";

/** The spec's three managed node groups ("Cluster Specifications"). */
export const NODE_GROUP_NAMES = ["general", "compute", "memory"] as const;
export type NodeGroupName = (typeof NODE_GROUP_NAMES)[number];

export interface NodeGroupSpec {
    /** EC2 instance types. The spec names one per group; add same-size types of other families only to diversify spot capacity. */
    instanceTypes: string[];
    /** Minimum nodes: the spec's lower bound in a primary; the standby minimum in a standby. */
    minSize: number;
    /** Maximum nodes: the spec's upper bound; the Cluster Autoscaler never exceeds it. */
    maxSize: number;
    /** ON_DEMAND, or SPOT for non-critical workloads (spec: Cost Optimization, "Spot Instances: Non-critical workloads"). */
    capacityType: "ON_DEMAND" | "SPOT";
    /** Root volume size in GiB (gp3, encrypted with the eks CMK). */
    diskSizeGiB: number;
}

/** Spec "Cluster Specifications": general m6i.2xlarge 20-200, compute c6i.4xlarge 10-100, memory r6i.2xlarge 5-50. */
export const SPEC_NODE_GROUPS: Readonly<Record<NodeGroupName, NodeGroupSpec>> = {
    general: { instanceTypes: ["m6i.2xlarge"], minSize: 20, maxSize: 200, capacityType: "ON_DEMAND", diskSizeGiB: 100 },
    compute: { instanceTypes: ["c6i.4xlarge"], minSize: 10, maxSize: 100, capacityType: "ON_DEMAND", diskSizeGiB: 100 },
    memory: { instanceTypes: ["r6i.2xlarge"], minSize: 5, maxSize: 50, capacityType: "ON_DEMAND", diskSizeGiB: 100 },
};

/**
 * The defaults, sized by the capacity and recovery-time models (docs/capacity-and-recovery.md):
 * - general (system add-ons, PgBouncer, observability): Graviton m7g.2xlarge, one per AZ, up to 30;
 * - compute (the backend): Graviton c7g.4xlarge, 25 backend pods per node (CPU-bound), up to 40 nodes,
 *   which hold the HPA's 1,000-pod maximum; on demand, because it is the capacity a failover relies on;
 * - memory (no platform workload asks for it): Graviton r7g/r8g on spot, from zero, up to 10 (two
 *   same-size families to diversify spot capacity; r6g is not one: it does not encrypt in transit).
 * Maximums add up to DEFAULT_CLUSTER_MAX_NODES, so the autoscaler's cap is reachable and binding.
 */
export const DEFAULT_NODE_GROUPS: Readonly<Record<NodeGroupName, NodeGroupSpec>> = {
    general: { instanceTypes: ["m7g.2xlarge"], minSize: 3, maxSize: 30, capacityType: "ON_DEMAND", diskSizeGiB: 100 },
    compute: { instanceTypes: ["c7g.4xlarge"], minSize: 3, maxSize: 40, capacityType: "ON_DEMAND", diskSizeGiB: 100 },
    memory: { instanceTypes: ["r7g.2xlarge", "r8g.2xlarge"], minSize: 0, maxSize: 10, capacityType: "SPOT", diskSizeGiB: 100 },
};
/** The Cluster Autoscaler's cap: the default maximums' sum (the spec's 500 is a ceiling no group range could reach). */
export const DEFAULT_CLUSTER_MAX_NODES = 80;

/** EKS AMI type for a group's instance types: arm64 for Graviton (family ending in g), x86_64 otherwise. */
export function amiTypeFor(instanceTypes: readonly string[]): "AL2023_ARM_64_STANDARD" | "AL2023_x86_64_STANDARD" {
    return instanceTypes.every((t) => /^[a-z]+\d+g[a-z]*\./.test(t)) ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

/**
 * Instance families the node groups may use: current x86_64 (Intel/AMD) and arm64 (Graviton) generations
 * of the spec's general (m), compute (c) and memory (r) classes, and only families whose Nitro hardware
 * encrypts traffic between instances (policies/lib/nitro-in-transit.ts): pod-to-pod hops that cannot speak
 * TLS (Istio's own telemetry, kube-proxy metrics, DNS) rely on it (docs/encryption-in-transit.md, "The Nitro
 * floor"). So m5, c5, r5, m6g, c6g and r6g are out. A group must not mix the two architectures: its AMI type
 * follows them (amiTypeFor).
 */
export const INSTANCE_FAMILIES = [
    "m6i",
    "m6a",
    "m7i",
    "m7a",
    "c5a",
    "c6i",
    "c6a",
    "c7i",
    "c7a",
    "r6i",
    "r6a",
    "r7i",
    "r7a",
    "m7g",
    "m7gd",
    "m8g",
    "c6gn",
    "c7g",
    "c7gd",
    "c7gn",
    "c8g",
    "r7g",
    "r7gd",
    "r8g",
] as const;
const SIZE_RE = /^(large|xlarge|\d{1,2}xlarge)$/;

/**
 * Scheduling identity of each group. `general` has no taint on purpose: it is where the system
 * add-ons and anything that does not ask for a class run. The others repel pods that do not
 * tolerate them, so compute- and memory-heavy pods get the nodes they were sized for.
 */
export const NODE_GROUP_SCHEDULING: Readonly<
    Record<NodeGroupName, { labels: Record<string, string>; taints: { key: string; value: string; effect: "NO_SCHEDULE" }[] }>
> = {
    general: { labels: { "bookedbarber.com/node-group": "general", "bookedbarber.com/workload-class": "general" }, taints: [] },
    compute: {
        labels: { "bookedbarber.com/node-group": "compute", "bookedbarber.com/workload-class": "compute" },
        taints: [{ key: "bookedbarber.com/workload-class", value: "compute", effect: "NO_SCHEDULE" }],
    },
    memory: {
        labels: { "bookedbarber.com/node-group": "memory", "bookedbarber.com/workload-class": "memory" },
        taints: [{ key: "bookedbarber.com/workload-class", value: "memory", effect: "NO_SCHEDULE" }],
    },
};
/** Extra taint on spot groups: only pods that accept interruption land there. */
export const SPOT_TAINT = { key: "bookedbarber.com/capacity", value: "spot", effect: "NO_SCHEDULE" } as const;

/** Problems of a node-group table, each as [field, value, allowed]: shared by the component and the stack config check. */
export function nodeGroupProblems(groups: Readonly<Record<string, Partial<NodeGroupSpec>>>, prefix = "nodeGroups"): [string, unknown, string][] {
    const problems: [string, unknown, string][] = [];
    for (const [name, g] of Object.entries(groups ?? {})) {
        const f = `${prefix}.${name}`;
        if (!NODE_GROUP_NAMES.includes(name as NodeGroupName)) {
            problems.push([f, g, `is not a node group; the groups are ${NODE_GROUP_NAMES.join(", ")}`]);
            continue;
        }
        if (g.instanceTypes !== undefined) {
            if (!Array.isArray(g.instanceTypes) || g.instanceTypes.length === 0)
                problems.push([`${f}.instanceTypes`, g.instanceTypes, "must be a non-empty list"]);
            else if (new Set(g.instanceTypes.map((t) => amiTypeFor([String(t)]))).size > 1)
                problems.push([`${f}.instanceTypes`, g.instanceTypes, "must not mix Graviton (arm64) and x86_64 types in one group"]);
            else
                for (const t of g.instanceTypes) {
                    const [family, size] = String(t).split(".");
                    if (!INSTANCE_FAMILIES.includes(family as (typeof INSTANCE_FAMILIES)[number]) || !SIZE_RE.test(size ?? "")) {
                        // Name the Nitro reason when that is what rules the family out (r6g.2xlarge, m5.xlarge).
                        const plaintext = /^[mcr]\d/.test(family) && SIZE_RE.test(size ?? "") && !encryptsInTransit(String(t));
                        problems.push([
                            `${f}.instanceTypes`,
                            t,
                            `${plaintext ? `family ${instanceFamily(String(t))} does not encrypt traffic between instances in transit (AWS Nitro, docs/encryption-in-transit.md); ` : ""}must be <family>.<size> with a family of ${INSTANCE_FAMILIES.join(", ")}`,
                        ]);
                    }
                }
        }
        for (const k of ["minSize", "maxSize"] as const) {
            const v = g[k];
            if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 500)) problems.push([`${f}.${k}`, v, "must be an integer from 0 to 500"]);
        }
        if (g.minSize !== undefined && g.maxSize !== undefined && g.minSize > g.maxSize)
            problems.push([`${f}.minSize`, g.minSize, `must not exceed maxSize (${g.maxSize})`]);
        if (g.maxSize !== undefined && g.maxSize < 1) problems.push([`${f}.maxSize`, g.maxSize, "must be at least 1"]);
        if (g.capacityType !== undefined && !["ON_DEMAND", "SPOT"].includes(g.capacityType))
            problems.push([`${f}.capacityType`, g.capacityType, "must be one of ON_DEMAND, SPOT"]);
        if (g.diskSizeGiB !== undefined && !(Number.isInteger(g.diskSizeGiB) && g.diskSizeGiB >= 20 && g.diskSizeGiB <= 1000)) {
            problems.push([`${f}.diskSizeGiB`, g.diskSizeGiB, "must be an integer from 20 to 1000"]);
        }
        const known = ["instanceTypes", "minSize", "maxSize", "capacityType", "diskSizeGiB"];
        for (const k of Object.keys(g))
            if (!known.includes(k))
                problems.push([`${f}.${k}`, (g as Record<string, unknown>)[k], `is not a node group field; fields are ${known.join(", ")}`]);
    }
    return problems;
}

/** The default table with per-group, per-field overrides on top. */
export function resolveNodeGroups(overrides: Readonly<Partial<Record<NodeGroupName, Partial<NodeGroupSpec>>>> = {}): Record<NodeGroupName, NodeGroupSpec> {
    return Object.fromEntries(NODE_GROUP_NAMES.map((n) => [n, { ...DEFAULT_NODE_GROUPS[n], ...(overrides[n] ?? {}) }])) as Record<NodeGroupName, NodeGroupSpec>;
}

export interface NodeGroupsArgs {
    clusterName: pulumi.Input<string>;
    kubernetesVersion: string;
    subnetIds: pulumi.Input<string>[];
    nodeSecurityGroupId: pulumi.Input<string>;
    eksKeyArn: pulumi.Input<string>;
    groups: Record<NodeGroupName, NodeGroupSpec>;
    /** Tags for the instances and volumes the groups launch: provider defaultTags do not reach launch-template tag specifications. */
    instanceTags: Record<string, string>;
}

export interface NodeGroups {
    role: aws.iam.Role;
    groups: Record<NodeGroupName, aws.eks.NodeGroup>;
    /** Names of the groups' auto scaling groups: the Cluster Autoscaler may act on these and no others. */
    asgNames: pulumi.Output<string[]>;
}

/**
 * The managed node groups. Each spans every private subnet (all AZs), launches from a template
 * that encrypts the root volume with the eks CMK and requires IMDSv2 with a hop limit of 1 (pods
 * cannot reach the node's credentials; they get theirs from Pod Identity), and carries its own
 * labels and taints.
 */
export function createNodeGroups(name: string, args: NodeGroupsArgs, parent: pulumi.Resource): NodeGroups {
    const role = new aws.iam.Role(
        `${name}-node-role`,
        {
            description: "EKS managed node groups: kubelet, image pulls and the VPC CNI",
            assumeRolePolicy: serviceRoleTrust("ec2.amazonaws.com"),
        },
        { parent },
    );
    // AWS-managed node policies: the minimum a node needs to join and run pods (AWS EKS node IAM role guide).
    const policies = {
        worker: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        cni: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
        ecr: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
        ssm: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    };
    const attachments = Object.entries(policies).map(
        ([k, arn]) => new aws.iam.RolePolicyAttachment(`${name}-node-${k}`, { role: role.name, policyArn: arn }, { parent: role }),
    );

    const groups = {} as Record<NodeGroupName, aws.eks.NodeGroup>;
    for (const group of NODE_GROUP_NAMES) {
        const spec = args.groups[group];
        const lt = new aws.ec2.LaunchTemplate(
            `${name}-${group}-lt`,
            {
                description: `EKS ${group} nodes: CMK-encrypted gp3 root volume, IMDSv2 only`,
                updateDefaultVersion: true,
                vpcSecurityGroupIds: [args.nodeSecurityGroupId],
                blockDeviceMappings: [
                    {
                        deviceName: "/dev/xvda",
                        ebs: {
                            volumeSize: spec.diskSizeGiB,
                            volumeType: "gp3",
                            encrypted: "true",
                            kmsKeyId: args.eksKeyArn,
                            deleteOnTermination: "true",
                        },
                    },
                ],
                metadataOptions: {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    // 1 hop: the node reaches IMDS, a pod (one hop further) does not.
                    httpPutResponseHopLimit: 1,
                    instanceMetadataTags: "disabled",
                },
                monitoring: { enabled: true },
                tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
                    resourceType,
                    tags: { ...args.instanceTags, Name: `${name}-${group}`, "bookedbarber.com/node-group": group },
                })),
            },
            { parent },
        );

        const scheduling = NODE_GROUP_SCHEDULING[group];
        const spot = spec.capacityType === "SPOT";
        groups[group] = new aws.eks.NodeGroup(
            `${name}-${group}`,
            {
                clusterName: args.clusterName,
                nodeGroupName: `${name}-${group}`,
                version: args.kubernetesVersion,
                nodeRoleArn: role.arn,
                subnetIds: args.subnetIds,
                amiType: amiTypeFor(spec.instanceTypes),
                capacityType: spec.capacityType,
                instanceTypes: spec.instanceTypes,
                scalingConfig: { minSize: spec.minSize, maxSize: spec.maxSize, desiredSize: spec.minSize },
                updateConfig: { maxUnavailablePercentage: 10 },
                nodeRepairConfig: { enabled: true },
                launchTemplate: { id: lt.id, version: lt.latestVersion.apply(String) },
                labels: { ...scheduling.labels, "bookedbarber.com/capacity": spot ? "spot" : "on-demand" },
                taints: [...scheduling.taints, ...(spot ? [SPOT_TAINT] : [])],
                tags: { Name: `${name}-${group}` },
            },
            {
                parent,
                dependsOn: attachments,
                // The Cluster Autoscaler owns the desired size between min and max; a deploy must not reset it.
                ignoreChanges: ["scalingConfig.desiredSize"],
            },
        );
    }
    const asgNames = pulumi
        .all(NODE_GROUP_NAMES.map((g) => groups[g].resources))
        .apply((all) => all.flatMap((resources) => resources.flatMap((r) => r.autoscalingGroups.map((a) => a.name))));
    return { role, groups, asgNames };
}
