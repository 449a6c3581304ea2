import { expect } from "chai";
import { DEFAULT_LOAD_PROFILE, loadProfileProblems } from "../../../../stacks/config-keys/load";
import { ConfigError, parseStackConfig } from "../../../../stacks/config";
import { readStackConfig } from "../../../../stacks/stack-files";
import { classify, costOf, unclassifiedTypes } from "../../../../tools/offline/cost";
import { loadPriceTable, PriceTable, priceTableProblems } from "../../../../tools/offline/cost/price-table";
import { SPEC_CATEGORY_BUDGET } from "../../../../tools/offline/cost/spec-targets";
import { formatCostTable } from "../../../../tools/offline/cost/table";
import type { CapturedResource } from "../../../../tools/offline/mock-engine";
import { PlanFile, toPlanFile } from "../../../../tools/offline/plan-file";
import { allStacks } from "../../../support/fixtures";

const res = (type: string, name: string, inputs: Record<string, unknown>, parent: string | null = null): CapturedResource => ({
    urn: `urn:pulumi:t::bookedbarber::${type}::${name}`,
    type,
    name,
    parent,
    provider: null,
    custom: true,
    inputs,
    options: {} as CapturedResource["options"],
});

/** A small primary stack in us-east-1 whose bill is worked out by hand below. */
function smallPlan(extra: CapturedResource[] = []): PlanFile {
    const cluster = res("aws:rds/cluster:Cluster", "db-shard-0", {
        clusterIdentifier: "db-shard-0",
        storageType: "aurora-iopt1",
        globalClusterIdentifier: "g-0",
    });
    return {
        project: "bookedbarber",
        stack: "small",
        evaluation: "test",
        outputs: {},
        policies: { violations: [] },
        config: {
            "aws:region": "us-east-1",
            "bookedbarber:role": "primary",
            "bookedbarber:zone": "us",
            "bookedbarber:loadProfile": {
                ...DEFAULT_LOAD_PROFILE,
                peakRps: 100,
                averageToPeak: 0.5,
                zoneShare: { us: 1, eu: 0, apac: 0 },
                cacheableShare: 0,
                writeShare: 0.1,
                bytesPerWrite: 4096,
                egressBytesPerRequest: 0,
                databaseGb: 100,
            },
        },
        resources: [
            res("eks:index:Cluster", "eks", { name: "eks" }),
            res("aws:ec2/launchTemplate:LaunchTemplate", "general-lt", {
                blockDeviceMappings: [{ ebs: { volumeSize: 50, volumeType: "gp3" } }],
                tagSpecifications: [{ resourceType: "instance", tags: { "bookedbarber.com/node-group": "general" } }],
            }),
            res("aws:eks/nodeGroup:NodeGroup", "general", {
                instanceTypes: ["m6i.2xlarge"],
                capacityType: "ON_DEMAND",
                labels: { "bookedbarber.com/node-group": "general" },
                scalingConfig: { minSize: 2, desiredSize: 2, maxSize: 10 },
            }),
            cluster,
            res("aws:rds/clusterInstance:ClusterInstance", "db-shard-0-writer", { instanceClass: "db.r6g.large", engine: "aurora-postgresql" }, cluster.urn),
            res("aws:ec2/natGateway:NatGateway", "nat-a", { connectivityType: "public" }),
            res("aws:iam/role:Role", "role", {}),
            ...extra,
        ],
    };
}

describe("cost model", () => {
    let prices: PriceTable;
    let plans: Map<string, PlanFile>;
    before(async () => {
        prices = loadPriceTable();
        const runs = await allStacks();
        plans = new Map(Object.entries(runs).map(([s, r]) => [s, toPlanFile(r, { violations: [] })]));
        for (const p of plans.values()) p.cost = costOf(p, plans, prices);
    });

    it("prices a small plan as worked out by hand", () => {
        const c = costOf(smallPlan(), undefined, prices);
        // Fixed, 730 h a month, us-east-1 list prices (pricing/prices.json):
        //   EKS control plane        0.10 x 730                          =  73.00
        //   2 x m6i.2xlarge          2 x (0.096 x 4) x 730               = 560.64   (desiredSize 2)
        //   root volumes             2 x 50 GiB x 0.08                   =   8.00
        //   db.r6g.large I/O-Opt.    0.26 x 1.3 x 730                    = 246.74
        //   Aurora storage           100 GB x 1 (zone share) / 1 shard x 0.225 = 22.50
        //   NAT gateway              0.045 x 730                         =  32.85
        //                                                        total     943.73
        expect(c.fixed.onDemand).to.be.closeTo(943.73, 0.011);
        // Per request: 100 rps x 0.5 x 2,628,000 s = 131,400,000 requests; 10% writes = 13,140,000 writes of one 4 KiB page.
        //   replicated write I/Os    13.14 M x 0.20 (one secondary)      =   2.628
        //   replicated bytes         13,140,000 x 4096 B / 2^30 = 50.125 GB x 0.02 = 1.0025
        //   (I/O-Optimized: no I/O charge; NAT egress 0 bytes)
        expect(c.perRequest.onDemand).to.be.closeTo(3.63, 0.011);
        // Optimised: Aurora reserved 40% (246.74 x 0.6 = 148.04); the node group at min = desired has nothing to
        // scale down off-peak and 70% of it under a 40% Savings Plan (560.64 x 0.72 = 403.66); the rest at list price.
        //   73 + 403.66 + 8 + 148.04 + 22.5 + 32.85 = 688.05
        expect(c.fixed.optimised).to.be.closeTo(688.05, 0.011);
        expect(c.lines.find((l) => l.resource === "general" && l.unit.startsWith("instance-hour"))!.steadyState).to.match(/^desiredSize 2/);
    });

    it("prices Aurora Standard storage with its I/O per request, and I/O-Optimized without", () => {
        const plan = smallPlan();
        const cluster = plan.resources.find((r) => r.type === "aws:rds/cluster:Cluster")!;
        cluster.inputs.storageType = "aurora";
        const c = costOf(plan, undefined, prices);
        // Standard: db.r6g.large 0.26 x 730 = 189.80; storage 100 GB x 0.10 = 10.00; the rest as in the hand-worked plan:
        //   73 + 560.64 + 8 + 189.80 + 10 + 32.85 = 874.29
        expect(c.fixed.onDemand).to.be.closeTo(874.29, 0.011);
        // Per request: 13.14 M write I/Os x 0.20 = 2.628 on top of the replication's 3.6305.
        expect(c.perRequest.onDemand).to.be.closeTo(6.26, 0.011);
        expect(c.lines.find((l) => l.item.startsWith("write I/Os"))!.kind).to.equal("per-request");
    });

    it("scales the nodes above minSize down off-peak, discounts spot at the spot rate, and reprices x86 when Graviton is on", () => {
        const ng = (over: Record<string, unknown>) =>
            costOf(
                {
                    ...smallPlan(),
                    resources: [
                        res("aws:eks/nodeGroup:NodeGroup", "g", {
                            instanceTypes: ["m6i.2xlarge"],
                            scalingConfig: { minSize: 2, desiredSize: 10, maxSize: 20 },
                            ...over,
                        }),
                    ],
                },
                undefined,
                prices,
            ).lines.find((l) => l.unit.startsWith("instance-hour"))!;
        const od = ng({ capacityType: "ON_DEMAND" });
        expect(od.onDemand).to.be.closeTo(10 * 0.384 * 730, 0.01);
        // Off-peak (half the month) the group runs at max(2/10, 1 - 0.4) = 60%: 0.5 + 0.5 x 0.6 = 0.8 of the month; then the Savings Plan 0.72.
        expect(od.optimised).to.be.closeTo(od.onDemand * 0.8 * 0.72, 0.01);
        const spot = ng({ capacityType: "SPOT" });
        expect(spot.item).to.contain("(spot)");
        expect(spot.optimised).to.be.closeTo(spot.onDemand * 0.8 * 0.3, 0.01);
        const graviton = new PriceTable(
            prices.prices,
            prices.uplifts,
            { ...prices.optimisation, graviton: { ...prices.optimisation.graviton, enabled: true } },
            prices.types,
        );
        const g = costOf(
            {
                ...smallPlan(),
                resources: [res("aws:eks/nodeGroup:NodeGroup", "g", { instanceTypes: ["m6i.2xlarge"], scalingConfig: { minSize: 10, desiredSize: 10 } })],
            },
            undefined,
            graviton,
        ).lines[0];
        expect(g.optimised).to.be.closeTo(g.onDemand * 0.802 * 0.72, 0.01);
    });

    it("prices a node group at its first instance type: the memory group's spot diversification (r7g, then r8g) needs no r8g price", () => {
        const c = costOf(
            smallPlan([
                res("aws:eks/nodeGroup:NodeGroup", "memory", {
                    instanceTypes: ["r7g.2xlarge", "r8g.2xlarge"],
                    capacityType: "SPOT",
                    scalingConfig: { minSize: 1, desiredSize: 1 },
                }),
            ]),
            undefined,
            prices,
        );
        expect(c.unpriced.map((u) => u.resource)).to.not.include("memory");
        expect(c.lines.find((l) => l.resource === "memory" && /r7g\.2xlarge \(spot\)/.test(l.item))!.unitPrice).to.be.closeTo(0.1071 * 4, 1e-9);
        // Every node group of every planned stack is priced.
        for (const p of plans.values())
            expect(
                p.cost!.unpriced.filter((u) => /memory|general|compute/.test(u.resource)),
                p.stack,
            ).to.deep.equal([]);
    });

    it("reports a type or SKU without a price as unpriced, never as $0", () => {
        const c = costOf(
            smallPlan([
                res("aws:s3/bucket:Bucket", "logs", {}),
                res("aws:rds/clusterInstance:ClusterInstance", "odd", { instanceClass: "db.x2g.large", engine: "aurora-postgresql" }),
                res("aws:somewhere/new:Thing", "new", {}),
            ]),
            undefined,
            prices,
        );
        expect(c.fixed.onDemand, "the unpriced items add nothing, and nothing else changes").to.be.closeTo(943.73, 0.011);
        expect(c.lines.map((l) => l.resource)).to.not.include.members(["logs", "odd", "new"]);
        expect(c.unpriced.map((u) => u.resource)).to.include.members(["logs", "odd", "new"]);
        expect(c.unpriced.find((u) => u.resource === "odd")!.reason).to.contain("db.x2g.large");
        expect(c.unpriced.find((u) => u.resource === "new")!.reason).to.contain("neither priced nor listed");
        // A real plan: the only $0 lines are prices that are $0 in the table (the trail's free first copy).
        for (const p of plans.values()) {
            for (const l of p.cost!.lines.filter((x) => x.onDemand === 0 && x.quantity > 0))
                expect(l.unitPrice, `${p.stack} ${l.resource} ${l.item}`).to.equal(0);
        }
    });

    it("knows every resource type of every plan: priced, free with a reason, or unpriced with a reason", () => {
        expect(unclassifiedTypes(plans.values(), prices)).to.deep.equal([]);
        expect(classify("aws:rds/cluster:Cluster", prices).kind).to.equal("priced");
        expect(classify("kubernetes:apps/v1:Deployment", prices)).to.deep.include({ kind: "free" });
        expect(classify("aws:s3/bucket:Bucket", prices)).to.deep.include({ kind: "unpriced" });
        // The check fails on a plan with a type nobody classified.
        const mutated = { ...plans.get("us-east-1")!, resources: [...plans.get("us-east-1")!.resources, res("aws:memorydb/cluster:Cluster", "x", {})] };
        expect(unclassifiedTypes([mutated], prices)).to.deep.equal([{ type: "aws:memorydb/cluster:Cluster", stack: "us-east-1" }]);
    });

    it("gives every price and assumption an AWS source, a retrieval date and a basis", () => {
        expect(priceTableProblems(prices)).to.deep.equal([]);
        const broken = new PriceTable(
            {
                ...prices.prices,
                "ec2.m6i": { ...prices.prices["ec2.m6i"], source: "https://example.com/prices", retrieved: "2999-01-01" },
                "x.y": { unit: "hour", usd: { "eu-west-1": -1 }, source: "https://aws.amazon.com/x/", retrieved: "2026-01-01", basis: "a made-up entry" },
            },
            prices.uplifts,
            prices.optimisation,
            { ...prices.types, free: { ...prices.types.free, "aws:x/y:Z": "" } },
        );
        const problems = priceTableProblems(broken);
        expect(problems).to.include('prices.ec2.m6i: source must be an AWS pricing page or Price List API URL (got "https://example.com/prices")');
        expect(problems).to.include('prices.ec2.m6i: retrieved must be a past date YYYY-MM-DD (got "2999-01-01")');
        expect(problems).to.include("prices.x.y.usd.eu-west-1: must be a number >= 0 (got -1)");
        expect(problems).to.include("prices.x.y: needs a us-east-1 figure, the base of regional uplifts");
        expect(problems).to.include("resource-types.free.aws:x/y:Z: needs a reason");
    });

    it("takes a region's own price, or the us-east-1 price with the regional uplift it names", () => {
        expect(prices.get("vpc.nat-hour", "ap-northeast-1")!.usd).to.equal(0.062);
        const uplifted = prices.get("rds.aurora-postgresql.r6g", "eu-central-1")!;
        expect(uplifted.usd).to.be.closeTo(0.26 * 1.198, 1e-9);
        expect(uplifted.basis).to.contain("regional uplift assumed");
        expect(prices.get("no.such.price", "us-east-1")).to.equal(undefined);
    });

    it("puts per-request costs (edge, replication, NAT, load balancer units) apart from fixed infrastructure, from the load profile", () => {
        const global = plans.get("global")!.cost!;
        expect(global.load.requestsPerMonth).to.equal(100_000 * 0.5 * 730 * 3600);
        const waf = global.lines.find((l) => l.item === "requests inspected")!;
        expect(waf.kind).to.equal("per-request");
        expect(waf.onDemand).to.be.closeTo((global.load.requestsPerMonth / 1e6) * 0.6, 0.01);
        expect(global.lines.filter((l) => l.type === "aws:cloudfront/distribution:Distribution").every((l) => l.kind === "per-request")).to.equal(true);
        // Origin Shield in us-east-1 for the us zone's cache misses that are not writes: 50% x (1 - 0.3) x (1 - 0.1), 0.0075 per 10,000.
        const shield = global.lines.find((l) => l.item === "Origin Shield requests in us-east-1, us viewers")!;
        expect(shield.onDemand).to.be.closeTo(((global.load.requestsPerMonth * 0.5 * 0.7 * 0.9) / 1e4) * 0.0075, 0.01);
        // A standby serves nothing until failover: no per-request lines of its own.
        expect(plans.get("us-west-2")!.cost!.perRequest.onDemand).to.equal(0);
        expect(plans.get("us-east-1")!.cost!.perRequest.onDemand).to.be.greaterThan(0);
    });

    it("scales per-request lines with the load profile and leaves fixed infrastructure alone", () => {
        const us = plans.get("us-east-1")!;
        const doubled = { ...us, config: { ...us.config, "bookedbarber:loadProfile": { ...DEFAULT_LOAD_PROFILE, peakRps: 200_000 } } };
        const base = us.cost!;
        const twice = costOf(doubled, plans, prices);
        expect(twice.fixed).to.deep.equal(base.fixed);
        expect(twice.perRequest.onDemand).to.be.closeTo(2 * base.perRequest.onDemand, 0.1);
        // Everything CloudFront serves from cache never reaches the region: its NLB and NAT lines shrink with cacheableShare.
        const cached = costOf(
            { ...us, config: { ...us.config, "bookedbarber:loadProfile": { ...DEFAULT_LOAD_PROFILE, cacheableShare: 0.65 } } },
            plans,
            prices,
        );
        const nlb = (c: typeof base) => c.lines.find((l) => l.type === "aws:lb/loadBalancer:LoadBalancer" && l.kind === "per-request")!.onDemand;
        expect(nlb(cached)).to.be.closeTo(nlb(base) / 2, 0.02);
    });

    it("prices a standby's cache from its Global Datastore primary's node type and shards", () => {
        const line = plans.get("us-west-2")!.cost!.lines.find((l) => l.type === "aws:elasticache/replicationGroup:ReplicationGroup")!;
        expect(line.item).to.match(/^6 x cache\.r6g\.large valkey \(3 shards x 2\), inherited from bb-use1-redis/);
    });

    it("keeps the right-sized data tier, network and observability within the spec's non-compute categories at the default config", () => {
        const fixed = [...plans.values()].reduce((a, p) => a + p.cost!.fixed.onDemand - p.cost!.byCategory.compute.onDemand, 0);
        const spec =
            SPEC_CATEGORY_BUDGET.database + SPEC_CATEGORY_BUDGET.cache + SPEC_CATEGORY_BUDGET["network-cdn"] + SPEC_CATEGORY_BUDGET["monitoring-security"];
        expect(fixed, "docs/cost-model.md: what the defaults leave for compute").to.be.at.most(spec);
        const db = [...plans.values()].reduce((a, p) => a + p.cost!.byCategory.database.onDemand, 0);
        expect(db).to.be.at.most(SPEC_CATEGORY_BUDGET.database);
    });

    it("prints the table with the spec's figures, names the categories over the spec's breakdown, and shows capacity and RTO when the plans carry them", () => {
        const all = [...plans.values()];
        const table = formatCostTable(all).join("\n");
        const fixed = all.reduce((a, p) => a + p.cost!.fixed.onDemand, 0);
        expect(table).to.match(/spec budget\s+\$100,000\s+\$57,000/);
        expect(table).to.contain(
            `fixed infrastructure: $${Math.round(fixed).toLocaleString("en-US")} on demand (${fixed <= 100_000 ? "within" : "OVER"} $100,000`,
        );
        expect(table).to.match(/monitoring-security \$[\d,]+\/\$5,000/);
        expect(table).to.match(/us-east-1(\s+\S+){4}\s+-\s+-/);
        // The capacity and recovery-time models' sections, when present, fill the last two columns.
        // Only the fields the table reads; the models' full sections carry more.
        const us = {
            ...plans.get("us-east-1")!,
            capacity: { met: false, limiting: "general nodes" },
            recovery: { rtoSeconds: 270, met: true },
        } as unknown as PlanFile;
        const eu = { ...plans.get("eu-west-1")!, capacity: { met: true }, recovery: { rtoSeconds: 330, met: false } } as unknown as PlanFile;
        const withModels = formatCostTable([us, eu], [...plans.keys()]).join("\n");
        expect(withModels).to.contain(
            `partial: 2 of ${plans.size} stacks planned (missing ${[...plans.keys()]
                .filter((s) => s !== "us-east-1" && s !== "eu-west-1")
                .sort()
                .join(", ")})`,
        );
        expect(table, "all stacks planned: no partial note").to.not.contain("partial:");
        expect(withModels).to.match(/us-east-1 .*NOT met \(general nodes\)\s+4m30s$/m);
        expect(withModels).to.match(/eu-west-1 .*met\s+5m30s NOT met$/m);
    });

    it("validates the load profile, naming each bad field", () => {
        expect(loadProfileProblems(DEFAULT_LOAD_PROFILE)).to.deep.equal([]);
        const problems = loadProfileProblems({
            peakRps: 0,
            zoneShare: { us: 0.7, eu: 0.25, apac: 0.25 },
            averageToPeak: 1.5,
            cacheableShare: 1,
            bytesPerResponse: 0,
            colour: "red",
        } as never);
        expect(problems).to.include(".peakRps: must be an integer from 1 to 10,000,000 (got 0)");
        expect(problems).to.include(".zoneShare: the shares must add up to 1 (got 1.2)");
        expect(problems).to.include(".averageToPeak: must be above 0 and at most 1 (got 1.5)");
        expect(problems).to.include(".cacheableShare: must be from 0 to below 1 (got 1)");
        expect(problems).to.include(".bytesPerResponse: must be an integer number of bytes from 1 to 104,857,600 (got 0)");
        expect(problems).to.include(
            ".colour: unknown field; allowed: peakRps, zoneShare, averageToPeak, cacheableShare, writeShare, bytesPerResponse, bytesPerWrite, egressBytesPerRequest, databaseGb, concurrentUsers",
        );
        // Through the stack config, before any resource: the key and field are named.
        const raw = { ...readStackConfig("us-east-1"), "bookedbarber:loadProfile": JSON.stringify({ peakRps: -5 }) };
        expect(() => parseStackConfig(raw, "us-east-1")).to.throw(
            ConfigError,
            "bookedbarber:loadProfile.peakRps must be an integer from 1 to 10,000,000 (got -5)",
        );
    });
});
