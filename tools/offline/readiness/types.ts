import type { PlanFile } from "../plan-file";

/**
 * Deploy readiness: what a stack needs from the world it deploys into, read
 * from its plan. Each check reads one concern (prerequisites, hostnames and
 * their certificates, health-check paths, alert routes, ...) and lists what it
 * found; an item with `problem` set is a defect that would break a real
 * deploy or a real failover, and `npm run plan` fails on it.
 */
export interface ReadinessItem {
    /** What the item is about: a hostname, a prerequisite, a health check, a topic. */
    subject: string;
    /** What holds for it, in a few words (e.g. "covered by *.us-east-1.api.example.com (bb-use1-ingress-cert)"). */
    detail: string;
    /** Set when it does not hold: what is wrong and what would fix it. */
    problem?: string;
}

export interface ReadinessSection {
    /** Section title, e.g. "hostnames and certificates". */
    title: string;
    items: ReadinessItem[];
}

/**
 * One readiness check. `all` holds every stack planned in the same run, by
 * stack name (the stack itself included), so a check can follow a stack
 * reference (the global stack's origins to the regional certificates, say).
 * A check that has nothing to say about a stack returns a section with no items.
 */
export type ReadinessCheck = (plan: PlanFile, all: ReadonlyMap<string, PlanFile>) => ReadinessSection;
