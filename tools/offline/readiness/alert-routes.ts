import { PAGED_CLASSES } from "../../../components/observability/subscriptions";
import { SECRET } from "../mock-engine";
import type { PlanFile } from "../plan-file";
import { regionOf, resolve } from "./plan-graph";
import type { ReadinessItem, ReadinessSection } from "./types";

export const ALERT_ROUTES_TITLE = "alert routes";

/** A subscriber in words: where it delivers and what it still needs from a person. */
function describe(protocol: string, endpoint: unknown): string {
    if (protocol === "email" || protocol === "email-json") return `email ${endpoint} (delivers once the recipient confirms SNS's link)`;
    if (endpoint === SECRET) return `${protocol} (secret endpoint, e.g. PagerDuty)`;
    if (protocol === "https") {
        try {
            return `https ${new URL(String(endpoint)).host}`;
        } catch {
            return `https ${endpoint}`;
        }
    }
    return `${protocol} ${endpoint}`;
}

/**
 * For each watched region (an alarm's `watched-region` tag): the regions of the alarms that watch it from
 * outside and notify a subscribed P0 topic in their own region. An alarm inside the region it watches, or one
 * whose topic nobody receives, does not count.
 */
export function outsideWatchers(plan: PlanFile): Map<string, string[]> {
    const topics = resolve(plan, "aws:sns/topic:Topic").filter((t) => (t.resource.inputs.tags as Record<string, string> | undefined)?.["alert-class"] === "P0");
    const subscribed = (arn: string) =>
        plan.resources.some((r) => r.type === "aws:sns/topicSubscription:TopicSubscription" && r.inputs.topic === arn) ||
        plan.resources.some(
            (r) =>
                r.type === "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration" &&
                ((r.inputs.snsTopicArns as string[] | undefined) ?? []).includes(arn),
        );
    const found = new Map<string, string[]>();
    for (const alarm of plan.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")) {
        const watched = (alarm.inputs.tags as Record<string, string> | undefined)?.["watched-region"];
        if (!watched) continue;
        const where = regionOf(plan, alarm);
        const notifies = ((alarm.inputs.alarmActions as string[] | undefined) ?? []).some((a) =>
            topics.some((t) => t.state.arn === a && regionOf(plan, t.resource) === where && subscribed(a)),
        );
        if (where !== watched && notifies) found.set(watched, [...(found.get(watched) ?? []), where]);
    }
    return found;
}

/**
 * Deploy readiness: each alert topic (tagged `alert-class`) with its
 * subscribers: SNS subscriptions and AWS Chatbot channels. A P0 or P1 topic
 * nobody receives is a problem: its alarms would fire into the void.
 */
export function alertRoutes(plan: PlanFile): ReadinessSection {
    const items: ReadinessItem[] = [];
    const subscriptions = plan.resources.filter((r) => r.type === "aws:sns/topicSubscription:TopicSubscription");
    const channels = plan.resources.filter((r) => r.type === "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration");
    for (const topic of resolve(plan, "aws:sns/topic:Topic")) {
        const cls = (topic.resource.inputs.tags as Record<string, string> | undefined)?.["alert-class"];
        if (!cls) continue;
        const arn = String(topic.state.arn);
        const subscribers = [
            ...subscriptions.filter((s) => s.inputs.topic === arn).map((s) => describe(String(s.inputs.protocol), s.inputs.endpoint)),
            ...channels
                .filter((c) => ((c.inputs.snsTopicArns as string[] | undefined) ?? []).includes(arn))
                .map((c) => `Slack ${c.inputs.slackTeamId}/${c.inputs.slackChannelId} via AWS Chatbot`),
        ];
        const subject = `${cls} ${arn.split(":").slice(3).join(":")}`;
        if (subscribers.length) items.push({ subject, detail: subscribers.join("; ") });
        else if (PAGED_CLASSES.includes(cls as (typeof PAGED_CLASSES)[number])) {
            items.push({
                subject,
                detail: "",
                problem: `no subscriber: ${cls} alerts reach nobody; set bookedbarber:alertSubscriptions.${cls} (docs/alerting.md)`,
            });
        } else items.push({ subject, detail: "no subscriber (allowed below P1)" });
    }
    // The global stack watches every region it fronts (its health checks' regions) from outside that region.
    const watched = Object.keys((plan.outputs.healthCheckIds as Record<string, unknown> | undefined) ?? {});
    const watchers = outsideWatchers(plan);
    for (const region of watched) {
        const from = watchers.get(region);
        items.push(
            from
                ? { subject: `region-down watcher of ${region}`, detail: `alarm in ${from.join(", ")} -> a subscribed P0 topic there` }
                : {
                      subject: `region-down watcher of ${region}`,
                      detail: "",
                      problem: `no alarm outside ${region} watches it into a subscribed P0 topic: its own alarms go down with it (docs/alerting.md)`,
                  },
        );
    }
    return { title: ALERT_ROUTES_TITLE, items };
}
