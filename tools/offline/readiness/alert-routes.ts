import { PAGED_CLASSES } from "../../../components/observability/subscriptions";
import { SECRET } from "../mock-engine";
import type { PlanFile } from "../plan-file";
import { resolve } from "./plan-graph";
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
            ...channels.filter((c) => ((c.inputs.snsTopicArns as string[] | undefined) ?? []).includes(arn)).map((c) => `Slack ${c.inputs.slackTeamId}/${c.inputs.slackChannelId} via AWS Chatbot`),
        ];
        const subject = `${cls} ${arn.split(":").slice(3).join(":")}`;
        if (subscribers.length) items.push({ subject, detail: subscribers.join("; ") });
        else if (PAGED_CLASSES.includes(cls as (typeof PAGED_CLASSES)[number])) {
            items.push({ subject, detail: "", problem: `no subscriber: ${cls} alerts reach nobody; set bookedbarber:alertSubscriptions.${cls} (docs/alerting.md)` });
        } else items.push({ subject, detail: "no subscriber (allowed below P1)" });
    }
    return { title: ALERT_ROUTES_TITLE, items };
}
