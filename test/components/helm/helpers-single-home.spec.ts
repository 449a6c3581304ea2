import { expect } from "chai";
import { projectRoot } from "../../../stacks/stack-files";
import { readdirSync, readFileSync, statSync } from "fs";
import { join, relative } from "path";
import { CHARTS, PINNED_CHARTS } from "../../../components/helm/charts";
import { helmRelease, RELEASE_SETTINGS } from "../../../components/helm/release";
import { bucketDeliveryStatements, LOG_DELIVERY_SERVICE, serviceStatement } from "../../../components/log-delivery";
import { POD_IDENTITY_SERVICE, podIdentityTrustPolicy } from "../../../components/pod-identity";
import type { CapturedResource } from "../../../tools/offline/mock-engine";
import { RunResult } from "../../../tools/offline/stack-runner";
import { allStacks } from "../../support/fixtures";

/**
 * Issue 16, "one home per helper": every Helm release and chart pin, every Pod Identity trust policy and every
 * log-delivery service-principal statement is made by its one helper, and the refactor that moved them there
 * left every URN as it was on main.
 */

const ROOT = projectRoot();

function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((f) => {
        const p = join(dir, f);
        return statSync(p).isDirectory() ? sources(p) : f.endsWith(".ts") ? [p] : [];
    });
}

/** A line that is only a comment (prose may name a service principal or a chart). */
const isComment = (line: string): boolean => /^\s*(\/\/|\/\*|\*)/.test(line);

/** Where a pattern occurs in code outside the helper that owns it: `file:line`. */
export function strays(files: ReadonlyMap<string, string>, pattern: RegExp, home: (file: string) => boolean): string[] {
    return [...files].flatMap(([file, text]) =>
        home(file) ? [] : text.split("\n").flatMap((line, i) => (!isComment(line) && pattern.test(line) ? [`${file}:${i + 1}`] : [])),
    );
}

/** The rules: a pattern, and the helper file (or folder) that is its only home. */
const RULES: { what: string; pattern: RegExp; home: (file: string) => boolean }[] = [
    { what: "a Helm release or chart", pattern: /helm\.v\d\.(Release|Chart)\s*\(/, home: (f) => f.startsWith("components/helm/") },
    { what: "a chart pin (repository or chart name)", pattern: /repositoryOpts|\brepo:\s*["`]|\bchart:\s*["`]/, home: (f) => f.startsWith("components/helm/") },
    { what: "a Pod Identity trust policy", pattern: /pods\.eks\.amazonaws\.com|sts:TagSession/, home: (f) => f === "components/pod-identity.ts" },
    { what: "a vended-log delivery statement", pattern: /delivery\.logs\.amazonaws\.com/, home: (f) => f === "components/log-delivery.ts" },
    { what: "a service's write into a log bucket", pattern: /s3:x-amz-acl/, home: (f) => f === "components/log-delivery.ts" },
    {
        what: "a service role's trust policy",
        pattern: /Action: "sts:AssumeRole"/,
        // People's roles (MFA) and Pod Identity's (session tags) have trust policies of their own kind.
        home: (f) => ["components/service-role.ts", "components/pod-identity.ts", "components/regional-cluster/access.ts"].includes(f),
    },
    {
        what: "a customer-managed key's rotation and deletion window",
        pattern: /rotationPeriodInDays:|deletionWindowInDays:\s*\d/,
        home: (f) => f === "components/kms-keys.ts",
    },
];

const resources = (runs: Record<string, RunResult>, type: string): CapturedResource[] =>
    Object.values(runs).flatMap((r) => r.resources.filter((x) => x.type === type));

const PINNED = new Set(PINNED_CHARTS.map((p) => `${p.chart}@${p.version}@${p.repo}`));

/** What is off about one planned release: a setting other than RELEASE_SETTINGS, skipAwait, a chart not in the table. */
function releaseProblems(r: CapturedResource): string[] {
    const i = r.inputs as Record<string, unknown> & { repositoryOpts?: { repo?: string } };
    const problems = Object.entries(RELEASE_SETTINGS)
        .filter(([k, v]) => i[k] !== v)
        .map(([k, v]) => `${r.name}: ${k} ${JSON.stringify(i[k])}, not ${v}`);
    if (i.skipAwait === true) problems.push(`${r.name}: skipAwait`);
    if (!PINNED.has(`${i.chart}@${i.version}@${i.repositoryOpts?.repo}`)) problems.push(`${r.name}: ${i.chart}@${i.version} not pinned`);
    return problems;
}

/** What is off about a role the Pod Identity agent may assume: a trust policy not the helper's, or no association for its service account. */
function podIdentityProblems(role: CapturedResource, associations: ReadonlySet<string>): string[] {
    const policy = String(role.inputs.assumeRolePolicy);
    const tags = JSON.parse(policy).Statement[0]?.Condition?.StringEquals ?? {};
    const ns = tags["aws:RequestTag/kubernetes-namespace"];
    const sa = tags["aws:RequestTag/kubernetes-service-account"];
    const problems: string[] = [];
    if (policy !== podIdentityTrustPolicy(ns, sa)) problems.push(`${role.name}: trust policy is not the helper's`);
    if (!associations.has(`${ns}/${sa}`)) problems.push(`${role.name}: no association for ${ns}/${sa}`);
    return problems;
}

describe("one home per helper: Helm releases, Pod Identity, log delivery", () => {
    const files = new Map(sources(join(ROOT, "components")).map((p) => [relative(ROOT, p).split("\\").join("/"), readFileSync(p, "utf8")]));
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });

    describe("the component sources", () => {
        for (const rule of RULES) {
            it(`write ${rule.what} only in its helper`, () => {
                expect(files.size).to.be.greaterThan(20);
                expect(strays(files, rule.pattern, rule.home), rule.what).to.deep.equal([]);
            });
        }

        it("the scan catches each kind of stray (a release, a pin, a trust policy, a delivery statement written by hand)", () => {
            const planted = new Map([
                ["components/x/a.ts", "const r = new k8s.helm.v3.Release(`${name}-x`, {"],
                ["components/x/b.ts", 'const c = new k8s.helm.v4.Chart("x", {'],
                ["components/x/c.ts", 'export const X_CHART = { chart: "x", version: "1.0.0", repo: "https://example.com" };'],
                ["components/x/d.ts", 'Principal: { Service: "pods.eks.amazonaws.com" },'],
                ["components/x/e.ts", 'Principal: { Service: "delivery.logs.amazonaws.com" },'],
                ["components/x/f.ts", 'StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" },'],
                ["components/x/h.ts", 'Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],'],
                ["components/x/g.ts", "    rotationPeriodInDays: 365, deletionWindowInDays: 30,"],
            ]);
            const caught = RULES.map((r) => strays(planted, r.pattern, r.home));
            expect(caught).to.deep.equal([
                ["components/x/a.ts:1", "components/x/b.ts:1"],
                ["components/x/c.ts:1"],
                ["components/x/d.ts:1"],
                ["components/x/e.ts:1"],
                ["components/x/f.ts:1"],
                ["components/x/h.ts:1"],
                ["components/x/g.ts:1"],
            ]);
            // Its home, and a comment, are allowed.
            expect(
                strays(new Map([["components/x/g.ts", '    // installs a helm.v3.Release( of the chart: "x"']]), RULES[0].pattern, RULES[0].home),
            ).to.deep.equal([]);
            expect(strays(new Map([["components/helm/release.ts", "new k8s.helm.v3.Release(name, {"]]), RULES[0].pattern, RULES[0].home)).to.deep.equal([]);
        });
    });

    describe("Helm releases", () => {
        it("every release in every plan has the one set of release settings and a chart, version and repository of the table", () => {
            const releases = resources(runs, "kubernetes:helm.sh/v3:Release");
            // At least the 11 RegionalCluster add-ons, 4 observability releases and the CSI provider of each regional stack.
            expect(releases.length).to.be.at.least(6 * 16);
            const off = releases.flatMap(releaseProblems);
            expect(off).to.deep.equal([]);
        });

        it("the check catches a release with other settings or an unpinned chart", () => {
            const r = resources(runs, "kubernetes:helm.sh/v3:Release").find((x) => x.inputs.chart === "keda")!;
            const mutated = (change: Record<string, unknown>) => releaseProblems({ ...r, inputs: { ...r.inputs, ...change } });
            expect(mutated({ timeout: 600 })).to.deep.equal([`${r.name}: timeout 600, not 900`]);
            expect(mutated({ atomic: undefined })).to.deep.equal([`${r.name}: atomic undefined, not true`]);
            expect(mutated({ skipAwait: true })).to.deep.equal([`${r.name}: skipAwait`]);
            expect(mutated({ version: "2.99.0" })).to.deep.equal([`${r.name}: keda@2.99.0 not pinned`]);
        });

        it("bounds history at Helm's CLI default and waits longer than the provider's default (test/upstream/helm/release-defaults.json)", () => {
            const facts = JSON.parse(readFileSync(join(ROOT, "test", "upstream", "helm", "release-defaults.json"), "utf8"));
            // Unset, the provider keeps every revision (0 = no limit): the setting must bound it, at the CLI's number.
            expect(facts.pulumiKubernetesRelease.maxHistoryWhenUnset).to.equal(0);
            expect(RELEASE_SETTINGS.maxHistory).to.equal(facts.helmCli.historyMaxDefault);
            expect(RELEASE_SETTINGS.timeout).to.be.greaterThan(facts.pulumiKubernetesRelease.defaultTimeoutSeconds);
        });

        it("the helper refuses a chart version the table does not pin, naming the allowed ones, before registering anything", () => {
            const ctx = { parent: undefined as never, provider: undefined as never, dependsOn: [] };
            expect(() => helmRelease("x", "clusterAutoscaler", "kube-system", {}, ctx, { version: "9.99.0" })).to.throw(
                /cluster-autoscaler version "9\.99\.0" is not pinned; allowed: 9\.56\.0, 9\.53\.0/,
            );
            expect(() => helmRelease("x", "keda", "keda", {}, ctx, { version: CHARTS.clusterAutoscaler.version })).to.throw(
                /keda version "9\.56\.0" is not pinned; allowed: 2\.20\.2/,
            );
        });

        it("the table lists each chart's vendored values, and every listed folder exists", () => {
            expect(PINNED_CHARTS.map((p) => p.values).filter((v) => !statSync(join(ROOT, v), { throwIfNoEntry: false })?.isDirectory())).to.deep.equal([]);
            expect(PINNED_CHARTS.find((p) => p.key === "istiod")!.values).to.equal("test/upstream/charts/istiod/1.30.1");
        });
    });

    describe("Pod Identity roles", () => {
        it("every role the Pod Identity agent may assume has the helper's trust policy, for the service account its association binds", () => {
            const roles = resources(runs, "aws:iam/role:Role").filter((r) => String(r.inputs.assumeRolePolicy ?? "").includes(POD_IDENTITY_SERVICE));
            expect(roles.length).to.be.greaterThan(6 * 8);
            const associations = new Set(
                resources(runs, "aws:eks/podIdentityAssociation:PodIdentityAssociation").map((a) => `${a.inputs.namespace}/${a.inputs.serviceAccount}`),
            );
            expect(roles.flatMap((r) => podIdentityProblems(r, associations))).to.deep.equal([]);
            // The check catches a hand-written trust without session tagging, and a role for a service account nothing binds.
            const trust = JSON.parse(String(roles[0].inputs.assumeRolePolicy));
            trust.Statement[0].Action = "sts:AssumeRole";
            expect(podIdentityProblems({ ...roles[0], inputs: { ...roles[0].inputs, assumeRolePolicy: JSON.stringify(trust) } }, associations)).to.deep.equal([
                `${roles[0].name}: trust policy is not the helper's`,
            ]);
            expect(podIdentityProblems(roles[0], new Set())).to.have.length(1);
        });

        it("scopes the trust to one namespace and service account, with the session tagging Pod Identity needs", () => {
            const s = JSON.parse(podIdentityTrustPolicy("monitoring", "fluent-bit")).Statement;
            expect(s).to.have.length(1);
            expect(s[0].Principal).to.deep.equal({ Service: "pods.eks.amazonaws.com" });
            expect(s[0].Action).to.deep.equal(["sts:AssumeRole", "sts:TagSession"]);
            expect(s[0].Condition.StringEquals).to.deep.equal({
                "aws:RequestTag/kubernetes-namespace": "monitoring",
                "aws:RequestTag/kubernetes-service-account": "fluent-bit",
            });
        });
    });

    describe("log delivery statements", () => {
        const DELIVERING = new Set([LOG_DELIVERY_SERVICE, "cloudtrail.amazonaws.com", "config.amazonaws.com", "es.amazonaws.com"]);
        /** Statements for a delivering service principal without a source-account or source-ARN condition. */
        const unguarded = (policy: string): unknown[] =>
            (JSON.parse(policy).Statement as Record<string, any>[]).filter((s) => {
                const services = [s.Principal?.Service].flat();
                if (!services.some((x) => DELIVERING.has(x))) return false;
                const keys = Object.values(s.Condition ?? {}).flatMap((c) => Object.keys(c as object));
                return !keys.includes("aws:SourceAccount") && !keys.includes("aws:SourceArn");
            });
        const policies = (): { name: string; policy: string }[] => [
            ...resources(runs, "aws:s3/bucketPolicy:BucketPolicy").map((r) => ({ name: r.name, policy: String(r.inputs.policy) })),
            ...resources(runs, "aws:kms/key:Key").map((r) => ({ name: r.name, policy: String(r.inputs.policy) })),
            ...resources(runs, "aws:cloudwatch/logResourcePolicy:LogResourcePolicy").map((r) => ({ name: r.name, policy: String(r.inputs.policyDocument) })),
        ];

        it("every bucket, key and log-group policy that lets a service deliver logs guards it by source account or ARN", () => {
            const all = policies();
            const delivering = all.filter((p) => [...DELIVERING].some((s) => p.policy.includes(s)));
            expect(delivering.length).to.be.greaterThan(6);
            expect(delivering.flatMap((p) => unguarded(p.policy).map(() => p.name))).to.deep.equal([]);
        });

        it("the check catches a delivery statement stripped of its guard", () => {
            const p = policies().find((x) => x.policy.includes(LOG_DELIVERY_SERVICE))!;
            const doc = JSON.parse(p.policy);
            for (const s of doc.Statement) if ([s.Principal?.Service].flat().includes(LOG_DELIVERY_SERVICE)) delete s.Condition;
            expect(unguarded(JSON.stringify(doc)).length).to.be.greaterThan(0);
        });

        it("builds the ACL check and a write under one prefix with the owner's ACL, and refuses an unguarded statement", () => {
            const [acl, write] = bucketDeliveryStatements({
                service: LOG_DELIVERY_SERVICE,
                bucketArn: "arn:aws:s3:::logs",
                keyPrefix: "AWSLogs/111122223333/",
                source: { account: "111122223333", arnLike: "arn:aws:logs:eu-west-1:111122223333:*" },
                sids: { aclCheck: "Acl", write: "Write" },
            }) as Record<string, any>[];
            expect(acl).to.deep.include({ Sid: "Acl", Action: "s3:GetBucketAcl", Resource: "arn:aws:s3:::logs" });
            expect(write.Resource).to.equal("arn:aws:s3:::logs/AWSLogs/111122223333/*");
            expect(write.Condition).to.deep.equal({
                StringEquals: { "aws:SourceAccount": "111122223333", "s3:x-amz-acl": "bucket-owner-full-control" },
                ArnLike: { "aws:SourceArn": "arn:aws:logs:eu-west-1:111122223333:*" },
            });
            expect(() => serviceStatement({ sid: "S", service: LOG_DELIVERY_SERVICE, action: "s3:PutObject", resource: "*", source: {} })).to.throw(
                /S: a statement for delivery\.logs\.amazonaws\.com needs source\.account/,
            );
            expect(() => serviceStatement({ sid: "S", service: "x", action: "a", resource: "*", source: { arn: "a", arnLike: "b" } })).to.throw(/not both/);
            expect(() =>
                bucketDeliveryStatements({ service: "x", bucketArn: "b", keyPrefix: "AWSLogs", source: { account: "1" }, sids: { write: "W" } }),
            ).to.throw(/must end with "\/"/);
        });
    });

    describe("URNs", () => {
        const baseline = JSON.parse(readFileSync(join(ROOT, "test", "data", "helpers-urns-main.json"), "utf8")) as {
            types: string[];
            excludedParents: string[];
            urns: Record<string, string[]>;
        };
        const current = (stack: string): string[] => {
            const prefix = `urn:pulumi:${stack}::bookedbarber::`;
            return runs[stack].resources
                .filter((r) => baseline.types.includes(r.type) && !baseline.excludedParents.some((p) => r.urn.includes(p)))
                .map((r) => r.urn.slice(prefix.length))
                .sort();
        };

        // Every URN these types had before the helpers keeps existing (nothing replaced); features merged since
        // may add releases or policies of these types, which are new resources, not renamed ones.
        it("the releases, Pod Identity roles and log policies keep the URNs they had on main (test/data/helpers-urns-main.json)", () => {
            const stacks = Object.keys(baseline.urns);
            expect(stacks.length).to.equal(8);
            for (const stack of stacks) expect(current(stack), stack).to.include.members(baseline.urns[stack]);
        });

        it("the comparison catches a renamed release", () => {
            const stack = "eu-west-1";
            const renamed = current(stack).map((u) => u.replace(/::bb-euw1-keda$/, "::bb-euw1-keda-operator"));
            expect(baseline.urns[stack].filter((u) => !renamed.includes(u))).to.deep.equal(baseline.urns[stack].filter((u) => u.endsWith("::bb-euw1-keda")));
            expect(baseline.urns[stack].some((u) => u.endsWith("::bb-euw1-keda"))).to.equal(true);
        });
    });
});
