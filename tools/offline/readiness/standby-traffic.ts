import { NAMESPACE } from "../../../stacks/config";
import type { CapturedResource } from "../mock-engine";
import type { PlanFile } from "../plan-file";
import type { ReadinessCheck, ReadinessItem } from "./types";

const RECORD = "aws:route53/record:Record";
const LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";

const fqdn = (v: unknown) =>
    String(v ?? "")
        .toLowerCase()
        .replace(/\.$/, "");

/** What a record answers with: its alias targets and its plain values. */
const targetsOf = (r: CapturedResource): string[] => [
    ...((r.inputs.aliases as { name?: string }[] | undefined) ?? []).map((a) => fqdn(a.name)),
    ...((r.inputs.records as string[] | undefined) ?? []).map(fqdn),
];

const isSecondary = (r: CapturedResource) => ((r.inputs.failoverRoutingPolicies as { type?: string }[] | undefined) ?? []).some((p) => p.type === "SECONDARY");

/** A simple record: no routing policy, no set identifier (the only answer for its name). */
const isSimple = (r: CapturedResource) =>
    r.inputs.setIdentifier === undefined &&
    [
        "failoverRoutingPolicies",
        "weightedRoutingPolicies",
        "latencyRoutingPolicies",
        "geolocationRoutingPolicies",
        "geoproximityRoutingPolicy",
        "cidrRoutingPolicy",
        "multivalueAnswerRoutingPolicy",
    ].every((k) => r.inputs[k] === undefined || r.inputs[k] === false);

const routing = (r: CapturedResource) =>
    Object.keys(r.inputs)
        .find((k) => /RoutingPolic(y|ies)$/.test(k) && r.inputs[k] !== undefined)
        ?.replace(/RoutingPolic(y|ies)$/, "") ?? "simple";

/**
 * A zone's standby runs read-only (its Aurora clusters and caches are global secondaries), so users
 * may reach it only when its primary is unhealthy: through a failover record of type SECONDARY,
 * which Route 53 answers only while the PRIMARY's health check fails. Any other record that leads to a
 * standby's load balancer (a weighted split, a latency or geolocation entry, a simple alias), directly
 * or through other names, sends users there while the primary is healthy.
 *
 * The standby's own regional name (`<region>.api.<domain>`, a simple record) is allowed: it is what
 * the region's health check probes and CloudFront's origin group falls back to after the primary
 * origin fails; no user-facing name may alias it (a name that does is itself reported).
 */
export const standbyTraffic: ReadinessCheck = (plan, all) => {
    const title = "no user traffic to a standby while its primary is healthy";
    const records = plan.resources.filter((r) => r.type === RECORD);
    const standbys = [...all.values()].filter((p: PlanFile) => p.config[`${NAMESPACE}:role`] === "standby");
    if (!records.length || !standbys.length) return { title, items: [] };

    // Standby load balancers by DNS name, and each standby's region (for its own regional name).
    const standbyOf = new Map<string, string>();
    for (const p of standbys) {
        for (const lb of p.resources.filter((r) => r.type === LOAD_BALANCER)) {
            const dns = fqdn(lb.identity?.dnsName);
            if (dns) standbyOf.set(dns, p.stack);
        }
    }
    const standbyRegions = new Set(standbys.map((p) => String(p.config["aws:region"] ?? p.stack)));
    const ownName = (r: CapturedResource) => isSimple(r) && standbyRegions.has(fqdn(r.inputs.name).split(".")[0]);

    const byName = new Map<string, CapturedResource[]>();
    for (const r of records) byName.set(fqdn(r.inputs.name), [...(byName.get(fqdn(r.inputs.name)) ?? []), r]);

    /** The standby a record can answer with while every primary is healthy, following aliases to other names. */
    const reaches = (r: CapturedResource, seen: Set<string>): string | undefined => {
        if (isSecondary(r)) return undefined;
        for (const t of targetsOf(r)) {
            if (standbyOf.has(t)) return standbyOf.get(t);
            if (seen.has(t)) continue;
            for (const next of byName.get(t) ?? []) {
                const via = reaches(next, new Set([...seen, t]));
                if (via) return `${via} via ${t}`;
            }
        }
        return undefined;
    };

    const items: ReadinessItem[] = [];
    for (const r of records) {
        const subject =
            `${fqdn(r.inputs.name)} ${r.inputs.type ?? ""} ${routing(r)}${r.inputs.setIdentifier ? ` (${String(r.inputs.setIdentifier)})` : ""}`.replace(
                /\s+/g,
                " ",
            );
        if (isSecondary(r)) {
            const to = targetsOf(r)
                .map((t) => standbyOf.get(t))
                .find(Boolean);
            items.push({ subject, detail: `failover SECONDARY${to ? ` to standby ${to}` : ""}: answered only while the primary's health check fails` });
            continue;
        }
        const to = reaches(r, new Set([fqdn(r.inputs.name)]));
        if (!to) continue;
        if (ownName(r) && targetsOf(r).some((t) => standbyOf.has(t))) {
            items.push({ subject, detail: `standby ${to}'s own name: its health check and CloudFront's failover origin` });
            continue;
        }
        items.push({
            subject,
            detail: `reaches standby ${to}`,
            problem: `sends users to standby ${to} (read-only) while its primary is healthy; only a failover SECONDARY record may answer with a standby`,
        });
    }
    return { title, items };
};
