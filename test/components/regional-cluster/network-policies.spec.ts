import { expect } from "chai";
import { APP_NAMESPACE, BACKEND } from "../../../components/regional-cluster/manifests";
import { WORKER } from "../../../components/worker-scaling";
import { PlanFile } from "../../../tools/offline/plan-file";
import { allowedBy, networkPolicies } from "../../../tools/offline/readiness/network-policies";
import { RunResult } from "../../../tools/offline/stack-runner";
import { allStacks, ofType, oneOfType, REGIONAL_STACKS } from "../../support/fixtures";

type Obj = Record<string, any>;
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

describe("NetworkPolicies: default deny in the app namespace, and every hop the apps rely on allowed (issue 15)", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });
    const planOf = (resources: Obj[], run = runs["eu-west-1"]) => ({ stack: run.stack, resources, outputs: run.outputs }) as unknown as PlanFile;
    const problems = (resources: Obj[]) =>
        networkPolicies(planOf(resources))
            .items.filter((i) => i.problem)
            .map((i) => i.subject);
    const without = (policy: string) =>
        (JSON.parse(JSON.stringify(runs["eu-west-1"].resources)) as Obj[]).filter(
            (r) => !(r.type === NP && r.inputs.metadata.namespace === APP_NAMESPACE && r.inputs.metadata.name === policy),
        );

    it("the VPC CNI enforces NetworkPolicies in every regional cluster", () => {
        for (const stack of REGIONAL_STACKS)
            expect((oneOfType(runs[stack], "eks:index:Cluster").inputs.vpcCniOptions as Obj).enableNetworkPolicy, stack).to.equal(true);
    });

    it("every regional stack denies all ingress and egress in the app namespace by default", () => {
        for (const stack of REGIONAL_STACKS) {
            const deny = ofType(runs[stack], NP).find((p) => (p.inputs.metadata as Obj).name === "default-deny")!;
            expect((deny.inputs.metadata as Obj).namespace).to.equal(APP_NAMESPACE);
            expect(deny.inputs.spec).to.deep.equal({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        }
    });

    it("allows every hop the apps rely on at both ends, in every regional plan, for the backend and the worker", () => {
        for (const stack of REGIONAL_STACKS) {
            const section = networkPolicies(planOf(runs[stack].resources as Obj[], runs[stack]));
            expect(
                section.items.filter((i) => i.problem),
                stack,
            ).to.deep.equal([]);
            const subjects = section.items.map((i) => i.subject);
            expect(subjects).to.include(`ingress gateway -> ${BACKEND}.${APP_NAMESPACE}:8000`);
            for (const app of [BACKEND, WORKER]) {
                expect(subjects).to.include(`${app} -> shard-0-rw.database:6432`);
                expect(subjects).to.include(`${app} -> kube-dns (UDP 53)`);
                expect(subjects).to.include(`${app} sidecar -> istiod:15012`);
            }
        }
    });

    describe("mutations: drop an allow, and the hops it carried are reported", () => {
        it("without allow-gateway-to-backend, the gateway cannot reach the backend", () => {
            // The canary Service selects the same pods as the stable one: both routes are cut.
            expect(problems(without("allow-gateway-to-backend"))).to.deep.equal([
                `ingress gateway -> ${BACKEND}.${APP_NAMESPACE}:8000`,
                `ingress gateway -> ${BACKEND}-canary.${APP_NAMESPACE}:8000`,
            ]);
        });
        it("without allow-dns, no app resolves names", () => {
            expect(problems(without("allow-dns"))).to.have.members(
                [BACKEND, WORKER].flatMap((a) => [`${a} -> kube-dns (UDP 53)`, `${a} -> kube-dns (TCP 53)`]),
            );
        });
        it("without allow-mesh, sidecars cannot reach istiod and Prometheus cannot scrape", () => {
            expect(problems(without("allow-mesh"))).to.have.members(
                [BACKEND, WORKER].flatMap((a) => [`${a} sidecar -> istiod:15012`, `prometheus -> ${a}:15020`]),
            );
        });
        it("without allow-app-egress, PgBouncer, the cache, Pod Identity and the AWS APIs are cut", () => {
            const cut = problems(without("allow-app-egress"));
            for (const a of [BACKEND, WORKER])
                expect(cut).to.include.members([
                    `${a} -> shard-0-rw.database:6432`,
                    `${a} -> shard-3-ro.database:6433`,
                    `${a} -> Pod Identity agent`,
                    `${a} -> AWS APIs:443`,
                ]);
            expect(cut.some((s) => s.includes("-> cache in"))).to.equal(true);
        });
        it("an allow on the wrong port is a cut too", () => {
            const rs = JSON.parse(JSON.stringify(runs["eu-west-1"].resources)) as Obj[];
            rs.find((r) => r.type === NP && r.inputs.metadata.name === "allow-gateway-to-backend")!.inputs.spec.ingress[0].ports = [
                { protocol: "TCP", port: 8080 },
            ];
            expect(problems(rs)).to.deep.equal([
                `ingress gateway -> ${BACKEND}.${APP_NAMESPACE}:8000`,
                `ingress gateway -> ${BACKEND}-canary.${APP_NAMESPACE}:8000`,
            ]);
        });
    });

    it("follows Kubernetes semantics: a pod no policy selects is open; ipBlock except carves out; namespaceSelector matches namespace labels", () => {
        const pod = { namespace: "a", labels: { app: "x" } };
        const labels = (ns: string) => ({ "kubernetes.io/metadata.name": ns });
        expect(allowedBy([], labels, "Ingress", pod, { namespace: "b", labels: {} }, 80, "TCP")).to.equal(true);
        const egress = [
            {
                metadata: { namespace: "a" },
                spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } }] }] },
            },
        ];
        expect(allowedBy(egress, labels, "Egress", pod, { ip: "10.2.0.1", what: "x" }, 80, "TCP")).to.equal(true);
        expect(allowedBy(egress, labels, "Egress", pod, { ip: "10.1.0.1", what: "x" }, 80, "TCP")).to.equal(false);
        expect(allowedBy(egress, labels, "Egress", pod, { namespace: "b", labels: {} }, 80, "TCP"), "ipBlock does not select pods").to.equal(false);
        const ingress = [
            {
                metadata: { namespace: "a" },
                spec: {
                    podSelector: { matchLabels: { app: "x" } },
                    policyTypes: ["Ingress"],
                    ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "b" } } }], ports: [{ port: 80 }] }],
                },
            },
        ];
        expect(allowedBy(ingress, labels, "Ingress", pod, { namespace: "b", labels: {} }, 80, "TCP")).to.equal(true);
        expect(allowedBy(ingress, labels, "Ingress", pod, { namespace: "c", labels: {} }, 80, "TCP")).to.equal(false);
        expect(allowedBy(ingress, labels, "Ingress", pod, { namespace: "b", labels: {} }, 80, "UDP")).to.equal(false);
    });
});
