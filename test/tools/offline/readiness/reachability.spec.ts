import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import {
    CLOUDFRONT_ORIGIN_PREFIX_LIST,
    PREFIX_LIST_WEIGHT,
    route53HealthCheckersPrefixList,
    SG_INBOUND_RULES_QUOTA,
} from "../../../../components/regional-cluster/ingress";
import { PlanFile, toPlanFile } from "../../../../tools/offline/plan-file";
import { reachability } from "../../../../tools/offline/readiness/reachability";
import { allStacks, REGIONAL_STACKS } from "../../../support/fixtures";

const FACTS = JSON.parse(
    readFileSync(join(__dirname, "..", "..", "..", "..", "..", "test", "upstream", "route53-health-checks", "published-facts.json"), "utf8"),
);

/** A deep copy of every plan, so a mutation stays inside one test. */
function copy(plans: Map<string, PlanFile>): Map<string, PlanFile> {
    return new Map([...plans].map(([k, v]) => [k, JSON.parse(JSON.stringify(v)) as PlanFile]));
}
const problems = (plan: PlanFile, all: Map<string, PlanFile>) => reachability(plan, all).items.filter((i) => i.problem);

describe("readiness: health checks and listeners (client -> listener reachability)", () => {
    let plans: Map<string, PlanFile>;
    before(async () => {
        const runs = await allStacks();
        plans = new Map(Object.entries(runs).map(([s, r]) => [s, toPlanFile(r, { violations: [] })]));
    });

    it("finds every published client of every regional ingress admitted, and no problem, on the default config", () => {
        for (const [stack, plan] of plans) {
            expect(problems(plan, plans), stack).to.deep.equal([]);
        }
        for (const stack of REGIONAL_STACKS) {
            const subjects = reachability(plans.get(stack)!, plans).items.map((i) => i.subject);
            expect(
                subjects.some((s) => s.startsWith("CloudFront origin fetches ->")),
                stack,
            ).to.equal(true);
            expect(
                subjects.some((s) => s.startsWith("Route 53 health checkers ->")),
                stack,
            ).to.equal(true);
            expect(
                subjects.some((s) => /target-group health checks .* -> targets :15021/.test(s)),
                stack,
            ).to.equal(true);
        }
    });

    it("ties each regional endpoint health check of the global plan to the listener it reaches", () => {
        const items = reachability(plans.get("global")!, plans).items.filter((i) => i.subject.startsWith("Route 53 HTTPS"));
        expect(items).to.have.length(REGIONAL_STACKS.length);
        for (const stack of REGIONAL_STACKS) {
            const item = items.find((i) => i.subject.includes(`${stack}.api.`));
            expect(item?.detail, stack).to.match(
                new RegExp(
                    `reaches \\S+ \\(${stack}\\) :443/TLS -> gateway :8443 -> bookedbarber/bookedbarber-backend -> bookedbarber-backend\\.bookedbarber\\.svc\\.cluster\\.local:8000`,
                ),
            );
        }
    });

    it("reports both sides when the rule that admits the Route 53 health checkers is removed", () => {
        const all = copy(plans);
        const use1 = all.get("us-east-1")!;
        use1.resources = use1.resources.filter((r) => !r.name.endsWith("-lb-from-health-checkers"));
        expect(problems(use1, all).map((p) => p.subject)).to.deep.equal(["Route 53 health checkers -> bb-use1-ingress :443/TLS"]);
        const global = problems(all.get("global")!, all);
        expect(global).to.have.length(1);
        expect(global[0].subject).to.include("us-east-1.api.");
        expect(global[0].problem).to.include("do not admit the Route 53 health checkers");
    });

    it("reports a listener no rule admits anyone to", () => {
        const all = copy(plans);
        const plan = all.get("eu-west-1")!;
        plan.resources = plan.resources.filter((r) => !/-lb-from-(cloudfront|health-checkers)$/.test(r.name));
        expect(problems(plan, all).map((p) => p.subject)).to.include("(no client) -> bb-euw1-ingress :443/TLS");
    });

    it("reports a security group whose prefix lists pass the rules quota (both lists on one group)", () => {
        const all = copy(plans);
        const plan = all.get("us-west-2")!;
        const cf = plan.resources.find((r) => r.name.endsWith("-lb-from-cloudfront"))!;
        const hc = plan.resources.find((r) => r.name.endsWith("-lb-from-health-checkers"))!;
        hc.inputs.securityGroupId = cf.inputs.securityGroupId;
        const found = problems(plan, all).map((p) => p.problem ?? "");
        expect(found.some((p) => p.includes(`counts ${PREFIX_LIST_WEIGHT.cloudfrontOriginFacing + PREFIX_LIST_WEIGHT.route53HealthChecks} rules`))).to.equal(
            true,
        );
    });

    it("reports a load balancer that cannot reach its targets' health-check port", () => {
        const all = copy(plans);
        const plan = all.get("ap-southeast-1")!;
        plan.resources = plan.resources.filter((r) => !r.name.endsWith("-lb-to-gateway-15021"));
        expect(problems(plan, all).map((p) => p.problem)).to.deep.equal([
            "no egress rule on the load balancer's groups allows TCP 15021 between the load balancer and its targets",
        ]);
    });

    it("reports a health check on a port without a listener, of the wrong protocol, or without SNI", () => {
        for (const [mutate, expected] of [
            [
                (i: Record<string, unknown>) => {
                    i.port = 8443;
                },
                "has no listener on 8443",
            ],
            [
                (i: Record<string, unknown>) => {
                    i.type = "HTTP";
                },
                "a HTTP check cannot talk to a TLS listener",
            ],
            [
                (i: Record<string, unknown>) => {
                    i.enableSni = false;
                },
                "HTTPS without SNI",
            ],
        ] as const) {
            const all = copy(plans);
            const global = all.get("global")!;
            const check = global.resources.find((r) => r.type === "aws:route53/healthCheck:HealthCheck" && r.inputs.fqdn === "eu-west-1.api.bookedbarber.com")!;
            mutate(check.inputs);
            const found = problems(global, all);
            expect(found, expected).to.have.length(1);
            expect(found[0].problem).to.include(expected);
        }
    });

    it("reports a health-check path the Istio gateway routes nowhere (Envoy's 404)", () => {
        const all = copy(plans);
        const vs = all.get("ap-northeast-1")!.resources.find((r) => r.type === "kubernetes:networking.istio.io/v1:VirtualService")!;
        (vs.inputs.spec as { http: Record<string, unknown>[] }).http[0].match = [{ uri: { prefix: "/api/" } }];
        const found = problems(all.get("global")!, all);
        expect(found.map((p) => p.subject)).to.deep.equal(["Route 53 HTTPS ap-northeast-1.api.bookedbarber.com:443/health"]);
        expect(found[0].problem).to.include("the gateway answers 404");
        // The same route with /health matched passes again.
        (vs.inputs.spec as { http: Record<string, unknown>[] }).http[0].match = [{ uri: { prefix: "/api/" } }, { uri: { exact: "/health" } }];
        expect(problems(all.get("global")!, all)).to.deep.equal([]);
    });

    describe("against AWS's published facts (test/upstream/route53-health-checks)", () => {
        const list = (service: string) => FACTS.managedPrefixLists.lists.find((l: { service: string }) => l.service === service);

        it("names the managed prefix lists as AWS publishes them, with their weights", () => {
            expect(CLOUDFRONT_ORIGIN_PREFIX_LIST).to.equal(list("CloudFront origin-facing").name);
            expect(PREFIX_LIST_WEIGHT.cloudfrontOriginFacing).to.equal(list("CloudFront origin-facing").weight);
            for (const region of REGIONAL_STACKS) {
                expect(route53HealthCheckersPrefixList(region)).to.equal(list("Route 53 health checks").name.replace("{region}", region));
            }
            expect(PREFIX_LIST_WEIGHT.route53HealthChecks).to.equal(list("Route 53 health checks").weight);
            expect(FACTS.managedPrefixLists.route53Availability.allRegions).to.equal(true);
        });

        it("holds each ingress group within the published rules quota and the load balancer within its group limit", () => {
            expect(SG_INBOUND_RULES_QUOTA).to.equal(FACTS.securityGroupQuotas.inboundRulesPerSecurityGroup);
            for (const stack of REGIONAL_STACKS) {
                const lb = plans.get(stack)!.resources.find((r) => r.type === "aws:lb/loadBalancer:LoadBalancer")!;
                expect((lb.inputs.securityGroups as string[]).length, stack).to.be.at.most(FACTS.networkLoadBalancer.maxSecurityGroups);
            }
        });

        it("uses only published health-check types and checker regions", () => {
            const checks = plans.get("global")!.resources.filter((r) => r.type === "aws:route53/healthCheck:HealthCheck");
            expect(checks.length).to.be.greaterThan(0);
            for (const c of checks) {
                expect(FACTS.healthChecks.types, c.name).to.include(c.inputs.type);
                // Unset, Route 53 checks from its default checker regions.
                const regions = (c.inputs.regions as string[] | undefined) ?? FACTS.healthChecks.defaultCheckerRegions;
                expect(regions.length, c.name).to.be.at.least(FACTS.healthChecks.minimumCheckerRegions);
                for (const r of regions) expect(FACTS.healthChecks.defaultCheckerRegions, c.name).to.include(r);
            }
        });
    });
});
