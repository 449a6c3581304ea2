import { HOURS_PER_MONTH } from "./spec-targets";
import { nodeVcpus } from "./compute";
import { hourly, line, num, ofType, unpriced } from "./lines";
import type { CostFunction, DraftLine, UnpricedItem } from "./types";

export const kmsKey: CostFunction = (r, ctx) => {
    const price = ctx.prices.get("kms.key", ctx.region);
    return price
        ? [
              line(r, {
                  item: "customer managed key (requests not modelled: envelope encryption caches data keys)",
                  kind: "fixed",
                  category: "monitoring-security",
                  quantity: 1,
                  unit: "key-months",
                  price,
              }),
          ]
        : [unpriced(r, "no KMS price")];
};

export const secret: CostFunction = (r, ctx) => {
    const price = ctx.prices.get("secretsmanager.secret", ctx.region);
    const replicas = ((r.inputs.replicas as unknown[] | undefined) ?? []).length;
    return price
        ? [
              line(r, {
                  item: `secret${replicas ? ` and ${replicas} replica${replicas > 1 ? "s" : ""}` : ""}`,
                  kind: "fixed",
                  category: "monitoring-security",
                  quantity: 1 + replicas,
                  unit: "secret-months",
                  price,
              }),
          ]
        : [unpriced(r, "no Secrets Manager price")];
};

/** A metric alarm: one charge per metric it evaluates; high resolution under a 60 s period. */
export const metricAlarm: CostFunction = (r, ctx) => {
    const queries = (r.inputs.metricQueries as { metric?: unknown; returnData?: boolean; period?: unknown }[] | undefined) ?? [];
    const metrics = queries.length ? Math.max(1, queries.filter((q) => q.metric).length) : 1;
    const periods = [num(r.inputs.period, 60), ...queries.map((q) => num((q.metric as { period?: unknown } | undefined)?.period, 60))];
    const high = Math.min(...periods) < 60;
    const price = ctx.prices.get(high ? "cloudwatch.alarm-high-resolution" : "cloudwatch.alarm", ctx.region);
    return price
        ? [
              line(r, {
                  item: `${high ? "high-resolution " : ""}alarm on ${metrics} metric${metrics > 1 ? "s" : ""}`,
                  kind: "fixed",
                  category: "monitoring-security",
                  quantity: metrics,
                  unit: "alarm metric-months",
                  price,
              }),
          ]
        : [unpriced(r, `no CloudWatch alarm price in ${ctx.region}`)];
};

/** A Synthetics canary: per run, at the rate its schedule gives (`rate(N minute[s]|hour[s])`). */
export const syntheticsCanary: CostFunction = (r, ctx) => {
    const expression = String((r.inputs.schedule as { expression?: unknown } | undefined)?.expression ?? "");
    const m = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(expression);
    if (!m) return [unpriced(r, `schedule ${JSON.stringify(expression)} is not a rate the model counts runs for`)];
    const minutes = Number(m[1]) * (m[2].startsWith("hour") ? 60 : 1);
    const price = ctx.prices.get("cloudwatch.synthetics-canary-run", ctx.region);
    return price
        ? [
              line(r, {
                  item: `canary runs every ${minutes} min`,
                  kind: "fixed",
                  category: "monitoring-security",
                  quantity: (HOURS_PER_MONTH * 60) / minutes,
                  unit: "runs",
                  price,
              }),
          ]
        : [unpriced(r, `no Synthetics price in ${ctx.region}`)];
};

export const dashboard: CostFunction = (r, ctx) => {
    const price = ctx.prices.get("cloudwatch.dashboard", ctx.region);
    return price
        ? [line(r, { item: "dashboard", kind: "fixed", category: "monitoring-security", quantity: 1, unit: "dashboard-months", price })]
        : [unpriced(r, "no dashboard price")];
};

/**
 * GuardDuty: Runtime Monitoring is priced per vCPU of the node groups at their
 * steady state; the other enabled features bill by event and log volumes the
 * load profile does not give, so they are listed as unpriced.
 */
export const guardDuty: CostFunction = (r, ctx) => {
    if (r.inputs.enable === false) return [];
    const out: (DraftLine | UnpricedItem)[] = [
        unpriced(r, "foundational threat detection bills per CloudTrail event and GB of VPC flow and DNS logs; volumes not modelled"),
    ];
    const features = ofType(ctx, "aws:guardduty/detectorFeature:DetectorFeature").filter((f) => f.inputs.status === "ENABLED");
    for (const f of features) {
        const name = String(f.inputs.name);
        if (name === "RUNTIME_MONITORING" || name === "EKS_RUNTIME_MONITORING") {
            const vcpus = nodeVcpus(ctx);
            const price = ctx.prices.get("guardduty.runtime-vcpu", ctx.region);
            if (price)
                out.push(
                    line(r, {
                        item: `Runtime Monitoring of ${vcpus} node vCPUs`,
                        kind: "fixed",
                        category: "monitoring-security",
                        quantity: vcpus,
                        unit: "vCPU-months",
                        price,
                    }),
                );
            else out.push(unpriced(r, "no GuardDuty Runtime Monitoring price"));
        } else out.push(unpriced(r, `${name} bills by event or data volume; not modelled`));
    }
    return out;
};

/** CloudTrail: the first copy of management events is free; Insights and data events bill by volume. */
export const trail: CostFunction = (r, ctx) => {
    const out: (DraftLine | UnpricedItem)[] = [];
    const free = ctx.prices.get("cloudtrail.management-first-copy", ctx.region);
    if (free)
        out.push(
            line(r, { item: "management events, first copy", kind: "fixed", category: "monitoring-security", quantity: 1, unit: "trail-months", price: free }),
        );
    if (((r.inputs.insightSelectors as unknown[] | undefined) ?? []).length)
        out.push(unpriced(r, "CloudTrail Insights bills per 100,000 events analysed; event volume not modelled"));
    const selectors = [
        ...((r.inputs.eventSelectors as { dataResources?: unknown[] }[] | undefined) ?? []),
        ...((r.inputs.advancedEventSelectors as unknown[] | undefined) ?? []),
    ];
    if (selectors.some((s) => (s as { dataResources?: unknown[] }).dataResources?.length || !("dataResources" in (s as object))))
        out.push(unpriced(r, "data events bill per 100,000 events; volume not modelled"));
    return out;
};

export const compositeAlarm: CostFunction = (r, ctx) => {
    const price = ctx.prices.get("cloudwatch.composite-alarm", ctx.region);
    return price
        ? [line(r, { item: "composite alarm", kind: "fixed", category: "monitoring-security", quantity: 1, unit: "alarm-months", price })]
        : [unpriced(r, "no composite alarm price")];
};

/** A Route 53 ARC routing-control cluster: billed by the hour whether or not a failover runs. */
export const recoveryCluster: CostFunction = (r, ctx) => {
    const price = ctx.prices.get("arc.cluster", ctx.region);
    return price
        ? [hourly(r, 1, { item: "ARC routing control cluster", kind: "fixed", category: "network-cdn", price })]
        : [unpriced(r, "no ARC cluster price")];
};
