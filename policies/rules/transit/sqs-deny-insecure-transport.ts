import { stackRule } from "../../lib/rule";
import { asArray, dependents, ofType, statements } from "../../lib/props";

const QUEUE = "aws:sqs/queue:Queue";
const POLICY = "aws:sqs/queuePolicy:QueuePolicy";

/** A Deny on every principal and every SQS action for requests that did not come over TLS. */
function deniesInsecureTransport(doc: unknown): boolean {
    return statements(doc).some((s) => {
        if (s.Effect !== "Deny") return false;
        const everyone = s.Principal === "*" || asArray(s.Principal?.AWS).includes("*");
        const everyAction = asArray<string>(s.Action).some((a) => a === "*" || a === "sqs:*");
        return everyone && everyAction && asArray(s.Condition?.Bool?.["aws:SecureTransport"]).map(String).includes("false");
    });
}

export const sqsDenyInsecureTransport = stackRule({
    name: "sqs-deny-insecure-transport",
    description: "Every SQS queue must have a queue policy that denies all requests not made over TLS (aws:SecureTransport false).",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-in-transit", "tls", "sqs"],
    resourceTypes: [QUEUE, POLICY],
    remediation:
        'give the queue an aws.sqs.QueuePolicy with { Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: <queue ARN>, Condition: { Bool: { "aws:SecureTransport": "false" } } }.',
    check: (resources, _c, report) => {
        for (const q of ofType(resources, QUEUE)) {
            if (!dependents(resources, q, POLICY).length && !deniesInsecureTransport(q.props.policy))
                report("The queue has no queue policy, so nothing refuses plain-HTTP requests.", q.urn);
        }
        for (const p of ofType(resources, POLICY)) {
            if (!deniesInsecureTransport(p.props.policy))
                report("The queue policy has no Deny of every principal and action when aws:SecureTransport is false.", p.urn);
        }
    },
});
