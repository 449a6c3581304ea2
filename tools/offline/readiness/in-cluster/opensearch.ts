import { plannedReleases } from "../../../charts/releases";
import type { PlanFile } from "../../plan-file";
import type { ReadinessItem } from "../types";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

const DOMAIN_TYPE = "aws:opensearch/domain:Domain";
/** An OpenSearch domain endpoint: vpc-<domain>-<id>.<region>.es.amazonaws.com (search- for a public domain). */
const OPENSEARCH_RE = /\b(vpc|search)-([a-z][a-z0-9-]{2,27})-([a-z0-9]+)\.([a-z0-9-]+)\.es\.amazonaws\.com\b/;

/** Fluent Bit classic-config sections ([OUTPUT] and the like) as key -> value maps. */
export function fluentBitSections(text: string): { kind: string; keys: Record<string, string> }[] {
    const out: { kind: string; keys: Record<string, string> }[] = [];
    for (const line of text.split("\n")) {
        const head = /^\s*\[([A-Z]+)\]\s*$/.exec(line);
        if (head) out.push({ kind: head[1], keys: {} });
        else if (out.length > 0) {
            const kv = /^\s*([A-Za-z_.-]+)\s+(.*?)\s*$/.exec(line);
            if (kv) out[out.length - 1].keys[kv[1].toLowerCase()] = kv[2];
        }
    }
    return out;
}

/**
 * Clients of the region's OpenSearch domain inside the cluster: Fluent Bit's opensearch outputs and
 * Jaeger's storage server URLs must name a domain of this plan, in its region, over HTTPS on 443
 * with SigV4 (the domain enforces HTTPS and fine-grained access maps the writers' IAM roles).
 */
export function openSearchItems(plan: PlanFile): ReadinessItem[] {
    const domains = plan.resources.filter((r) => r.type === DOMAIN_TYPE).map((r) => String(r.inputs.domainName ?? r.name));
    const region = String(plan.config["aws:region"] ?? "");
    const items: ReadinessItem[] = [];
    const domainProblem = (host: string): string | undefined => {
        const m = OPENSEARCH_RE.exec(host);
        if (!m) return `${host} is not an OpenSearch domain endpoint`;
        if (!domains.includes(m[2])) return `no OpenSearch domain ${m[2]} in this plan (domains: ${domains.join(", ") || "none"})`;
        if (region && m[4] !== region) return `the domain is in ${region}, the endpoint names ${m[4]}`;
        return undefined;
    };
    for (const r of plannedReleases(plan.resources)) {
        if (r.chart === "fluent-bit") {
            const config = (r.values.config ?? {}) as Record<string, unknown>;
            const outputs = typeof config.outputs === "string" ? fluentBitSections(config.outputs) : [];
            for (const o of outputs.filter((x) => x.kind === "OUTPUT" && x.keys.name === "opensearch")) {
                const k = o.keys;
                const subject = `${r.resource} output ${k.match ?? "?"} -> OpenSearch ${k.host ?? "?"}:${k.port ?? "?"}`;
                const wrong = [
                    domainProblem(k.host ?? ""),
                    k.port === "443" ? undefined : `Port ${k.port ?? "unset"}: the domain serves HTTPS on 443`,
                    /^on$/i.test(k.tls ?? "") ? undefined : "TLS is not On: the domain enforces HTTPS",
                    /^on$/i.test(k.aws_auth ?? "") ? undefined : "AWS_Auth is not On: the domain admits SigV4-signed IAM roles only",
                    !region || k.aws_region === region ? undefined : `AWS_Region ${k.aws_region ?? "unset"}, the domain is in ${region}`,
                ].filter((x): x is string => x !== undefined);
                items.push(
                    wrong.length
                        ? { subject, detail: "Fluent Bit opensearch output", problem: wrong.join("; ") }
                        : { subject, detail: "a domain of this plan, HTTPS 443, SigV4" },
                );
            }
        }
        if (r.chart === "jaeger") {
            const urls: string[] = [];
            const walk = (v: unknown, key = ""): void => {
                if (Array.isArray(v)) v.forEach((x) => (key === "server_urls" && typeof x === "string" ? urls.push(x) : walk(x)));
                else if (isObj(v)) for (const [k, x] of Object.entries(v)) walk(x, k);
            };
            walk(r.values.userconfig);
            for (const u of urls) {
                const subject = `${r.resource} storage -> OpenSearch ${u}`;
                let host = "";
                let problem: string | undefined;
                try {
                    const url = new URL(u);
                    host = url.hostname;
                    if (url.protocol !== "https:" || (url.port !== "" && url.port !== "443")) problem = `${u}: the domain serves HTTPS on 443`;
                } catch {
                    problem = `${u} is not a URL`;
                }
                problem = [problem, host ? domainProblem(host) : undefined].filter(Boolean).join("; ") || undefined;
                items.push(problem ? { subject, detail: "Jaeger OpenSearch backend", problem } : { subject, detail: "a domain of this plan, HTTPS 443" });
            }
        }
    }
    return items;
}
