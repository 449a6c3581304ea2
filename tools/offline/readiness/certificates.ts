import type { PlanFile } from "../plan-file";
import { describe, Located, PlanIndex } from "./plan-index";
import type { ReadinessItem, ReadinessSection } from "./types";

/**
 * True when a certificate name covers a hostname. A wildcard stands for exactly one whole
 * label at the left (RFC 6125 §6.4.3, as ACM and browsers apply it): `*.example.com` covers
 * `a.example.com` but neither `example.com` nor `a.b.example.com`.
 */
export function covers(pattern: string, host: string): boolean {
    const p = pattern.toLowerCase().replace(/\.$/, "");
    const h = host.toLowerCase().replace(/\.$/, "");
    if (!p.startsWith("*.")) return p === h;
    const rest = p.slice(2);
    const dot = h.indexOf(".");
    return dot > 0 && h.slice(dot + 1) === rest;
}

/** Where a client's TLS connection for a hostname ends, and the certificates served there. */
interface Endpoint {
    what: string;
    at: Located;
    certificates: Located[];
    /** Set when the endpoint serves no TLS at all, or its certificate is not in any planned stack. */
    problem?: string;
}

/** Where a hostname comes from: who uses it. */
interface Use {
    host: string;
    client: string;
    stack: string;
}

const name = (v: unknown) =>
    String(v ?? "")
        .toLowerCase()
        .replace(/\.$/, "");

/** The certificate resources behind an ACM ARN (the certificate, not its validation, which carries the same ARN). */
function certificatesFor(index: PlanIndex, arns: unknown[]): Located[] {
    return arns.flatMap((arn) => index.find(arn, "aws:acm/certificate:Certificate"));
}

function loadBalancerEndpoint(index: PlanIndex, lb: Located): Endpoint {
    const arn = lb.resource.identity?.arn;
    const listeners = index.ofType("aws:lb/listener:Listener").filter((l) => l.resource.inputs.loadBalancerArn === arn);
    const tls = listeners.filter((l) => ["TLS", "HTTPS"].includes(String(l.resource.inputs.protocol)) && Number(l.resource.inputs.port ?? 443) === 443);
    const extra = index
        .ofType("aws:lb/listenerCertificate:ListenerCertificate")
        .filter((c) => tls.some((l) => l.resource.identity?.arn === c.resource.inputs.listenerArn));
    const certificates = certificatesFor(index, [...tls.map((l) => l.resource.inputs.certificateArn), ...extra.map((c) => c.resource.inputs.certificateArn)]);
    const what = `load balancer ${describe(lb)}`;
    if (!tls.length) return { what, at: lb, certificates, problem: "has no TLS listener on 443: clients cannot reach it over HTTPS" };
    if (!certificates.length)
        return {
            what,
            at: lb,
            certificates,
            problem: `serves ${tls.map((l) => String(l.resource.inputs.certificateArn)).join(", ")}, which no planned stack creates`,
        };
    return { what, at: lb, certificates };
}

function distributionEndpoint(index: PlanIndex, d: Located): Endpoint {
    const viewer = d.resource.inputs.viewerCertificate as { acmCertificateArn?: string; cloudfrontDefaultCertificate?: boolean } | undefined;
    const certificates = certificatesFor(index, [viewer?.acmCertificateArn]);
    const what = `distribution ${describe(d)}`;
    if (!certificates.length) return { what, at: d, certificates, problem: "serves no certificate of a planned stack (only *.cloudfront.net)" };
    return { what, at: d, certificates };
}

/**
 * Follows a hostname through Route 53 the way a resolver would: every record set with that name
 * (failover, geolocation, latency and weighted sets each count), alias by alias, to the load
 * balancers and distributions that end TLS for it. A name no planned record answers has no endpoint.
 */
function resolve(index: PlanIndex, host: string, seen = new Set<string>()): Endpoint[] | undefined {
    if (seen.has(host)) return [];
    seen.add(host);
    const records = index
        .ofType("aws:route53/record:Record")
        .filter((r) => name(r.resource.inputs.name) === host && ["A", "AAAA", "CNAME"].includes(String(r.resource.inputs.type)));
    if (!records.length) return undefined;
    const out: Endpoint[] = [];
    for (const r of records) {
        const aliases = (r.resource.inputs.aliases as { name?: string }[] | undefined) ?? [];
        const targets = [...aliases.map((a) => name(a.name)), ...((r.resource.inputs.records as string[] | undefined) ?? []).map(name)];
        for (const t of targets) {
            const lbs = index.find(t).filter((l) => l.resource.type === "aws:lb/loadBalancer:LoadBalancer" && name(l.resource.identity?.dnsName) === t);
            const cfs = index
                .find(t)
                .filter((l) => l.resource.type === "aws:cloudfront/distribution:Distribution" && name(l.resource.identity?.domainName) === t);
            out.push(...lbs.map((lb) => loadBalancerEndpoint(index, lb)), ...cfs.map((d) => distributionEndpoint(index, d)));
            if (!lbs.length && !cfs.length) out.push(...(resolve(index, t, seen) ?? []));
        }
    }
    // One endpoint once, however many record sets lead to it.
    return [...new Map(out.map((e) => [e.at.resource.urn, e])).values()];
}

/** Every hostname a client uses: the names clients resolve, CloudFront's origins and aliases, health-check targets. */
function uses(index: PlanIndex): Use[] {
    const out: Use[] = [];
    for (const r of index.ofType("aws:route53/record:Record")) {
        const host = name(r.resource.inputs.name);
        // ACM's validation CNAMEs start with an underscore; nothing connects to them over TLS.
        if (!host || host.startsWith("_") || !["A", "AAAA", "CNAME"].includes(String(r.resource.inputs.type))) continue;
        out.push({ host, client: "clients resolving it", stack: r.stack });
    }
    for (const hc of index.ofType("aws:route53/healthCheck:HealthCheck")) {
        if (!String(hc.resource.inputs.type).startsWith("HTTPS") || !hc.resource.inputs.fqdn) continue;
        out.push({ host: name(hc.resource.inputs.fqdn), client: `health check ${hc.resource.name}`, stack: hc.stack });
    }
    for (const d of index.ofType("aws:cloudfront/distribution:Distribution")) {
        for (const o of (d.resource.inputs.origins as { domainName?: string; originId?: string; customOriginConfig?: unknown }[] | undefined) ?? []) {
            if (o.customOriginConfig) out.push({ host: name(o.domainName), client: `CloudFront origin ${o.originId}`, stack: d.stack });
        }
    }
    const unique = new Map(out.map((u) => [`${u.host}|${u.client}|${u.stack}`, u]));
    return [...unique.values()];
}

function namesOf(cert: Located): string[] {
    return [cert.resource.inputs.domainName, ...((cert.resource.inputs.subjectAlternativeNames as unknown[]) ?? [])].map(name);
}

function validated(index: PlanIndex, cert: Located): boolean {
    const arn = cert.resource.identity?.arn;
    return index.ofType("aws:acm/certificateValidation:CertificateValidation").some((v) => v.resource.inputs.certificateArn === arn);
}

/**
 * "hostnames and certificates": for each hostname a client uses (a Route 53 name, a CloudFront
 * origin, a health check's target), where TLS ends for it and which certificate name covers it,
 * or a problem. A stack's section lists the uses it makes and the uses that end at its endpoints.
 */
export function certificates(plan: PlanFile, all: ReadonlyMap<string, PlanFile>): ReadinessSection {
    const index = new PlanIndex(all.size ? all : new Map([[plan.stack, plan]]));
    const items: ReadinessItem[] = [];
    const served = new Set<string>();
    // The distribution's own aliases are what viewers use; they are judged through the records that alias them.
    for (const use of uses(index)) {
        const endpoints = resolve(index, use.host);
        if (use.stack !== plan.stack && !(endpoints ?? []).some((e) => e.at.stack === plan.stack)) continue;
        const subject = `${use.host} (${use.client})`;
        if (endpoints === undefined) {
            items.push({ subject, detail: "", problem: "no record in the planned stacks resolves it" });
            continue;
        }
        for (const e of endpoints) {
            // Another stack's use: only the endpoints in this stack are this stack's business.
            if (use.stack !== plan.stack && e.at.stack !== plan.stack) continue;
            e.certificates.forEach((c) => served.add(c.resource.urn));
            if (e.problem) {
                items.push({ subject: `${subject} at ${e.what}`, detail: "", problem: e.problem });
                continue;
            }
            const match = e.certificates.flatMap((c) =>
                namesOf(c)
                    .filter((n) => covers(n, use.host))
                    .map((n) => ({ c, n })),
            )[0];
            if (!match) {
                const held = e.certificates.map((c) => `${describe(c)} names ${namesOf(c).join(", ")}`).join("; ");
                items.push({
                    subject: `${subject} at ${e.what}`,
                    detail: "",
                    problem: `no certificate served there covers it (${held}); a wildcard covers exactly one label: add ${use.host} to the certificate`,
                });
            } else if (!validated(index, match.c)) {
                items.push({
                    subject: `${subject} at ${e.what}`,
                    detail: "",
                    problem: `${describe(match.c)} covers it but has no DNS validation in the planned stacks, so it never becomes ISSUED`,
                });
            } else {
                items.push({
                    subject: `${subject} at ${e.what}`,
                    detail: `covered by ${match.n === use.host ? "" : "wildcard "}${match.n} (${describe(match.c)})`,
                });
            }
        }
    }
    for (const c of index.ofType("aws:acm/certificate:Certificate").filter((c) => c.stack === plan.stack && !served.has(c.resource.urn))) {
        items.push({ subject: `certificate ${c.resource.name}`, detail: `names ${namesOf(c).join(", ")}; no hostname of the planned stacks reaches it yet` });
    }
    return { title: "hostnames and certificates", items };
}
