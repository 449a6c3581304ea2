import { ShardedDatabase } from "../components";

/**
 * The us zone primary's four Aurora PostgreSQL shards, AWS side only (add `kubernetes` for the
 * PgBouncer pools and the directory migration Job). The catalog lock pins the franchise ranges.
 */
export function shardedDatabaseExample(): ShardedDatabase {
    return new ShardedDatabase("bb-use1-db", {
        role: "primary",
        zone: "us",
        region: "us-east-1",
        azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
        vpcId: "vpc-0a1b2c3d4e5f60718",
        dataSubnetIds: ["subnet-0data0a", "subnet-0data0b", "subnet-0data0c"],
        clientSecurityGroupIds: ["sg-0nodes"],
        dbKeyArn: "arn:aws:kms:us-east-1:123456789012:key/db",
        secretsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/secrets",
        logsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/logs",
        zoneRanges: { us: { first: 1, last: 50000 }, eu: { first: 50001, last: 75000 }, apac: { first: 75001, last: 100000 } },
        catalogLock: "4:us=1-50000,eu=50001-75000,apac=75001-100000",
        zonePrimaryRegions: { us: "us-east-1", eu: "eu-west-1", apac: "ap-southeast-1" },
    });
}
