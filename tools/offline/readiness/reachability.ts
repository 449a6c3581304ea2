import { SG_INBOUND_RULES_QUOTA } from "../../../components/regional-cluster/ingress";
import type { PlanFile } from "../plan-file";
import { boundServicePort, gatewayRoute } from "./gateway-routes";
import { coversPort, inboundRules, InboundRule, knownPrefixLists, outboundRules, regionOf, resolve, Resolved, ruleWeight } from "./plan-graph";
import type { ReadinessItem, ReadinessSection } from "./types";

export const REACHABILITY_TITLE = "health checks and listeners";

/** Listener protocols an endpoint health check of each type can talk to (TLS and HTTPS terminate TLS; TCP only connects). */
const LISTENER_PROTOCOLS_FOR_CHECK: Record<string, string[]> = {
    HTTPS: ["TLS", "HTTPS"],
    HTTPS_STR_MATCH: ["TLS", "HTTPS"],
    HTTP: ["TCP", "HTTP"],
    HTTP_STR_MATCH: ["TCP", "HTTP"],
    TCP: ["TCP", "TLS", "HTTP", "HTTPS", "TCP_UDP"],
};
const DEFAULT_CHECK_PORT: Record<string, number> = { HTTPS: 443, HTTPS_STR_MATCH: 443, HTTP: 80, HTTP_STR_MATCH: 80 };

interface Ingress {
    region: string;
    lb: Resolved;
    securityGroupIds: string[];
    listeners: { listener: Resolved; port: number; protocol: string; targetGroup?: Resolved }[];
}

/** The internet-facing load balancers of a plan with their groups, listeners and target groups. */
function ingressesOf(plan: PlanFile): Ingress[] {
    const listeners = resolve(plan, "aws:lb/listener:Listener");
    const targetGroups = resolve(plan, "aws:lb/targetGroup:TargetGroup");
    return resolve(plan, "aws:lb/loadBalancer:LoadBalancer")
        .filter((lb) => lb.resource.inputs.internal !== true)
        .map((lb) => ({
            region: regionOf(plan, lb.resource),
            lb,
            securityGroupIds: ((lb.resource.inputs.securityGroups as string[] | undefined) ?? []).map(String),
            listeners: listeners
                .filter((l) => l.resource.inputs.loadBalancerArn === lb.state.arn)
                .map((l) => {
                    const actions = (l.resource.inputs.defaultActions as { targetGroupArn?: string }[] | undefined) ?? [];
                    const tgArn = actions.find((a) => a.targetGroupArn)?.targetGroupArn;
                    return {
                        listener: l,
                        port: Number(l.resource.inputs.port),
                        protocol: String(l.resource.inputs.protocol),
                        targetGroup: targetGroups.find((t) => t.state.arn === tgArn),
                    };
                }),
        }));
}

const describeRule = (r: InboundRule) => `${r.declaredBy} (${r.securityGroupId})`;

/** Who is admitted to a listener port: the named published clients, and any other sources in words. */
function admitted(ingress: Ingress, port: number, rules: InboundRule[]) {
    const lists = knownPrefixLists(ingress.region);
    const onLb = rules.filter((r) => ingress.securityGroupIds.includes(r.securityGroupId) && coversPort(r, port));
    const byClient = new Map<string, InboundRule>();
    const others: string[] = [];
    for (const r of onLb) {
        for (const id of r.prefixListIds) {
            const known = lists.get(id);
            if (known) byClient.set(known.client, r);
            else others.push(`prefix list ${id} (${r.declaredBy})`);
        }
        others.push(...r.cidrs.map((c) => `${c} (${r.declaredBy})`), ...r.securityGroupIds.map((g) => `group ${g} (${r.declaredBy})`));
    }
    return { byClient, others, any: onLb.length > 0 };
}

/** Listener side, in a regional plan: each client of each listener, the load balancer's path to its targets, and the groups' rule quotas. */
function listenerItems(plan: PlanFile): ReadinessItem[] {
    const items: ReadinessItem[] = [];
    const rules = inboundRules(plan);
    const egress = outboundRules(plan);
    const cluster = resolve(plan, "eks:index:Cluster")[0];
    for (const ingress of ingressesOf(plan)) {
        const lbName = ingress.lb.resource.name;
        const lists = knownPrefixLists(ingress.region);
        for (const l of ingress.listeners) {
            const who = admitted(ingress, l.port, rules);
            const where = `${lbName} :${l.port}/${l.protocol}`;
            // The public TLS listener serves the edge: CloudFront fetches and the Route 53 checks both arrive here.
            const expected = l.protocol === "TLS" || l.protocol === "HTTPS" ? [...lists.values()].map((k) => k.client) : [];
            for (const client of expected) {
                const rule = who.byClient.get(client);
                items.push(
                    rule
                        ? { subject: `${client} -> ${where}`, detail: `admitted by ${describeRule(rule)}` }
                        : {
                              subject: `${client} -> ${where}`,
                              detail: "",
                              problem: `no inbound rule on the load balancer's groups admits ${client} on ${l.port}; add a rule from its managed prefix list`,
                          },
                );
            }
            if (!who.any)
                items.push({
                    subject: `(no client) -> ${where}`,
                    detail: "",
                    problem: "no inbound rule on the load balancer's groups admits anyone on this port: the listener is unreachable",
                });
            if (who.others.length) items.push({ subject: `other sources -> ${where}`, detail: who.others.join(", ") });

            // Load balancer -> targets: forwarding on the target port, and the target group's own health checks.
            const tg = l.targetGroup;
            if (!tg) {
                items.push({ subject: `${where} -> targets`, detail: "", problem: "the listener forwards to no target group in this plan" });
                continue;
            }
            const hc = (tg.resource.inputs.healthCheck as Record<string, unknown> | undefined) ?? {};
            const trafficPort = Number(tg.resource.inputs.port);
            const hcPort = hc.port === undefined || hc.port === "traffic-port" ? trafficPort : Number(hc.port);
            const targetGroupIds = cluster
                ? [String(cluster.state.nodeSecurityGroupId)]
                : [...new Set(egress.filter((e) => ingress.securityGroupIds.includes(e.securityGroupId)).flatMap((e) => e.securityGroupIds))];
            for (const [port, what] of [
                [trafficPort, "forwarded traffic"],
                [hcPort, `target-group health checks (${hc.protocol ?? "TCP"} ${hc.path ?? ""})`.trim()],
            ] as const) {
                const out = egress.some(
                    (e) =>
                        ingress.securityGroupIds.includes(e.securityGroupId) &&
                        coversPort(e, port) &&
                        (e.cidrs.length > 0 || e.securityGroupIds.some((g) => targetGroupIds.includes(g))),
                );
                const into = rules.some(
                    (r) =>
                        targetGroupIds.includes(r.securityGroupId) &&
                        coversPort(r, port) &&
                        (r.cidrs.length > 0 || r.securityGroupIds.some((g) => ingress.securityGroupIds.includes(g))),
                );
                const subject = `${lbName} ${what} -> targets :${port}`;
                if (out && into) items.push({ subject, detail: `load balancer egress and target ingress both allow ${port}` });
                else
                    items.push({
                        subject,
                        detail: "",
                        problem: `${!out ? "no egress rule on the load balancer's groups" : "no ingress rule on the targets' group"} allows TCP ${port} between the load balancer and its targets`,
                    });
            }
        }
        for (const sgId of ingress.securityGroupIds) {
            const weight = rules.filter((r) => r.securityGroupId === sgId).reduce((sum, r) => sum + ruleWeight(r, lists), 0);
            const subject = `${lbName} group ${sgId} inbound rules`;
            items.push(
                weight <= SG_INBOUND_RULES_QUOTA
                    ? { subject, detail: `${weight} of the ${SG_INBOUND_RULES_QUOTA}-rule quota (prefix lists count as their maximum entries)` }
                    : {
                          subject,
                          detail: "",
                          problem: `counts ${weight} rules against the default quota of ${SG_INBOUND_RULES_QUOTA}: AWS refuses the rule that passes it; split the sources over the load balancer's groups`,
                      },
            );
        }
    }
    return items;
}

/** Health-check side, in the global plan: each endpoint check against the listener it reaches in its region's plan. */
function healthCheckItems(plan: PlanFile, all: ReadonlyMap<string, PlanFile>): ReadinessItem[] {
    const items: ReadinessItem[] = [];
    const checks = resolve(plan, "aws:route53/healthCheck:HealthCheck");
    const records = plan.resources.filter((r) => r.type === "aws:route53/record:Record");
    const ingressByDns = new Map<string, { plan: PlanFile; ingress: Ingress }>();
    for (const other of all.values()) {
        for (const ingress of ingressesOf(other)) ingressByDns.set(String(ingress.lb.state.dnsName), { plan: other, ingress });
    }
    const childIds = new Set(checks.map((c) => c.id));
    for (const check of checks) {
        const i = check.resource.inputs;
        const type = String(i.type);
        if (type === "CALCULATED") {
            const children = (i.childHealthchecks as string[] | undefined) ?? [];
            const unknown = children.filter((c) => !childIds.has(c) && !c.startsWith("arc-"));
            items.push(
                unknown.length
                    ? {
                          subject: `${check.resource.name} (CALCULATED)`,
                          detail: "",
                          problem: `children ${unknown.join(", ")} are not health checks of this plan or of the DR plan`,
                      }
                    : { subject: `${check.resource.name} (CALCULATED)`, detail: `healthy when ${i.childHealthThreshold} of ${children.length} children are` },
            );
            continue;
        }
        const protocols = LISTENER_PROTOCOLS_FOR_CHECK[type];
        if (!protocols) {
            items.push({ subject: `${check.resource.name} (${type})`, detail: "not an endpoint check: reaches no listener" });
            continue;
        }
        const fqdn = String(i.fqdn ?? "");
        const port = Number(i.port ?? DEFAULT_CHECK_PORT[type] ?? 0);
        const path = String(i.resourcePath ?? "/");
        const subject = `Route 53 ${type} ${fqdn}:${port}${type.startsWith("HTTP") ? path : ""}`;
        const alias = records.find((r) => r.inputs.name === fqdn && Array.isArray(r.inputs.aliases) && !r.inputs.setIdentifier);
        const target = String((alias?.inputs.aliases as { name?: string }[] | undefined)?.[0]?.name ?? "");
        if (!alias) {
            items.push({ subject, detail: "", problem: `no simple alias record named ${fqdn} in this plan: the check cannot be tied to a load balancer` });
            continue;
        }
        const found = ingressByDns.get(target);
        if (!found) {
            items.push({ subject, detail: `aliases ${target}; its regional plan is not in this run, so its listener is checked there` });
            continue;
        }
        const listener = found.ingress.listeners.find((l) => l.port === port);
        const problems: string[] = [];
        if (!listener) problems.push(`${found.ingress.lb.resource.name} (${found.plan.stack}) has no listener on ${port}`);
        else if (!protocols.includes(listener.protocol)) problems.push(`a ${type} check cannot talk to a ${listener.protocol} listener`);
        if (type.startsWith("HTTPS") && i.enableSni !== true)
            problems.push("HTTPS without SNI: the load balancer answers with its default certificate, not the one users get");
        if (listener) {
            const who = admitted(found.ingress, port, inboundRules(found.plan));
            if (!who.byClient.has("Route 53 health checkers"))
                problems.push(`${found.plan.stack}'s load balancer groups do not admit the Route 53 health checkers on ${port}: the check can never pass`);
            if (!listener.targetGroup) problems.push("the listener forwards nowhere");
        }
        const tgPort = listener?.targetGroup?.resource.inputs.port;
        // The request's host and path through the Istio gateway: a path no route matches gets Envoy's 404, forever.
        let routed = "";
        if (type.startsWith("HTTP")) {
            const servicePort = boundServicePort(found.plan);
            const route = servicePort === undefined ? undefined : gatewayRoute(found.plan, servicePort, fqdn, path);
            if (servicePort === undefined) problems.push(`${found.plan.stack} binds no gateway Service to the target group`);
            else if (!route)
                problems.push(
                    `no Istio Gateway server on port ${servicePort} with a VirtualService routes ${fqdn}${path} in ${found.plan.stack}: the gateway answers 404`,
                );
            else routed = ` -> ${route.virtualService} -> ${route.destination}`;
        }
        items.push(
            problems.length
                ? { subject, detail: "", problem: problems.join("; ") }
                : {
                      subject,
                      detail: `reaches ${found.ingress.lb.resource.name} (${found.plan.stack}) :${port}/${listener!.protocol} -> gateway :${tgPort}${routed}; healthy on 2xx/3xx from ${path}, so a failure means TLS, the gateway or the application is down in ${found.ingress.region}`,
                  },
        );
    }
    return items;
}

/**
 * Deploy readiness: which client reaches which listener. In a regional plan,
 * each internet-facing listener's clients (CloudFront origin fetches, Route 53
 * health checkers), the load balancer's path to its targets (traffic and
 * target-group health checks), and each group's rules quota. In the global
 * plan, each Route 53 health check against the listener it reaches.
 */
export function reachability(plan: PlanFile, all: ReadonlyMap<string, PlanFile>): ReadinessSection {
    return { title: REACHABILITY_TITLE, items: [...listenerItems(plan), ...healthCheckItems(plan, all)] };
}
