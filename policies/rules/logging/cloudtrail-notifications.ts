import { resourceRule } from "../../lib/rule";

export const cloudtrailNotifications = resourceRule({
    name: "cloudtrail-notifications",
    description: "CloudTrail trails should notify an SNS topic of each log file delivered, so log processing and gaps can be watched.",
    severity: "low",
    // Advisory: the trail's log group feeds the metric-filter alarms that page (CIS 4.x); a notice per
    // delivered file is for downstream processing, which this platform does not run.
    enforcementLevel: "advisory",
    domain: "logging",
    frameworks: ["soc2"],
    topics: ["cloudtrail", "monitoring"],
    resourceTypes: ["aws:cloudtrail/trail:Trail"],
    peers: { checkov: ["CKV_AWS_252"] },
    remediation: "set snsTopicName to a KMS-encrypted topic whose policy lets cloudtrail.amazonaws.com publish (with aws:SourceArn of the trail).",
    check: ({ props }, report) => {
        if (!props.snsTopicName) report("The trail has no snsTopicName.");
    },
});
