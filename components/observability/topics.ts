import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ALERT_CLASS_INFO, ALERT_CLASSES, AlertClass } from "./alerts";
import { CMK_LIFECYCLE } from "../kms-keys";

/** Services that publish to the alert topics: CloudWatch alarms, EventBridge rules, RDS event subscriptions. */
export const PUBLISHING_SERVICES = ["cloudwatch.amazonaws.com", "events.amazonaws.com", "events.rds.amazonaws.com"] as const;

/**
 * Policy of the alert key. The regional keys only serve the account's own
 * principals through named services; AWS services that publish to an
 * encrypted topic do it as their own principal, so this key names them.
 */
export function alertKeyPolicy(region: string, accountId: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "AccountAdministersKeyThroughIam", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
            {
                Sid: "AccountPrincipalsUseKeyOnlyThroughSns",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
                Resource: "*",
                Condition: { StringEquals: { "kms:CallerAccount": accountId, "kms:ViaService": `sns.${region}.amazonaws.com` } },
            },
            {
                Sid: "AlertPublishersEncryptMessages",
                Effect: "Allow",
                Principal: { Service: [...PUBLISHING_SERVICES] },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                // No source condition here, as in AWS's guide for encrypted topics: the topic policy already admits
                // only this account's alarms and rules, and a message that cannot be encrypted is an alert lost.
            },
        ],
    });
}

/** Topic policy: the account manages the topic; the publishing services may only publish, and only for this account. */
export function topicPolicy(topicArn: string, accountId: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountManagesTopic",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                Action: ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"],
                Resource: topicArn,
            },
            {
                Sid: "AlertSourcesPublish",
                Effect: "Allow",
                Principal: { Service: [...PUBLISHING_SERVICES] },
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    });
}

/** SNS topic name of an alert class: fixed, so other components can name the ARN before the topic exists. */
export function alertTopicName(cls: AlertClass): string {
    return `bookedbarber-alerts-${cls.toLowerCase()}`;
}

/** The ARN of a class's topic in a region. */
export function alertTopicArn(region: string, accountId: pulumi.Input<string>, cls: AlertClass): pulumi.Output<string> {
    return pulumi.interpolate`arn:aws:sns:${region}:${accountId}:${alertTopicName(cls)}`;
}

export interface AlertTopics {
    key: aws.kms.Key;
    topics: Record<AlertClass, aws.sns.Topic>;
}

/** One KMS-encrypted SNS topic per alert class (spec "Alerting Strategy"), with the key they share. */
export function alertTopics(name: string, region: string, accountId: pulumi.Input<string>, protect: boolean, parent: pulumi.Resource): AlertTopics {
    const key = new aws.kms.Key(
        `${name}-alerts-key`,
        {
            description: `BookedBarber alert topics in ${region}`,
            ...CMK_LIFECYCLE,
            policy: pulumi.output(accountId).apply((acct) => alertKeyPolicy(region, acct)),
            tags: { "data-domain": "alerts" },
        },
        { parent, protect },
    );
    new aws.kms.Alias(`${name}-alerts-key-alias`, { name: "alias/bookedbarber/alerts", targetKeyId: key.keyId }, { parent: key });

    const topics = {} as Record<AlertClass, aws.sns.Topic>;
    for (const cls of ALERT_CLASSES) {
        const info = ALERT_CLASS_INFO[cls];
        const topic = new aws.sns.Topic(
            `${name}-${cls.toLowerCase()}`,
            {
                name: alertTopicName(cls),
                displayName: `BookedBarber ${cls} ${info.title} (respond within ${info.responseMinutes} min)`,
                kmsMasterKeyId: key.arn,
                tags: { "alert-class": cls },
            },
            { parent },
        );
        new aws.sns.TopicPolicy(
            `${name}-${cls.toLowerCase()}-policy`,
            {
                arn: topic.arn,
                policy: pulumi.all([topic.arn, accountId]).apply(([arn, acct]) => topicPolicy(arn, acct)),
            },
            { parent: topic },
        );
        topics[cls] = topic;
    }
    return { key, topics };
}
