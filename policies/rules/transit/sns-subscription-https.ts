import { resourceRule } from "../../lib/rule";

/** SNS protocols that carry alerts over the network to an endpoint we name. */
const WEB = new Set(["http", "https"]);

export const snsSubscriptionHttps = resourceRule({
    name: "sns-subscription-https",
    description:
        "SNS subscriptions that deliver to a web endpoint must use HTTPS: an http subscription sends alert contents, and any key in the URL, unencrypted.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["encryption-in-transit", "tls", "sns", "alerting"],
    resourceTypes: ["aws:sns/topicSubscription:TopicSubscription"],
    remediation:
        "subscribe with protocol https and an https:// endpoint (PagerDuty: { pagerDuty: true } with the integration key as a Pulumi secret; docs/alerting.md).",
    check: ({ props }, report) => {
        const protocol = String(props.protocol ?? "");
        if (!WEB.has(protocol)) return;
        if (protocol === "http") {
            report("The subscription uses protocol http: SNS would deliver alerts unencrypted.");
            return;
        }
        const endpoint = props.endpoint;
        // A secret endpoint is shown masked in an offline plan; the deploy-time engine passes the real value.
        if (typeof endpoint === "string" && endpoint !== "[secret]" && !endpoint.startsWith("https://")) {
            report(`The https subscription's endpoint ${JSON.stringify(endpoint)} is not an https:// URL.`);
        }
    },
});
