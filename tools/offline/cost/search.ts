import { familyAndSize, hourly, line, num, unpriced } from "./lines";
import { sizeFactor } from "./price-table";
import type { CostFunction, DraftLine, UnpricedItem } from "./types";
import { ULTRAWARM_STORAGE_GIB } from "../../../components/observability/opensearch-sizing";

/** An OpenSearch domain: data nodes, dedicated masters, UltraWarm nodes and EBS per data node. */
export const openSearchDomain: CostFunction = (r, ctx) => {
    const c = (r.inputs.clusterConfig ?? {}) as Record<string, unknown>;
    const out: (DraftLine | UnpricedItem)[] = [];
    const nodes = (type: unknown, count: number, what: string) => {
        if (count <= 0) return;
        const fs = familyAndSize(String(type ?? ""));
        const factor = fs && sizeFactor(fs.size);
        const price = fs && factor ? ctx.prices.get(`opensearch.${fs.family}`, ctx.region) : undefined;
        if (!price || !factor) return out.push(unpriced(r, `no OpenSearch price for ${JSON.stringify(type)} in ${ctx.region} (pricing/prices.json)`));
        return out.push(
            hourly(r, count, {
                item: `${count} x ${type} ${what}`,
                kind: "fixed",
                category: "monitoring-security",
                optimisation: "reserved",
                price: { ...price, usd: price.usd * factor, unit: "instance-hour" },
            }),
        );
    };
    const count = num(c.instanceCount, 1);
    nodes(c.instanceType, count, "data nodes");
    if (c.dedicatedMasterEnabled) nodes(c.dedicatedMasterType, num(c.dedicatedMasterCount), "dedicated masters");
    if (c.warmEnabled) {
        const warm = ctx.prices.get("opensearch.ultrawarm-medium", ctx.region);
        const storage = ctx.prices.get("opensearch.managed-storage", ctx.region);
        const perNode = ULTRAWARM_STORAGE_GIB[String(c.warmType)];
        if (c.warmType === "ultrawarm1.medium.search" && warm && storage && perNode) {
            const n = num(c.warmCount);
            out.push(
                hourly(r, n, {
                    item: `${n} x ultrawarm1.medium.search`,
                    kind: "fixed",
                    category: "monitoring-security",
                    optimisation: "reserved",
                    price: warm,
                }),
            );
            // The domain's inputs do not say how full the warm tier runs, so its whole addressable storage is priced (an upper bound).
            out.push(
                line(r, {
                    item: `UltraWarm managed storage, ${n} x ${perNode} GiB addressable (upper bound)`,
                    kind: "fixed",
                    category: "monitoring-security",
                    quantity: n * perNode,
                    unit: "GB-months",
                    price: storage,
                }),
            );
        } else out.push(unpriced(r, `no UltraWarm price for ${JSON.stringify(c.warmType)}`));
    }
    const ebs = (r.inputs.ebsOptions ?? {}) as Record<string, unknown>;
    if (ebs.ebsEnabled) {
        const gp3 = ctx.prices.get("opensearch.gp3", ctx.region);
        if (ebs.volumeType === "gp3" && gp3) {
            out.push(
                line(r, {
                    item: `${count} x ${num(ebs.volumeSize)} GiB gp3`,
                    kind: "fixed",
                    category: "monitoring-security",
                    quantity: count * num(ebs.volumeSize),
                    unit: "GB-months",
                    price: gp3,
                }),
            );
        } else out.push(unpriced(r, `no OpenSearch price for ${JSON.stringify(ebs.volumeType)} volumes`));
    }
    return out;
};
