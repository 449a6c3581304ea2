import { GB, line, num, unpriced } from "./lines";
import type { CostFunction, DraftLine, UnpricedItem } from "./types";
import { ZONES } from "../../../stacks/config-keys/load";

/**
 * A CloudFront distribution: HTTPS requests and data transfer out per viewer
 * geography (a zone's viewers are billed at its geography's price), and one
 * CloudFront Function invocation per request when its behaviours run one.
 */
export const distribution: CostFunction = (r, ctx) => {
    const out: (DraftLine | UnpricedItem)[] = [];
    for (const zone of ZONES) {
        const requests = ctx.requestsPerMonth * (ctx.load.zoneShare[zone] ?? 0);
        if (requests <= 0) continue;
        const reqPrice = ctx.prices.byGeography("cloudfront.https-requests", zone);
        if (reqPrice)
            out.push(
                line(r, {
                    item: `HTTPS requests, ${zone} viewers`,
                    kind: "per-request",
                    category: "network-cdn",
                    quantity: requests / 1e4,
                    unit: "10,000 requests",
                    price: reqPrice,
                }),
            );
        else out.push(unpriced(r, `no CloudFront request price for ${zone} viewers`));
        const gb = (requests * ctx.load.bytesPerResponse) / GB;
        const transfer = ctx.prices.tiered("cloudfront.transfer-out", zone, gb);
        if (transfer)
            out.push(
                line(r, {
                    item: `data transfer out, ${zone} viewers (${Math.round(gb)} GB)`,
                    kind: "per-request",
                    category: "network-cdn",
                    quantity: gb,
                    unit: "GB",
                    price: { usd: gb > 0 ? transfer.usd / gb : 0, unit: "GB", basis: transfer.basis },
                }),
            );
        else out.push(unpriced(r, `no CloudFront transfer price for ${zone} viewers`));
    }
    // Origin Shield bills the cacheable requests the edge misses, at the price of the zone's primary origin's shield region.
    const origins = (r.inputs.origins as { originId?: string; originShield?: { enabled?: boolean; originShieldRegion?: string } }[] | undefined) ?? [];
    for (const zone of ZONES) {
        const shield = origins.find((o) => o.originId === `${zone}-primary`)?.originShield;
        if (!shield?.enabled || !shield.originShieldRegion) continue;
        const requests = ctx.requestsPerMonth * (ctx.load.zoneShare[zone] ?? 0) * (1 - ctx.load.cacheableShare) * (1 - ctx.load.writeShare);
        if (requests <= 0) continue;
        const price = ctx.prices.get("cloudfront.origin-shield-requests", shield.originShieldRegion);
        if (price)
            out.push(
                line(r, {
                    item: `Origin Shield requests in ${shield.originShieldRegion}, ${zone} viewers`,
                    kind: "per-request",
                    category: "network-cdn",
                    quantity: requests / 1e4,
                    unit: "10,000 requests",
                    price,
                }),
            );
        else out.push(unpriced(r, `no Origin Shield price for ${shield.originShieldRegion}`));
    }
    const behaviours = [r.inputs.defaultCacheBehavior, ...((r.inputs.orderedCacheBehaviors as unknown[] | undefined) ?? [])] as {
        functionAssociations?: { eventType: string }[];
    }[];
    const withFunction = behaviours.filter((b) => (b?.functionAssociations ?? []).some((f) => f.eventType === "viewer-request")).length;
    // Each request matches one behaviour; with a function on every behaviour every request invokes one.
    const share = behaviours.length ? withFunction / behaviours.length : 0;
    const fn = ctx.prices.get("cloudfront.function-invocations", ctx.region);
    if (share > 0 && ctx.requestsPerMonth > 0) {
        if (fn)
            out.push(
                line(r, {
                    item: `CloudFront Function invocations (${withFunction} of ${behaviours.length} behaviours)`,
                    kind: "per-request",
                    category: "network-cdn",
                    quantity: (ctx.requestsPerMonth * share) / 1e6,
                    unit: "million invocations",
                    price: fn,
                }),
            );
        else out.push(unpriced(r, "no CloudFront Functions price"));
    }
    return out;
};

/** A WAF web ACL: the ACL and its rules by the month, and every request it inspects. */
export const webAcl: CostFunction = (r, ctx) => {
    const out: (DraftLine | UnpricedItem)[] = [];
    const acl = ctx.prices.get("waf.web-acl", ctx.region);
    const rule = ctx.prices.get("waf.rule", ctx.region);
    const req = ctx.prices.get("waf.requests", ctx.region);
    const rules = ((r.inputs.rules as unknown[] | undefined) ?? []).length;
    if (!acl || !rule || !req) return [unpriced(r, "no WAF price in pricing/prices.json")];
    out.push(line(r, { item: "web ACL", kind: "fixed", category: "monitoring-security", quantity: 1, unit: "ACL-months", price: acl }));
    out.push(
        line(r, {
            item: `${rules} rules and managed rule groups`,
            kind: "fixed",
            category: "monitoring-security",
            quantity: rules,
            unit: "rule-months",
            price: rule,
        }),
    );
    // A CLOUDFRONT-scope ACL inspects every viewer request, cached or not.
    if (ctx.requestsPerMonth > 0)
        out.push(
            line(r, {
                item: "requests inspected",
                kind: "per-request",
                category: "monitoring-security",
                quantity: ctx.requestsPerMonth / 1e6,
                unit: "million requests",
                price: req,
            }),
        );
    return out;
};

export const hostedZone: CostFunction = (r, ctx) => {
    const price = ctx.prices.get("route53.hosted-zone", ctx.region);
    return price
        ? [
              line(r, {
                  item: "hosted zone (alias queries to CloudFront are free)",
                  kind: "fixed",
                  category: "network-cdn",
                  quantity: 1,
                  unit: "zone-months",
                  price,
              }),
          ]
        : [unpriced(r, "no hosted zone price")];
};

/** A Route 53 health check: the check, plus each optional feature it uses (HTTPS, string match, 10 s interval, latency). */
export const healthCheck: CostFunction = (r, ctx) => {
    const base = ctx.prices.get("route53.health-check", ctx.region);
    const feature = ctx.prices.get("route53.health-check-feature", ctx.region);
    if (!base || !feature) return [unpriced(r, "no health check price")];
    const t = String(r.inputs.type ?? "");
    const features = [
        t.startsWith("HTTPS") && "HTTPS",
        t.endsWith("STR_MATCH") && "string matching",
        num(r.inputs.requestInterval, 30) === 10 && "fast interval",
        r.inputs.measureLatency === true && "latency measurement",
    ].filter((f): f is string => Boolean(f));
    const out = [line(r, { item: `${t} health check`, kind: "fixed", category: "network-cdn", quantity: 1, unit: "check-months", price: base })];
    if (features.length)
        out.push(
            line(r, {
                item: `optional features: ${features.join(", ")}`,
                kind: "fixed",
                category: "network-cdn",
                quantity: features.length,
                unit: "feature-months",
                price: feature,
            }),
        );
    return out;
};
