import { expect } from "chai";
import { ArgsError } from "../../../components/args";
import { RegionalCluster } from "../../../components/regional-cluster";
import { backendHpa, backendVpa } from "../../../components/regional-cluster/manifests";
import { runStack } from "../../../tools/offline/stack-runner";
import { allStacks, ofType, oneOfType, REGIONAL_STACKS, TEST_CLUSTER_NETWORK } from "../../support/fixtures";
import { CapturedResource } from "../../../tools/offline/mock-engine";
import { RunResult } from "../../../tools/offline/stack-runner";

const RELEASE = "kubernetes:helm.sh/v3:Release";

export function releaseOf(run: RunResult, chart: string): CapturedResource {
    const found = ofType(run, RELEASE).filter((r) => r.inputs.chart === chart);
    expect(found, chart).to.have.length(1);
    return found[0];
}

describe("RegionalCluster autoscaling", () => {
    for (const stack of REGIONAL_STACKS) {
        it(`${stack}: the backend HPA is the spec's: 50-1000, CPU 70, memory 80, p95 200 ms, 100 requests_per_second, +50%/5 min out, -25%/10 min in`, async () => {
            const run = (await allStacks())[stack];
            const hpa = oneOfType(run, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
            const spec = hpa.inputs.spec as Record<string, any>;
            expect(hpa.inputs.metadata).to.deep.include({ name: "bookedbarber-backend-hpa", namespace: "bookedbarber" });
            expect(spec.scaleTargetRef).to.deep.equal({ apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: "bookedbarber-backend" });
            expect(spec.minReplicas).to.equal(50);
            expect(spec.maxReplicas).to.equal(1000);
            expect(spec.metrics).to.deep.include({ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } });
            expect(spec.metrics).to.deep.include({ type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } } });
            expect(spec.metrics).to.deep.include({
                type: "Pods",
                pods: { metric: { name: "requests_per_second" }, target: { type: "AverageValue", averageValue: "100" } },
            });
            expect(spec.metrics).to.deep.include({
                type: "Pods",
                pods: { metric: { name: "request_duration_p95_milliseconds" }, target: { type: "AverageValue", averageValue: "200" } },
            });
            expect(spec.behavior.scaleUp.policies).to.deep.equal([{ type: "Percent", value: 50, periodSeconds: 300 }]);
            expect(spec.behavior.scaleDown.policies).to.deep.equal([{ type: "Percent", value: 25, periodSeconds: 600 }]);
            expect(hpa.inputs).to.deep.equal({ ...backendHpa() });
        });
    }

    it("runs VPA in recommendation mode for the backend that HPA scales on CPU and memory", async () => {
        const run = (await allStacks())["us-east-1"];
        const vpa = oneOfType(run, "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler");
        expect((vpa.inputs.spec as any).updatePolicy).to.deep.equal({ updateMode: "Off" });
        expect((vpa.inputs.spec as any).targetRef).to.deep.equal(
            (oneOfType(run, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").inputs.spec as any).scaleTargetRef,
        );
        expect(vpa.inputs).to.deep.equal({ ...backendVpa() });
        const release = releaseOf(run, "vertical-pod-autoscaler");
        const values = release.inputs.values as any;
        // The chart always installs the recommender (it has no switch); its PDB keeps one of two up.
        expect(values.recommender.pdb).to.deep.equal({ create: true, minAvailable: 1 });
        expect(values.updater.enabled).to.equal(false);
        expect(values.admissionController.enabled).to.equal(false);
    });

    it("installs the Cluster Autoscaler capped at the node groups' maximums (80 nodes), with a Pod Identity role scoped to the node groups' ASGs", async () => {
        const run = (await allStacks())["eu-west-1"];
        const ca = releaseOf(run, "cluster-autoscaler");
        const values = ca.inputs.values as any;
        expect(ca.inputs).to.include({ namespace: "kube-system", version: "9.56.0" });
        expect((ca.inputs.repositoryOpts as any).repo).to.equal("https://kubernetes.github.io/autoscaler");
        expect(values.extraArgs["max-nodes-total"]).to.equal(80);
        expect(values.autoDiscovery.clusterName).to.equal(run.outputs.clusterName);
        expect(values.awsRegion).to.equal("eu-west-1");
        expect(values.rbac.serviceAccount.name).to.equal("cluster-autoscaler");

        const assoc = ofType(run, "aws:eks/podIdentityAssociation:PodIdentityAssociation").find((a) => a.inputs.serviceAccount === "cluster-autoscaler")!;
        expect(assoc.inputs).to.include({ namespace: "kube-system", clusterName: run.outputs.clusterName });
        const role = run.resources.find((r) => r.urn === assoc.parent)!;
        const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
        expect(trust.Statement[0].Principal).to.deep.equal({ Service: "pods.eks.amazonaws.com" });
        const policy = JSON.parse(String(run.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.parent === role.urn)!.inputs.policy));
        const resize = policy.Statement.find((s: any) => s.Sid === "ResizeOnlyThisClustersNodeGroups");
        const asgs = ofType(run, "aws:eks/nodeGroup:NodeGroup").map((n) => n.inputs.nodeGroupName);
        expect(resize.Resource).to.have.length(3);
        for (const ng of asgs)
            expect(
                resize.Resource.some((arn: string) => arn.includes(`autoScalingGroupName/eks-${ng}-`)),
                String(ng),
            ).to.equal(true);
        expect(resize.Condition.StringEquals).to.deep.equal({ [`aws:ResourceTag/k8s.io/cluster-autoscaler/${run.outputs.clusterName}`]: "owned" });
        for (const s of policy.Statement) for (const a of [].concat(s.Action)) expect(a).not.to.match(/\*/);
    });

    it("serves requests_per_second, p95 latency and the scale-in gate through prometheus-adapter from the ObservabilityStack's Prometheus, and CPU/memory through metrics-server", async () => {
        const run = (await allStacks())["ap-southeast-1"];
        const adapter = releaseOf(run, "prometheus-adapter");
        const values = adapter.inputs.values as any;
        expect(values.prometheus).to.deep.equal({ url: "https://kube-prometheus-stack-prometheus.monitoring.svc", port: 9090, path: "" });
        // Prometheus's web port is TLS: the adapter verifies it against the CA the issuer writes into kube-system.
        expect(values.extraArguments).to.deep.equal(["--prometheus-ca-file=/etc/prometheus-web-ca/ca.crt"]);
        expect(values.extraVolumes).to.deep.equal([
            { name: "prometheus-web-ca", configMap: { name: "prometheus-web-ca", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        ]);
        expect(values.extraVolumeMounts).to.deep.equal([{ name: "prometheus-web-ca", mountPath: "/etc/prometheus-web-ca", readOnly: true }]);
        expect(values.rules.default).to.equal(false);
        expect(values.rules.custom.map((r: any) => r.name.as)).to.deep.equal([
            "requests_per_second",
            "request_duration_p95_milliseconds",
            "backend_scale_in_hold",
        ]);
        // KEDA serves external.metrics.k8s.io; a second APIService for the group would take it over.
        expect(values.rules.external).to.deep.equal([]);
        expect(values.rules.custom[0].resources.overrides).to.have.keys("namespace", "pod");
        const ms = releaseOf(run, "metrics-server");
        expect(ms.inputs.namespace).to.equal("kube-system");
        const hpa = oneOfType(run, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
        expect(hpa.options.dependencies).to.include.members([adapter.urn, ms.urn]);
    });

    it("gives every system add-on two replicas and a PodDisruptionBudget", async () => {
        const run = (await allStacks())["us-east-1"];
        const pdbOf: Record<string, (v: any) => [number, unknown]> = {
            "metrics-server": (v) => [v.replicas, v.podDisruptionBudget.enabled && v.podDisruptionBudget.maxUnavailable],
            "cluster-autoscaler": (v) => [v.replicaCount, v.podDisruptionBudget.maxUnavailable],
            "prometheus-adapter": (v) => [v.replicas, v.podDisruptionBudget.enabled && v.podDisruptionBudget.maxUnavailable],
            // The chart's own PDB field is minAvailable: pods it lets go = replicas - minAvailable.
            "vertical-pod-autoscaler": (v) => [
                v.recommender.replicaCount,
                v.recommender.pdb.create && v.recommender.replicaCount - v.recommender.pdb.minAvailable,
            ],
        };
        for (const [chart, read] of Object.entries(pdbOf)) {
            const [replicas, pdb] = read(releaseOf(run, chart).inputs.values);
            expect(replicas, chart).to.be.at.least(2);
            expect(pdb, chart).to.equal(1);
        }
    });

    it("refuses an HPA whose minimum exceeds its maximum, before registering anything", async () => {
        const run = await runStack({
            stack: "us-east-1",
            program: async () => {
                new RegionalCluster("c", {
                    network: TEST_CLUSTER_NETWORK,
                    logsKeyArn: "a",
                    eksKeyArn: "b",
                    backendImage:
                        "111122223333.dkr.ecr.us-east-1.amazonaws.com/bookedbarber/backend@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                    ingressCertificate: { hostnames: ["us-east-1.api.bookedbarber.com"], hostedZoneId: "Z1" },
                    hpa: { minReplicas: 2000 },
                });
                return {};
            },
        });
        expect(run.error).to.be.instanceOf(ArgsError);
        expect(run.error!.message).to.contain("hpa.minReplicas = 2000: must not exceed hpa.maxReplicas (1000)");
        expect(run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
    });
});
