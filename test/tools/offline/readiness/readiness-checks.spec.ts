import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { SERVICE_LINKED_ROLES } from "../../../../components/service-linked-roles";
import { ingressHostnames } from "../../../../stacks/hostnames";
import { projectRoot } from "../../../../stacks/stack-files";
import { PlanFile, toPlanFile } from "../../../../tools/offline/plan-file";
import { readinessProblems } from "../../../../tools/offline/readiness";
import { certificates, covers } from "../../../../tools/offline/readiness/certificates";
import { prerequisites } from "../../../../tools/offline/readiness/prerequisites";
import { standbyTraffic } from "../../../../tools/offline/readiness/standby-traffic";
import { allStacks, REGIONAL_STACKS, STANDBY_STACKS } from "../../../support/fixtures";

const DOMAIN = "bookedbarber.com";
type Plans = Map<string, PlanFile>;

/** A deep copy of every plan, so a mutation stays in its test. */
const copy = (plans: Plans): Plans => new Map([...plans].map(([s, p]) => [s, JSON.parse(JSON.stringify(p)) as PlanFile]));
const problemsOf = (check: typeof certificates, stack: string, plans: Plans) => readinessProblems([check(plans.get(stack)!, plans)]);
const find = (plans: Plans, stack: string, type: string, pick: (inputs: Record<string, any>) => boolean = () => true) => {
    const r = plans.get(stack)!.resources.find((x) => x.type === type && pick(x.inputs));
    if (!r) throw new Error(`${stack}: no ${type}`);
    return r;
};

describe("deploy readiness checks", () => {
    let plans: Plans;
    before(async () => {
        const runs = await allStacks();
        plans = new Map(Object.entries(runs).map(([s, run]) => [s, toPlanFile(run, { violations: [] })]));
    });

    it("find no problem in any stack's default plan, and list what they found", () => {
        for (const stack of plans.keys()) {
            for (const check of [prerequisites, certificates]) expect(problemsOf(check, stack, plans), `${check.name} ${stack}`).to.deep.equal([]);
        }
        expect(prerequisites(plans.get("global")!, plans).items.length).to.be.greaterThan(5);
        expect(certificates(plans.get("global")!, plans).items.length).to.be.greaterThan(20);
    });

    describe("hostnames and certificates", () => {
        it("a wildcard covers exactly one label", () => {
            expect(covers("*.bookedbarber.com", "us.bookedbarber.com")).to.equal(true);
            expect(covers("*.bookedbarber.com", "us.api.bookedbarber.com")).to.equal(false);
            expect(covers("*.bookedbarber.com", "bookedbarber.com")).to.equal(false);
            expect(covers("*.api.bookedbarber.com", "us-east-1.api.bookedbarber.com")).to.equal(true);
            expect(covers("api.bookedbarber.com", "API.bookedbarber.com.")).to.equal(true);
        });

        it("checks every origin, health-check target and routed name of every region against the certificate served there", () => {
            const subjects = certificates(plans.get("global")!, plans).items.map((i) => i.subject);
            for (const stack of REGIONAL_STACKS) {
                const zone = String(plans.get(stack)!.config["bookedbarber:zone"]);
                for (const host of ingressHostnames(DOMAIN, stack, zone)) {
                    expect(
                        subjects.some((s) => s.startsWith(`${host} `) && s.includes(`-ingress (${stack})`)),
                        `${host} at ${stack}`,
                    ).to.equal(true);
                }
            }
            expect(subjects.filter((s) => s.includes("(CloudFront origin"))).to.have.length.greaterThan(6);
            expect(subjects.filter((s) => s.includes("(health check"))).to.have.length(6);
        });

        it("fails when a regional certificate drops a SAN clients use", () => {
            const mutated = copy(plans);
            const cert = find(mutated, "us-east-1", "aws:acm/certificate:Certificate");
            cert.inputs.subjectAlternativeNames = (cert.inputs.subjectAlternativeNames as string[]).filter((n) => n !== `api.${DOMAIN}`);
            const problems = problemsOf(certificates, "global", mutated);
            expect(
                problems.some(
                    (p) =>
                        p.includes(`api.${DOMAIN} (clients resolving it) at load balancer LoadBalancer bb-use1-ingress`) &&
                        p.includes("no certificate served there covers it"),
                ),
            ).to.equal(true, problems.join("\n"));
            // The stack that serves the certificate reports it too.
            expect(problemsOf(certificates, "us-east-1", mutated).length).to.be.greaterThan(0);
        });

        it("fails on the old single wildcard *.<domain>: CloudFront's origins and the health checks are two labels deep", () => {
            const mutated = copy(plans);
            const cert = find(mutated, "eu-west-1", "aws:acm/certificate:Certificate");
            cert.inputs.domainName = `*.${DOMAIN}`;
            cert.inputs.subjectAlternativeNames = [];
            const problems = problemsOf(certificates, "global", mutated);
            for (const host of [`eu-west-1.api.${DOMAIN} (CloudFront origin`, `eu-west-1.api.${DOMAIN} (health check`, `eu.api.${DOMAIN} (CloudFront origin`]) {
                expect(
                    problems.some((p) => p.includes(host) && p.includes("a wildcard covers exactly one label")),
                    host,
                ).to.equal(true);
            }
        });

        it("fails when a certificate is never validated, or a routed name points at a load balancer without a TLS listener", () => {
            const unvalidated = copy(plans);
            const p = unvalidated.get("ap-southeast-1")!;
            p.resources = p.resources.filter((r) => r.type !== "aws:acm/certificateValidation:CertificateValidation");
            expect(problemsOf(certificates, "global", unvalidated).some((x) => x.includes("has no DNS validation"))).to.equal(true);

            const plain = copy(plans);
            const listener = find(plain, "us-west-2", "aws:lb/listener:Listener");
            listener.inputs.protocol = "TCP";
            expect(problemsOf(certificates, "global", plain).some((x) => x.includes("bb-usw2-ingress") && x.includes("has no TLS listener on 443"))).to.equal(
                true,
            );
        });
    });

    describe("prerequisites", () => {
        it("fails when the key policy names the Auto Scaling service-linked role and no planned stack creates it", () => {
            const mutated = copy(plans);
            const boot = mutated.get("bootstrap")!;
            boot.resources = boot.resources.filter(
                (r) => !(r.type === "aws:iam/serviceLinkedRole:ServiceLinkedRole" && r.inputs.awsServiceName === SERVICE_LINKED_ROLES.autoscaling.service),
            );
            const problems = problemsOf(prerequisites, "us-east-1", mutated);
            expect(
                problems.some(
                    (p) =>
                        p.includes(`/${SERVICE_LINKED_ROLES.autoscaling.roleName}`) &&
                        p.includes("AWS refuses a policy naming a principal that does not exist"),
                ),
            ).to.equal(true, problems.join("\n"));
        });

        it("fails when an OpenSearch domain has no service-linked role in any planned stack", () => {
            const mutated = copy(plans);
            const boot = mutated.get("bootstrap")!;
            boot.resources = boot.resources.filter((r) => r.inputs.awsServiceName !== SERVICE_LINKED_ROLES.opensearch.service);
            expect(problemsOf(prerequisites, "eu-west-1", mutated).some((p) => p.includes("service-linked role of opensearchservice.amazonaws.com"))).to.equal(
                true,
            );
        });

        it("fails on the old certificate lookup, and on any lookup it does not know the source of", () => {
            const mutated = copy(plans);
            const p = mutated.get("us-east-1")!;
            p.invokes = [
                ...(p.invokes ?? []),
                { token: "aws:acm/getCertificate:getCertificate", region: "us-east-1", inputs: { domain: `*.${DOMAIN}`, statuses: ["ISSUED"] } },
                { token: "aws:route53/getZone:getZone", region: "us-east-1", inputs: { name: DOMAIN } },
            ];
            const problems = problemsOf(prerequisites, "us-east-1", mutated);
            expect(
                problems.some((x) => x.includes(`an ISSUED certificate for *.${DOMAIN} in us-east-1 is looked up, but no planned stack creates one`)),
            ).to.equal(true, problems.join("\n"));
            expect(problems.some((x) => x.includes("aws:route53/getZone:getZone looks up"))).to.equal(true);
        });

        it("fails when certificate validation waits on a zone created in the same run", () => {
            const mutated = copy(plans);
            const boot = mutated.get("bootstrap")!;
            const zone = boot.resources.find((r) => r.type === "aws:route53/zone:Zone")!;
            boot.resources = boot.resources.filter((r) => r !== zone);
            mutated.get("global")!.resources.push(zone);
            const problems = problemsOf(prerequisites, "global", mutated);
            expect(problems.some((x) => x.includes("certificate validation bb-edge-cert-validation") && x.includes("the same run"))).to.equal(
                true,
                problems.join("\n"),
            );
        });

        it("fails when a cluster's public endpoint does not admit the deploy runner, or is off", () => {
            const mutated = copy(plans);
            const eks = find(mutated, "ap-southeast-1", "eks:index:Cluster");
            eks.inputs.publicAccessCidrs = (eks.inputs.publicAccessCidrs as string[]).slice(1);
            expect(
                problemsOf(prerequisites, "ap-southeast-1", mutated).some(
                    (x) => x.includes("from the deploy runner") && x.includes("lacks the runner's egress"),
                ),
            ).to.equal(true);
            const closed = copy(plans);
            const eks2 = find(closed, "eu-west-1", "eks:index:Cluster");
            eks2.inputs.endpointPublicAccess = false;
            expect(problemsOf(prerequisites, "eu-west-1", closed).some((x) => x.includes("the endpoint is private only"))).to.equal(true);
        });

        it("fails when an input names an ARN nothing creates (an alarm's topic, say)", () => {
            const mutated = copy(plans);
            const alarm = find(
                mutated,
                "us-east-1",
                "aws:cloudwatch/metricAlarm:MetricAlarm",
                (i) => Array.isArray(i.alarmActions) && i.alarmActions.length > 0,
            );
            alarm.inputs.alarmActions = ["arn:aws:sns:us-east-1:123456789012:bookedbarber-alerts-p9"];
            expect(problemsOf(prerequisites, "us-east-1", mutated)).to.include.members([
                `prerequisites: ARN arn:aws:sns:us-east-1:123456789012:bookedbarber-alerts-p9: no planned stack creates it: the resource that names it would fail on a real deploy`,
            ]);
        });

        it("fails when a stack reads a stack that is not planned", () => {
            const mutated = copy(plans);
            mutated.delete("bootstrap");
            expect(problemsOf(prerequisites, "eu-central-1", mutated).some((x) => x.includes("stack bootstrap is not planned"))).to.equal(true);
        });
    });

    describe("no user traffic to a standby while its primary is healthy", () => {
        const RECORD = "aws:route53/record:Record";
        const standbyLb = (p: Plans, stack: string) => String(find(p, stack, "aws:lb/loadBalancer:LoadBalancer").identity!.dnsName);
        /** Adds a record to the global plan, shaped like the edge's. */
        const addRecord = (p: Plans, name: string, inputs: Record<string, unknown>) => {
            const template = find(p, "global", RECORD, (i) => i.name === `us.api.${DOMAIN}`);
            p.get("global")!.resources.push({
                ...template,
                urn: `${template.urn}-${name}`,
                name,
                inputs: { zoneId: template.inputs.zoneId, type: "A", ...inputs },
            });
        };

        it("lets only the failover SECONDARY records (and each standby's own health-checked name) reach a standby", () => {
            const items = standbyTraffic(plans.get("global")!, plans).items;
            expect(items.filter((i) => i.problem)).to.deep.equal([]);
            for (const s of STANDBY_STACKS) {
                const zone = String(plans.get(s)!.config["bookedbarber:zone"]);
                expect(
                    items.some((i) => i.subject === `${zone}.api.${DOMAIN} A failover (${s})` && i.detail.startsWith(`failover SECONDARY to standby ${s}`)),
                    s,
                ).to.equal(true);
                expect(
                    items.some((i) => i.subject === `${s}.api.${DOMAIN} A simple` && i.detail.includes("own name")),
                    s,
                ).to.equal(true);
            }
            expect(plans.get("global")!.resources.filter((r) => r.type === RECORD && r.inputs.weightedRoutingPolicies)).to.deep.equal([]);
        });

        it("reports a weighted split between a primary and its standby (the removed canary record)", () => {
            const mutated = copy(plans);
            const alias = (dns: string) => [{ name: dns, zoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: true }];
            addRecord(mutated, "canary-us-stable", {
                name: `canary.us.api.${DOMAIN}`,
                setIdentifier: "us-stable",
                weightedRoutingPolicies: [{ weight: 95 }],
                aliases: alias(String(find(mutated, "us-east-1", "aws:lb/loadBalancer:LoadBalancer").identity!.dnsName)),
            });
            addRecord(mutated, "canary-us-canary", {
                name: `canary.us.api.${DOMAIN}`,
                setIdentifier: "us-canary",
                weightedRoutingPolicies: [{ weight: 5 }],
                aliases: alias(standbyLb(mutated, "us-west-2")),
            });
            const problems = problemsOf(standbyTraffic, "global", mutated);
            expect(problems).to.have.length(1);
            expect(problems[0]).to.contain(`canary.us.api.${DOMAIN} A weighted (us-canary)`).and.contain("sends users to standby us-west-2");
        });

        it("follows aliases: a latency record to a standby's regional name, or a PRIMARY that is a standby, is reported", () => {
            const mutated = copy(plans);
            addRecord(mutated, "latency-west", {
                name: `nearest.api.${DOMAIN}`,
                setIdentifier: "latency-west",
                latencyRoutingPolicies: [{ region: "us-west-2" }],
                aliases: [{ name: `us-west-2.api.${DOMAIN}`, zoneId: "Z", evaluateTargetHealth: true }],
            });
            const primary = find(mutated, "global", RECORD, (i) => i.name === `eu.api.${DOMAIN}` && i.failoverRoutingPolicies?.[0].type === "PRIMARY");
            primary.inputs.aliases = [{ name: standbyLb(mutated, "eu-central-1"), zoneId: "Z", evaluateTargetHealth: true }];
            const problems = problemsOf(standbyTraffic, "global", mutated);
            expect(
                problems.some((p) => p.includes(`nearest.api.${DOMAIN} A latency (latency-west)`) && p.includes(`us-west-2 via us-west-2.api.${DOMAIN}`)),
            ).to.equal(true);
            expect(problems.some((p) => p.includes(`eu.api.${DOMAIN} A failover (eu-west-1)`) && p.includes("standby eu-central-1"))).to.equal(true);
            // The geolocation records reach eu.api, whose PRIMARY now answers with the standby.
            expect(problems.some((p) => p.startsWith(`no user traffic to a standby while its primary is healthy: api.${DOMAIN} A geolocation`))).to.equal(true);
        });
    });
});

describe("AWS-managed policies the stacks attach exist", () => {
    it("names only policies AWS documents", async () => {
        const facts = JSON.parse(fs.readFileSync(path.join(projectRoot(), "test", "upstream", "iam", "aws-managed-policies.json"), "utf8")) as {
            policies: { arn: string }[];
        };
        const known = new Set(facts.policies.map((p) => p.arn));
        const runs = await allStacks();
        const plans = new Map(Object.entries(runs).map(([s, run]) => [s, toPlanFile(run, { violations: [] })]));
        const used = [...plans.values()].flatMap((p) =>
            prerequisites(p, plans)
                .items.filter((i) => i.subject.startsWith("AWS-managed policy "))
                .map((i) => i.subject),
        );
        expect(used.length).to.be.greaterThan(5);
        const arns = [...plans.values()].flatMap((p) => JSON.stringify(p.resources).match(/arn:aws:(iam|eks)::aws:[^"]+/g) ?? []);
        expect(
            [...new Set(arns)].filter((a) => !known.has(a)),
            "add the policy with its AWS documentation page, or fix the name",
        ).to.deep.equal([]);
    });
});

describe("service-linked roles agree with AWS's names", () => {
    it("uses the role name AWS documents for each service", () => {
        const facts = JSON.parse(fs.readFileSync(path.join(projectRoot(), "test", "upstream", "service-linked-roles", "aws.json"), "utf8")) as {
            roles: { service: string; roleName: string; source: string }[];
        };
        for (const role of Object.values(SERVICE_LINKED_ROLES)) {
            const fact = facts.roles.find((f) => f.service === role.service);
            expect(fact, role.service).to.not.equal(undefined);
            expect(role.roleName).to.equal(fact!.roleName);
            expect(fact!.source).to.match(/^https:\/\/docs\.aws\.amazon\.com\//);
        }
    });
});
