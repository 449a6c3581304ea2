import { stackRule } from "../../lib/rule";
import { dependents, ofType } from "../../lib/props";

const QUEUE = "aws:sqs/queue:Queue";
const REDRIVE_ALLOW = "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy";

/** The redrive policy's target and attempts, or a reason it has none. */
function redriveProblem(policy: unknown): string | undefined {
    if (policy === undefined || policy === null || policy === "")
        return "The queue has no redrivePolicy: a message that always fails is retried until it expires, and blocks nothing but hides the failure.";
    let parsed: Record<string, unknown>;
    try {
        parsed = (typeof policy === "string" ? JSON.parse(policy) : policy) as Record<string, unknown>;
    } catch {
        return `The redrivePolicy is not JSON: ${JSON.stringify(policy)}.`;
    }
    const count = Number(parsed.maxReceiveCount);
    if (typeof parsed.deadLetterTargetArn !== "string" || !parsed.deadLetterTargetArn) return "The redrivePolicy names no deadLetterTargetArn.";
    if (!Number.isInteger(count) || count < 1 || count > 1000)
        return `The redrivePolicy's maxReceiveCount is ${JSON.stringify(parsed.maxReceiveCount)}; SQS takes an integer from 1 to 1000.`;
    return undefined;
}

export const sqsDeadLetterQueue = stackRule({
    name: "sqs-dead-letter-queue",
    description:
        "Every SQS queue must send messages that keep failing to a dead-letter queue (redrivePolicy with deadLetterTargetArn and maxReceiveCount 1-1000), unless it is itself a dead-letter queue (it has a redrive allow policy).",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2"],
    topics: ["availability", "messaging", "sqs"],
    resourceTypes: [QUEUE, REDRIVE_ALLOW],
    remediation:
        "create a dead-letter queue and set redrivePolicy: JSON {deadLetterTargetArn: <dlq arn>, maxReceiveCount: 5}; give the dead-letter queue an aws.sqs.RedriveAllowPolicy naming its source queue.",
    check: (resources, _c, report) => {
        for (const q of ofType(resources, QUEUE)) {
            if (dependents(resources, q, REDRIVE_ALLOW).length) continue;
            const problem = redriveProblem(q.props.redrivePolicy);
            if (problem) report(problem, q.urn);
        }
    },
});
