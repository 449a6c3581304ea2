import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

export const regionSwitchPlan = resourceRule<{ maxRtoMinutes: number }>({
    name: "region-switch-plan",
    description:
        "ARC Region switch plans must name two regions including the primary, an execution role and workflows, with a recovery time objective within the spec's.",
    severity: "medium",
    enforcementLevel: "mandatory",
    domain: "resilience",
    frameworks: ["soc2"],
    topics: ["disaster-recovery", "failover"],
    resourceTypes: ["aws:arcregionswitch/plan:Plan"],
    remediation:
        "set regions to the zone's primary and standby, primaryRegion to the primary, an executionRole, workflows for activate and deactivate, and recoveryTimeObjectiveMinutes within maxRtoMinutes.",
    config: { maxRtoMinutes: { type: "integer", default: 5, description: "Spec RTO in minutes (docs/requirements.md#r-avail-2: 5-minute RTO)." } },
    check: ({ props, config }, report) => {
        const regions = asArray<string>(props.regions);
        if (regions.length < 2) report(`The plan names ${regions.length} region(s).`);
        if (props.primaryRegion && regions.length && !regions.includes(props.primaryRegion))
            report(`primaryRegion ${props.primaryRegion} is not among the plan's regions.`);
        if (!props.executionRole) report("The plan has no executionRole.");
        if (!asArray(props.workflows).length) report("The plan has no workflows.");
        const rto = props.recoveryTimeObjectiveMinutes;
        if (typeof rto === "number" && rto > config.maxRtoMinutes) report(`recoveryTimeObjectiveMinutes is ${rto}, above ${config.maxRtoMinutes}.`);
    },
});
