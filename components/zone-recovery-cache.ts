import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceRoleTrust } from "./service-role";

/** The zone's Global Datastore and its two members (contract `redis` of the primary and standby stacks). */
export interface RecoveryCache {
    /** Full Global Datastore id (contract `redis.globalReplicationGroupId`). */
    globalReplicationGroupId: string;
    primaryReplicationGroupId: string;
    standbyReplicationGroupId: string;
}

/** Node.js runtime of the failover function (AWS SDK for JavaScript v3 is part of it). */
export const CACHE_FAILOVER_RUNTIME = "nodejs22.x";

/**
 * The function's code: promote this region's member of the Global Datastore, unless it is already
 * the primary (so a retried or repeated step does nothing). ARC runs it in the activated region.
 */
export function cacheFailoverCode(cache: RecoveryCache, members: Record<string, string>): string {
    return [
        `import { ElastiCacheClient, DescribeGlobalReplicationGroupsCommand, FailoverGlobalReplicationGroupCommand } from "@aws-sdk/client-elasticache";`,
        `const GLOBAL_ID = ${JSON.stringify(cache.globalReplicationGroupId)};`,
        `const MEMBERS = ${JSON.stringify(members)};`,
        `export const handler = async () => {`,
        `    const region = process.env.AWS_REGION;`,
        `    const member = MEMBERS[region];`,
        `    if (!member) throw new Error("no member of " + GLOBAL_ID + " in " + region);`,
        `    const client = new ElastiCacheClient({ region });`,
        `    const out = await client.send(new DescribeGlobalReplicationGroupsCommand({ GlobalReplicationGroupId: GLOBAL_ID, ShowMemberInfo: true }));`,
        `    const primary = (out.GlobalReplicationGroups?.[0]?.Members ?? []).find((m) => m.Role === "PRIMARY");`,
        `    if (primary?.ReplicationGroupRegion === region) return { status: "already primary", region, member };`,
        `    await client.send(new FailoverGlobalReplicationGroupCommand({ GlobalReplicationGroupId: GLOBAL_ID, PrimaryRegion: region, PrimaryReplicationGroupId: member }));`,
        `    return { status: "failover started", region, member };`,
        `};`,
    ].join("\n");
}

/**
 * One failover function per region of the zone (ARC runs the one in the region it activates, so the
 * same step serves failover and failback), and their role: describe and fail over this Global
 * Datastore and its two members only, and write its own logs.
 */
export function cacheFailoverFunctions(
    name: string,
    args: {
        cache: RecoveryCache;
        primaryRegion: string;
        standbyRegion: string;
        accountId: pulumi.Input<string>;
        timeoutSeconds: number;
        /** Logs key by region and retention of the functions' log groups. */
        logKeyArns: Record<string, string>;
        logRetentionDays: number;
        providers: Record<string, aws.Provider>;
        parent: pulumi.Resource;
    },
): aws.lambda.Function[] {
    const { cache } = args;
    const members = { [args.primaryRegion]: cache.primaryReplicationGroupId, [args.standbyRegion]: cache.standbyReplicationGroupId };
    const fnName = (region: string) => `${name}-cache-${region}`.slice(0, 64);
    const logGroupName = (region: string) => `/aws/lambda/${fnName(region)}`;
    const role = new aws.iam.Role(
        `${name}-cache-role`,
        {
            description: `Fails ${cache.globalReplicationGroupId} over to the activated region (ARC Region switch step)`,
            assumeRolePolicy: serviceRoleTrust("lambda.amazonaws.com"),
        },
        { parent: args.parent, provider: args.providers[args.standbyRegion] },
    );
    new aws.iam.RolePolicy(
        `${name}-cache-policy`,
        {
            role: role.id,
            policy: pulumi.output(args.accountId).apply((acct) =>
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "FailOverThisGlobalDatastore",
                            Effect: "Allow",
                            Action: ["elasticache:FailoverGlobalReplicationGroup", "elasticache:DescribeGlobalReplicationGroups"],
                            Resource: [
                                `arn:aws:elasticache::${acct}:globalreplicationgroup:${cache.globalReplicationGroupId}`,
                                ...Object.entries(members).map(([region, rg]) => `arn:aws:elasticache:${region}:${acct}:replicationgroup:${rg}`),
                            ],
                        },
                        {
                            Sid: "WriteOwnLogs",
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                            Resource: Object.keys(members).map((region) => `arn:aws:logs:${region}:${acct}:log-group:${logGroupName(region)}:*`),
                        },
                    ],
                }),
            ),
        },
        { parent: role, provider: args.providers[args.standbyRegion] },
    );

    const code = cacheFailoverCode(cache, members);
    return Object.keys(members).map((region) => {
        // Created here, not by Lambda on first run, so it is encrypted with the region's logs key and expires.
        const logs = new aws.cloudwatch.LogGroup(
            `${name}-cache-${region}-logs`,
            {
                name: logGroupName(region),
                kmsKeyId: args.logKeyArns[region],
                retentionInDays: args.logRetentionDays,
            },
            { parent: args.parent, provider: args.providers[region] },
        );
        return new aws.lambda.Function(
            `${name}-cache-${region}`,
            {
                name: fnName(region),
                description: `Promotes ${members[region]} to primary of ${cache.globalReplicationGroupId} (ARC Region switch step)`,
                role: role.arn,
                runtime: CACHE_FAILOVER_RUNTIME,
                architectures: ["arm64"],
                handler: "index.handler",
                code: new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.StringAsset(code) }),
                timeout: args.timeoutSeconds,
                memorySize: 128,
                // One failover at a time per region: a second concurrent call would race the first.
                reservedConcurrentExecutions: 1,
                loggingConfig: { logFormat: "JSON", logGroup: logs.name },
            },
            { parent: args.parent, provider: args.providers[region], dependsOn: [logs] },
        );
    });
}
