import { expect } from "chai";
import {
    authorizationAllows,
    backendDestinationRule,
    backendHpa,
    backendVirtualService,
    deployerBinding,
    ingressGateway,
    meshDenyAll,
    meshPeerAuthentication,
    readonlyBinding,
} from "../../../components/regional-cluster/manifests";
import { allStacks, ofType, oneOfType } from "../../support/fixtures";
import { modelFor } from "../../support/k8s-schema";

interface Model {
    validate(): void;
}
type ModelClass = new (data: any) => Model;

/**
 * A real ESM import(). With `module: commonjs`, tsc rewrites `import()` into `require()`, which these
 * packages refuse: their `exports` offer only the "import" condition.
 */
const esm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<Record<string, ModelClass>>;

/** Upstream schemas by apiVersion/kind (kubernetes-models 5 and @kubernetes-models/istio, ESM-only). */
async function models(): Promise<Record<string, ModelClass>> {
    const [hpa, ns, pa, ap, dr, gw, vs, crb, rb] = await Promise.all([
        esm("kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler"),
        esm("kubernetes-models/v1/Namespace"),
        esm("@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication"),
        esm("@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy"),
        esm("@kubernetes-models/istio/networking.istio.io/v1/DestinationRule"),
        esm("@kubernetes-models/istio/networking.istio.io/v1/Gateway"),
        esm("@kubernetes-models/istio/networking.istio.io/v1/VirtualService"),
        esm("kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding"),
        esm("kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding"),
    ]);
    return {
        "autoscaling/v2/HorizontalPodAutoscaler": hpa.HorizontalPodAutoscaler,
        "v1/Namespace": ns.Namespace,
        "security.istio.io/v1/PeerAuthentication": pa.PeerAuthentication,
        "security.istio.io/v1/AuthorizationPolicy": ap.AuthorizationPolicy,
        "networking.istio.io/v1/DestinationRule": dr.DestinationRule,
        "networking.istio.io/v1/Gateway": gw.Gateway,
        "networking.istio.io/v1/VirtualService": vs.VirtualService,
        "rbac.authorization.k8s.io/v1/ClusterRoleBinding": crb.ClusterRoleBinding,
        "rbac.authorization.k8s.io/v1/RoleBinding": rb.RoleBinding,
    };
}

/**
 * Kinds with no upstream model package installed here (the VPA and the load balancer controller's
 * CRDs). They are checked by hand below; see README for the package that would cover them.
 */
const UNMODELLED = new Set([
    "autoscaling.k8s.io/v1/VerticalPodAutoscaler",
    "elbv2.k8s.aws/v1beta1/TargetGroupBinding",
    // The Secrets Store CSI driver's class: its fields are asserted in test/sharded-database*.spec.ts.
    "secrets-store.csi.x-k8s.io/v1/SecretProviderClass",
]);

const keyOf = (o: { apiVersion?: unknown; kind?: unknown }) => `${o.apiVersion}/${o.kind}`;

describe("RegionalCluster Kubernetes manifests", () => {
    let byKind: Record<string, ModelClass>;
    before(async () => {
        byKind = await models();
    });

    it("validates every manifest the component writes against the upstream schema", () => {
        const manifests = [
            backendHpa(),
            meshPeerAuthentication(),
            meshDenyAll(),
            ...authorizationAllows(),
            backendDestinationRule(),
            ingressGateway(),
            backendVirtualService(),
            readonlyBinding(),
            deployerBinding(),
        ];
        for (const m of manifests) {
            const Model = byKind[keyOf(m)];
            expect(Model, keyOf(m)).to.be.a("function");
            expect(() => new Model(m).validate(), keyOf(m)).not.to.throw();
        }
    });

    it("validates every Kubernetes object registered in every regional plan against its upstream schema", async () => {
        for (const [stack, run] of Object.entries(await allStacks())) {
            const objects = run.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v3:Release");
            if (stack !== "global" && stack !== "bootstrap") expect(objects.length, stack).to.be.greaterThan(8);
            for (const o of objects) {
                const inputs = { ...o.inputs } as Record<string, unknown>;
                const key = keyOf(inputs);
                if (UNMODELLED.has(key)) continue;
                const Model = byKind[key] ?? (await modelFor(String(inputs.apiVersion), String(inputs.kind)));
                expect(Model, `${o.urn}: no model for ${key}`).to.be.a("function");
                expect(() => new Model!(inputs).validate(), o.urn).not.to.throw();
            }
        }
    });

    it("fails validation for a broken manifest (the check can fail)", () => {
        const bad = { ...backendDestinationRule(), spec: { host: "x", trafficPolicy: { outlierDetection: { consecutive5xxErrors: "many" } } } };
        expect(() => new byKind[keyOf(bad)](bad).validate()).to.throw();
        const badHpa = { ...backendHpa(), spec: { ...(backendHpa().spec as object), minReplicas: "fifty" } };
        expect(() => new byKind[keyOf(badHpa)](badHpa).validate()).to.throw();
    });

    it("checks the unmodelled kinds by hand: VPA in Off mode targeting the backend, and the TargetGroupBinding's fields", async () => {
        const run = (await allStacks())["us-east-1"];
        const vpa = oneOfType(run, "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler").inputs as any;
        expect(vpa.apiVersion).to.equal("autoscaling.k8s.io/v1");
        expect(vpa.spec.updatePolicy.updateMode).to.be.oneOf(["Off"]);
        expect(vpa.spec.targetRef).to.have.keys("apiVersion", "kind", "name");
        expect(vpa.metadata).to.have.keys("name", "namespace");
        const tgb = oneOfType(run, "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding").inputs as any;
        expect(Object.keys(tgb.spec).sort()).to.deep.equal(["serviceRef", "targetGroupARN", "targetType"]);
        expect(tgb.spec.targetType).to.be.oneOf(["ip", "instance"]);
        expect(tgb.spec.serviceRef.port).to.be.a("number");
    });
});

describe("RegionalCluster mesh", () => {
    it("installs Istio base, CNI, istiod and the ingress gateway from Helm, all at one pinned version and revision", async () => {
        const run = (await allStacks())["us-east-1"];
        const istio = ofType(run, "kubernetes:helm.sh/v3:Release").filter(
            (r) => (r.inputs.repositoryOpts as any).repo === "https://istio-release.storage.googleapis.com/charts",
        );
        expect(istio.map((r) => r.inputs.chart)).to.have.members(["base", "cni", "istiod", "gateway"]);
        for (const r of istio) expect(r.inputs.version, String(r.inputs.chart)).to.equal("1.30.1");
        for (const chart of ["cni", "istiod", "gateway"])
            expect((istio.find((r) => r.inputs.chart === chart)!.inputs.values as any).revision, chart).to.equal("1-30");
        const gateway = istio.find((r) => r.inputs.chart === "gateway")!;
        expect(gateway.inputs).to.include({ name: "istio-ingressgateway", namespace: "istio-ingress" });
        expect((gateway.inputs.values as any).service.type).to.equal("ClusterIP");
        const ns = ofType(run, "kubernetes:core/v1:Namespace").find((n) => (n.inputs.metadata as any).name === "bookedbarber")!;
        expect((ns.inputs.metadata as any).labels["istio.io/rev"]).to.equal("1-30");
    });

    it("enforces STRICT mTLS mesh-wide, default-deny authorization with explicit allows, and the backend circuit breaker", async () => {
        const run = (await allStacks())["eu-west-1"];
        const pa = oneOfType(run, "kubernetes:security.istio.io/v1:PeerAuthentication").inputs as any;
        expect(pa.metadata).to.deep.equal({ name: "default", namespace: "istio-system" });
        expect(pa.spec).to.deep.equal({ mtls: { mode: "STRICT" } });

        const policies = ofType(run, "kubernetes:security.istio.io/v1:AuthorizationPolicy").map((p) => p.inputs as any);
        const deny = policies.find((p) => p.metadata.namespace === "istio-system")!;
        expect(deny.spec ?? {}).to.deep.equal({});
        const allows = policies.filter((p) => p !== deny);
        expect(allows).to.have.length(2);
        for (const a of allows) {
            expect(a.spec.action).to.equal("ALLOW");
            expect(a.spec.selector.matchLabels, a.metadata.name).to.be.an("object");
        }
        const toBackend = allows.find((a) => a.metadata.namespace === "bookedbarber")!;
        expect(toBackend.spec.rules[0].from[0].source.principals).to.deep.equal(["cluster.local/ns/istio-ingress/sa/istio-ingressgateway"]);

        const dr = ofType(run, "kubernetes:networking.istio.io/v1:DestinationRule")
            .map((r) => r.inputs as any)
            .find((r) => r.metadata.name === "bookedbarber-backend");
        expect(dr.spec.host).to.equal("bookedbarber-backend.bookedbarber.svc.cluster.local");
        expect(dr.spec.trafficPolicy.outlierDetection).to.include({ consecutive5xxErrors: 5, baseEjectionTime: "30s", maxEjectionPercent: 50 });
        expect(dr.spec.trafficPolicy.connectionPool.tcp.maxConnections).to.be.a("number");
        expect(dr.spec.trafficPolicy.connectionPool.http.http1MaxPendingRequests).to.be.a("number");
    });
});
