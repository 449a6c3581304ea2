import { expect } from "chai";
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { ISSUER_SCRIPT, SELF_SIGNED_RENEW_BEFORE_DAYS, SELF_SIGNED_VALIDITY_DAYS, selfSignedCertificate } from "../../components/self-signed-certificate";
import { GATEWAY_TLS_SECRET, INGRESS_GATEWAY, INGRESS_NAMESPACE } from "../../components/regional-cluster/manifests";
import { JAEGER_OTLP_TLS_SECRET, TRACING_NAMESPACE } from "../../components/observability/kubernetes";
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
                expect(env).to.include({
                    NAMESPACE: ns,
                    SECRET_NAME: secret,
                    VALIDITY_DAYS: String(SELF_SIGNED_VALIDITY_DAYS),
                    RENEW_BEFORE_DAYS: String(SELF_SIGNED_RENEW_BEFORE_DAYS),
                });
                expect(String(env.DNS_NAMES).split(",")).to.include.members(names);
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
            const secrets = runs[stack].resources
                .filter((r) => r.type === "kubernetes:batch/v1:Job")
                .flatMap((r) => ((r.inputs as Obj).spec.template.spec.containers[0].env ?? []) as Obj[])
                .filter((e) => e.name === "SECRET_NAME")
                .map((e) => e.value);
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

    describe("the issuer script against a stand-in API server (needs python3 and openssl, as the issuer image has)", () => {
        const tools = ["python3", "openssl"].every((t) => spawnSync(t, ["--version"]).status === 0 || spawnSync(t, ["version"]).status === 0);
        let dir: string;
        let server: https.Server;
        let port: number;
        const store = new Map<string, Obj>();
        const calls: string[] = [];
        const run = (renewBeforeDays: number) =>
            new Promise<{ status: number | null; out: string }>((resolve) => {
                // The script as the ConfigMap carries it, with the ServiceAccount directory and /tmp moved into the test's directory.
                const script = ISSUER_SCRIPT.replace("/var/run/secrets/kubernetes.io/serviceaccount", `${dir}/sa`)
                    .replace(/"\/tmp\/(tls\.(key|crt))"/g, `"${dir}/$1"`)
                    .replace('"/tmp/" + f', `"${dir}/" + f`);
                const child = spawn("python3", ["-c", script], {
                    env: {
                        ...process.env,
                        KUBERNETES_SERVICE_HOST: "127.0.0.1",
                        KUBERNETES_SERVICE_PORT: String(port),
                        NAMESPACE: "tracing",
                        SECRET_NAME: "jaeger-otlp-tls",
                        DNS_NAMES: "jaeger.tracing.svc,jaeger.tracing.svc.cluster.local",
                        VALIDITY_DAYS: "365",
                        RENEW_BEFORE_DAYS: String(renewBeforeDays),
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
            server = https.createServer({ key: fs.readFileSync(`${dir}/api.key`), cert: fs.readFileSync(`${dir}/sa/ca.crt`) }, (req, res) => {
                let body = "";
                req.on("data", (d) => {
                    body += d;
                });
                req.on("end", () => {
                    calls.push(`${req.method} ${req.url} ${req.headers.authorization}`);
                    const name = String(req.url).split("/").pop()!;
                    const send = (code: number, o: unknown) => {
                        res.writeHead(code, { "Content-Type": "application/json" });
                        res.end(JSON.stringify(o));
                    };
                    if (req.method === "GET") return store.has(name) ? send(200, store.get(name)) : send(404, { kind: "Status" });
                    const secret = JSON.parse(body) as Obj;
                    store.set(secret.metadata.name, { ...secret, metadata: { ...secret.metadata, resourceVersion: String(calls.length) } });
                    send(req.method === "POST" ? 201 : 200, secret);
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

        it("creates the Secret, leaves it while valid, and replaces it inside the renewal window", async () => {
            const first = await run(30);
            expect(first.status, first.out).to.equal(0);
            const secret = store.get("jaeger-otlp-tls")!;
            expect(secret.type).to.equal("kubernetes.io/tls");
            expect(Object.keys(secret.data).sort()).to.deep.equal(["ca.crt", "tls.crt", "tls.key"]);
            expect(secret.data["ca.crt"]).to.equal(secret.data["tls.crt"]);
            const text = execFileSync("openssl", ["x509", "-noout", "-text"], { input: Buffer.from(secret.data["tls.crt"], "base64") }).toString();
            expect(text).to.match(/DNS:jaeger\.tracing\.svc, DNS:jaeger\.tracing\.svc\.cluster\.local/);
            expect(calls.every((c) => c.endsWith("Bearer test-token"))).to.equal(true);

            const second = await run(30);
            expect(second.out).to.match(/valid for more than 30 days; nothing to do/);
            expect(store.get("jaeger-otlp-tls")!.data["tls.crt"]).to.equal(secret.data["tls.crt"]);

            const renewed = await run(400); // a 365-day certificate is inside a 400-day window
            expect(renewed.status, renewed.out).to.equal(0);
            expect(calls.filter((c) => c.startsWith("PUT /api/v1/namespaces/tracing/secrets/jaeger-otlp-tls"))).to.have.length(1);
            expect(store.get("jaeger-otlp-tls")!.data["tls.crt"]).to.not.equal(secret.data["tls.crt"]);
        });
    });

    it("refuses a certificate without DNS names before registering anything", () => {
        expect(() => selfSignedCertificate("x", { namespace: "n", secretName: "s", dnsNames: [] }, {})).to.throw(/dnsNames is empty/);
    });
});
