import { RedisGlobal } from "../components";

/**
 * The eu zone primary's cache: it creates the zone's Global Datastore. In a stack the IDs come from
 * the Network, the RegionalCluster and RegionalKeys (stacks/regional.ts); here they are literals.
 */
export function redisGlobalExample(): RedisGlobal {
    return new RedisGlobal("bb-euw1-cache", {
        zone: "eu",
        membership: { role: "primary" },
        vpcId: "vpc-0a1b2c3d4e5f60718",
        subnetIds: ["subnet-0data0a", "subnet-0data0b", "subnet-0data0c"],
        clientSecurityGroupIds: ["sg-0nodes"],
        keyRegions: ["eu-west-1", "eu-central-1"],
        cacheKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/cache",
        logsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/logs",
        // A standby joins instead: membership: { role: "secondary", globalReplicationGroupId, zone }.
        // In a stack, clientRoles: [{ name: "backend", role }] grants the workloads elasticache:Connect (the app user is IAM-authenticated).
    });
}
