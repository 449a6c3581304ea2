import { resourceRule } from "../../lib/rule";
import { openGrants } from "../../lib/iam";

export const snsTopicPolicyScoped = resourceRule({
    name: "sns-topic-policy-scoped",
    description:
        'SNS topic policies must not allow every principal ("*" without a condition, or NotPrincipal), and grants to AWS services must be scoped to our account or resource.',
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["public-exposure", "sns", "least-privilege"],
    resourceTypes: ["aws:sns/topicPolicy:TopicPolicy", "aws:sns/topic:Topic"],
    peers: { checkov: ["CKV_AWS_169", "CKV_AWS_385"] },
    remediation:
        'grant sns:Publish to named service principals (cloudwatch.amazonaws.com, events.amazonaws.com, ...) with an aws:SourceAccount or aws:SourceArn condition, and account management to the account root; never Allow Principal "*" unconditionally.',
    check: ({ props }, report) => {
        // A topic can carry its policy inline (aws.sns.Topic policy) or through an aws.sns.TopicPolicy.
        for (const problem of openGrants(props.policy)) report(problem);
    },
});
