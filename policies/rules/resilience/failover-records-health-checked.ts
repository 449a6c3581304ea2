import { resourceRule } from "../../lib/rule";
import { asArray, isTrue } from "../../lib/props";

export const failoverRecordsHealthChecked = resourceRule({
    name: "failover-records-health-checked",
    description:
        "Route 53 failover records must be tied to a health check (or an alias that evaluates target health), and health checks must not be disabled or inverted.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2"],
    topics: ["failover", "dns"],
    resourceTypes: ["aws:route53/record:Record", "aws:route53/healthCheck:HealthCheck"],
    remediation:
        "set healthCheckId on every failover record (alias records may use evaluateTargetHealth: true instead); leave health checks enabled and not inverted.",
    check: ({ type, props }, report) => {
        if (type === "aws:route53/healthCheck:HealthCheck") {
            if (isTrue(props.disabled)) report("The health check is disabled, so Route 53 treats the endpoint as always healthy.");
            if (isTrue(props.invertHealthcheck)) report("The health check is inverted.");
            return;
        }
        if (!asArray(props.failoverRoutingPolicies).length) return;
        const aliasEvaluates = asArray<any>(props.aliases).some((a) => isTrue(a?.evaluateTargetHealth));
        if (!props.healthCheckId && !aliasEvaluates) report("The failover record has no healthCheckId, so Route 53 can never fail it over.");
    },
});
