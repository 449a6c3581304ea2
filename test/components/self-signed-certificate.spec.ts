import { expect } from "chai";
import { execFileSync, spawn, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import {
    ISSUER_SCRIPT,
    issuerRules,
    RESTART_ANNOTATION,
    SELF_SIGNED_RENEW_BEFORE_DAYS,
    SELF_SIGNED_VALIDITY_DAYS,
    selfSignedCertificate,
    trustConfigMapOf,
} from "../../components/self-signed-certificate";
import { ALERTMANAGER_CLUSTER_TLS_SECRET } from "../../components/observability/alertmanager-cluster-tls";
import { GATEWAY_TLS_SECRET, INGRESS_GATEWAY, INGRESS_NAMESPACE } from "../../components/regional-cluster/manifests";
import { GRAFANA_DEPLOYMENT, JAEGER_OTLP_TLS_SECRET, OTEL_COLLECTOR_DEPLOYMENT, TRACING_NAMESPACE } from "../../components/observability/kubernetes";
import { MONITORING_NAMESPACE } from "../../components/observability/prometheus-rules";
import { KUBE_STATE_METRICS_TLS, NODE_EXPORTER_TLS } from "../../components/observability/exporter-tls";
import {
    ALERTMANAGER_WEB_TLS_SECRET,
    alertmanagerDnsNames,
    PROMETHEUS_CA_CONFIGMAP,
    PROMETHEUS_WEB_TLS_SECRET,
    prometheusDnsNames,
} from "../../components/observability/prometheus-tls";
import { PROMETHEUS_ADAPTER_DEPLOYMENT } from "../../components/regional-cluster/autoscaling";
import { ARGO_ROLLOUTS_DEPLOYMENT, ARGO_ROLLOUTS_NAMESPACE } from "../../components/regional-cluster/delivery";
import { plannedReleases } from "../../tools/charts/releases";
import { helmFullname } from "../../tools/charts/services";
import { chartFacts } from "../../tools/charts/vendored";
import type { CapturedResource } from "../../tools/offline/mock-engine";
import { allStacks, REGIONAL_STACKS } from "../support/fixtures";

type Obj = Record<string, any>;

/** The in-cluster certificate issuers behind the gateway's HTTPS server and Jaeger's TLS receiver (docs/encryption-in-transit.md). */
describe("in-cluster self-signed certificates", () => {
    let resources: CapturedResource[];
    const inNamespace = (type: string, ns: string) =>
        resources.filter((r) => r.type === type && (r.inputs.metadata as Obj)?.namespace === ns).map((r) => r.inputs as Obj);

    before(async () => {
        resources = (await allStacks())["us-east-1"].resources;
    });

    const issuerOf = (type: string, secret: string) =>
        resources
            .filter((r) => r.type === type)
            .map((r) => r.inputs as Obj)
            .filter((i) => {
                const pod = type === "kubernetes:batch/v1:Job" ? i.spec.template : i.spec.jobTemplate.spec.template;
                return (pod.spec.containers[0].env as Obj[]).some((e) => e.name === "SECRET_NAME" && e.value === secret);
            });
    const envOf = (pod: Obj) => Object.fromEntries((pod.spec.containers[0].env as Obj[]).map((e) => [e.name, e.value]));

    for (const [what, ns, secret, names] of [
        ["the ingress gateway's", INGRESS_NAMESPACE, GATEWAY_TLS_SECRET, [`${INGRESS_GATEWAY}.${INGRESS_NAMESPACE}.svc`]],
        ["Jaeger's OTLP receiver", TRACING_NAMESPACE, JAEGER_OTLP_TLS_SECRET, [`jaeger.${TRACING_NAMESPACE}.svc`]],
        ["Prometheus's web", MONITORING_NAMESPACE, PROMETHEUS_WEB_TLS_SECRET, prometheusDnsNames()],
        ["Alertmanager's web", MONITORING_NAMESPACE, ALERTMANAGER_WEB_TLS_SECRET, alertmanagerDnsNames()],
        ["kube-state-metrics's", MONITORING_NAMESPACE, KUBE_STATE_METRICS_TLS.secretName, KUBE_STATE_METRICS_TLS.dnsNames],
        ["node-exporter's", MONITORING_NAMESPACE, NODE_EXPORTER_TLS.secretName, NODE_EXPORTER_TLS.dnsNames],
    ] as const) {
        it(`issues ${what} certificate at deploy (Job) and renews it daily (CronJob), with the Secret's name and the Service's DNS names`, () => {
            const jobs = issuerOf("kubernetes:batch/v1:Job", secret);
            const crons = issuerOf("kubernetes:batch/v1:CronJob", secret);
            expect(jobs).to.have.length(1);
            expect(crons).to.have.length(1);
            expect(jobs[0].metadata.namespace).to.equal(ns);
            for (const pod of [jobs[0].spec.template, crons[0].spec.jobTemplate.spec.template]) {
                const env = envOf(pod);
                expect(env).to.include({
                    NAMESPACE: ns,
                    SECRET_NAME: secret,
                    VALIDITY_DAYS: String(SELF_SIGNED_VALIDITY_DAYS),
                    RENEW_BEFORE_DAYS: String(SELF_SIGNED_RENEW_BEFORE_DAYS),
                    RESTART_ANNOTATION,
                });
                expect(String(env.DNS_NAMES).split(",")).to.include.members([...names]);
                // A sidecar would keep the Job's pod running forever; the namespace is in the mesh.
                expect(pod.metadata.labels["sidecar.istio.io/inject"]).to.equal("false");
                expect(pod.spec.securityContext).to.include({ runAsNonRoot: true });
                expect(pod.spec.securityContext.seccompProfile).to.deep.equal({ type: "RuntimeDefault" });
                expect(pod.spec.containers[0].securityContext).to.deep.include({
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ["ALL"] },
                });
            }
            expect(crons[0].spec.concurrencyPolicy).to.equal("Forbid");
        });

        it(`lets ${what} issuer read and replace only its own Secret in its namespace`, () => {
            const role = inNamespace("kubernetes:rbac.authorization.k8s.io/v1:Role", ns).find((r) => r.metadata.name === `${secret}-issuer`)!;
            const rules = (role.rules as Obj[]).filter((r) => r.resources.includes("secrets"));
            expect(rules.every((r) => r.resources.length === 1 && r.apiGroups[0] === "")).to.equal(true);
            expect(rules.find((r) => r.verbs.includes("update"))?.resourceNames).to.deep.equal([secret]);
            expect(rules.flatMap((r) => r.verbs).sort()).to.deep.equal(["create", "get", "update"]);
            const binding = inNamespace("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", ns).find((r) => r.metadata.name === role.metadata.name)!;
            expect(binding.roleRef.name).to.equal(role.metadata.name);
            expect(binding.subjects).to.deep.equal([{ kind: "ServiceAccount", name: role.metadata.name, namespace: ns }]);
        });
    }

    it("gives Prometheus's CA to Grafana's, prometheus-adapter's and the Argo Rollouts controller's namespaces, each ConfigMap created empty and left to the issuer", () => {
        const env = envOf(issuerOf("kubernetes:batch/v1:Job", PROMETHEUS_WEB_TLS_SECRET)[0].spec.template);
        expect(env.TRUST_CONFIGMAP).to.equal(PROMETHEUS_CA_CONFIGMAP);
        expect(env.TRUST_NAMESPACES.split(",").sort()).to.deep.equal([MONITORING_NAMESPACE, "kube-system", ARGO_ROLLOUTS_NAMESPACE].sort());
        for (const ns of env.TRUST_NAMESPACES.split(",")) {
            const cm = resources.find(
                (r) =>
                    r.type === "kubernetes:core/v1:ConfigMap" &&
                    (r.inputs.metadata as Obj).namespace === ns &&
                    (r.inputs.metadata as Obj).name === PROMETHEUS_CA_CONFIGMAP,
            );
            expect(cm, ns).to.not.equal(undefined);
            // No key material in the plan: the issuer writes ca.crt in the cluster.
            expect((cm!.inputs as Obj).data ?? {}, ns).to.deep.equal({});
        }
    });

    it("restarts exactly the workloads that load a CA once at start, and may patch only those, in their namespaces", () => {
        const prom = envOf(issuerOf("kubernetes:batch/v1:Job", PROMETHEUS_WEB_TLS_SECRET)[0].spec.template);
        expect(prom.RESTART_ON_RENEW.split(",").sort()).to.deep.equal(
            [
                `Deployment/${MONITORING_NAMESPACE}/${GRAFANA_DEPLOYMENT}`,
                `Deployment/kube-system/${PROMETHEUS_ADAPTER_DEPLOYMENT}`,
                `Deployment/${ARGO_ROLLOUTS_NAMESPACE}/${ARGO_ROLLOUTS_DEPLOYMENT}`,
            ].sort(),
        );
        const jaeger = envOf(issuerOf("kubernetes:batch/v1:Job", JAEGER_OTLP_TLS_SECRET)[0].spec.template);
        expect(jaeger.RESTART_ON_RENEW).to.equal(`Deployment/${TRACING_NAMESPACE}/${OTEL_COLLECTOR_DEPLOYMENT}`);
        const gateway = envOf(issuerOf("kubernetes:batch/v1:Job", GATEWAY_TLS_SECRET)[0].spec.template);
        expect(gateway.RESTART_ON_RENEW).to.equal("");
        // Each client namespace: a Role for the Prometheus issuer that reaches only the CA ConfigMap and that Deployment.
        for (const [ns, name] of [
            ["kube-system", PROMETHEUS_ADAPTER_DEPLOYMENT],
            [ARGO_ROLLOUTS_NAMESPACE, ARGO_ROLLOUTS_DEPLOYMENT],
        ]) {
            const role = inNamespace("kubernetes:rbac.authorization.k8s.io/v1:Role", ns).find(
                (r) => r.metadata.name === `${PROMETHEUS_WEB_TLS_SECRET}-issuer`,
            )!;
            expect(role.rules, ns).to.deep.equal([
                { apiGroups: [""], resources: ["configmaps"], resourceNames: [PROMETHEUS_CA_CONFIGMAP], verbs: ["get", "update"] },
                { apiGroups: ["apps"], resources: ["deployments"], resourceNames: [name], verbs: ["get", "patch"] },
            ]);
            const binding = inNamespace("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", ns).find((r) => r.metadata.name === role.metadata.name)!;
            expect(binding.subjects).to.deep.equal([{ kind: "ServiceAccount", name: role.metadata.name, namespace: MONITORING_NAMESPACE }]);
        }
    });

    it("names restart targets that the plan's releases create (each chart's fullname helper)", () => {
        const deployments = new Set<string>();
        for (const r of plannedReleases(resources)) {
            const facts = chartFacts(r.chart, r.version)?.services;
            if (facts) deployments.add(`${r.namespace}/${helmFullname(facts, r.chart, r.releaseName, r.values)}`);
            // Grafana is kube-prometheus-stack's subchart: same release name, its own fullname helper and values.
            const grafana = r.chart === "kube-prometheus-stack" ? chartFacts("grafana", "10.0.0")?.services : undefined;
            if (grafana) deployments.add(`${r.namespace}/${helmFullname(grafana, "grafana", r.releaseName, (r.values.grafana ?? {}) as Obj)}`);
        }
        const targets = [PROMETHEUS_WEB_TLS_SECRET, JAEGER_OTLP_TLS_SECRET]
            .flatMap((s) => String(envOf(issuerOf("kubernetes:batch/v1:Job", s)[0].spec.template).RESTART_ON_RENEW).split(","))
            .map((t) => t.split("/").slice(1).join("/"));
        expect(targets).to.have.length(4);
        for (const t of targets) expect(deployments.has(t), `${t} among ${[...deployments].join(", ")}`).to.equal(true);
    });

    it("runs in every regional stack", async () => {
        const runs = await allStacks();
        for (const stack of REGIONAL_STACKS) {
            const secrets = runs[stack].resources
                .filter((r) => r.type === "kubernetes:batch/v1:Job")
                .flatMap((r) => ((r.inputs as Obj).spec.template.spec.containers[0].env ?? []) as Obj[])
                .filter((e) => e.name === "SECRET_NAME")
                .map((e) => e.value);
            expect(secrets.sort(), stack).to.deep.equal(
                [
                    GATEWAY_TLS_SECRET,
                    JAEGER_OTLP_TLS_SECRET,
                    PROMETHEUS_WEB_TLS_SECRET,
                    ALERTMANAGER_WEB_TLS_SECRET,
                    ALERTMANAGER_CLUSTER_TLS_SECRET,
                    KUBE_STATE_METRICS_TLS.secretName,
                    NODE_EXPORTER_TLS.secretName,
                ].sort(),
            );
        }
    });

    it("the script keeps a certificate valid beyond the renewal window, writes a kubernetes.io/tls Secret with ca.crt, and reaches the API server by the pod's service env", () => {
        expect(ISSUER_SCRIPT).to.match(/openssl", "x509", "-noout", "-checkend"/);
        expect(ISSUER_SCRIPT).to.match(/"type": "kubernetes\.io\/tls"/);
        expect(ISSUER_SCRIPT).to.match(/"ca\.crt": b64\(bundle\)/);
        expect(ISSUER_SCRIPT).to.match(/KUBERNETES_SERVICE_HOST/);
        expect(ISSUER_SCRIPT).to.not.match(/kubernetes\.default/);
    });

    describe("the issuer script against a stand-in API server (needs python3 and openssl, as the issuer image has)", () => {
        const tools = ["python3", "openssl"].every((t) => spawnSync(t, ["--version"]).status === 0 || spawnSync(t, ["version"]).status === 0);
        const SECRET = "/api/v1/namespaces/monitoring/secrets/prometheus-web-tls";
        const CM = (ns: string) => `/api/v1/namespaces/${ns}/configmaps/prometheus-web-ca`;
        const ADAPTER = "/apis/apps/v1/namespaces/kube-system/deployments/prometheus-adapter";
        const ALERTMANAGER = "/apis/monitoring.coreos.com/v1/namespaces/monitoring/alertmanagers/kps-alertmanager";
        let dir: string;
        let server: https.Server;
        let port: number;
        /** The stand-in's objects by API path. */
        const store = new Map<string, Obj>();
        const calls: string[] = [];
        const run = (renewBeforeDays: number) =>
            new Promise<{ status: number | null; out: string }>((resolve) => {
                // The script as the ConfigMap carries it, with the ServiceAccount directory and /tmp moved into the test's directory.
                const script = ISSUER_SCRIPT.replace("/var/run/secrets/kubernetes.io/serviceaccount", `${dir}/sa`).replace(
                    /"\/tmp\/(tls\.(key|crt))"/g,
                    `"${dir}/$1"`,
                );
                const child = spawn("python3", ["-c", script], {
                    env: {
                        ...process.env,
                        KUBERNETES_SERVICE_HOST: "127.0.0.1",
                        KUBERNETES_SERVICE_PORT: String(port),
                        NAMESPACE: "monitoring",
                        SECRET_NAME: "prometheus-web-tls",
                        DNS_NAMES: "kube-prometheus-stack-prometheus.monitoring.svc,kube-prometheus-stack-prometheus.monitoring",
                        VALIDITY_DAYS: "365",
                        RENEW_BEFORE_DAYS: String(renewBeforeDays),
                        TRUST_CONFIGMAP: "prometheus-web-ca",
                        TRUST_NAMESPACES: "monitoring,kube-system",
                        // The adapter exists; the Argo Rollouts controller is not installed yet.
                        RESTART_ON_RENEW:
                            "Deployment/kube-system/prometheus-adapter,Deployment/argo-rollouts/argo-rollouts,Alertmanager/monitoring/kps-alertmanager",
                        RESTART_ANNOTATION,
                    },
                });
                let out = "";
                child.stdout.on("data", (d: Buffer) => {
                    out += d;
                });
                child.stderr.on("data", (d: Buffer) => {
                    out += d;
                });
                child.on("close", (status: number | null) => resolve({ status, out }));
            });
        const certs = (b64: string) =>
            (
                Buffer.from(b64, "base64")
                    .toString()
                    .match(/BEGIN CERTIFICATE/g) ?? []
            ).length;
        const annotation = () => store.get(ADAPTER)!.spec.template.metadata.annotations?.[RESTART_ANNOTATION] as string | undefined;
        /** The Alertmanager resource's pod annotation, which the operator copies into its StatefulSet's pod template. */
        const amAnnotation = () => store.get(ALERTMANAGER)!.spec.podMetadata?.annotations?.[RESTART_ANNOTATION] as string | undefined;
        const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
        const since = (n: number, prefix: string) => calls.slice(n).filter((c) => c.startsWith(prefix));

        before(function () {
            if (!tools) this.skip();
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "issuer-"));
            fs.mkdirSync(`${dir}/sa`);
            execFileSync(
                "openssl",
                [
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:P-256",
                    "-nodes",
                    "-keyout",
                    `${dir}/api.key`,
                    "-out",
                    `${dir}/sa/ca.crt`,
                    "-days",
                    "1",
                    "-subj",
                    "/CN=127.0.0.1",
                    "-addext",
                    "subjectAltName=IP:127.0.0.1",
                ],
                { stdio: "ignore" },
            );
            fs.writeFileSync(`${dir}/sa/token`, "test-token\n");
            // What Pulumi creates: the CA ConfigMaps, empty; and the adapter's Deployment.
            for (const ns of ["monitoring", "kube-system"]) store.set(CM(ns), { metadata: { name: "prometheus-web-ca", namespace: ns, resourceVersion: "1" } });
            store.set(ADAPTER, { metadata: { name: "prometheus-adapter" }, spec: { template: { metadata: { labels: { app: "adapter" } } } } });
            store.set(ALERTMANAGER, { metadata: { name: "kps-alertmanager" }, spec: { replicas: 3 } });
            server = https.createServer({ key: fs.readFileSync(`${dir}/api.key`), cert: fs.readFileSync(`${dir}/sa/ca.crt`) }, (req, res) => {
                let body = "";
                req.on("data", (d) => {
                    body += d;
                });
                req.on("end", () => {
                    calls.push(`${req.method} ${req.url} ${req.headers["content-type"]} ${req.headers.authorization}`);
                    const url = String(req.url);
                    const send = (code: number, o: unknown) => {
                        res.writeHead(code, { "Content-Type": "application/json" });
                        res.end(JSON.stringify(o));
                    };
                    if (req.method === "GET") return store.has(url) ? send(200, store.get(url)) : send(404, { kind: "Status" });
                    const o = JSON.parse(body) as Obj;
                    if (req.method === "PATCH") {
                        const target = store.get(url)!;
                        // A Deployment's pod template, or an Alertmanager resource's podMetadata (a custom resource: merge patch only).
                        const custom = url === ALERTMANAGER;
                        if (custom && req.headers["content-type"] !== "application/merge-patch+json") return send(415, { kind: "Status" });
                        const meta = custom ? (target.spec.podMetadata ??= {}) : (target.spec.template.metadata ??= {});
                        const patch = custom ? o.spec.podMetadata : o.spec.template.metadata;
                        meta.annotations = { ...meta.annotations, ...patch.annotations };
                        return send(200, target);
                    }
                    const at = req.method === "POST" ? `${url}/${o.metadata.name}` : url;
                    store.set(at, { ...o, metadata: { ...o.metadata, resourceVersion: String(calls.length) } });
                    send(req.method === "POST" ? 201 : 200, o);
                });
            });
            return new Promise<void>((resolve) =>
                server.listen(0, "127.0.0.1", () => {
                    port = (server.address() as { port: number }).port;
                    resolve();
                }),
            );
        });
        after(() => {
            server?.close();
            if (dir) fs.rmSync(dir, { recursive: true, force: true });
        });

        it("issues the Secret, writes the CA (no key) into each trust namespace, and restarts the clients that exist", async () => {
            const first = await run(30);
            expect(first.status, first.out).to.equal(0);
            const secret = store.get(SECRET)!;
            expect(secret.type).to.equal("kubernetes.io/tls");
            expect(Object.keys(secret.data).sort()).to.deep.equal(["ca.crt", "tls.crt", "tls.key"]);
            expect(secret.data["ca.crt"]).to.equal(secret.data["tls.crt"]);
            const text = execFileSync("openssl", ["x509", "-noout", "-text"], { input: Buffer.from(secret.data["tls.crt"], "base64") }).toString();
            expect(text).to.match(/DNS:kube-prometheus-stack-prometheus\.monitoring\.svc, DNS:kube-prometheus-stack-prometheus\.monitoring/);
            // No extended key usage: Go accepts such a certificate for server and client authentication alike, which the
            // Alertmanager gossip's mutual TLS relies on (test/upstream/tls/alertmanager-cluster-tls.json, issuerCertificate).
            expect(text).to.not.match(/Extended Key Usage/);
            const ca = Buffer.from(secret.data["ca.crt"], "base64").toString();
            for (const ns of ["monitoring", "kube-system"]) {
                expect(store.get(CM(ns))!.data).to.deep.equal({ "ca.crt": ca });
                expect(JSON.stringify(store.get(CM(ns)))).to.not.include("PRIVATE KEY");
            }
            expect(annotation()).to.equal(sha256(ca));
            expect(amAnnotation()).to.equal(sha256(ca));
            expect(calls.filter((c) => c.startsWith("PATCH"))).to.deep.equal([
                `PATCH ${ADAPTER} application/strategic-merge-patch+json Bearer test-token`,
                `PATCH ${ALERTMANAGER} application/merge-patch+json Bearer test-token`,
            ]);
            expect(first.out).to.match(/Deployment argo-rollouts\/argo-rollouts does not exist yet/);
            expect(calls.every((c) => c.endsWith("Bearer test-token"))).to.equal(true);
        });

        it("changes nothing while the certificate is valid beyond the renewal window", async () => {
            const before = store.get(SECRET)!.data["tls.crt"];
            const n = calls.length;
            const second = await run(30);
            expect(second.status, second.out).to.equal(0);
            expect(second.out).to.match(/valid for more than 30 days; nothing to issue/);
            expect(store.get(SECRET)!.data["tls.crt"]).to.equal(before);
            expect(calls.slice(n).filter((c) => !c.startsWith("GET"))).to.deep.equal([]);
        });

        it("renews inside the window: the new certificate, a CA bundle that still trusts the old one, the ConfigMaps updated, then the clients restarted", async () => {
            const old = store.get(SECRET)!.data["tls.crt"];
            const n = calls.length;
            const renewed = await run(400); // a 365-day certificate is inside a 400-day window
            expect(renewed.status, renewed.out).to.equal(0);
            const secret = store.get(SECRET)!;
            expect(secret.data["tls.crt"]).to.not.equal(old);
            expect(certs(secret.data["ca.crt"])).to.equal(2);
            const bundle = Buffer.from(secret.data["ca.crt"], "base64").toString();
            expect(bundle).to.include(Buffer.from(old, "base64").toString().trim());
            expect(bundle).to.include(Buffer.from(secret.data["tls.crt"], "base64").toString().trim());
            for (const ns of ["monitoring", "kube-system"]) expect(store.get(CM(ns))!.data["ca.crt"]).to.equal(bundle);
            expect(annotation()).to.equal(sha256(bundle));
            expect(amAnnotation()).to.equal(sha256(bundle));
            // Order: Secret, then the ConfigMaps, then the restart, so restarted pods mount the new CA.
            const writes = calls
                .slice(n)
                .filter((c) => !c.startsWith("GET"))
                .map((c) => c.split(" ").slice(0, 2).join(" "));
            expect(writes).to.deep.equal([`PUT ${SECRET}`, `PUT ${CM("monitoring")}`, `PUT ${CM("kube-system")}`, `PATCH ${ADAPTER}`, `PATCH ${ALERTMANAGER}`]);
            expect(since(n, "PUT /api/v1/namespaces/monitoring/secrets/")).to.have.length(1);
        });

        it("fails, naming it, when a trust namespace's ConfigMap is missing", async () => {
            store.delete(CM("kube-system"));
            const broken = await run(30);
            expect(broken.status).to.not.equal(0);
            expect(broken.out).to.match(/ConfigMap kube-system\/prometheus-web-ca does not exist/);
        });
    });

    it("refuses a certificate without DNS names before registering anything", () => {
        expect(() => selfSignedCertificate("x", { namespace: "n", secretName: "s", dnsNames: [] }, {})).to.throw(/dnsNames is empty/);
    });

    it("asks RBAC for the least in each namespace: its Secret at home, one ConfigMap per trust namespace, each restart target by name and kind", () => {
        const rules = issuerRules({
            namespace: "home",
            secretName: "web-tls",
            dnsNames: ["web.home.svc"],
            trustNamespaces: ["home", "c"],
            trustConfigMap: "web-ca",
            restartOnRenew: [
                { kind: "Deployment", namespace: "a", name: "x" },
                { kind: "StatefulSet", namespace: "a", name: "y" },
                { kind: "Deployment", namespace: "a", name: "w" },
                { kind: "Alertmanager", namespace: "a", name: "am" },
            ],
        });
        expect([...rules.keys()].sort()).to.deep.equal(["a", "c", "home"]);
        expect(rules.get("home")).to.deep.equal([
            { apiGroups: [""], resources: ["secrets"], resourceNames: ["web-tls"], verbs: ["get", "update"] },
            { apiGroups: [""], resources: ["secrets"], verbs: ["create"] },
            { apiGroups: [""], resources: ["configmaps"], resourceNames: ["web-ca"], verbs: ["get", "update"] },
        ]);
        expect(rules.get("c")).to.deep.equal([{ apiGroups: [""], resources: ["configmaps"], resourceNames: ["web-ca"], verbs: ["get", "update"] }]);
        expect(rules.get("a")).to.deep.equal([
            { apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["x", "w"], verbs: ["get", "patch"] },
            { apiGroups: ["apps"], resources: ["statefulsets"], resourceNames: ["y"], verbs: ["get", "patch"] },
            { apiGroups: ["monitoring.coreos.com"], resources: ["alertmanagers"], resourceNames: ["am"], verbs: ["get", "patch"] },
        ]);
        // Without trust namespaces or restart targets the issuer keeps to its own Secret, and the ConfigMap name defaults from the Secret's.
        expect([...issuerRules({ namespace: "n", secretName: "s", dnsNames: ["s.n.svc"] }).keys()]).to.deep.equal(["n"]);
        expect(trustConfigMapOf({ secretName: "s" })).to.equal("s-ca");
    });

    it("refuses a trust namespace named twice and a restart target it cannot restart, naming the value and what is allowed", () => {
        const base = { namespace: "n", secretName: "s", dnsNames: ["s.n.svc"] };
        expect(() => selfSignedCertificate("x", { ...base, trustNamespaces: ["a", "b", "a"] }, {})).to.throw(/trustNamespaces lists a more than once/);
        expect(() => selfSignedCertificate("x", { ...base, restartOnRenew: [{ kind: "DaemonSet" as "Deployment", namespace: "a", name: "d" }] }, {})).to.throw(
            /restartOnRenew kind "DaemonSet" \(a\/d\) is not restartable; allowed: Deployment, StatefulSet, Alertmanager/,
        );
        expect(() => selfSignedCertificate("x", { ...base, restartOnRenew: [{ kind: "Deployment", namespace: "", name: "d" }] }, {})).to.throw(
            /needs a namespace and a name/,
        );
    });
});
