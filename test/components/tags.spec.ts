import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ArgsCheck, ArgsError } from "../../components/args";
import { RedisGlobal } from "../../components/redis-global";
import { Network } from "../../components/network";
import { RegionalCluster, regionalClusterName } from "../../components/regional-cluster";
import { defaultTags, NON_MAP_TAGS, TAG_LIMITS, tagProblems, tagTransformation, withTags } from "../../components/tags";
import { DESIGN_TAG_KEYS } from "../../policies/rules/tagging/required-tags";
import { runStack, RunResult } from "../../tools/offline/stack-runner";
import { ConfigError, parseStackConfig } from "../../stacks/config";
import { readStackConfig, siblingStacks } from "../../stacks/stack-files";

/**
 * Tags without the stack config (components/tags.ts): the design's tag set from
 * defaultTags(), a component's `tags` argument checked against AWS's limits
 * (test/upstream/aws-tagging/limits.json) and applied to the AWS resources under it.
 */

const limits = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "test", "upstream", "aws-tagging", "limits.json"), "utf8")) as {
    maxTagsPerResource: number;
    maxKeyLength: number;
    maxValueLength: number;
    allowedSymbols: string;
    reservedPrefix: string;
};

const problemsOf = (tags: Record<string, unknown>): string[] => {
    try {
        tagProblems(new ArgsCheck("RedisGlobal", "cache"), tags as Record<string, string>).done();
        return [];
    } catch (err) {
        expect(err).to.be.instanceOf(ArgsError);
        return [...(err as ArgsError).problems];
    }
};

describe("tags without the stack config", () => {
    it("TAG_LIMITS are AWS's documented limits", () => {
        expect(TAG_LIMITS.maxTagsPerResource).to.equal(limits.maxTagsPerResource);
        expect(TAG_LIMITS.maxKeyLength).to.equal(limits.maxKeyLength);
        expect(TAG_LIMITS.maxValueLength).to.equal(limits.maxValueLength);
        expect(TAG_LIMITS.characters.test(`Team name 2 é${limits.allowedSymbols}`)).to.equal(true);
        for (const c of ["#", "!", "*", "$", '"', "(", ","]) expect(TAG_LIMITS.characters.test(c), c).to.equal(false);
        for (const p of [limits.reservedPrefix, limits.reservedPrefix.toUpperCase(), "Aws:"]) expect(TAG_LIMITS.reservedPrefix.test(`${p}x`), p).to.equal(true);
    });

    it("defaultTags gives exactly the keys the policy pack's required-tags rule asks for", () => {
        const tags = defaultTags({
            environment: "production",
            zone: "eu",
            region: "eu-west-1",
            owner: "platform",
            costCenter: "cc-1",
            dataClassification: "confidential",
        });
        expect(Object.keys(tags).sort()).to.deep.equal([...DESIGN_TAG_KEYS].sort());
        expect(tags).to.include({ app: "bookedbarber", "compliance-scope": "none", "cost-center": "cc-1", "data-classification": "confidential" });
        expect(
            defaultTags({
                app: "shop",
                environment: "e",
                zone: "us",
                region: "us-east-1",
                owner: "o",
                costCenter: "c",
                dataClassification: "d",
                complianceScope: ["pci-dss", "gdpr"],
            }),
        ).to.include({ app: "shop", "compliance-scope": "pci-dss+gdpr" });
    });

    it("good tags pass; each bad one is named with its value and what is allowed", () => {
        expect(problemsOf({ team: "platform", "cost-center": "cc/42", Name: "a b.c:d=e+f@g_h-i" })).to.deep.equal([]);
        expect(problemsOf({ "aws:team": "x" }))
            .to.have.length(1)
            .and.to.match(/^tags key = "aws:team": .*reserved/);
        expect(problemsOf({ team: "AWS:platform" })[0]).to.match(/^tags\.team = "AWS:platform": /);
        expect(problemsOf({ team: "a".repeat(TAG_LIMITS.maxValueLength + 1) })[0]).to.match(/^tags\.team = "a+": must be a string of at most 256/);
        expect(problemsOf({ team: "a".repeat(TAG_LIMITS.maxValueLength) })).to.deep.equal([]);
        expect(problemsOf({ ["k".repeat(TAG_LIMITS.maxKeyLength + 1)]: "v" })[0]).to.match(/^tags key = "k+": must be 1 to 128/);
        expect(problemsOf({ "": "v" })[0]).to.match(/^tags key = "": /);
        expect(problemsOf({ team: "a#b" })[0]).to.match(/^tags\.team = "a#b": /);
        expect(problemsOf({ team: 42 })[0]).to.match(/^tags\.team = 42: must be a string/);
        const many = Object.fromEntries(Array.from({ length: TAG_LIMITS.maxTagsPerResource + 1 }, (_, i) => [`k${i}`, "v"]));
        expect(problemsOf(many)[0]).to.match(/^tags = "51 tags": must hold at most 50/);
        expect(problemsOf(Object.fromEntries(Object.entries(many).slice(1)))).to.deep.equal([]);
    });

    it("without tags a component's options are passed through untouched (the stacks tag through their providers)", () => {
        const opts = { protect: true };
        expect(withTags("RedisGlobal", "cache", undefined, opts)).to.equal(opts);
        expect(withTags("RedisGlobal", "cache", {}, opts)).to.equal(opts);
        const tagged = withTags("RedisGlobal", "cache", { team: "platform" }, opts)!;
        expect(tagged.protect).to.equal(true);
        expect(tagged.transformations).to.have.length(1);
        expect(() => withTags("RedisGlobal", "cache", { "aws:x": "y" }, opts)).to.throw(ArgsError, /RedisGlobal 'cache': tags key = "aws:x"/);
    });

    it("the transformation tags AWS resources that take tags, under their own tags, and leaves everything else alone", async () => {
        const t = tagTransformation({ team: "platform", Name: "from-component" });
        const apply = (type: string, props: Record<string, unknown>) => t({ type, name: "r", props, opts: {}, resource: undefined as never });
        expect(apply("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16", tags: undefined })!.props.tags).to.deep.equal({ team: "platform", Name: "from-component" });
        expect(apply("aws:ec2/vpc:Vpc", { tags: { Name: "own" } })!.props.tags).to.deep.equal({ team: "platform", Name: "own" });
        expect(apply("eks:index:Cluster", { tags: undefined })!.props.tags).to.deep.equal({ team: "platform", Name: "from-component" });
        // Types without a tags input: IAM attachments, Kubernetes objects, random, our own components.
        expect(apply("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "p" })).to.equal(undefined);
        expect(apply("kubernetes:core/v1:ConfigMap", { metadata: {}, data: {} })).to.equal(undefined);
        expect(apply("random:index/randomPassword:RandomPassword", { length: 64 })).to.equal(undefined);
        expect(apply("bookedbarber:cache:RedisGlobal", {})).to.equal(undefined);
        // Tags that are still an Output are merged once known, own keys still winning.
        const merged = apply("aws:ec2/vpc:Vpc", { tags: pulumi.output({ Name: "own" }) })!.props.tags as pulumi.Output<Record<string, string>>;
        const value = await new Promise((resolve) => merged.apply(resolve));
        expect(value).to.deep.equal({ team: "platform", Name: "own" });
    });

    it("the typings agree: no AWS or EKS type has tags as an output only, and NON_MAP_TAGS lists every type whose tags are not a map", () => {
        const outputOnly: string[] = [];
        const nonMap: string[] = [];
        let scanned = 0;
        const walk = (dir: string): void => {
            for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
                const p = path.join(dir, e.name);
                if (e.isDirectory()) walk(p);
                else if (e.name.endsWith(".js")) {
                    scanned++;
                    const js = fs.readFileSync(p, "utf8");
                    const type = /static __pulumiType = '([^']+)'/.exec(js)?.[1];
                    if (!type) continue;
                    if (js.includes('resourceInputs["tags"] = undefined /*out*/')) outputOnly.push(type);
                    // A map is declared "tags?: pulumi.Input<{" (or "tags?: {"); anything else is some other shape.
                    const dts = p.replace(/\.js$/, ".d.ts");
                    if (fs.existsSync(dts) && /^ {4}tags\?: (?!pulumi\.Input<\{|\{)/m.test(fs.readFileSync(dts, "utf8"))) nonMap.push(type);
                }
            }
        };
        for (const pkg of ["@pulumi/aws", "@pulumi/eks"]) walk(path.dirname(require.resolve(`${pkg}/package.json`)));
        expect(scanned).to.be.greaterThan(1000);
        expect(outputOnly).to.deep.equal([]);
        expect([...new Set(nonMap)].sort()).to.deep.equal([...NON_MAP_TAGS].sort());
        // And the transformation leaves them alone.
        const t = tagTransformation({ team: "platform" });
        for (const type of NON_MAP_TAGS) expect(t({ type, name: "r", props: { tags: [] }, opts: {}, resource: undefined as never })).to.equal(undefined);
    });

    describe("a component with bad tags", () => {
        let run: RunResult;
        before(async () => {
            run = await runStack({
                stack: "eu-west-1",
                program: async () => {
                    new RedisGlobal("cache", {
                        zone: "eu",
                        membership: { role: "primary" },
                        vpcId: "vpc-1",
                        subnetIds: ["subnet-a", "subnet-b"],
                        clientSecurityGroupIds: ["sg-1"],
                        keyRegions: ["eu-west-1"],
                        cacheKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/c",
                        logsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/l",
                        tags: { "aws:created-by": "me" },
                    });
                    return {};
                },
            });
        });

        it("fails before anything is registered, naming the key", () => {
            expect(run.error?.message).to.match(/RedisGlobal 'cache': tags key = "aws:created-by": .*reserved by AWS/);
            expect(run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
        });
    });

    describe("a RegionalCluster with tags", () => {
        let run: RunResult;
        before(async () => {
            run = await runStack({
                stack: "us-east-1",
                program: async () => {
                    const tags = { team: "platform", "cost-center": "cc-1" };
                    // As a stack composes them: the Network built beside the cluster, with the same tags.
                    const net = new Network("c-net", {
                        cidr: "10.10.0.0/16",
                        azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
                        logsKeyArn: "a",
                        clusterName: regionalClusterName("c"),
                        tags,
                    });
                    new RegionalCluster("c", {
                        network: {
                            vpcId: net.vpcId,
                            vpcCidr: net.vpcCidr,
                            azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
                            privateSubnetIds: net.privateSubnetIds,
                            publicSubnetIds: net.publicSubnetIds,
                        },
                        logsKeyArn: "a",
                        eksKeyArn: "b",
                        backendImage: `111122223333.dkr.ecr.us-east-1.amazonaws.com/bookedbarber/backend@sha256:${"a".repeat(64)}`,
                        ingressCertificate: { hostnames: ["us-east-1.api.bookedbarber.com"], hostedZoneId: "Z1" },
                        tags,
                        nodeTags: { "cost-center": "cc-nodes" },
                    });
                    return {};
                },
            });
        });

        it("tags the resources of its child components too (the EKS cluster component), and a Network takes the same tags", () => {
            expect(run.error).to.equal(undefined);
            const vpc = run.resources.find((r) => r.type === "aws:ec2/vpc:Vpc")!;
            expect(vpc.inputs.tags).to.deep.equal({ team: "platform", "cost-center": "cc-1", Name: "c-net-vpc" });
            const subnets = run.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet");
            expect(subnets.length).to.be.greaterThan(0);
            for (const s of subnets) expect(s.inputs.tags, s.name).to.include({ team: "platform" });
            expect(run.resources.find((r) => r.type === "eks:index:Cluster")!.inputs.tags).to.deep.equal({ team: "platform", "cost-center": "cc-1" });
        });

        it("puts them on the node instances, volumes and ENIs (launch-template tag specifications), nodeTags winning", () => {
            const templates = run.resources.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate");
            expect(templates.length).to.be.greaterThan(0);
            for (const t of templates) {
                const specs = t.inputs.tagSpecifications as { resourceType: string; tags: Record<string, string> }[];
                expect(specs.map((s) => s.resourceType)).to.deep.equal(["instance", "volume", "network-interface"]);
                for (const spec of specs) expect(spec.tags, t.name).to.include({ team: "platform", "cost-center": "cc-nodes" });
            }
        });

        it("leaves the Kubernetes objects and Helm releases alone", () => {
            const k8s = run.resources.filter((r) => r.type.startsWith("kubernetes:"));
            expect(k8s.length).to.be.greaterThan(0);
            for (const r of k8s) expect(r.inputs, r.type).not.to.have.property("tags");
        });
    });

    it("a stack config value that would make a tag AWS refuses is a config problem naming the key", () => {
        const bad = { ...readStackConfig("us-east-1"), "bookedbarber:owner": "aws:platform", "bookedbarber:costCenter": "cc{1}" };
        let problems: readonly string[] = [];
        try {
            parseStackConfig(bad, "us-east-1", "bookedbarber", siblingStacks());
        } catch (err) {
            expect(err).to.be.instanceOf(ConfigError);
            problems = (err as ConfigError).problems;
        }
        expect(problems.find((p) => p.startsWith("bookedbarber:owner:"))).to.match(/"aws:platform"/);
        expect(problems.find((p) => p.startsWith("bookedbarber:costCenter:"))).to.match(/"cc\{1\}"/);
        expect(problems).to.have.length(2);
    });
});
