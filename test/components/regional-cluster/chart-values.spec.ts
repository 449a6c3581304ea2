import { expect } from "chai";
import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { CHARTS as CLUSTER_CHARTS } from "../../../components/helm/charts";
import { KUBERNETES_VERSIONS } from "../../../stacks/config-keys/cluster";
import { kubernetesMinorOf } from "../../../tools/charts/kubernetes-minor";
import { checkPin, kubeVersionAllows, PINNED_CHARTS, pinsFor } from "../../../tools/charts/pins";
import { PlannedRelease, plannedReleases } from "../../../tools/charts/releases";
import { checkReleaseValues, combinationProblems, ValuesProblem } from "../../../tools/charts/values-check";
import { CHARTS_DIR, chartFacts } from "../../../tools/charts/vendored";
import { toPlanFile } from "../../../tools/offline/plan-file";
import { chartValues } from "../../../tools/offline/readiness/chart-values";
import { runStack, RunResult } from "../../../tools/offline/stack-runner";
import { allStacks, REGIONAL_STACKS } from "../../support/fixtures";

const NS = "bookedbarber";
const kubernetesMinor = (run: RunResult): string => kubernetesMinorOf({ config: run.config });
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const kinds = (ps: ValuesProblem[]) => ps.map((p) => `${p.kind} ${p.path}`);

describe("Helm charts: pinned versions and values against the vendored charts", () => {
    let runs: Record<string, RunResult>;
    let releases: Map<string, PlannedRelease[]>;
    const releaseOf = (stack: string, chart: string): PlannedRelease => {
        const r = releases.get(stack)!.find((x) => x.chart === chart);
        if (!r) throw new Error(`no ${chart} release in ${stack}`);
        return clone(r);
    };

    before(async () => {
        runs = await allStacks();
        releases = new Map(Object.entries(runs).map(([s, r]) => [s, plannedReleases(r.resources)]));
    });

    describe("versions", () => {
        it("pins every chart at a version its repository publishes, with its values vendored, for every Kubernetes minor the config allows", () => {
            const minors = new Set([...KUBERNETES_VERSIONS, ...REGIONAL_STACKS.map((s) => kubernetesMinor(runs[s]))]);
            const problems = [...minors].flatMap((m) => pinsFor(m).flatMap((pin) => checkPin(pin, m).map((p) => `Kubernetes ${m}: ${p}`)));
            expect(problems).to.deep.equal([]);
            expect(PINNED_CHARTS.length).to.equal(17);
        });

        it("installs the Cluster Autoscaler chart built for each stack's Kubernetes minor", () => {
            for (const stack of REGIONAL_STACKS) {
                const ca = releases.get(stack)!.find((r) => r.chart === "cluster-autoscaler")!;
                expect(ca.version, stack).to.equal(pinsFor(kubernetesMinor(runs[stack])).find((p) => p.chart === "cluster-autoscaler")!.version);
            }
        });

        it("installs only pinned charts: every release in every plan names a chart, version and repository of the tables", () => {
            const pinned = new Set(PINNED_CHARTS.map((p) => `${p.chart}@${p.version}@${p.repo}`));
            const strays = [...releases.values()]
                .flat()
                .map((r) => `${r.chart}@${r.version}@${r.repo}`)
                .filter((k) => !pinned.has(k));
            expect(strays).to.deep.equal([]);
            expect([...releases.values()].flat().length).to.be.greaterThan(0);
        });

        it("gives a 1.34 cluster the 1.34 Cluster Autoscaler chart, whose values the program meets too", async () => {
            const run = await runStack({ stack: "eu-west-1", configOverrides: { [`${NS}:kubernetesVersion`]: "1.34" } });
            expect(run.error).to.equal(undefined);
            const ca = plannedReleases(run.resources).find((r) => r.chart === "cluster-autoscaler")!;
            expect(ca.version).to.equal("9.53.0");
            expect(checkReleaseValues(ca)).to.deep.equal([]);
        });

        it("catches a version the repository never published (secrets-store-csi-driver-provider-aws 3.2.0)", () => {
            const problems = checkPin(
                { chart: "secrets-store-csi-driver-provider-aws", version: "3.2.0", repo: "https://aws.github.io/secrets-store-csi-driver-provider-aws" },
                "1.35",
            );
            expect(problems.join("\n")).to.match(/does not publish version 3\.2\.0 \(newest: 3\.1\.1/);
        });

        it("catches a pin from another repository and a chart whose kubeVersion excludes the cluster", () => {
            const pin = CLUSTER_CHARTS.metricsServer;
            expect(checkPin({ ...pin, repo: "https://charts.example.com" }, "1.35").join("\n")).to.match(/vendored index is https:\/\/kubernetes-sigs/);
            expect(kubeVersionAllows(">=1.25.0-0", "1.35")).to.equal(true);
            expect(kubeVersionAllows(">= 1.21-0", "1.35")).to.equal(true);
            expect(kubeVersionAllows(">=1.25.0-0 <1.34.0-0", "1.35")).to.equal(false);
            expect(kubeVersionAllows("~1.30", "1.35")).to.equal("unreadable");
            // Istio 1.30 needs Kubernetes 1.32 or later (istioctl's MinK8SVersion, vendored in source.json).
            expect(checkPin(CLUSTER_CHARTS.istiod, "1.31").join("\n")).to.match(/istiod 1\.30\.1: requires Kubernetes >=1\.32\.0-0, which excludes 1\.31/);
            // The Cluster Autoscaler is built per Kubernetes minor: 9.56.0 ships 1.35.0.
            expect(checkPin(CLUSTER_CHARTS.clusterAutoscaler, "1.35")).to.deep.equal([]);
            expect(checkPin(CLUSTER_CHARTS.clusterAutoscaler, "1.34").join("\n")).to.match(
                /ships cluster-autoscaler 1\.35\.0, which is built for Kubernetes 1\.35, not 1\.34/,
            );
        });

        it("keeps every vendored chart's source: repository, path, commit and retrieval date, matching its folder", () => {
            let withServices = 0;
            for (const chart of readdirSync(CHARTS_DIR())) {
                const published = JSON.parse(readFileSync(join(CHARTS_DIR(), chart, "published.json"), "utf8"));
                expect(published.chart, chart).to.equal(chart);
                expect(published.source, chart).to.match(/^https:\/\/github\.com\//);
                expect(published.retrieved, chart).to.match(/^\d{4}-\d{2}-\d{2}$/);
                for (const version of readdirSync(join(CHARTS_DIR(), chart)).filter((f) => /^\d/.test(f))) {
                    const facts = chartFacts(chart, version)!;
                    expect(facts.source, `${chart} ${version}`).to.include({ chart, version });
                    expect(facts.source.commit, `${chart} ${version}`).to.match(/^[0-9a-f]{40}$/);
                    expect(facts.source.retrieved, `${chart} ${version}`).to.match(/^\d{4}-\d{2}-\d{2}$/);
                    expect(Object.keys(facts.values).length, `${chart} ${version} values`).to.be.greaterThan(0);
                    // Naming facts come from the same tag or commit as the values.
                    if (facts.services) {
                        expect(facts.services.source, `${chart} ${version} services.json`).to.include(facts.source.ref);
                        withServices++;
                    }
                }
            }
            expect(withServices, "vendored charts with naming facts (services.json)").to.be.greaterThan(0);
        });
    });

    describe("values", () => {
        it("sets only keys each chart has, of the chart's types, that combine with its defaults into valid objects (every release, every plan)", () => {
            const problems = [...releases.entries()].flatMap(([stack, rs]) =>
                rs.flatMap((r) => checkReleaseValues(r).map((p) => `${stack} ${p.release}: ${p.kind} ${p.path}: ${p.message}`)),
            );
            expect(problems).to.deep.equal([]);
        });

        it("catches the VPA recommender PDB that sets maxUnavailable beside the chart's default minAvailable", () => {
            const vpa = releaseOf("us-east-1", "vertical-pod-autoscaler");
            (vpa.values as any).recommender.pdb = { create: true, maxUnavailable: 1 };
            expect(kinds(checkReleaseValues(vpa))).to.deep.equal(["combination recommender.pdb"]);
        });

        it("does not count a null as clearing a chart default (helm.v3.Release drops nulls), and says so", () => {
            const vpa = releaseOf("us-east-1", "vertical-pod-autoscaler");
            (vpa.values as any).recommender.pdb = { create: true, maxUnavailable: 1, minAvailable: null };
            expect(kinds(checkReleaseValues(vpa))).to.have.members(["null recommender.pdb.minAvailable", "combination recommender.pdb"]);
        });

        it("catches a key the chart lacks (Istio 1.30's istiod reads no pilot. block), in a subchart too", () => {
            const istiod = releaseOf("us-east-1", "istiod");
            (istiod.values as any).pilot = { replicaCount: 2 };
            expect(kinds(checkReleaseValues(istiod))).to.deep.equal(["unknown-key pilot"]);
            const kps = releaseOf("us-east-1", "kube-prometheus-stack");
            (kps.values as any).grafana.persistence.storageClass = "gp3";
            expect(kinds(checkReleaseValues(kps))).to.deep.equal(["unknown-key grafana.persistence.storageClass"]);
        });

        it("catches a value of the wrong type against the chart's default", () => {
            const ms = releaseOf("us-east-1", "metrics-server");
            (ms.values as any).replicas = "2";
            (ms.values as any).podDisruptionBudget.enabled = "true";
            expect(kinds(checkReleaseValues(ms))).to.have.members(["type replicas", "type podDisruptionBudget.enabled"]);
        });

        it("validates against the chart's values.schema.json where it ships one", () => {
            const otel = releaseOf("us-east-1", "opentelemetry-collector");
            (otel.values as any).mode = "sidecar";
            expect(kinds(checkReleaseValues(otel))).to.include("schema mode");
            const gw = releaseOf("us-east-1", "gateway");
            (gw.values as any).replicas = 3;
            expect(kinds(checkReleaseValues(gw)).join()).to.match(/unknown-key replicas/);
        });

        it("reports a chart version with no vendored values", () => {
            const jaeger = releaseOf("us-east-1", "jaeger");
            jaeger.version = "4.1.0";
            expect(kinds(checkReleaseValues(jaeger))).to.deep.equal(["no-facts (chart)"]);
        });

        it("finds the other invalid combinations: min above max replicas, requests above limits, a budget that blocks every drain; not in a disabled block", () => {
            expect(combinationProblems({ autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 3 } }).map((p) => p.path)).to.deep.equal(["autoscaling"]);
            expect(combinationProblems({ resources: { requests: { memory: "3Gi" }, limits: { memory: "2Gi" } } }).map((p) => p.path)).to.deep.equal([
                "resources.requests.memory",
            ]);
            expect(combinationProblems({ resources: { requests: { cpu: "500m" }, limits: { cpu: "1" } } })).to.deep.equal([]);
            expect(combinationProblems({ pdb: { enabled: false, minAvailable: 1, maxUnavailable: 1 } })).to.deep.equal([]);
            expect(combinationProblems({ recommender: { replicaCount: 2, pdb: { create: true, minAvailable: 2 } } }).map((p) => p.path)).to.deep.equal([
                "recommender.pdb",
            ]);
            expect(combinationProblems({ replicas: 2, podDisruptionBudget: { enabled: true, maxUnavailable: 0 } }).map((p) => p.path)).to.deep.equal([
                "podDisruptionBudget",
            ]);
            expect(combinationProblems({ replicas: 2, podDisruptionBudget: { enabled: true, maxUnavailable: 1 } })).to.deep.equal([]);
        });
    });

    describe("the plan's deploy readiness section", () => {
        it("lists every release as published and matching its chart on the default config, and reports an unpublished version or a bad value", () => {
            const plan = toPlanFile(runs["us-east-1"], { violations: [] });
            const section = chartValues(plan, new Map());
            expect(section.items.length).to.equal(releases.get("us-east-1")!.length);
            expect(section.items.filter((i) => i.problem)).to.deep.equal([]);
            const bad = clone(plan);
            for (const r of bad.resources.filter((x) => x.type === "kubernetes:helm.sh/v3:Release")) {
                if (r.inputs.chart === "secrets-store-csi-driver-provider-aws") r.inputs.version = "3.2.0";
                if (r.inputs.chart === "vertical-pod-autoscaler") (r.inputs.values as any).recommender.pdb.maxUnavailable = 1;
            }
            const problems = chartValues(bad, new Map())
                .items.filter((i) => i.problem)
                .map((i) => `${i.subject}: ${i.problem}`)
                .join("\n");
            expect(problems).to.match(/secrets-store-csi-driver-provider-aws 3\.2\.0\): .*does not publish version 3\.2\.0/);
            expect(problems).to.match(/vertical-pod-autoscaler 11\.1\.1\): combination recommender\.pdb: renders a PodDisruptionBudget with both/);
        });
    });
});
