import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * What starts a zone's failover without a person (docs/decisions/failover-start.md): an ARC trigger
 * that activates the standby when the primary's endpoint health check has been failing for
 * `guardMinutes` whole minutes AND the standby's is passing, at most once per `minMinutesBetween`.
 */
export interface FailoverTriggerArgs {
    zone: string;
    primaryRegion: string;
    standbyRegion: string;
    primaryHealthCheckId: pulumi.Input<string>;
    standbyHealthCheckId: pulumi.Input<string>;
    /** Whole minutes the primary must stay unhealthy before the plan starts: the guard against flapping. */
    guardMinutes: number;
    /** Least minutes between two automatic executions: no ping-pong between the regions. */
    minMinutesBetween: number;
    /** Topics the alarms notify (in the alarms' region). */
    alarmActions: pulumi.Input<string>[];
    /** Route 53 publishes health-check metrics in us-east-1 only, so the alarms live there. */
    provider: aws.Provider;
    parent: pulumi.Resource;
}

/** Alarm on a Route 53 health check: ALARM while the check reports unhealthy for `minutes` whole minutes. */
function healthCheckAlarm(
    name: string,
    healthCheckId: pulumi.Input<string>,
    minutes: number,
    description: string,
    actions: pulumi.Input<string>[],
    opts: pulumi.CustomResourceOptions,
) {
    return new aws.cloudwatch.MetricAlarm(
        name,
        {
            name,
            alarmDescription: description,
            namespace: "AWS/Route53",
            metricName: "HealthCheckStatus",
            dimensions: { HealthCheckId: healthCheckId },
            statistic: "Minimum",
            period: 60,
            evaluationPeriods: minutes,
            datapointsToAlarm: minutes,
            threshold: 1,
            comparisonOperator: "LessThanThreshold",
            // No data is not evidence of an outage: it never starts a failover on its own.
            treatMissingData: "notBreaching",
            alarmActions: actions,
            okActions: actions,
        },
        opts,
    );
}

export function failoverTrigger(name: string, args: FailoverTriggerArgs) {
    const opts = { parent: args.parent, provider: args.provider };
    const primaryDown = healthCheckAlarm(
        `${name}-primary-down`,
        args.primaryHealthCheckId,
        args.guardMinutes,
        `${args.zone} zone: ${args.primaryRegion} endpoint unhealthy for ${args.guardMinutes} min; starts the zone's failover to ${args.standbyRegion}`,
        args.alarmActions,
        opts,
    );
    const standbyDown = healthCheckAlarm(
        `${name}-standby-down`,
        args.standbyHealthCheckId,
        1,
        `${args.zone} zone: ${args.standbyRegion} endpoint unhealthy; blocks an automatic failover into it`,
        args.alarmActions,
        opts,
    );
    const associatedAlarms = [
        { mapBlockKey: `${name}-primary-down`, alarmType: "trigger", resourceIdentifier: primaryDown.arn },
        { mapBlockKey: `${name}-standby-down`, alarmType: "trigger", resourceIdentifier: standbyDown.arn },
    ];
    const triggers = [
        {
            action: "activate",
            targetRegion: args.standbyRegion,
            description: `Fail the ${args.zone} zone over when ${args.primaryRegion} is down and ${args.standbyRegion} is up`,
            minDelayMinutesBetweenExecutions: args.minMinutesBetween,
            conditions: [
                { associatedAlarmName: `${name}-primary-down`, condition: "red" },
                // Split-brain and dead-standby guard: never move the zone into a region that is itself failing.
                { associatedAlarmName: `${name}-standby-down`, condition: "green" },
            ],
        },
    ];
    return { alarms: [primaryDown, standbyDown], associatedAlarms, triggers };
}
