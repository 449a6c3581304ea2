import { NAMESPACE } from "../../../stacks/config";
import { alarmProblems, loadCatalog, MetricCatalog, Role, stackNormal } from "../alarm-check";
import type { ReadinessCheck } from "./types";

export const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

let catalog: MetricCatalog | undefined;

/**
 * Alarms against normal operation: each CloudWatch alarm of the plan must stay
 * out of ALARM on a healthy system in this stack's role and fire on the
 * failure it names (tools/offline/alarm-check.ts).
 */
export const alarmReadiness: ReadinessCheck = (plan) => {
    catalog ??= loadCatalog();
    const role = String(plan.config[`${NAMESPACE}:role`] ?? "") as Role;
    const normal = stackNormal(catalog, role, plan.config);
    const items = plan.resources
        .filter((r) => r.type === METRIC_ALARM)
        .map((r) => {
            const inputs = r.inputs as { name?: string };
            const problems = alarmProblems(r.inputs as never, role, normal);
            return {
                subject: `alarm ${inputs.name ?? r.name}`,
                detail: `quiet on a healthy ${role}, fires on its failure`,
                ...(problems.length ? { problem: problems.join("; ") } : {}),
            };
        });
    return { title: "alarms against normal operation", items };
};
