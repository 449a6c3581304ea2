import type { CapturedResource } from "../mock-engine";
import type { PlanFile } from "../plan-file";
import { resolveLoadProfile, type LoadProfile } from "../../../stacks/config-keys/load";
import { auroraCluster, auroraInstance } from "./database";
import { replicationGroup } from "./cache";
import { eksCluster, nodeGroup } from "./compute";
import { distribution, healthCheck, hostedZone, webAcl } from "./edge";
import { isUnpriced } from "./lines";
import { elasticIp, loadBalancer, natGateway, vpcEndpoint } from "./network";
import { optimised } from "./optimise";
import { loadPriceTable, PriceTable } from "./price-table";
import { openSearchDomain } from "./search";
import { compositeAlarm, dashboard, guardDuty, kmsKey, metricAlarm, recoveryCluster, secret, syntheticsCanary, trail } from "./security";
import { HOURS_PER_MONTH } from "./spec-targets";
import type { CostCategory, CostContext, CostFunction, CostLine, CostSection, CostTotals, DraftLine, UnpricedItem } from "./types";

export type { CostLine, CostSection, CostTotals, UnpricedItem } from "./types";

/** The cost function of every priced resource type, one file per service family. */
export const COST_FUNCTIONS: Readonly<Record<string, CostFunction>> = {
    "eks:index:Cluster": eksCluster,
    "aws:eks/nodeGroup:NodeGroup": nodeGroup,
    "aws:rds/clusterInstance:ClusterInstance": auroraInstance,
    "aws:rds/cluster:Cluster": auroraCluster,
    "aws:elasticache/replicationGroup:ReplicationGroup": replicationGroup,
    "aws:opensearch/domain:Domain": openSearchDomain,
    "aws:ec2/natGateway:NatGateway": natGateway,
    "aws:ec2/eip:Eip": elasticIp,
    "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
    "aws:cloudfront/distribution:Distribution": distribution,
    "aws:wafv2/webAcl:WebAcl": webAcl,
    "aws:route53/zone:Zone": hostedZone,
    "aws:route53/healthCheck:HealthCheck": healthCheck,
    "aws:kms/key:Key": kmsKey,
    "aws:secretsmanager/secret:Secret": secret,
    "aws:cloudwatch/metricAlarm:MetricAlarm": metricAlarm,
    "aws:synthetics/canary:Canary": syntheticsCanary,
    "aws:cloudwatch/dashboard:Dashboard": dashboard,
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": compositeAlarm,
    "aws:route53recoverycontrolconfig/cluster:Cluster": recoveryCluster,
    "aws:guardduty/detector:Detector": guardDuty,
    "aws:cloudtrail/trail:Trail": trail,
};

/** How the model treats a resource type: priced, free (with reason), unpriced (with reason), or unclassified. */
export type TypeClass = { kind: "priced" } | { kind: "free" | "unpriced"; reason: string } | { kind: "unclassified" };

function matches(pattern: string, type: string): boolean {
    return pattern.endsWith("*") ? type.startsWith(pattern.slice(0, -1)) : pattern === type;
}

export function classify(type: string, prices: PriceTable = loadPriceTable()): TypeClass {
    if (COST_FUNCTIONS[type]) return { kind: "priced" };
    for (const kind of ["free", "unpriced"] as const) {
        const hit = Object.entries(prices.types[kind]).find(([p]) => matches(p, type));
        if (hit) return { kind, reason: hit[1] };
    }
    return { kind: "unclassified" };
}

const CATEGORIES: readonly CostCategory[] = ["compute", "database", "cache", "network-cdn", "monitoring-security"];
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** Requests a month reaching this stack: all of them at the edge, its zone's share on a primary, none on a standby. */
export function stackRequests(load: LoadProfile, role: string, zone: string | undefined): { share: number; requestsPerMonth: number } {
    const share = role === "global" ? 1 : role === "primary" && zone ? (load.zoneShare[zone] ?? 0) : 0;
    return { share, requestsPerMonth: load.peakRps * load.averageToPeak * SECONDS_PER_MONTH * share };
}

const round = (n: number) => Math.round(n * 100) / 100;

/** A draft line with its optimised figure, without the fields only the optimiser reads. */
function finished(d: DraftLine, prices: PriceTable): CostLine {
    const out: CostLine = {
        resource: d.resource,
        type: d.type,
        item: d.item,
        kind: d.kind,
        category: d.category,
        quantity: d.quantity,
        unit: d.unit,
        unitPrice: d.unitPrice,
        onDemand: round(d.onDemand),
        optimised: round(optimised(d, prices.optimisation)),
        basis: d.basis,
    };
    if (d.steadyState) out.steadyState = d.steadyState;
    return out;
}

/** The plan's cost section: every resource priced, free or listed as unpriced. */
export function costOf(plan: PlanFile, all: ReadonlyMap<string, PlanFile> = new Map([[plan.stack, plan]]), prices: PriceTable = loadPriceTable()): CostSection {
    const role = String(plan.config["bookedbarber:role"] ?? "");
    const zone = plan.config["bookedbarber:zone"] as string | undefined;
    const region = String(plan.config["aws:region"] ?? "us-east-1");
    const load = resolveLoadProfile(plan.config["bookedbarber:loadProfile"] as Partial<LoadProfile> | undefined);
    const { share, requestsPerMonth } = stackRequests(load, role, zone);
    const byUrn = new Map<string, CapturedResource>(plan.resources.map((r) => [r.urn, r]));
    const ctx: CostContext = { plan, all, region, zone, role, prices, load, requestsPerMonth, byUrn };

    const lines: CostLine[] = [];
    const unpricedItems: UnpricedItem[] = [];
    for (const r of plan.resources) {
        const fn = COST_FUNCTIONS[r.type];
        if (fn) {
            for (const x of fn(r, ctx)) {
                if (isUnpriced(x)) unpricedItems.push(x);
                else lines.push(finished(x, prices));
            }
            continue;
        }
        const c = classify(r.type, prices);
        if (c.kind === "unpriced") unpricedItems.push({ resource: r.name, type: r.type, reason: c.reason });
        else if (c.kind === "unclassified")
            unpricedItems.push({ resource: r.name, type: r.type, reason: "type neither priced nor listed as free or unpriced in pricing/resource-types.json" });
    }
    const sum = (ls: CostLine[]): CostTotals => ({
        onDemand: round(ls.reduce((a, l) => a + l.onDemand, 0)),
        optimised: round(ls.reduce((a, l) => a + l.optimised, 0)),
    });
    const fixed = lines.filter((l) => l.kind === "fixed");
    const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, sum(fixed.filter((l) => l.category === c))])) as Record<CostCategory, CostTotals>;
    return {
        currency: "USD",
        hoursPerMonth: HOURS_PER_MONTH,
        load: { peakRps: load.peakRps, share, requestsPerMonth: Math.round(requestsPerMonth) },
        fixed: sum(fixed),
        perRequest: sum(lines.filter((l) => l.kind === "per-request")),
        byCategory,
        lines,
        unpriced: unpricedItems,
    };
}

/** Resource types of the plans that are neither priced nor listed as free or unpriced, with a stack that holds each. */
export function unclassifiedTypes(plans: Iterable<PlanFile>, prices: PriceTable = loadPriceTable()): { type: string; stack: string }[] {
    const found = new Map<string, string>();
    for (const p of plans) for (const r of p.resources) if (!found.has(r.type) && classify(r.type, prices).kind === "unclassified") found.set(r.type, p.stack);
    return [...found].map(([type, stack]) => ({ type, stack })).sort((a, b) => a.type.localeCompare(b.type));
}
