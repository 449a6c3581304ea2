import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

/** AWS managed policies that let a chat channel change the account. */
const TOO_BROAD = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

export const chatbotReadOnlyGuardrails = resourceRule({
    name: "chatbot-read-only-guardrails",
    description:
        "AWS Chatbot channel configurations must carry guardrail policies, none of them administrative: anyone in the Slack channel acts with the channel's role up to its guardrails.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["least-privilege", "alerting", "chatops"],
    resourceTypes: ["aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration", "aws:chatbot/teamsChannelConfiguration:TeamsChannelConfiguration"],
    remediation: "set guardrailPolicyArns to read-only policies such as arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess.",
    check: ({ props }, report) => {
        const guardrails = asArray(props.guardrailPolicyArns).map(String);
        if (guardrails.length === 0)
            report(
                "No guardrail policies: channel members get everything the channel role can do, and AWS applies AdministratorAccess as the default guardrail.",
            );
        for (const g of guardrails.filter((x) => TOO_BROAD.test(x))) report(`Guardrail ${g} lets channel members change the account.`);
    },
});
