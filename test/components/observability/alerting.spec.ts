import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { CHATBOT_GUARDRAIL_POLICY, pagerDutyCloudWatchUrl, routeProblems } from "../../../components/observability/subscriptions";
import { parseStackConfig } from "../../../stacks/config";
import { readStackConfig } from "../../../stacks/stack-files";
import { SECRET } from "../../../tools/offline/mock-engine";
import { toPlanFile } from "../../../tools/offline/plan-file";
import { alertRoutes } from "../../../tools/offline/readiness/alert-routes";
import { runStack, RunResult } from "../../../tools/offline/stack-runner";
import { allStacks, ofType, REGIONAL_STACKS } from "../../support/fixtures";

const KEY = "abcdefghijklmnopqrstuvwxyz012345";
const CHATBOT = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "..", "test", "upstream", "chatbot", "slack-channel-configuration.json"), "utf8"));
const plan = (run: RunResult) => toPlanFile(run, { violations: [] });
const problemsOf = (stack: string, overrides: Record<string, string>) => {
    const raw = { ...readStackConfig(stack), ...overrides };
    try {
        parseStackConfig(raw, stack);
        return [];
    } catch (e) {
        return [(e as Error).message];
    }
};

describe("alerts reach a person: subscriptions per alert class", () => {
    let runs: Record<string, RunResult>;
    let routed: RunResult;
    before(async () => {
        runs = await allStacks();
        routed = await runStack({
            stack: "eu-west-1",
            configOverrides: {
                "bookedbarber:pagerDutyIntegrationKey": KEY,
                "bookedbarber:alertSubscriptions": JSON.stringify({
                    P0: [{ pagerDuty: true }, { slack: { teamId: "T0123ABCDE", channelId: "C0123ABCDE" } }],
                    P1: [{ https: "https://hooks.example.com/sns" }, { slack: { teamId: "T0123ABCDE", channelId: "C0123ABCDE" } }],
                }),
            },
        });
        if (routed.error) throw routed.error;
    });

    it("subscribes every regional stack's P0 and P1 topics on the default config, and the alert-routes check finds no problem", () => {
        for (const stack of REGIONAL_STACKS) {
            const section = alertRoutes(plan(runs[stack]));
            expect(
                section.items.filter((i) => i.problem),
                stack,
            ).to.deep.equal([]);
            for (const cls of ["P0", "P1"]) {
                const item = section.items.find((i) => i.subject.startsWith(`${cls} `));
                expect(item?.detail, `${stack} ${cls}`).to.match(/^email oncall@/);
            }
        }
    });

    it("routes PagerDuty through its CloudWatch integration URL as a secret that confirms itself, and Slack through one Chatbot channel per channel", () => {
        const subs = ofType(routed, "aws:sns/topicSubscription:TopicSubscription");
        const pd = subs.find((s) => s.inputs.endpoint === SECRET)!;
        expect(pd.inputs).to.include({ protocol: "https", endpointAutoConfirms: true, topic: "arn:aws:sns:eu-west-1:123456789012:bookedbarber-alerts-p0" });
        expect(pagerDutyCloudWatchUrl(KEY)).to.equal(`https://events.pagerduty.com/integration/${KEY}/enqueue`);
        expect(subs.find((s) => s.inputs.endpoint === "https://hooks.example.com/sns")?.inputs.topic).to.equal(
            "arn:aws:sns:eu-west-1:123456789012:bookedbarber-alerts-p1",
        );
        const channels = ofType(routed, "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration");
        expect(channels).to.have.length(1);
        expect(channels[0].inputs).to.deep.include({
            slackTeamId: "T0123ABCDE",
            slackChannelId: "C0123ABCDE",
            configurationName: "bookedbarber-alerts-eu-west-1-C0123ABCDE",
            guardrailPolicyArns: ["arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess"],
            snsTopicArns: ["arn:aws:sns:eu-west-1:123456789012:bookedbarber-alerts-p0", "arn:aws:sns:eu-west-1:123456789012:bookedbarber-alerts-p1"],
        });
        const items = alertRoutes(plan(routed)).items;
        expect(items.find((i) => i.subject.startsWith("P0 "))?.detail).to.equal(
            "https (secret endpoint, e.g. PagerDuty); Slack T0123ABCDE/C0123ABCDE via AWS Chatbot",
        );
        // P2 and P3 were routed nowhere in this config: allowed below P1.
        expect(items.filter((i) => i.problem)).to.deep.equal([]);
    });

    it("reports a P0 or P1 topic that nobody receives (mutation: drop the P1 subscription)", () => {
        const p = plan(runs["us-east-1"]);
        p.resources = p.resources.filter(
            (r) => !(r.type === "aws:sns/topicSubscription:TopicSubscription" && String(r.inputs.topic).endsWith(":bookedbarber-alerts-p1")),
        );
        const problems = alertRoutes(p).items.filter((i) => i.problem);
        expect(problems.map((i) => i.subject)).to.deep.equal(["P1 us-east-1:123456789012:bookedbarber-alerts-p1"]);
        expect(problems[0].problem).to.include("bookedbarber:alertSubscriptions.P1");
    });

    it("agrees with AWS Chatbot's published schema: required inputs set, a documented channel id accepted, never the default guardrail", () => {
        const channel = ofType(routed, "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration")[0];
        for (const k of CHATBOT.required) expect(channel.inputs, k).to.have.property(k);
        expect(CHATBOT.loggingLevels).to.include(channel.inputs.loggingLevel);
        expect(routeProblems({ P2: [{ slack: { teamId: "T0123ABCDE", channelId: CHATBOT.slackChannelIdExample } }] }, false)).to.deep.equal([]);
        expect(CHATBOT_GUARDRAIL_POLICY).to.not.equal(CHATBOT.defaultGuardrailWhenUnset);
        expect(channel.inputs.guardrailPolicyArns).to.not.include(CHATBOT.defaultGuardrailWhenUnset);
    });

    it("refuses bad routes with a message that names the key, the value and what is allowed", () => {
        const cases: [unknown, RegExp][] = [
            [{ P0: [{ https: "http://hooks.example.com" }] }, /alertSubscriptions\.P0\[0\]\.https must be an https:\/\/ URL/],
            [{ P0: [{ https: `https://events.pagerduty.com/integration/${KEY}/enqueue` }] }, /P0\[0\]\.https carries the integration key in clear text/],
            [{ P0: [{ email: "not-an-address" }] }, /P0\[0\]\.email must be an email address/],
            [{ P5: [{ email: "a@b.com" }] }, /alertSubscriptions\.P5 is not an alert class; allowed: P0, P1, P2, P3/],
            [{ P1: [{ slack: { teamId: "x", channelId: "C0123ABCDE" } }] }, /P1\[0\]\.slack\.teamId must be a Slack workspace id/],
            [{ P1: [{ email: "a@b.com", https: "https://x.example.com" }] }, /P1\[0\] must have exactly one of email, https, pagerDuty, slack/],
            [{ P0: [{ pagerDuty: true }] }, /alertSubscriptions\.P0\[0\]\.pagerDuty needs bookedbarber:pagerDutyIntegrationKey/],
        ];
        for (const [routes, expected] of cases) {
            const [message] = problemsOf("us-east-1", { "bookedbarber:alertSubscriptions": JSON.stringify(routes) });
            expect(message, JSON.stringify(routes)).to.match(expected);
        }
        expect(problemsOf("us-east-1", { "bookedbarber:pagerDutyIntegrationKey": "short" })[0]).to.match(
            /pagerDutyIntegrationKey = "short": must be a PagerDuty integration key/,
        );
        expect(
            problemsOf("us-east-1", {
                "bookedbarber:pagerDutyIntegrationKey": KEY,
                "bookedbarber:alertSubscriptions": JSON.stringify({ P0: [{ pagerDuty: true }] }),
            }),
        ).to.deep.equal([]);
    });
});
