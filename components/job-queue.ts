import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ArgsCheck } from "./args";
import { integerLimit } from "./limits";
import { podIdentityRole } from "./pod-identity";
import { APP_NAMESPACE, BACKEND } from "./regional-cluster/manifests";
import { appServiceAccount, WORKER, workerScaledObject, workerTriggerAuthentication } from "./worker-scaling";
import { workerDeployment, workerPodDisruptionBudget, workerTerminationGraceSeconds } from "./worker-deployment";
import { appImageReference, IMAGE_DIGEST_RE } from "./app-images";
import { withTags } from "./tags";
import type { DatabaseLoginPod } from "./sharded-database/clients";

/** Where KEDA runs, and its operator's service account (the chart's default name). */
export const KEDA_NAMESPACE = "keda";
export const KEDA_OPERATOR_SERVICE_ACCOUNT = "keda-operator";

/**
 * Queue settings. Ranges are SQS's (test/upstream/sqs/queue-attributes.json): visibility timeout
 * 0-43200 s, retention 60-1209600 s, long polling 0-20 s, maxReceiveCount 1-1000, data key reuse 60-86400 s.
 */
export const JOB_QUEUE_DEFAULTS = {
    /** A job's processing budget: the message reappears if the worker neither deletes it nor extends its visibility within 5 minutes. */
    visibilityTimeoutSeconds: 300,
    /** SQS's default retention (4 days): a backlog survives a long weekend outage of the workers. */
    messageRetentionSeconds: 345600,
    /** The dead-letter queue keeps failed jobs for the SQS maximum (14 days), longer than the source, as AWS advises. */
    deadLetterRetentionSeconds: 1209600,
    /** Long polling at the maximum: fewer empty receives (each one is a billed request). */
    receiveWaitTimeSeconds: 20,
    /** Attempts before a job is moved to the dead-letter queue: a poison message stops after 5 tries. */
    maxReceiveCount: 5,
    /** How long SQS reuses a data key before calling KMS again (SQS's default): bounds KMS requests. */
    kmsDataKeyReusePeriodSeconds: 300,
} as const;

/** JobQueue's valid ranges (SQS's, test/upstream/sqs/queue-attributes.json). */
export const JOB_QUEUE_LIMITS = {
    visibilityTimeoutSeconds: integerLimit(0, 43200),
    maxReceiveCount: integerLimit(1, 1000),
} as const;

export interface JobQueueArgs {
    /** EKS cluster whose service accounts get the Pod Identity roles. Required. */
    clusterName: pulumi.Input<string>;
    /** The region's queue CMK (`keys.arns.queue`). Required. */
    keyArn: pulumi.Input<string>;
    /** Protect the queues from `pulumi destroy` (they hold pending jobs). Default true. */
    protect?: boolean;
    /** Tags added to every AWS resource this component creates, under each resource's own tags (build the design's set with `defaultTags()`). Default none: the provider's defaultTags carry them, as in the stacks. */
    tags?: Record<string, string>;
    maxReceiveCount?: number;
    visibilityTimeoutSeconds?: number;
    /** The cluster's provider, region and KEDA release: the worker's ServiceAccounts, Deployment and ScaledObject go there. Required. */
    kubernetes: { provider: k8s.Provider; region: string; appNamespace: pulumi.Resource; keda: pulumi.Resource };
    /**
     * The worker's release: the account whose regional ECR holds `bookedbarber/worker` and the image
     * digest (`sha256:<64 hex>`, the stack's `appImages.worker`). The Deployment pulls it by digest. Required.
     */
    workerImage: { accountId: pulumi.Input<string>; digest: string };
    /**
     * PgBouncer's login for the worker: the CSI volume of the shards' app role secrets and the pools' addresses in env
     * (`databaseLoginPod`, components/sharded-database/clients.ts). Default none.
     */
    workerDatabaseLogin?: DatabaseLoginPod;
}

/** Actions each role needs on the queue, and no more. */
export const PRODUCER_ACTIONS = ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"];
export const CONSUMER_ACTIONS = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"];
/** KEDA's aws-sqs-queue scaler reads ApproximateNumberOfMessages(+NotVisible) with GetQueueAttributes only. */
export const SCALER_ACTIONS = ["sqs:GetQueueAttributes"];

function rolePolicy(actions: string[], queueArns: string[], keyArn: string, kmsActions: string[]): string {
    const statements: object[] = [{ Sid: "UseTheJobQueue", Effect: "Allow", Action: actions, Resource: queueArns }];
    if (kmsActions.length) statements.push({ Sid: "UseTheQueueKeyThroughSqs", Effect: "Allow", Action: kmsActions, Resource: keyArn });
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * The queue policy: the named roles only, and nothing over plain HTTP. The TLS deny names every
 * principal and action, so it also covers the account's own users.
 */
export function queuePolicy(queueArn: string, grants: { sid: string; roleArn: string; actions: string[] }[]): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            ...grants.map((g) => ({ Sid: g.sid, Effect: "Allow", Principal: { AWS: g.roleArn }, Action: g.actions, Resource: queueArn })),
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "sqs:*",
                Resource: queueArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    });
}

/**
 * The region's background-job queue (spec "Scaling Thresholds": queue depth): an SQS standard queue
 * with a dead-letter queue, both encrypted with the region's queue CMK, and Pod Identity roles for
 * the backend (producer), the worker (consumer) and the KEDA operator (reads the depth). A standby
 * stack builds the same, empty: after a failover its backend enqueues there and its workers drain it.
 */
export class JobQueue extends pulumi.ComponentResource {
    /** The SQS job queue. */
    readonly queue: aws.sqs.Queue;
    /** Where a job goes after `maxReceiveCount` failed attempts. */
    readonly deadLetterQueue: aws.sqs.Queue;
    /** URL of the job queue (what producers and the worker use). */
    readonly queueUrl: pulumi.Output<string>;
    /** ARN of the job queue. */
    readonly queueArn: pulumi.Output<string>;
    /** Pod Identity role that may send jobs. */
    readonly producerRole: aws.iam.Role;
    /** Pod Identity role of the worker: receive, delete, change visibility. */
    readonly consumerRole: aws.iam.Role;
    /** Pod Identity role KEDA uses to read the queue depth. */
    readonly scalerRole: aws.iam.Role;

    constructor(name: string, args: JobQueueArgs, opts?: pulumi.ComponentResourceOptions) {
        const maxReceiveCount = args.maxReceiveCount ?? JOB_QUEUE_DEFAULTS.maxReceiveCount;
        const visibility = args.visibilityTimeoutSeconds ?? JOB_QUEUE_DEFAULTS.visibilityTimeoutSeconds;
        new ArgsCheck("JobQueue", name)
            .that(args.keyArn !== undefined && args.keyArn !== "", "keyArn", args.keyArn, "must be the region's queue CMK ARN (keys.arns.queue)")
            .within("maxReceiveCount", maxReceiveCount, JOB_QUEUE_LIMITS.maxReceiveCount)
            .within("visibilityTimeoutSeconds", visibility, JOB_QUEUE_LIMITS.visibilityTimeoutSeconds)
            .that(
                IMAGE_DIGEST_RE.test(args.workerImage?.digest ?? ""),
                "workerImage.digest",
                args.workerImage?.digest,
                "must be an image digest sha256:<64 lowercase hex> (appImages.worker)",
            )
            .done();
        super("bookedbarber:messaging:JobQueue", name, {}, withTags("JobQueue", name, args.tags, opts));
        const protect = args.protect ?? true;
        const sse = { kmsMasterKeyId: args.keyArn, kmsDataKeyReusePeriodSeconds: JOB_QUEUE_DEFAULTS.kmsDataKeyReusePeriodSeconds };

        this.deadLetterQueue = new aws.sqs.Queue(
            `${name}-dlq`,
            {
                name: `${name}-dlq`,
                messageRetentionSeconds: JOB_QUEUE_DEFAULTS.deadLetterRetentionSeconds,
                ...sse,
                tags: { "data-domain": "queue", purpose: "dead-letter" },
            },
            { parent: this, protect },
        );
        this.queue = new aws.sqs.Queue(
            `${name}-jobs`,
            {
                name: `${name}-jobs`,
                visibilityTimeoutSeconds: visibility,
                messageRetentionSeconds: JOB_QUEUE_DEFAULTS.messageRetentionSeconds,
                receiveWaitTimeSeconds: JOB_QUEUE_DEFAULTS.receiveWaitTimeSeconds,
                ...sse,
                redrivePolicy: this.deadLetterQueue.arn.apply((arn) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount })),
                tags: { "data-domain": "queue", purpose: "background-jobs" },
            },
            { parent: this, protect },
        );
        // Only this queue may send its failures to the dead-letter queue.
        new aws.sqs.RedriveAllowPolicy(
            `${name}-dlq-redrive-allow`,
            {
                queueUrl: this.deadLetterQueue.url,
                redriveAllowPolicy: this.queue.arn.apply((arn) => JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [arn] })),
            },
            { parent: this.deadLetterQueue },
        );

        const arns = pulumi.all([this.queue.arn, this.deadLetterQueue.arn, args.keyArn]);
        const role = (suffix: string, serviceAccount: string, namespace: string, description: string, policy: pulumi.Input<string>) =>
            podIdentityRole(`${name}-${suffix}`, { clusterName: args.clusterName, namespace, serviceAccount, description, policy }, this);
        this.producerRole = role(
            "producer",
            BACKEND,
            APP_NAMESPACE,
            "Backend: enqueues background jobs",
            arns.apply(([q, , k]) => rolePolicy(PRODUCER_ACTIONS, [q], k, ["kms:GenerateDataKey", "kms:Decrypt"])),
        );
        // The worker also drains the dead-letter queue once a failure is fixed (redrive back to the source).
        this.consumerRole = role(
            "consumer",
            WORKER,
            APP_NAMESPACE,
            "Worker: processes background jobs",
            arns.apply(([q, d, k]) => rolePolicy(CONSUMER_ACTIONS, [q, d], k, ["kms:Decrypt"])),
        );
        this.scalerRole = role(
            "scaler",
            KEDA_OPERATOR_SERVICE_ACCOUNT,
            KEDA_NAMESPACE,
            "KEDA operator: reads the job queue's depth",
            arns.apply(([q, , k]) => rolePolicy(SCALER_ACTIONS, [q], k, [])),
        );

        const grants = (queueArn: pulumi.Output<string>, consumerOnly: boolean) =>
            pulumi.all([queueArn, this.producerRole.arn, this.consumerRole.arn, this.scalerRole.arn]).apply(([q, p, c, s]) =>
                queuePolicy(
                    q,
                    consumerOnly
                        ? [{ sid: "WorkerDrainsDeadLetters", roleArn: c, actions: CONSUMER_ACTIONS }]
                        : [
                              { sid: "BackendEnqueues", roleArn: p, actions: PRODUCER_ACTIONS },
                              { sid: "WorkerConsumes", roleArn: c, actions: CONSUMER_ACTIONS },
                              { sid: "KedaReadsDepth", roleArn: s, actions: SCALER_ACTIONS },
                          ],
                ),
            );
        new aws.sqs.QueuePolicy(`${name}-jobs-policy`, { queueUrl: this.queue.url, policy: grants(this.queue.arn, false) }, { parent: this.queue });
        new aws.sqs.QueuePolicy(
            `${name}-dlq-policy`,
            { queueUrl: this.deadLetterQueue.url, policy: grants(this.deadLetterQueue.arn, true) },
            { parent: this.deadLetterQueue },
        );

        const k = { parent: this, provider: args.kubernetes.provider };
        const serviceAccounts = [BACKEND, WORKER].map(
            (sa) => new k8s.core.v1.ServiceAccount(`${name}-${sa}-sa`, { ...appServiceAccount(sa) }, { ...k, dependsOn: [args.kubernetes.appNamespace] }),
        );
        const image = appImageReference(args.workerImage.accountId, args.kubernetes.region, "worker", args.workerImage.digest);
        const grace = workerTerminationGraceSeconds({
            visibilityTimeoutSeconds: visibility,
            receiveWaitTimeSeconds: JOB_QUEUE_DEFAULTS.receiveWaitTimeSeconds,
        });
        // The worker: consumes the queue with the consumer role (Pod Identity on its ServiceAccount).
        const deployment = new k8s.apps.v1.Deployment(
            `${name}-worker`,
            workerDeployment({
                image,
                queueUrl: this.queue.url,
                region: args.kubernetes.region,
                terminationGracePeriodSeconds: grace,
                databaseLogin: args.workerDatabaseLogin,
            }),
            { ...k, dependsOn: [serviceAccounts[1], this.consumerRole] },
        );
        new k8s.policy.v1.PodDisruptionBudget(`${name}-worker-pdb`, workerPodDisruptionBudget(), { ...k, dependsOn: [args.kubernetes.appNamespace] });
        const auth = new k8s.apiextensions.CustomResource(
            `${name}-trigger-auth`,
            { ...workerTriggerAuthentication() },
            { ...k, dependsOn: [args.kubernetes.appNamespace, args.kubernetes.keda] },
        );
        new k8s.apiextensions.CustomResource(
            `${name}-worker-scaledobject`,
            { ...workerScaledObject(this.queue.url, args.kubernetes.region) },
            { ...k, dependsOn: [auth, this.scalerRole, deployment] },
        );

        this.queueUrl = this.queue.url;
        this.queueArn = this.queue.arn;
        this.registerOutputs({ queueUrl: this.queueUrl, queueArn: this.queueArn, deadLetterQueueArn: this.deadLetterQueue.arn });
    }
}
