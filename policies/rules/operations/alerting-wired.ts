import { resourceRule } from "../../lib/rule";
import { asArray, isFalse, nonEmpty } from "../../lib/props";

export const alertingWired = resourceRule({
    name: "alerting-wired",
    description:
        "Alarms and RDS event subscriptions must notify someone and EventBridge rules must be enabled, so that security and availability events reach the on-call.",
    severity: "medium",
    // Advisory: a dashboard-only alarm is a judgment call; the observability spec decides which alarms page.
    enforcementLevel: "advisory",
    domain: "operations",
    frameworks: ["soc2", "pci-dss"],
    topics: ["monitoring", "alerting"],
    resourceTypes: ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/eventRule:EventRule", "aws:rds/eventSubscription:EventSubscription"],
    remediation:
        "give alarms alarmActions (the P0-P3 SNS topics) with actionsEnabled left on; leave EventBridge rules enabled (state ENABLED or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS) and RDS event subscriptions enabled with an snsTopic.",
    check: ({ type, props }, report) => {
        if (type === "aws:cloudwatch/metricAlarm:MetricAlarm") {
            if (isFalse(props.actionsEnabled)) report("actionsEnabled is false.");
            else if (!asArray(props.alarmActions).length) report("The alarm has no alarmActions, so it notifies no one.");
            return;
        }
        if (type === "aws:rds/eventSubscription:EventSubscription") {
            if (isFalse(props.enabled)) report("The RDS event subscription is disabled.");
            if (!nonEmpty(props.snsTopic)) report("The RDS event subscription has no snsTopic, so its events reach no one.");
            return;
        }
        if (isFalse(props.isEnabled) || props.state === "DISABLED") report(`The rule is not enabled (state ${JSON.stringify(props.state)}).`);
    },
});
