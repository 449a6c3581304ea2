import type { PlanFile } from "../plan-file";
import { alertRoutes } from "./alert-routes";
import { reachability } from "./reachability";
import { alarmReadiness } from "./alarms";
import { globalOwnedReadiness } from "./global-owned";
import { chartValues } from "./chart-values";
import { inClusterAddresses } from "./in-cluster-addresses";
import { certificates } from "./certificates";
import { prerequisites } from "./prerequisites";
import { standbyTraffic } from "./standby-traffic";
import { scalingTriggers } from "./scaling-triggers";
import { scaleTargets } from "./scale-targets";
import { backendDelivery } from "./backend-delivery";
import { inTransit } from "./in-transit";
import { imageAdmission } from "./image-admission";
import { podSecurity } from "./pod-security";
import { networkPolicies } from "./network-policies";
import { databaseLogins } from "./database-logins";
import type { ReadinessCheck, ReadinessSection } from "./types";

export type { ReadinessCheck, ReadinessItem, ReadinessSection } from "./types";

/**
 * Every readiness check, in the order the plan prints them. Each lives in its
 * own file in this folder; add a new one here.
 */
export const READINESS_CHECKS: readonly ReadinessCheck[] = [
    prerequisites,
    certificates,
    standbyTraffic,
    reachability,
    alertRoutes,
    alarmReadiness,
    globalOwnedReadiness,
    chartValues,
    inClusterAddresses,
    scalingTriggers,
    scaleTargets,
    backendDelivery,
    inTransit,
    imageAdmission,
    podSecurity,
    networkPolicies,
    databaseLogins,
];

/** The readiness sections of one stack's plan (empty sections left out). */
export function readinessOf(plan: PlanFile, all: ReadonlyMap<string, PlanFile>): ReadinessSection[] {
    return READINESS_CHECKS.map((check) => check(plan, all)).filter((s) => s.items.length > 0);
}

/** Every problem in a stack's readiness, one line each, for the plan's failure summary. */
export function readinessProblems(sections: readonly ReadinessSection[]): string[] {
    return sections.flatMap((s) => s.items.filter((i) => i.problem).map((i) => `${s.title}: ${i.subject}: ${i.problem}`));
}

/** The readable "deploy readiness" block of the plan summary. */
export function formatReadiness(sections: readonly ReadinessSection[], indent = "  "): string[] {
    const lines = [`${indent}deploy readiness:${sections.length ? "" : " (nothing to check)"}`];
    for (const s of sections) {
        const bad = s.items.filter((i) => i.problem).length;
        lines.push(`${indent}  ${s.title}: ${s.items.length} checked, ${bad} problem${bad === 1 ? "" : "s"}`);
        for (const i of s.items) {
            lines.push(`${indent}    ${i.problem ? "PROBLEM" : "ok     "} ${i.subject}: ${i.problem ?? i.detail}`);
        }
    }
    return lines;
}
