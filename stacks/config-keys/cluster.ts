// Stack config keys of RegionalCluster (issue 3). Merged into CONFIG_SCHEMA (stacks/config-schema.ts);
// decoded values reach the stacks as `config.values.<key>`. Define keys with `key<T>()`
// from ./define, with a spec-derived default and the roles that read them.
import { NodeGroupSpec, nodeGroupProblems } from "../../components/regional-cluster/node-groups";
import { CLUSTER_DEFAULTS, CLUSTER_LIMITS, KUBERNETES_VERSIONS } from "../../components/regional-cluster";
import { argsOf, intRange, key, parseCidr, REGIONAL_ROLES } from "./define";

/** The minors RegionalCluster accepts (EKS standard support), from the component. */
export { KUBERNETES_VERSIONS };

const clusterArg = argsOf("RegionalCluster", CLUSTER_DEFAULTS, CLUSTER_LIMITS);

export const CLUSTER_KEYS = {
    kubernetesVersion: key<string>({
        type: "string",
        description: `Kubernetes minor of the EKS control plane (spec: Cluster Specifications, "Version: 1.28+"); one in EKS standard support: ${KUBERNETES_VERSIONS.join(", ")}.`,
        ...clusterArg("kubernetesVersion"),
        roles: REGIONAL_ROLES,
    }),
    clusterPublicAccessCidrs: key<string[]>({
        type: "array",
        items: "string",
        description:
            "Extra single addresses (/32) allowed on the EKS API's public endpoint, beside the deploy runner's egress addresses that the regional stack reads from the bootstrap stack (docs/decisions/eks-api-access.md). Wider ranges are refused: the endpoint stays closed to everyone but named hosts (spec: Zero-Trust Architecture).",
        ...clusterArg("publicAccessCidrs"),
        roles: REGIONAL_ROLES,
        check: (v) =>
            v.flatMap((c) => {
                const parsed = parseCidr(c);
                if (!parsed) return [`contains ${JSON.stringify(c)}; each entry must be an IPv4 CIDR aligned to its prefix`];
                // A range is a network of hosts nobody here vouches for; the allowlist names hosts.
                if (parsed[1] !== 32)
                    return [`contains ${JSON.stringify(c)}; each entry must be a single address (/32): the public endpoint admits named hosts only`];
                return [];
            }),
    }),
    nodeGroups: key<Record<string, Partial<NodeGroupSpec>>>({
        type: "object",
        description:
            "Managed node groups, sized by the capacity model (docs/capacity-and-recovery.md; the spec's m6i/c6i/r6i 20-200/10-100/5-50 is not): general m7g.2xlarge 3-30, compute c7g.4xlarge 3-40 (the backend), memory r7g/r8g.2xlarge spot 0-10. Per-group, per-field overrides (instanceTypes, minSize, maxSize, capacityType ON_DEMAND|SPOT, diskSizeGiB) merge onto the defaults; instance families must encrypt in transit (AWS Nitro, docs/encryption-in-transit.md).",
        ...clusterArg("nodeGroups"),
        roles: REGIONAL_ROLES,
        check: (v) => nodeGroupProblems(v, "").map(([field, value, allowed]) => `${field}: ${allowed} (got ${JSON.stringify(value)})`),
    }),
    standbyNodeGroupMinSize: key<number>({
        type: "integer",
        description:
            "Standby only: warm (minimum) size of the compute group, which runs the backend. The recovery-time model (docs/capacity-and-recovery.md) needs it to hold the zone's peak: nodes launched during a failover do not fit the 5-minute RTO. The other groups keep their own minimum.",
        default: 3,
        roles: ["standby"],
        check: intRange(0, 200),
    }),
    clusterMaxNodes: key<number>({
        type: "integer",
        description:
            'Cap on nodes the Cluster Autoscaler runs in the region: the sum of the default node group maximums, so the cap is reachable (spec: "Scale 0-500 nodes per region" is a ceiling).',
        ...clusterArg("maxNodes"),
        roles: REGIONAL_ROLES,
    }),
    ingressLogRetentionDays: key<number>({
        type: "integer",
        description: "Days the ingress load balancer's access logs are kept before they expire (PCI DSS 10.7: one year).",
        ...clusterArg("ingressLogRetentionDays"),
        roles: REGIONAL_ROLES,
    }),
} as const;
