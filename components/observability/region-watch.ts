import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logBucket } from "../log-bucket";
import { alertSubscriptions, AlertRoutes } from "./subscriptions";
import { alertKeyPolicy, topicPolicy } from "./topics";
import { CMK_LIFECYCLE } from "../kms-keys";
import { serviceRoleTrust } from "../service-role";

/** Route 53 publishes health-check metrics to CloudWatch in us-east-1 only (test/upstream/route53-health-checks). */
export const HEALTH_CHECK_METRICS_REGION = "us-east-1";
/** The watchers' P0 topic in each region that hosts one; distinct from the regional stacks' own P0 topics. */
export const WATCH_TOPIC_NAME = "bookedbarber-region-watch-p0";
/** The P0 alarm that says a region cannot serve, seen from outside it (the deploy health gate looks for it by name). */
export const regionDownAlarmName = (region: string): string => `bookedbarber-region-down-${region}`;
/**
 * Alarm shape: one-minute periods, ALARM after 2 of 2 unhealthy minutes (the health check itself already waited
 * for its failure threshold), and missing data counts as down: a region whose check stops reporting is not healthy.
 */
export const WATCH_ALARM = { periodSeconds: 60, evaluationPeriods: 2, datapointsToAlarm: 2 } as const;
/**
 * Synthetics runtime of the outside canary: the newest Node.js runtime AWS documents (test/upstream/synthetics);
 * the script uses only Node's https module, so the runtime's Synthetics library namespaces do not matter.
 */
export const CANARY_RUNTIME = "syn-nodejs-puppeteer-13.1";

/** The canary's code: one HTTPS GET of the region's health URL; a status outside 2xx-3xx or no answer fails the run. */
export function canaryScript(): string {
    return [
        "const https = require('https');",
        "exports.handler = async () => {",
        "    const url = process.env.TARGET_URL;",
        "    const status = await new Promise((resolve, reject) => {",
        "        const req = https.get(url, { timeout: 10000 }, (res) => { res.resume(); resolve(res.statusCode); });",
        "        req.on('timeout', () => req.destroy(new Error('timed out after 10 s')));",
        "        req.on('error', reject);",
        "    });",
        "    if (status < 200 || status >= 400) throw new Error(`${url} answered ${status}`);",
        "};",
        "",
    ].join("\n");
}

interface WatchTopic {
    key: aws.kms.Key;
    topic: aws.sns.Topic;
}

/** A KMS-encrypted P0 topic for the watchers in one region, subscribed like the regional P0 topics. */
function watchTopic(name: string, region: string, args: RegionWatchArgs, parent: pulumi.Resource): WatchTopic {
    const opts = { parent };
    const key = new aws.kms.Key(
        `${name}-key`,
        {
            description: `BookedBarber region-down watchers' P0 topic in ${region}`,
            ...CMK_LIFECYCLE,
            policy: pulumi.output(args.accountId).apply((acct) => alertKeyPolicy(region, acct)),
            tags: { "data-domain": "alerts" },
        },
        { ...opts, protect: args.protect },
    );
    const topic = new aws.sns.Topic(
        `${name}-p0`,
        {
            name: WATCH_TOPIC_NAME,
            displayName: `BookedBarber P0 region down (watched from ${region})`,
            kmsMasterKeyId: key.arn,
            tags: { "alert-class": "P0" },
        },
        opts,
    );
    new aws.sns.TopicPolicy(
        `${name}-p0-policy`,
        {
            arn: topic.arn,
            policy: pulumi.all([topic.arn, args.accountId]).apply(([arn, acct]) => topicPolicy(arn, acct)),
        },
        { parent },
    );
    const routes: AlertRoutes = { P0: args.routes.P0 ?? [] };
    alertSubscriptions(name, { region, topicArns: { P0: topic.arn }, routes, pagerDutyIntegrationKey: args.pagerDutyIntegrationKey }, parent);
    return { key, topic };
}

export interface RegionWatchArgs {
    accountId: pulumi.Input<string>;
    /** Health URL per watched region (https://<region>.api.<domain>/health). */
    healthUrls: Record<string, string>;
    /** Route 53 endpoint health check id per watched region. */
    healthCheckIds: Record<string, pulumi.Input<string>>;
    /** Where us-east-1 (home of the health-check metrics) is watched from. Must not be us-east-1. */
    outsideRegion: string;
    /** Alert routes; only P0 is used. */
    routes: AlertRoutes;
    pagerDutyIntegrationKey?: pulumi.Input<string>;
    protect: boolean;
    /** Provider per region. */
    provider: (region: string) => aws.Provider;
}

/**
 * Watches each region from outside it (docs/alerting.md): an alarm in us-east-1 on each other region's Route 53
 * health check, and, for us-east-1 itself, a CloudWatch Synthetics canary in `outsideRegion` that requests its
 * health URL every minute, with an alarm there. Each alarm notifies a watchers' P0 topic in its own region.
 */
export class RegionWatch extends pulumi.ComponentResource {
    /** Per watched region: the region its alarm lives in. */
    readonly watchedFrom: Record<string, string> = {};

    constructor(name: string, args: RegionWatchArgs, opts?: pulumi.ComponentResourceOptions) {
        if (args.outsideRegion === HEALTH_CHECK_METRICS_REGION || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(args.outsideRegion)) {
            throw new pulumi.ResourceError(
                `RegionWatch ${name}: outsideRegion = ${JSON.stringify(args.outsideRegion)}: must be a region other than ${HEALTH_CHECK_METRICS_REGION} (it watches ${HEALTH_CHECK_METRICS_REGION})`,
                undefined,
            );
        }
        super("bookedbarber:observability:RegionWatch", name, {}, opts);
        const metricsRegion = HEALTH_CHECK_METRICS_REGION;
        // One scope per region: everything under it (topic, subscriptions, bucket) takes that region's provider.
        const site = (region: string) =>
            new pulumi.ComponentResource(
                "bookedbarber:observability:RegionWatchSite",
                `${name}-${region}`,
                {},
                { parent: this, provider: args.provider(region) },
            );
        const homeSite = site(metricsRegion);
        const home = watchTopic(`${name}-${metricsRegion}`, metricsRegion, args, homeSite);
        for (const [region, healthCheckId] of Object.entries(args.healthCheckIds)) {
            if (region === metricsRegion) continue;
            new aws.cloudwatch.MetricAlarm(
                `${name}-${region}-down`,
                {
                    name: regionDownAlarmName(region),
                    alarmDescription: `P0: ${args.healthUrls[region]} fails its Route 53 health check: ${region} cannot serve. Runbook: the zone's DR plan (docs/alerting.md).`,
                    namespace: "AWS/Route53",
                    metricName: "HealthCheckStatus",
                    dimensions: { HealthCheckId: healthCheckId },
                    statistic: "Minimum",
                    period: WATCH_ALARM.periodSeconds,
                    evaluationPeriods: WATCH_ALARM.evaluationPeriods,
                    datapointsToAlarm: WATCH_ALARM.datapointsToAlarm,
                    comparisonOperator: "LessThanThreshold",
                    threshold: 1,
                    treatMissingData: "breaching",
                    alarmActions: [home.topic.arn],
                    okActions: [home.topic.arn],
                    tags: { "alert-class": "P0", "watched-region": region },
                },
                { parent: homeSite },
            );
            this.watchedFrom[region] = metricsRegion;
        }

        if (args.healthUrls[metricsRegion]) {
            const outside = args.outsideRegion;
            const outsideSite = site(outside);
            const watch = watchTopic(`${name}-${outside}`, outside, args, outsideSite);
            this.outsideCanary(name, outside, metricsRegion, args, watch, outsideSite);
            this.watchedFrom[metricsRegion] = outside;
        }
        this.registerOutputs({ watchedFrom: this.watchedFrom });
    }

    private outsideCanary(name: string, region: string, watched: string, args: RegionWatchArgs, watch: WatchTopic, scope: pulumi.Resource): void {
        const opts = { parent: scope };
        const { bucket, policy } = logBucket(
            `${name}-canary-artifacts`,
            {
                keyArn: watch.key.arn,
                logClass: "synthetics-artifacts",
                retentionDays: 365,
                writerStatements: () => [],
                protect: args.protect,
            },
            scope,
        );
        const code = new aws.s3.BucketObjectv2(
            `${name}-canary-code`,
            {
                bucket: bucket.id,
                key: "code/region-watch.zip",
                source: new pulumi.asset.AssetArchive({ "nodejs/node_modules/regionWatch.js": new pulumi.asset.StringAsset(canaryScript()) }),
                serverSideEncryption: "aws:kms",
                kmsKeyId: watch.key.arn,
            },
            { ...opts, dependsOn: [policy] },
        );
        const canaryName = `bb-watch-${watched.replace(/-/g, "").slice(0, 11)}`;
        const role = new aws.iam.Role(
            `${name}-canary`,
            {
                description: `Synthetics canary ${canaryName}: requests ${args.healthUrls[watched]} from ${region}`,
                assumeRolePolicy: serviceRoleTrust("lambda.amazonaws.com"),
            },
            opts,
        );
        new aws.iam.RolePolicy(
            `${name}-canary-policy`,
            {
                role: role.id,
                policy: pulumi.all([bucket.arn, watch.key.arn, args.accountId]).apply(([bucketArn, keyArn, acct]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Sid: "WriteArtifacts", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: `${bucketArn}/*` },
                            { Sid: "FindArtifactBucket", Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: bucketArn },
                            { Sid: "ListBuckets", Effect: "Allow", Action: ["s3:ListAllMyBuckets"], Resource: "*" },
                            { Sid: "EncryptArtifacts", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: keyArn },
                            {
                                Sid: "CanaryLogs",
                                Effect: "Allow",
                                Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                                Resource: `arn:aws:logs:${region}:${acct}:log-group:/aws/lambda/cwsyn-${canaryName}-*`,
                            },
                            {
                                Sid: "CanaryMetrics",
                                Effect: "Allow",
                                Action: "cloudwatch:PutMetricData",
                                Resource: "*",
                                Condition: { StringEquals: { "cloudwatch:namespace": "CloudWatchSynthetics" } },
                            },
                        ],
                    }),
                ),
            },
            { parent: role },
        );
        new aws.synthetics.Canary(
            `${name}-canary`,
            {
                name: canaryName,
                runtimeVersion: CANARY_RUNTIME,
                handler: "regionWatch.handler",
                executionRoleArn: role.arn,
                s3Bucket: bucket.id,
                s3Key: code.key,
                s3Version: code.versionId,
                artifactS3Location: pulumi.interpolate`s3://${bucket.id}/artifacts/`,
                artifactConfig: { s3Encryption: { encryptionMode: "SSE_KMS", kmsKeyArn: watch.key.arn } },
                schedule: { expression: "rate(1 minute)" },
                runConfig: { timeoutInSeconds: 30, environmentVariables: { TARGET_URL: args.healthUrls[watched] } },
                successRetentionPeriod: 7,
                failureRetentionPeriod: 31,
                startCanary: true,
                tags: { "watched-region": watched },
            },
            opts,
        );
        new aws.cloudwatch.MetricAlarm(
            `${name}-${watched}-down`,
            {
                name: regionDownAlarmName(watched),
                alarmDescription: `P0: ${args.healthUrls[watched]} fails from ${region}: ${watched} cannot serve. Runbook: the zone's DR plan (docs/alerting.md).`,
                namespace: "CloudWatchSynthetics",
                metricName: "SuccessPercent",
                dimensions: { CanaryName: canaryName },
                statistic: "Average",
                period: WATCH_ALARM.periodSeconds,
                evaluationPeriods: WATCH_ALARM.evaluationPeriods,
                datapointsToAlarm: WATCH_ALARM.datapointsToAlarm,
                comparisonOperator: "LessThanThreshold",
                threshold: 100,
                treatMissingData: "breaching",
                alarmActions: [watch.topic.arn],
                okActions: [watch.topic.arn],
                tags: { "alert-class": "P0", "watched-region": watched },
            },
            opts,
        );
    }
}
