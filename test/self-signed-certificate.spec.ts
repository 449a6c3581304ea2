import { expect } from "chai";
import { ISSUER_SCRIPT, SELF_SIGNED_RENEW_BEFORE_DAYS, SELF_SIGNED_VALIDITY_DAYS, selfSignedCertificate } from "../components/self-signed-certificate";
import { GATEWAY_TLS_SECRET, INGRESS_GATEWAY, INGRESS_NAMESPACE } from "../components/regional-cluster/manifests";
import { JAEGER_OTLP_TLS_SECRET, TRACING_NAMESPACE } from "../components/observability/kubernetes";
import type { CapturedResource } from "../tools/offline/mock-engine";
import { allStacks, REGIONAL_STACKS } from "./fixtures";

type Obj = Record<string, any>;

/** The in-cluster certificate issuers behind the gateway's HTTPS server and Jaeger's TLS receiver (docs/encryption-in-transit.md). */
describe("in-cluster self-signed certificates", () => {
    let resources: CapturedResource[];
    const inNamespace = (type: string, ns: string) => resources.filter((r) => r.type === type && (r.inputs.metadata as Obj)?.namespace === ns).map((r) => r.inputs as Obj);

    before(async () => {
        resources = (await allStacks())["us-east-1"].resources;
    });

    for (const [what, ns, secret, names] of [
        ["the ingress gateway's", INGRESS_NAMESPACE, GATEWAY_TLS_SECRET, [`${INGRESS_GATEWAY}.${INGRESS_NAMESPACE}.svc`]],
        ["Jaeger's OTLP receiver", TRACING_NAMESPACE, JAEGER_OTLP_TLS_SECRET, [`jaeger.${TRACING_NAMESPACE}.svc`]],
    ] as const) {
        it(`issues ${what} certificate at deploy (Job) and renews it daily (CronJob), with the Secret's name and the Service's DNS names`, () => {
            const jobs = inNamespace("kubernetes:batch/v1:Job", ns);
            const crons = inNamespace("kubernetes:batch/v1:CronJob", ns);
            expect(jobs).to.have.length(1);
            expect(crons).to.have.length(1);
            for (const pod of [jobs[0].spec.template, crons[0].spec.jobTemplate.spec.template]) {
                const env = Object.fromEntries((pod.spec.containers[0].env as Obj[]).map((e) => [e.name, e.value]));
                expect(env).to.include({ NAMESPACE: ns, SECRET_NAME: secret, VALIDITY_DAYS: String(SELF_SIGNED_VALIDITY_DAYS), RENEW_BEFORE_DAYS: String(SELF_SIGNED_RENEW_BEFORE_DAYS) });
                expect(String(env.DNS_NAMES).split(",")).to.include.members(names);
                // A sidecar would keep the Job's pod running forever; the namespace is in the mesh.
                expect(pod.metadata.labels["sidecar.istio.io/inject"]).to.equal("false");
                expect(pod.spec.securityContext).to.include({ runAsNonRoot: true });
                expect(pod.spec.securityContext.seccompProfile).to.deep.equal({ type: "RuntimeDefault" });
                expect(pod.spec.containers[0].securityContext).to.deep.include({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
            }
            expect(crons[0].spec.concurrencyPolicy).to.equal("Forbid");
        });

        it(`lets ${what} issuer read and replace only its own Secret`, () => {
            const [role] = inNamespace("kubernetes:rbac.authorization.k8s.io/v1:Role", ns);
            const rules = role.rules as Obj[];
            expect(rules.every((r) => r.resources.length === 1 && r.resources[0] === "secrets" && r.apiGroups[0] === "")).to.equal(true);
            expect(rules.find((r) => r.verbs.includes("update"))?.resourceNames).to.deep.equal([secret]);
            expect(rules.flatMap((r) => r.verbs).sort()).to.deep.equal(["create", "get", "update"]);
            const [binding] = inNamespace("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", ns);
            expect(binding.roleRef.name).to.equal(role.metadata.name);
            expect(binding.subjects).to.deep.equal([{ kind: "ServiceAccount", name: role.metadata.name, namespace: ns }]);
        });
    }

    it("runs in every regional stack", async () => {
        const runs = await allStacks();
        for (const stack of REGIONAL_STACKS) {
            const secrets = runs[stack].resources.filter((r) => r.type === "kubernetes:batch/v1:Job").flatMap((r) => ((r.inputs as Obj).spec.template.spec.containers[0].env ?? []) as Obj[]).filter((e) => e.name === "SECRET_NAME").map((e) => e.value);
            expect(secrets.sort(), stack).to.deep.equal([GATEWAY_TLS_SECRET, JAEGER_OTLP_TLS_SECRET].sort());
        }
    });

    it("the script keeps a certificate valid beyond the renewal window, writes a kubernetes.io/tls Secret with ca.crt, and reaches the API server by the pod's service env", () => {
        expect(ISSUER_SCRIPT).to.match(/openssl", "x509", "-noout", "-checkend"/);
        expect(ISSUER_SCRIPT).to.match(/"type": "kubernetes\.io\/tls"/);
        expect(ISSUER_SCRIPT).to.match(/\("ca\.crt", "tls\.crt"\)/);
        expect(ISSUER_SCRIPT).to.match(/KUBERNETES_SERVICE_HOST/);
        expect(ISSUER_SCRIPT).to.not.match(/kubernetes\.default/);
    });

    it("refuses a certificate without DNS names before registering anything", () => {
        expect(() => selfSignedCertificate("x", { namespace: "n", secretName: "s", dnsNames: [] }, {})).to.throw(/dnsNames is empty/);
    });
});
