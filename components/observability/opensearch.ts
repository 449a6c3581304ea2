import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Log-store sizing for the spec's "Elasticsearch: 30-day retention, 10TB capacity"
 * (Amazon OpenSearch Service stands in for Elasticsearch), with a hot tier for the
 * recent week and UltraWarm for the rest, sized by the cost model (docs/cost-model.md):
 * 30 days all hot on gp3 cost ~4x as much, and searches go mostly to recent logs.
 *
 * Hot, AWS's sizing guide (minimum storage = source x (1 + replicas) x 1.45, where 1.45
 * covers indexing overhead 10%, the 5% Linux reserve and the service's 20% reserve):
 *   retained source logs   10 TB over 30 days ~ 333 GB/day
 *   hot, 7 days            2.33 TB ~ 2,173 GiB x 2 (one replica) x 1.45 = 6,302 GiB minimum
 *   data nodes             3 x r6g.2xlarge.search (8 vCPU, 64 GiB; EBS limit 3 TiB each), one per AZ
 *   volume per node        2,200 GiB gp3 -> 6,600 GiB, ~5% headroom over the minimum
 *   dedicated masters      3 x m6g.large.search, one per AZ (AWS: enough for up to 10 data nodes;
 *                          UltraWarm needs dedicated masters)
 * Warm (UltraWarm keeps indices in S3: no replica and no service reserve, 10% index overhead):
 *   23 days                7.67 TB ~ 7,140 GiB x 1.1 = 7,855 GiB
 *   warm nodes             6 x ultrawarm1.medium.search (1.5 TiB each) = 9,216 GiB
 */
export const OPENSEARCH_DEFAULTS = {
    retainedTb: 10,
    replicas: 1,
    hotDays: 7,
    dataInstanceType: "r6g.2xlarge.search",
    dataInstanceCount: 3,
    volumeSizeGib: 2200,
    masterInstanceType: "m6g.large.search",
    masterInstanceCount: 3,
    warmInstanceType: "ultrawarm1.medium.search",
    warmInstanceCount: 6,
    engineVersion: "OpenSearch_2.19",
} as const;

/** Minimum storage in GiB for `retainedTb` of source logs with `replicas` (the arithmetic above). */
export function minimumStorageGib(retainedTb: number, replicas: number): number {
    return Math.ceil(((retainedTb * 1e12) / 2 ** 30) * (1 + replicas) * 1.45);
}

/** Share of the retained logs that stays hot: `hotDays` of `retentionDays` (all of it when no warm tier). */
export function hotShare(hotDays: number, retentionDays: number, warmNodes: number): number {
    return warmNodes > 0 ? Math.min(1, hotDays / retentionDays) : 1;
}

/** Hot-tier minimum storage in GiB. */
export function hotStorageGib(retainedTb: number, replicas: number, share: number): number {
    return minimumStorageGib(retainedTb * share, replicas);
}

/** UltraWarm storage in GiB for the logs past the hot days (10% index overhead, no replica). */
export function warmStorageGib(retainedTb: number, share: number): number {
    return Math.ceil(((retainedTb * (1 - share) * 1e12) / 2 ** 30) * 1.1);
}

/** Storage each UltraWarm node type can address, GiB (OpenSearch Service UltraWarm limits). */
export const ULTRAWARM_STORAGE_GIB: Readonly<Record<string, number>> = {
    "ultrawarm1.medium.search": 1536,
    "ultrawarm1.large.search": 20480,
};

/** Largest EBS volume per data node, GiB, for the instance types we size with (OpenSearch Service limits). */
export const EBS_LIMIT_GIB: Readonly<Record<string, number>> = {
    "r6g.large.search": 1024,
    "r6g.xlarge.search": 1536,
    "r6g.2xlarge.search": 3072,
    "r6g.4xlarge.search": 6144,
    "r6g.8xlarge.search": 12288,
    "r6g.12xlarge.search": 18432,
    "r7g.large.search": 1024,
    "r7g.xlarge.search": 1536,
    "r7g.2xlarge.search": 3072,
    "r7g.4xlarge.search": 6144,
    "r7g.8xlarge.search": 12288,
    "r7g.12xlarge.search": 18432,
    "im4gn.4xlarge.search": 7500,
};

export interface LogDomainArgs {
    domainName: string;
    region: string;
    accountId: pulumi.Input<string>;
    dataSubnetIds: pulumi.Input<string>[];
    vpcId: pulumi.Input<string>;
    logsKeyArn: pulumi.Input<string>;
    /** Security group of the cluster's workloads (nodes); the only source allowed in. */
    clientSecurityGroupId?: pulumi.Input<string>;
    /** IAM role that is the fine-grained access control master user. */
    masterUserArn: pulumi.Input<string>;
    dataInstanceType: string;
    dataInstanceCount: number;
    volumeSizeGib: number;
    masterInstanceType: string;
    masterInstanceCount: number;
    /** UltraWarm nodes (0: no warm tier; AWS: at least 2). */
    warmInstanceCount: number;
    warmInstanceType: string;
    engineVersion: string;
    /** Retention of the domain's own audit, error and slow logs. */
    auditLogRetentionDays: number;
    protect: boolean;
}

const LOG_TYPES = {
    AUDIT_LOGS: "audit",
    ES_APPLICATION_LOGS: "error",
    INDEX_SLOW_LOGS: "index-slow",
    SEARCH_SLOW_LOGS: "search-slow",
} as const;

export interface LogDomain {
    domain: aws.opensearch.Domain;
    securityGroup: aws.ec2.SecurityGroup;
    logGroups: aws.cloudwatch.LogGroup[];
}

/**
 * The regional log store: an OpenSearch Service domain in the data subnets
 * over 3 AZs with dedicated masters, encrypted at rest with the logs key and
 * node to node, HTTPS only with TLS 1.2+, fine-grained access control with an
 * IAM master user, and its audit, error and slow logs in KMS-encrypted groups.
 */
export function logDomain(name: string, args: LogDomainArgs, parent: pulumi.Resource): LogDomain {
    const sg = new aws.ec2.SecurityGroup(`${name}-opensearch-sg`, {
        description: "OpenSearch log domain: HTTPS from the cluster's workloads only",
        vpcId: args.vpcId,
        // No egress: the domain only answers; it never opens connections into the VPC.
        egress: [],
        tags: { Name: `${name}-opensearch` },
    }, { parent });
    if (args.clientSecurityGroupId) {
        new aws.vpc.SecurityGroupIngressRule(`${name}-opensearch-from-workloads`, {
            securityGroupId: sg.id,
            referencedSecurityGroupId: args.clientSecurityGroupId,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: "HTTPS from the EKS workloads (Fluent Bit, Jaeger, the ISM job)",
        }, { parent: sg });
    }

    const logGroups = Object.entries(LOG_TYPES).map(([, short]) => new aws.cloudwatch.LogGroup(`${name}-opensearch-${short}`, {
        name: `/bookedbarber/opensearch/${args.domainName}/${short}`,
        retentionInDays: args.auditLogRetentionDays,
        kmsKeyId: args.logsKeyArn,
        tags: { "log-class": short === "audit" ? "security-audit" : "service" },
    }, { parent, protect: args.protect }));

    const domainArn = pulumi.interpolate`arn:aws:es:${args.region}:${args.accountId}:domain/${args.domainName}`;
    // OpenSearch writes its logs as the service principal; this account-wide policy is how CloudWatch Logs lets it.
    const logPolicy = new aws.cloudwatch.LogResourcePolicy(`${name}-opensearch-logs`, {
        policyName: `opensearch-${args.domainName}`,
        policyDocument: pulumi.all([domainArn, args.accountId, ...logGroups.map((g) => g.arn)]).apply(([arn, acct, ...groups]) =>
            JSON.stringify({
                Version: "2012-10-17",
                Statement: [{
                    Sid: "OpenSearchPublishesDomainLogs",
                    Effect: "Allow",
                    Principal: { Service: "es.amazonaws.com" },
                    Action: ["logs:PutLogEvents", "logs:CreateLogStream"],
                    Resource: groups.map((g) => `${g}:*`),
                    Condition: { StringEquals: { "aws:SourceAccount": acct }, ArnLike: { "aws:SourceArn": arn } },
                }],
            })),
    }, { parent });

    const domain = new aws.opensearch.Domain(`${name}-logs`, {
        domainName: args.domainName,
        engineVersion: args.engineVersion,
        clusterConfig: {
            instanceType: args.dataInstanceType,
            instanceCount: args.dataInstanceCount,
            dedicatedMasterEnabled: true,
            dedicatedMasterType: args.masterInstanceType,
            dedicatedMasterCount: args.masterInstanceCount,
            zoneAwarenessEnabled: true,
            zoneAwarenessConfig: { availabilityZoneCount: 3 },
            ...(args.warmInstanceCount > 0 ? { warmEnabled: true, warmType: args.warmInstanceType, warmCount: args.warmInstanceCount } : {}),
        },
        ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: args.volumeSizeGib },
        vpcOptions: { subnetIds: args.dataSubnetIds.slice(0, 3), securityGroupIds: [sg.id] },
        encryptAtRest: { enabled: true, kmsKeyId: args.logsKeyArn },
        nodeToNodeEncryption: { enabled: true },
        domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
        advancedSecurityOptions: {
            enabled: true,
            anonymousAuthEnabled: false,
            internalUserDatabaseEnabled: false,
            masterUserOptions: { masterUserArn: args.masterUserArn },
        },
        // With fine-grained access control the resource policy admits the account's signed requests and the
        // security plugin decides what each role may do (AWS's recommended pairing).
        accessPolicies: pulumi.all([domainArn, args.accountId]).apply(([arn, acct]) =>
            JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${acct}:root` }, Action: "es:ESHttp*", Resource: `${arn}/*` }],
            })),
        logPublishingOptions: Object.keys(LOG_TYPES).map((logType, i) => ({ logType, enabled: true, cloudwatchLogGroupArn: logGroups[i].arn })),
        softwareUpdateOptions: { autoSoftwareUpdateEnabled: true },
        offPeakWindowOptions: { enabled: true },
        tags: { "data-domain": "logs" },
    }, { parent, protect: args.protect, retainOnDelete: args.protect, dependsOn: [logPolicy] });

    return { domain, securityGroup: sg, logGroups };
}
