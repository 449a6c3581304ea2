import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceStatement } from "../log-delivery";

export {
    dataInstanceCountProblem,
    EBS_LIMIT_GIB,
    hotShare,
    hotStorageGib,
    minimumStorageGib,
    OPENSEARCH_DEFAULTS,
    OPENSEARCH_LIMITS,
    ULTRAWARM_STORAGE_GIB,
    warmInstanceCountProblem,
    warmStorageGib,
} from "./opensearch-sizing";

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
    const sg = new aws.ec2.SecurityGroup(
        `${name}-opensearch-sg`,
        {
            description: "OpenSearch log domain: HTTPS from the cluster's workloads only",
            vpcId: args.vpcId,
            // No egress: the domain only answers; it never opens connections into the VPC.
            egress: [],
            tags: { Name: `${name}-opensearch` },
        },
        { parent },
    );
    if (args.clientSecurityGroupId) {
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-opensearch-from-workloads`,
            {
                securityGroupId: sg.id,
                referencedSecurityGroupId: args.clientSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS from the EKS workloads (Fluent Bit, Jaeger, the ISM job)",
            },
            { parent: sg },
        );
    }

    const logGroups = Object.entries(LOG_TYPES).map(
        ([, short]) =>
            new aws.cloudwatch.LogGroup(
                `${name}-opensearch-${short}`,
                {
                    name: `/bookedbarber/opensearch/${args.domainName}/${short}`,
                    retentionInDays: args.auditLogRetentionDays,
                    kmsKeyId: args.logsKeyArn,
                    tags: { "log-class": short === "audit" ? "security-audit" : "service" },
                },
                { parent, protect: args.protect },
            ),
    );

    const domainArn = pulumi.interpolate`arn:aws:es:${args.region}:${args.accountId}:domain/${args.domainName}`;
    // OpenSearch writes its logs as the service principal; this account-wide policy is how CloudWatch Logs lets it.
    const logPolicy = new aws.cloudwatch.LogResourcePolicy(
        `${name}-opensearch-logs`,
        {
            policyName: `opensearch-${args.domainName}`,
            policyDocument: pulumi.all([domainArn, args.accountId, ...logGroups.map((g) => g.arn)]).apply(([arn, acct, ...groups]) =>
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        serviceStatement({
                            sid: "OpenSearchPublishesDomainLogs",
                            service: "es.amazonaws.com",
                            action: ["logs:PutLogEvents", "logs:CreateLogStream"],
                            resource: groups.map((g) => `${g}:*`),
                            source: { account: acct, arnLike: arn },
                        }),
                    ],
                }),
            ),
        },
        { parent },
    );

    const domain = new aws.opensearch.Domain(
        `${name}-logs`,
        {
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
                }),
            ),
            logPublishingOptions: Object.keys(LOG_TYPES).map((logType, i) => ({ logType, enabled: true, cloudwatchLogGroupArn: logGroups[i].arn })),
            softwareUpdateOptions: { autoSoftwareUpdateEnabled: true },
            offPeakWindowOptions: { enabled: true },
            tags: { "data-domain": "logs" },
        },
        { parent, protect: args.protect, retainOnDelete: args.protect, dependsOn: [logPolicy] },
    );

    return { domain, securityGroup: sg, logGroups };
}
