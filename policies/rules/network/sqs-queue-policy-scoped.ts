import { resourceRule } from "../../lib/rule";
import { openGrants } from "../../lib/iam";

export const sqsQueuePolicyScoped = resourceRule({
    name: "sqs-queue-policy-scoped",
    description:
        'SQS queue policies must not allow every principal ("*" without a condition, or NotPrincipal), and grants to AWS services must be scoped to our account or resource.',
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["public-exposure", "sqs", "least-privilege"],
    resourceTypes: ["aws:sqs/queuePolicy:QueuePolicy", "aws:sqs/queue:Queue"],
    remediation: 'grant the queue\'s actions to the named Pod Identity roles (Principal {AWS: role ARN}) only; never Allow Principal "*" unconditionally.',
    check: ({ props }, report) => {
        // A queue can carry its policy inline (aws.sqs.Queue policy) or through an aws.sqs.QueuePolicy.
        for (const problem of openGrants(props.policy)) report(problem);
    },
});
