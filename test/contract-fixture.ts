import { planSubnets } from "../components/cidr";
import { NAMESPACE } from "../stacks/config";
import { REGIONS, shortRegion, ZONE_REGIONS } from "../stacks/regions";
import { readStackConfig } from "../stacks/stack-files";
import { ACCOUNT_ID, digest } from "../tools/offline/mock-outputs";

/**
 * A regional stack's full contract (docs/design.md#the-contract-between-stacks), with
 * realistic values, for the outputs the regional plans do not export yet
 * (RegionalCluster, ShardedDatabase, RedisGlobal and ObservabilityStack are built
 * on other branches). `withContract` lays the real plan outputs ON TOP of it,
 * so each real output takes over as soon as a regional stack exports it.
 */

/** Canonical hosted zone ids of Network Load Balancers per region (the Istio ingress sits behind an NLB). */
const NLB_ZONE_IDS: Record<string, string> = {
    "us-east-1": "Z26RNL4JYFTOTI",
    "us-west-2": "Z18D5FSROUN65G",
    "eu-west-1": "Z2IFOLAFXWLO4F",
    "eu-central-1": "Z3F0SRJ5LGBH90",
    "ap-southeast-1": "ZKVM4W9LS7TM",
    "ap-northeast-1": "Z31USIVHYNEOWT",
};

/** Spec (Database Sharding Strategy): 4 shards of 25,000 franchises; each zone numbers its own. */
export const SHARDS_PER_PRIMARY = 4;

export function syntheticRegionalOutputs(stack: string): Record<string, unknown> {
    const raw = readStackConfig(stack);
    const region = raw["aws:region"];
    const zone = raw[`${NAMESPACE}:zone`] as "us" | "eu" | "apac";
    const role = raw[`${NAMESPACE}:role`];
    const vpcCidr = raw[`${NAMESPACE}:vpcCidr`];
    const short = shortRegion(region);
    const azs = REGIONS[region].azs.slice(0, 3);
    const plan = planSubnets(vpcCidr, azs.length);
    const h = (s: string, n = 8) => digest(`${stack}:${s}`, n);
    const primaryShort = shortRegion(ZONE_REGIONS[zone].primary);
    const shards = Array.from({ length: SHARDS_PER_PRIMARY }, (_, i) => {
        const id = `bb-${short}-shard-${i + 1}`;
        return {
            shardId: i + 1,
            franchiseRange: [i * 25_000 + 1, (i + 1) * 25_000] as [number, number],
            // Standbys join the primary's global clusters, so both name them after the primary.
            globalClusterId: `bb-${primaryShort}-shard-${i + 1}-global`,
            clusterArn: `arn:aws:rds:${region}:${ACCOUNT_ID}:cluster:${id}`,
            writerEndpoint: `${id}.cluster-c${h("db")}.${region}.rds.amazonaws.com`,
            readerEndpoint: `${id}.cluster-ro-c${h("db")}.${region}.rds.amazonaws.com`,
        };
    });
    return {
        region,
        zone,
        role,
        vpcId: `vpc-${h("vpc", 17)}`,
        vpcCidr,
        privateSubnetIds: azs.map((az) => `subnet-${h(`app-${az}`, 17)}`),
        dataSubnetIds: azs.map((az) => `subnet-${h(`data-${az}`, 17)}`),
        dataRouteTableIds: azs.map((az) => `rtb-${h(`data-${az}`, 17)}`),
        dataSubnetCidrs: plan.data,
        clusterName: `bb-${short}-eks`,
        kubeconfig: JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [{ name: `bb-${short}-eks` }] }),
        oidcProviderArn: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/oidc.eks.${region}.amazonaws.com/id/${h("oidc", 32).toUpperCase()}`,
        ingress: {
            dnsName: `a${h("ingress", 32)}-${parseInt(h("n", 8), 16)}.elb.${region}.amazonaws.com`,
            zoneId: NLB_ZONE_IDS[region],
        },
        dbSubnetGroupName: `bb-${short}-db`,
        dbSecurityGroupId: `sg-${h("db-sg", 17)}`,
        shards,
        redis: {
            replicationGroupId: `bb-${short}-redis`,
            globalReplicationGroupId: `ldgnf-bb-${primaryShort}-redis-global`,
            configurationEndpoint: `clustercfg.bb-${short}-redis.${h("redis", 6)}.${region}.cache.amazonaws.com`,
            securityGroupId: `sg-${h("redis-sg", 17)}`,
            subnetGroupName: `bb-${short}-redis`,
        },
        kmsKeys: Object.fromEntries(["db", "cache", "logs", "eks", "secrets", "queue"].map((d) => [d, `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${h(d, 8)}-0000-4000-8000-${h(d + "k", 12)}`])),
        observability: {
            prometheusEndpoint: `https://aps-workspaces.${region}.amazonaws.com/workspaces/ws-${h("amp", 8)}/`,
            grafanaEndpoint: `https://g-${h("grafana", 10)}.grafana-workspace.${region}.amazonaws.com`,
        },
    };
}

/** Real outputs laid over the synthetic contract, per regional stack; other stacks pass through. */
export function withContract(outputs: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [stack, real] of Object.entries(outputs)) {
        const role = readStackConfig(stack)[`${NAMESPACE}:role`];
        const isRegional = role === "primary" || role === "standby";
        out[stack] = isRegional ? { ...syntheticRegionalOutputs(stack), ...real } : real;
    }
    return out;
}
