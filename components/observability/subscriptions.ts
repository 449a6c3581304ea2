import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ALERT_CLASSES, AlertClass } from "./alerts";
import { serviceRoleTrust } from "../service-role";

/**
 * Who an alert class reaches (docs/alerting.md). One of:
 * - `email`: an address; SNS mails a confirmation link and delivers nothing until someone clicks it.
 * - `https`: an HTTPS endpoint that confirms SNS subscriptions itself (an incident tool's SNS integration URL).
 * - `pagerDuty: true`: PagerDuty's Amazon CloudWatch integration, whose URL carries the integration key; the key
 *   comes from the secret `pagerDutyIntegrationKey`, never from this list.
 * - `slack`: a Slack channel through AWS Chatbot; the workspace must be authorised once in the Chatbot console.
 */
export type AlertSubscriber = { email: string } | { https: string } | { pagerDuty: true } | { slack: { teamId: string; channelId: string } };

/** Subscribers by alert class; a class not listed has none. */
export type AlertRoutes = Partial<Record<AlertClass, AlertSubscriber[]>>;

/** Classes that must reach a person before a stack is ready to deploy (spec "Alerting Strategy": P0 5 min, P1 15 min). */
export const PAGED_CLASSES: readonly AlertClass[] = ["P0", "P1"];

/** PagerDuty's Amazon CloudWatch integration endpoint: SNS posts there and the integration confirms the subscription itself. */
export const pagerDutyCloudWatchUrl = (integrationKey: string) => `https://events.pagerduty.com/integration/${integrationKey}/enqueue`;
const PAGERDUTY_HOST = "events.pagerduty.com";
/** PagerDuty integration keys are 32 characters of letters and digits. */
export const PAGERDUTY_KEY_RE = /^[A-Za-z0-9]{32}$/;
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;
/** Slack ids as Chatbot takes them: a workspace (team) id starts with T; a channel id is 9 or more capitals and digits (Chatbot API pattern ^[A-Za-z0-9]+$). */
const SLACK_TEAM_RE = /^T[A-Z0-9]{8,}$/;
const SLACK_CHANNEL_RE = /^[A-Z0-9]{9,}$/;

export interface RouteProblem {
    field: string;
    value: unknown;
    allowed: string;
}

/** Every problem in a routes value, each naming the field ("alertSubscriptions.P0[1].https"), the value and what is allowed. */
export function routeProblems(routes: unknown, pagerDutyKeySet: boolean): RouteProblem[] {
    const problems: RouteProblem[] = [];
    if (routes === null || typeof routes !== "object" || Array.isArray(routes)) {
        return [
            { field: "alertSubscriptions", value: routes, allowed: `must be a map from alert class (${ALERT_CLASSES.join(", ")}) to a list of subscribers` },
        ];
    }
    for (const [cls, list] of Object.entries(routes as Record<string, unknown>)) {
        const at = `alertSubscriptions.${cls}`;
        if (!(ALERT_CLASSES as readonly string[]).includes(cls)) {
            problems.push({ field: at, value: cls, allowed: `is not an alert class; allowed: ${ALERT_CLASSES.join(", ")}` });
            continue;
        }
        if (!Array.isArray(list)) {
            problems.push({ field: at, value: list, allowed: "must be a list of subscribers" });
            continue;
        }
        list.forEach((entry: unknown, i) => {
            const f = `${at}[${i}]`;
            const keys = entry && typeof entry === "object" && !Array.isArray(entry) ? Object.keys(entry) : [];
            if (keys.length !== 1 || !["email", "https", "pagerDuty", "slack"].includes(keys[0])) {
                problems.push({ field: f, value: entry, allowed: "must have exactly one of email, https, pagerDuty, slack" });
                return;
            }
            const e = entry as Record<string, unknown>;
            if (keys[0] === "email" && !(typeof e.email === "string" && EMAIL_RE.test(e.email))) {
                problems.push({ field: `${f}.email`, value: e.email, allowed: "must be an email address" });
            }
            if (keys[0] === "https") {
                let url: URL | undefined;
                try {
                    url = new URL(String(e.https));
                } catch {
                    url = undefined;
                }
                if (!url || url.protocol !== "https:")
                    problems.push({ field: `${f}.https`, value: e.https, allowed: "must be an https:// URL (SNS sends plain HTTP unencrypted)" });
                else if (url.hostname === PAGERDUTY_HOST)
                    problems.push({
                        field: `${f}.https`,
                        value: "(a PagerDuty URL)",
                        allowed:
                            "carries the integration key in clear text; use { pagerDuty: true } and set the key with `pulumi config set --secret bookedbarber:pagerDutyIntegrationKey`",
                    });
                else if (url.username || url.password)
                    problems.push({ field: `${f}.https`, value: "(a URL with credentials)", allowed: "must not embed credentials" });
            }
            if (keys[0] === "pagerDuty") {
                if (e.pagerDuty !== true) problems.push({ field: `${f}.pagerDuty`, value: e.pagerDuty, allowed: "must be true" });
                else if (!pagerDutyKeySet)
                    problems.push({
                        field: `${f}.pagerDuty`,
                        value: true,
                        allowed: "needs the integration key: `pulumi config set --secret bookedbarber:pagerDutyIntegrationKey <32-character key>`",
                    });
            }
            if (keys[0] === "slack") {
                const s = (e.slack ?? {}) as Record<string, unknown>;
                if (typeof s.teamId !== "string" || !SLACK_TEAM_RE.test(s.teamId))
                    problems.push({ field: `${f}.slack.teamId`, value: s.teamId, allowed: "must be a Slack workspace id such as T07ABCDEF12" });
                if (typeof s.channelId !== "string" || !SLACK_CHANNEL_RE.test(s.channelId))
                    problems.push({
                        field: `${f}.slack.channelId`,
                        value: s.channelId,
                        allowed: "must be a Slack channel id: 9 or more capitals and digits, such as C07ABCDEF12",
                    });
                const extra = Object.keys(s).filter((k) => k !== "teamId" && k !== "channelId");
                if (extra.length) problems.push({ field: `${f}.slack`, value: extra, allowed: "has unknown fields; allowed: teamId, channelId" });
            }
        });
    }
    return problems;
}

/** Read-only guardrail of the Chatbot channels: members can read CloudWatch from Slack, never change anything. */
export const CHATBOT_GUARDRAIL_POLICY = "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess";

export interface SubscriptionArgs {
    /** Region of the topics, for names that must be unique per account (Chatbot configurations). */
    region: string;
    /** Topic ARN of each class that has one here. */
    topicArns: Partial<Record<AlertClass, pulumi.Input<string>>>;
    routes: AlertRoutes;
    /** PagerDuty integration key (a Pulumi secret); required when a route names pagerDuty. */
    pagerDutyIntegrationKey?: pulumi.Input<string>;
}

/**
 * The routes as resources: an SNS subscription per email, HTTPS and PagerDuty entry, and one AWS Chatbot Slack
 * channel configuration per channel, subscribed to every topic routed there.
 */
export function alertSubscriptions(
    name: string,
    args: SubscriptionArgs,
    parent: pulumi.Resource,
): { subscriptions: aws.sns.TopicSubscription[]; channels: aws.chatbot.SlackChannelConfiguration[] } {
    const subscriptions: aws.sns.TopicSubscription[] = [];
    const slack = new Map<string, { teamId: string; channelId: string; topics: pulumi.Input<string>[] }>();
    for (const cls of ALERT_CLASSES) {
        const topicArn = args.topicArns[cls];
        if (!topicArn) continue;
        (args.routes[cls] ?? []).forEach((s, i) => {
            const id = `${name}-${cls.toLowerCase()}-sub-${i}`;
            if ("email" in s) {
                subscriptions.push(new aws.sns.TopicSubscription(id, { topic: topicArn, protocol: "email", endpoint: s.email }, { parent }));
            } else if ("https" in s) {
                subscriptions.push(new aws.sns.TopicSubscription(id, { topic: topicArn, protocol: "https", endpoint: s.https }, { parent }));
            } else if ("pagerDuty" in s) {
                if (args.pagerDutyIntegrationKey === undefined)
                    throw new pulumi.ResourceError(`${name}: alert route ${cls}[${i}] names pagerDuty but no pagerDutyIntegrationKey was given`, parent);
                subscriptions.push(
                    new aws.sns.TopicSubscription(
                        id,
                        {
                            topic: topicArn,
                            protocol: "https",
                            endpoint: pulumi.secret(pulumi.output(args.pagerDutyIntegrationKey).apply(pagerDutyCloudWatchUrl)),
                            endpointAutoConfirms: true,
                        },
                        { parent },
                    ),
                );
            } else {
                const key = `${s.slack.teamId}/${s.slack.channelId}`;
                const entry = slack.get(key) ?? { ...s.slack, topics: [] };
                entry.topics.push(topicArn);
                slack.set(key, entry);
            }
        });
    }
    const channels: aws.chatbot.SlackChannelConfiguration[] = [];
    if (slack.size) {
        const role = new aws.iam.Role(
            `${name}-chatbot`,
            {
                description: "AWS Chatbot: posts alert notifications to Slack; read-only CloudWatch for channel members",
                assumeRolePolicy: serviceRoleTrust("chatbot.amazonaws.com"),
            },
            { parent },
        );
        new aws.iam.RolePolicyAttachment(`${name}-chatbot-read-only`, { role: role.name, policyArn: CHATBOT_GUARDRAIL_POLICY }, { parent: role });
        for (const [, c] of slack) {
            channels.push(
                new aws.chatbot.SlackChannelConfiguration(
                    `${name}-slack-${c.channelId.toLowerCase()}`,
                    {
                        // Chatbot configuration names are unique per account, so the region is part of it.
                        configurationName: `bookedbarber-alerts-${args.region}-${c.channelId}`,
                        iamRoleArn: role.arn,
                        slackTeamId: c.teamId,
                        slackChannelId: c.channelId,
                        snsTopicArns: c.topics,
                        guardrailPolicyArns: [CHATBOT_GUARDRAIL_POLICY],
                        loggingLevel: "ERROR",
                    },
                    { parent },
                ),
            );
        }
    }
    return { subscriptions, channels };
}
