import type { PlanFile } from "../plan-file";

/**
 * What the Istio ingress gateway answers for a host and path, read from the
 * Gateway and VirtualService objects of a regional plan. Envoy answers 404 to
 * a request no route matches, so a health check on such a path fails forever.
 */

type Obj = { metadata?: { name?: string; namespace?: string }; spec?: Record<string, unknown> };

const objects = (plan: PlanFile, kind: string): Obj[] =>
    plan.resources
        .filter((r) => r.type === `kubernetes:networking.istio.io/v1:${kind}` || r.type === `kubernetes:networking.istio.io/v1beta1:${kind}`)
        .map((r) => r.inputs as Obj);

/** Istio host matching: "*" matches every host, "*.a.b" any name under a.b, otherwise the exact name; a "ns/" prefix is dropped. */
export function hostMatches(pattern: string, host: string): boolean {
    const p = pattern.includes("/") ? pattern.split("/").pop()! : pattern;
    if (p === "*") return true;
    if (p.startsWith("*.")) return host.endsWith(p.slice(1));
    return p === host;
}

function uriMatches(match: Record<string, unknown> | undefined, path: string): boolean {
    const uri = match?.uri as { exact?: string; prefix?: string; regex?: string } | undefined;
    if (!uri) return true;
    if (uri.exact !== undefined) return uri.exact === path;
    if (uri.prefix !== undefined) return path.startsWith(uri.prefix);
    if (uri.regex !== undefined) return new RegExp(`^(?:${uri.regex})$`).test(path);
    return true;
}

export interface GatewayRoute {
    gateway: string;
    virtualService: string;
    destination: string;
}

/** The route the gateway server on `port` takes for `host` + `path`, or undefined when Envoy would answer 404. */
export function gatewayRoute(plan: PlanFile, port: number, host: string, path: string): GatewayRoute | undefined {
    for (const gw of objects(plan, "Gateway")) {
        const servers = (gw.spec?.servers as { port?: { number?: number }; hosts?: string[] }[] | undefined) ?? [];
        if (!servers.some((s) => s.port?.number === port && (s.hosts ?? []).some((h) => hostMatches(h, host)))) continue;
        const gwName = `${gw.metadata?.namespace}/${gw.metadata?.name}`;
        for (const vs of objects(plan, "VirtualService")) {
            const bound = ((vs.spec?.gateways as string[] | undefined) ?? []).some(
                (g) => g === gwName || (g === gw.metadata?.name && vs.metadata?.namespace === gw.metadata?.namespace),
            );
            if (!bound || !((vs.spec?.hosts as string[] | undefined) ?? []).some((h) => hostMatches(h, host))) continue;
            for (const route of (vs.spec?.http as
                { match?: Record<string, unknown>[]; route?: { destination?: { host?: string; port?: { number?: number } } }[] }[] | undefined) ?? []) {
                const matches = route.match === undefined || route.match.length === 0 || route.match.some((m) => uriMatches(m, path));
                if (!matches) continue;
                const d = route.route?.[0]?.destination;
                return {
                    gateway: gwName,
                    virtualService: `${vs.metadata?.namespace}/${vs.metadata?.name}`,
                    destination: `${d?.host}:${d?.port?.number ?? ""}`,
                };
            }
        }
    }
    return undefined;
}

/** The Service port the load balancer's targets are bound through (TargetGroupBinding serviceRef), which the gateway server listens on. */
export function boundServicePort(plan: PlanFile): number | undefined {
    const binding = plan.resources.find((r) => r.type === "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding");
    const port = (binding?.inputs.spec as { serviceRef?: { port?: number } } | undefined)?.serviceRef?.port;
    return typeof port === "number" ? port : undefined;
}
