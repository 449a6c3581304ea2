import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgsCheck } from "./args";
import { LOG_DELIVERY_SERVICE, serviceStatement } from "./log-delivery";
import { integerLimit } from "./limits";
import { withTags } from "./tags";

/** Data domains that each get their own customer-managed key in every region. */
export const KEY_DOMAINS = ["db", "cache", "logs", "eks", "secrets", "queue"] as const;
export type KeyDomain = (typeof KEY_DOMAINS)[number];

/** RegionalKeys' defaults: the value each optional arg takes when left out. */
export const REGIONAL_KEYS_DEFAULTS = {
    /** The longest wait KMS allows: the most time to cancel a mistaken deletion. */
    deletionWindowInDays: 30,
} as const;

/**
 * The lifecycle every customer-managed key in the program gets: automatic rotation once a year (KMS's default
 * period; PCI DSS 3.6.4 asks for a defined cryptoperiod) and the longest deletion wait KMS allows.
 */
export const CMK_LIFECYCLE = {
    enableKeyRotation: true,
    rotationPeriodInDays: 365,
    deletionWindowInDays: REGIONAL_KEYS_DEFAULTS.deletionWindowInDays,
} as const;

/** RegionalKeys' valid ranges. */
export const REGIONAL_KEYS_LIMITS = {
    /** KMS ScheduleKeyDeletion PendingWindowInDays: 7 to 30. */
    deletionWindowInDays: integerLimit(7, 30),
} as const;

export interface RegionalKeysArgs {
    /** AWS region the keys live in; names the services allowed to use them. Required. */
    region: string;
    /** Account that owns the keys; its root is the key administrator. Required. */
    accountId: pulumi.Input<string>;
    /**
     * ARN of the account's Auto Scaling service-linked role, which the eks key's policy names (node groups launch
     * encrypted volumes through it). Required: AWS refuses a key policy naming a role that does not exist, so the
     * bootstrap stack creates the role and the regional stack passes its ARN, which orders the key after it.
     */
    autoScalingRoleArn: pulumi.Input<string>;
    /** Days a scheduled deletion waits. Default 30, the AWS maximum, so a mistake can be undone. */
    deletionWindowInDays?: number;
    /** Protect the keys from `pulumi destroy`. Default true (docs/design.md#conventions: stateful resources are protected). */
    protect?: boolean;
    /** Tags added to every AWS resource this component creates, under each resource's own tags (build the design's set with `defaultTags()`). Default none: the provider's defaultTags carry them, as in the stacks. */
    tags?: Record<string, string>;
}

/**
 * AWS services that use each domain's key on behalf of the account's principals
 * (the `kms:ViaService` condition), so a principal holding `kms:Decrypt` in IAM
 * still cannot use the key outside that service.
 */
const VIA_SERVICES: Record<KeyDomain, readonly string[]> = {
    // AWS Backup copies Aurora snapshots into a vault encrypted with this key (components/aurora-backups.ts).
    db: ["rds", "backup"],
    cache: ["elasticache"],
    logs: ["logs", "es", "s3", "sns"],
    // ECR encrypts the app images with the eks key (components/container-registry.ts): they are the cluster's workload.
    eks: ["eks", "ec2", "ecr"],
    secrets: ["secretsmanager", "rds", "ssm"],
    // Background-job messages carry booking data: their own key, usable only through SQS (components/job-queue.ts).
    queue: ["sqs"],
};

const USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"];

/** The account's root administers the key; IAM policies then decide who else may (the AWS default, made explicit). */
export function accountAdministersKey(accountId: string): object {
    return { Sid: "AccountAdministersKeyThroughIam", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" };
}

/** CloudWatch Logs encrypts as its service principal, scoped to this account's log groups in the region. */
export function cloudWatchLogsUsesKey(region: string, accountId: string): object {
    return {
        Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${accountId}:log-group:*` } },
    };
}

/** The key policy: who administers the key and which services may use it. Exported for tests. */
export function keyPolicy(domain: KeyDomain, region: string, accountId: string, autoScalingRoleArn: string): string {
    const statements: object[] = [
        accountAdministersKey(accountId),
        {
            Sid: "AccountPrincipalsUseKeyOnlyThroughNamedServices",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: USE_ACTIONS,
            Resource: "*",
            Condition: {
                StringEquals: {
                    "kms:CallerAccount": accountId,
                    "kms:ViaService": VIA_SERVICES[domain].map((s) => `${s}.${region}.amazonaws.com`),
                },
            },
        },
    ];
    if (domain === "logs") {
        statements.push(cloudWatchLogsUsesKey(region, accountId));
        // Load balancer access logs (and other vended logs) are written to SSE-KMS buckets by the log delivery service.
        statements.push(
            serviceStatement({
                sid: "LogDeliveryEncryptsThisAccountsVendedLogs",
                service: LOG_DELIVERY_SERVICE,
                action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                resource: "*",
                source: { account: accountId, arnLike: `arn:aws:logs:${region}:${accountId}:*` },
            }),
        );
    }
    if (domain === "eks") {
        // Node groups launch encrypted EBS volumes through the Auto Scaling service-linked role.
        statements.push({
            Sid: "AutoScalingLaunchesEncryptedNodeVolumes",
            Effect: "Allow",
            Principal: { AWS: autoScalingRoleArn },
            Action: USE_ACTIONS,
            Resource: "*",
        });
    }
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * One customer-managed KMS key per data domain (db, cache, logs, eks, secrets, queue)
 * in one region, each with yearly rotation, an alias and a key policy that
 * names the services allowed to use it.
 */
export class RegionalKeys extends pulumi.ComponentResource {
    /** Key ARNs by domain: the `kmsKeys` output of the regional contract. */
    readonly arns: Record<KeyDomain, pulumi.Output<string>>;
    /** The KMS key resources by domain. */
    readonly keys: Record<KeyDomain, aws.kms.Key>;

    constructor(name: string, args: RegionalKeysArgs, opts?: pulumi.ComponentResourceOptions) {
        const deletionWindowInDays = args.deletionWindowInDays ?? REGIONAL_KEYS_DEFAULTS.deletionWindowInDays;
        new ArgsCheck("RegionalKeys", name)
            .that(/^[a-z]{2}(-[a-z]+)+-\d$/.test(args.region ?? ""), "region", args.region, "must be an AWS region name such as eu-west-1")
            .within("deletionWindowInDays", deletionWindowInDays, REGIONAL_KEYS_LIMITS.deletionWindowInDays)
            .that(
                args.autoScalingRoleArn !== undefined && args.autoScalingRoleArn !== "",
                "autoScalingRoleArn",
                args.autoScalingRoleArn,
                "must be the ARN of the Auto Scaling service-linked role (the bootstrap stack's serviceLinkedRoleArns.autoscaling)",
            )
            .done();
        super("bookedbarber:security:RegionalKeys", name, {}, withTags("RegionalKeys", name, args.tags, opts));

        const keys = {} as Record<KeyDomain, aws.kms.Key>;
        const arns = {} as Record<KeyDomain, pulumi.Output<string>>;
        for (const domain of KEY_DOMAINS) {
            const key = new aws.kms.Key(
                `${name}-${domain}`,
                {
                    description: `BookedBarber ${domain} data in ${args.region}`,
                    ...CMK_LIFECYCLE,
                    deletionWindowInDays,
                    policy: pulumi.all([args.accountId, args.autoScalingRoleArn]).apply(([acct, asg]) => keyPolicy(domain, args.region, acct, asg)),
                    tags: { "data-domain": domain },
                },
                { parent: this, protect: args.protect ?? true },
            );
            new aws.kms.Alias(`${name}-${domain}-alias`, { name: `alias/bookedbarber/${domain}`, targetKeyId: key.keyId }, { parent: key });
            keys[domain] = key;
            arns[domain] = key.arn;
        }
        this.keys = keys;
        this.arns = arns;
        this.registerOutputs({ arns });
    }
}
