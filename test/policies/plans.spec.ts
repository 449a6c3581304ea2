import type { PolicyPackConfig } from "@pulumi/policy";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { EXEMPT_PREFIXES, EXEMPT_TYPES } from "../../policies/exempt-types";
import { RULES } from "../../policies/rules";
import { PLAN_WAIVERS } from "../../policies/waivers";
import { TAGGABLE_TYPES } from "../../policies/rules/tagging/taggable-types";
import { CapturedResource } from "../../tools/offline/mock-engine";
import { evaluatePolicies } from "../../tools/offline/policy-runner";
import { runStack, RunResult } from "../../tools/offline/stack-runner";
import { listStacks } from "../../stacks/stack-files";
import { allStacks } from "../support/fixtures";

/** A deep copy of a stack's resources with one resource's inputs (or options) changed. */
function mutate(run: RunResult, pick: (r: CapturedResource) => boolean, change: (r: CapturedResource) => void): { resources: CapturedResource[]; urn: string } {
    const resources = JSON.parse(JSON.stringify(run.resources)) as CapturedResource[];
    const target = resources.find(pick);
    if (!target) throw new Error(`${run.stack}: no resource to mutate`);
    change(target);
    return { resources, urn: target.urn };
}

describe("policy pack over every stack's plan", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });

    it("finds no mandatory violation in any stack", async () => {
        for (const [stack, run] of Object.entries(runs)) {
            const { violations } = await evaluatePolicies(run.resources);
            expect(
                violations.filter((v) => v.level === "mandatory"),
                stack,
            ).to.deep.equal([]);
        }
    });

    it("evaluates the whole pack over every stack's plan (time printed, not asserted: the target is under 1 s)", async () => {
        const started = process.hrtime.bigint();
        let resources = 0;
        for (const run of Object.values(runs)) {
            resources += run.resources.length;
            await evaluatePolicies(run.resources);
        }
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        console.log(`      pack of ${RULES.length} rules over ${Object.keys(runs).length} plans (${resources} resources): ${ms.toFixed(0)} ms`);
        expect(Object.keys(runs)).to.have.members(listStacks());
    });

    it("draws advisory violations only from rules the waiver table explains (policies/waivers.ts PLAN_WAIVERS)", async () => {
        const fired = new Set<string>();
        for (const run of Object.values(runs)) for (const v of (await evaluatePolicies(run.resources)).violations) fired.add(v.policy);
        expect([...fired].sort()).to.deep.equal(Object.keys(PLAN_WAIVERS).sort());
    });

    it("covers every resource type of every plan with a rule or a stated exemption", () => {
        const covered = new Set(RULES.flatMap((r) => r.metadata.resourceTypes));
        const types = new Set(Object.values(runs).flatMap((r) => r.resources.map((x) => x.type)));
        const uncovered = [...types].filter((t) => !covered.has(t) && !(t in EXEMPT_TYPES) && !EXEMPT_PREFIXES.some((p) => t.startsWith(p)));
        expect(uncovered, "types no rule judges: write a rule or add them to policies/exempt-types.ts with the reason").to.deep.equal([]);
    });

    it("lists every taggable AWS type of every plan in the tagging rule, judged by the @pulumi/aws typings", () => {
        const types = new Set(
            Object.values(runs)
                .flatMap((r) => r.resources.map((x) => x.type))
                .filter((t) => t.startsWith("aws:")),
        );
        const missing: string[] = [];
        for (const t of types) {
            const [, mod, file, cls] = /^aws:([^/]+)\/([^:]+):(.+)$/.exec(t)!;
            const dts = fs.readFileSync(path.join(require.resolve("@pulumi/aws/package.json"), "..", mod, `${file}.d.ts`), "utf8");
            const args = dts.slice(dts.indexOf(`export interface ${cls}Args {`));
            const taggable = /\n {4}tags\?:/.test(args.slice(0, args.indexOf("\n}")));
            if (taggable !== TAGGABLE_TYPES.includes(t)) missing.push(`${t} (taggable: ${taggable})`);
        }
        expect(missing).to.deep.equal([]);
    });

    describe("mutations of real stacks are caught on the mutated resource", () => {
        const caught = async (stack: string, policy: string, pick: (r: CapturedResource) => boolean, change: (r: CapturedResource) => void) => {
            const { resources, urn } = mutate(runs[stack], pick, change);
            const { violations } = await evaluatePolicies(resources);
            expect(
                violations.filter((v) => v.policy === policy && v.urn === urn && v.level === "mandatory"),
                `${policy} on ${urn}`,
            ).to.have.length.greaterThan(0);
        };

        it("encryption off: a flow-log group without its KMS key (eu-west-1)", () =>
            caught(
                "eu-west-1",
                "cloudwatch-logs-encrypted-with-cmk",
                (r) => r.type === "aws:cloudwatch/logGroup:LogGroup",
                (r) => delete r.inputs.kmsKeyId,
            ));

        it("key rotation off on a regional key (us-east-1)", () =>
            caught(
                "us-east-1",
                "kms-key-rotation",
                (r) => r.type === "aws:kms/key:Key",
                (r) => (r.inputs.enableKeyRotation = false),
            ));

        it("a public endpoint: an application subnet that auto-assigns public IPs (ap-southeast-1)", () =>
            caught(
                "ap-southeast-1",
                "no-public-ip-in-private-subnets",
                (r) => r.type === "aws:ec2/subnet:Subnet" && r.name.includes("-app-"),
                (r) => (r.inputs.mapPublicIpOnLaunch = true),
            ));

        it("a role people can assume without MFA (us-west-2's flow-log role opened to the account)", () =>
            caught(
                "us-west-2",
                "human-roles-require-mfa",
                (r) => r.type === "aws:iam/role:Role",
                (r) => {
                    r.inputs.assumeRolePolicy = JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole" }],
                    });
                },
            ));

        it("an EU-zone resource in a US region (eu-central-1's log group moved to us-east-1)", () =>
            caught(
                "eu-central-1",
                "data-residency",
                (r) => r.type === "aws:cloudwatch/logGroup:LogGroup",
                (r) => (r.inputs.region = "us-east-1"),
            ));

        it("an EU secondary in a US region: eu-central-1's provider moved to us-east-1 puts every resource out of zone", async () => {
            const { resources } = mutate(
                runs["eu-central-1"],
                (r) => r.type === "pulumi:providers:aws",
                (r) => (r.inputs.region = "us-east-1"),
            );
            const { violations } = await evaluatePolicies(resources);
            const flagged = new Set(violations.filter((v) => v.policy === "data-residency").map((v) => v.urn));
            for (const r of resources.filter((x) => x.type === "aws:ec2/vpc:Vpc" || x.type === "aws:kms/key:Key"))
                expect(flagged.has(r.urn), r.urn).to.equal(true);
        });

        it("an EU standby reading a US primary's stack (global cluster and datastore ids would cross zones)", () =>
            caught(
                "eu-central-1",
                "data-residency",
                (r) => r.type === "pulumi:pulumi:StackReference",
                (r) => (r.inputs.name = "bookedbarber/bookedbarber/us-east-1"),
            ));

        it("an EU flow log delivering to a US log group (eu-west-1)", () =>
            caught(
                "eu-west-1",
                "data-residency",
                (r) => r.type === "aws:ec2/flowLog:FlowLog",
                (r) => (r.inputs.logDestination = String(r.inputs.logDestination).replace("eu-west-1", "us-east-1")),
            ));

        it("a VPC without its flow log (ap-northeast-1)", async () => {
            const run = runs["ap-northeast-1"];
            const resources = run.resources.filter((r) => r.type !== "aws:ec2/flowLog:FlowLog");
            const vpc = resources.find((r) => r.type === "aws:ec2/vpc:Vpc")!;
            const { violations } = await evaluatePolicies(resources);
            expect(violations.filter((v) => v.policy === "vpc-flow-logs" && v.urn === vpc.urn)).to.have.length(1);
        });

        it("a data-tier route table given a NAT default route (eu-west-1)", () =>
            caught(
                "eu-west-1",
                "data-tier-no-internet-route",
                (r) => r.type === "aws:ec2/routeTable:RouteTable" && r.name.includes("-data-"),
                (r) => {
                    r.inputs.routes = [{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-0123456789abcdef0" }];
                },
            ));

        it("the mesh-wide PeerAuthentication relaxed to PERMISSIVE (us-east-1)", () =>
            caught(
                "us-east-1",
                "mesh-mtls-strict",
                (r) => r.type === "kubernetes:security.istio.io/v1:PeerAuthentication",
                (r) => ((r.inputs.spec as any).mtls.mode = "PERMISSIVE"),
            ));

        it("the load balancer log bucket's policy without its TLS-only deny (ap-southeast-1)", () =>
            caught(
                "ap-southeast-1",
                "s3-deny-insecure-transport",
                (r) => r.type === "aws:s3/bucketPolicy:BucketPolicy",
                (r) => {
                    const doc = JSON.parse(String(r.inputs.policy));
                    doc.Statement = doc.Statement.filter((x: { Effect: string }) => x.Effect !== "Deny");
                    r.inputs.policy = JSON.stringify(doc);
                },
            ));

        it("the cache's credentials copied into its ConfigMap (eu-central-1)", () =>
            caught(
                "eu-central-1",
                "no-secrets-in-configmaps",
                // A ConfigMap with data (the CA ConfigMaps are created empty and filled in the cluster).
                (r) => r.type === "kubernetes:core/v1:ConfigMap" && r.inputs.data !== undefined,
                (r) => ((r.inputs.data as Record<string, string>).password = "[secret]"),
            ));

        it("a PgBouncer container made privileged (us-west-2)", () =>
            caught(
                "us-west-2",
                "k8s-workload-hardened",
                (r) => r.type === "kubernetes:apps/v1:Deployment",
                (r) => {
                    (r.inputs.spec as any).template.spec.containers[0].securityContext.privileged = true;
                },
            ));

        it("the monitoring StorageClass without its CMK (eu-central-1)", () =>
            caught(
                "eu-central-1",
                "storage-class-encrypted-with-cmk",
                (r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass",
                (r) => delete (r.inputs.parameters as any).kmsKeyId,
            ));

        it("an alert topic opened to every principal (ap-northeast-1)", () =>
            caught(
                "ap-northeast-1",
                "sns-topic-policy-scoped",
                (r) => r.type === "aws:sns/topicPolicy:TopicPolicy",
                (r) => {
                    r.inputs.policy = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: "*" }] });
                },
            ));

        it("a PgBouncer Service turned into a load balancer (eu-west-1)", () =>
            caught(
                "eu-west-1",
                "k8s-services-internal",
                (r) => r.type === "kubernetes:core/v1:Service",
                (r) => ((r.inputs.spec as any).type = "LoadBalancer"),
            ));

        it("a KMS key without protect (us-east-1)", () =>
            caught(
                "us-east-1",
                "deletion-protection",
                (r) => r.type === "aws:kms/key:Key",
                (r) => (r.options.protect = false),
            ));

        it("the CloudFront distribution with its webAclId removed (global)", () =>
            caught(
                "global",
                "cloudfront-waf",
                (r) => r.type === "aws:cloudfront/distribution:Distribution",
                (r) => delete r.inputs.webAclId,
            ));

        it("an Aurora cluster given a literal master password in the plan (eu-west-1)", () =>
            caught(
                "eu-west-1",
                "no-literal-credentials",
                (r) => r.type === "aws:rds/cluster:Cluster",
                (r) => (r.inputs.masterPassword = "Winter2026!"),
            ));

        it("an Aurora cluster whose master password no longer comes from its RandomPassword (ap-southeast-1)", () =>
            caught(
                "ap-southeast-1",
                "no-literal-credentials",
                (r) => r.type === "aws:rds/cluster:Cluster" && r.inputs.masterPassword !== undefined,
                (r) => delete r.options.propertyDependencies,
            ));

        it("a security group rule opening every port outbound to the internet (us-west-2)", () =>
            caught(
                "us-west-2",
                "no-unrestricted-egress",
                (r) => r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
                (r) => Object.assign(r.inputs, { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", referencedSecurityGroupId: undefined }),
            ));

        it("Security Hub's PCI DSS subscription removed (eu-central-1)", async () => {
            const resources = runs["eu-central-1"].resources.filter(
                (r) => !(r.type === "aws:securityhub/standardsSubscription:StandardsSubscription" && String(r.inputs.standardsArn).includes("pci-dss")),
            );
            const { violations } = await evaluatePolicies(resources);
            expect(
                violations
                    .filter((v) => v.policy === "continuous-compliance-on" && v.level === "mandatory")
                    .map((v) => v.message)
                    .join(),
            ).to.contain("PCI DSS");
        });

        it("the Config recorder switched off (ap-northeast-1)", () =>
            caught(
                "ap-northeast-1",
                "config-recorder-settings",
                (r) => r.type === "aws:cfg/recorderStatus:RecorderStatus",
                (r) => (r.inputs.isEnabled = false),
            ));

        it("a provider without the design's tags leaves every resource it creates untagged (eu-west-1)", async () => {
            const { resources } = mutate(
                runs["eu-west-1"],
                (r) => r.type === "pulumi:providers:aws",
                (r) => delete r.inputs.defaultTags,
            );
            const { violations } = await evaluatePolicies(resources);
            const vpc = resources.find((r) => r.type === "aws:ec2/vpc:Vpc")!;
            expect(violations.some((v) => v.policy === "required-tags" && v.urn === vpc.urn)).to.equal(true);
        });
    });

    it("blocks a stack whose config turns protect off, until the pack config says it is a throwaway stack", async () => {
        const run = await runStack({ stack: "us-east-1", configOverrides: { "bookedbarber:protect": "false" } });
        expect(run.error).to.equal(undefined);
        // Every stateful resource of the plan, whichever component made it: the types the rule judges.
        const stateful = new Set(RULES.find((r) => r.name === "deletion-protection")!.metadata.resourceTypes);
        const expected = run.resources
            .filter((r) => stateful.has(r.type))
            .map((r) => r.urn)
            .sort();
        expect(
            expected.filter((u) => u.includes("aws:kms/key:Key::")),
            "the region's KMS keys are among them",
        ).to.have.length.greaterThan(0);
        // The same resources are protected in the default configuration, so protect=false is what unprotects them.
        const protectedByDefault = runs["us-east-1"].resources.filter((r) => stateful.has(r.type));
        expect(protectedByDefault.map((r) => r.urn).sort()).to.deep.equal(expected);
        for (const r of protectedByDefault) expect(r.options.protect, r.urn).to.equal(true);
        const { violations } = await evaluatePolicies(run.resources);
        const blocked = violations.filter((v) => v.policy === "deletion-protection" && v.level === "mandatory").map((v) => v.urn);
        expect([...new Set(blocked)].sort()).to.deep.equal(expected);
        // protect=false also turns off the load balancer's own deletion protection (lb-deletion-protection).
        const throwaway = await evaluatePolicies(run.resources, { config: { "deletion-protection": "advisory", "lb-deletion-protection": "advisory" } });
        expect(throwaway.violations.filter((v) => v.level === "mandatory")).to.deep.equal([]);
    });

    it("honours the pack config: a level set there overrides the rule's default, and disabled turns it off", async () => {
        const key = (v: { policy: string; level: string; urn?: string }) => `${v.policy}:${v.level}:${v.urn}`;
        // Whatever else the stack's plan reports (advisories of other components) is the baseline; only the change is asserted.
        const baseline = async (config: PolicyPackConfig) => new Set((await evaluatePolicies(runs["eu-west-1"].resources, { config })).violations.map(key));
        const { resources, urn } = mutate(
            runs["eu-west-1"],
            (r) => r.type === "aws:cloudwatch/logGroup:LogGroup",
            (r) => delete r.inputs.kmsKeyId,
        );
        const advisoryConfig: PolicyPackConfig = { "cloudwatch-logs-encrypted-with-cmk": "advisory" };
        const advisory = await evaluatePolicies(resources, { config: advisoryConfig });
        const before = await baseline(advisoryConfig);
        expect(advisory.violations.map(key).filter((k) => !before.has(k))).to.deep.equal([`cloudwatch-logs-encrypted-with-cmk:advisory:${urn}`]);
        const offConfig: PolicyPackConfig = { "cloudwatch-logs-encrypted-with-cmk": { enforcementLevel: "disabled" } };
        const off = await evaluatePolicies(resources, { config: offConfig });
        expect(off.violations.filter((v) => v.policy === "cloudwatch-logs-encrypted-with-cmk")).to.deep.equal([]);
        expect(off.violations.map(key).sort()).to.deep.equal([...(await baseline(offConfig))].sort());
        const stricter = await evaluatePolicies(runs["eu-west-1"].resources, { config: { "pci-log-retention": { minDays: 400 } } });
        expect(stricter.violations.map((v) => v.policy)).to.include("pci-log-retention");
    });
});
