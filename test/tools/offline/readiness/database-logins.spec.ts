import { expect } from "chai";
import { APP_NAMESPACE } from "../../../../components/regional-cluster/manifests";
import { DATABASE_LOGIN_ENV, DATABASE_LOGIN_MOUNT, loginFiles } from "../../../../components/sharded-database/clients";
import { PlanFile } from "../../../../tools/offline/plan-file";
import { databaseLogins, secretKey, spcObjects } from "../../../../tools/offline/readiness/database-logins";
import { READINESS_CHECKS } from "../../../../tools/offline/readiness";
import { RunResult } from "../../../../tools/offline/stack-runner";
import { allStacks, PRIMARY_STACKS, REGIONAL_STACKS, STANDBY_STACKS } from "../../../support/fixtures";

type Obj = Record<string, any>;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const SPC = "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass";

/** Issue 15: the backend and the worker are handed PgBouncer's login; the check fails any PgBouncer client without one. */
describe("readiness: database logins (PgBouncer's clients mount its login)", () => {
    let runs: Record<string, RunResult>;
    before(async () => {
        runs = await allStacks();
    });
    const planOf = (run: RunResult, mutate?: (resources: Obj[]) => void): PlanFile => {
        const resources = clone(run.resources) as Obj[];
        mutate?.(resources);
        return { stack: run.stack, config: run.config, resources, outputs: run.outputs } as unknown as PlanFile;
    };
    const problems = (plan: PlanFile) => databaseLogins(plan).items.filter((i) => i.problem);
    const backend = (rs: Obj[]) => rs.find((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Rollout")!.inputs.spec.template.spec;
    const worker = (rs: Obj[]) =>
        rs.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.inputs.metadata.name === "bookedbarber-worker")!.inputs.spec.template.spec;

    it("is one of the plan's readiness checks", () => {
        expect(READINESS_CHECKS).to.include(databaseLogins);
    });

    it("every regional stack: the backend and the worker mount each shard's login PgBouncer accepts, in their own region, and may read it", () => {
        for (const stack of REGIONAL_STACKS) {
            const section = databaseLogins(planOf(runs[stack]));
            expect(section.items.map((i) => i.subject).sort(), stack).to.deep.equal([
                "Deployment bookedbarber/bookedbarber-worker (the worker)",
                "Rollout bookedbarber/bookedbarber-backend (the backend)",
            ]);
            expect(
                section.items.filter((i) => i.problem),
                stack,
            ).to.deep.equal([]);
            for (const i of section.items) expect(i.detail, stack).to.contain(`mounts 4 login(s) PgBouncer accepts, read in ${stack}`);
        }
    });

    it("the client SecretProviderClass names the same secrets as PgBouncer's, in the stack's region: the primary's ARNs, a standby's own replicas by name", () => {
        for (const stack of REGIONAL_STACKS) {
            const spcs = runs[stack].resources.filter((r) => r.type === SPC) as Obj[];
            const client = spcs.find((s) => s.inputs.metadata.name === DATABASE_LOGIN_MOUNT.secretProviderClass)!;
            expect(client.inputs.metadata.namespace, stack).to.equal(APP_NAMESPACE);
            expect(client.inputs.spec.parameters).to.include({ region: stack, usePodIdentity: "true" });
            const objects = spcObjects(client.inputs.spec.parameters.objects);
            const bouncer = [0, 1, 2, 3].map(
                (n) => spcObjects(spcs.find((s) => s.inputs.metadata.name === `shard-${n}-credentials`)!.inputs.spec.parameters.objects)[0].name,
            );
            expect(objects.map((o) => o.name)).to.deep.equal(bouncer);
            objects.forEach((o, n) => expect(o.files).to.deep.equal({ username: loginFiles(n).username, password: loginFiles(n).password }));
            for (const o of objects) expect(o.name.startsWith("arn:"), `${stack} ${o.name}`).to.equal(PRIMARY_STACKS.includes(stack));
            if (STANDBY_STACKS.includes(stack)) for (const o of objects) expect(o.name).to.match(/^bookedbarber\/database\/bb-\w+-db-shard-\d\/app$/);
        }
    });

    it("env carries the pools and the file paths, never a password; the roles read exactly the app secrets, never a master secret", () => {
        for (const stack of REGIONAL_STACKS) {
            const rs = runs[stack].resources as Obj[];
            for (const pod of [backend(rs), worker(rs)]) {
                const env = pod.containers[0].env as { name: string; value?: string; valueFrom?: unknown }[];
                const shards = JSON.parse(env.find((e) => e.name === DATABASE_LOGIN_ENV)!.value!);
                expect(shards.map((s: Obj) => [s.writer, s.reader])).to.deep.equal(
                    [0, 1, 2, 3].map((n) => [`shard-${n}-rw.database.svc.cluster.local`, `shard-${n}-ro.database.svc.cluster.local`]),
                );
                expect(env.every((e) => e.valueFrom === undefined && !/password"?\s*[:=]\s*"?[^/"]/i.test(String(e.value)))).to.equal(true);
                expect(pod.volumes).to.deep.include({
                    name: DATABASE_LOGIN_MOUNT.volume,
                    csi: {
                        driver: "secrets-store.csi.k8s.io",
                        readOnly: true,
                        volumeAttributes: { secretProviderClass: DATABASE_LOGIN_MOUNT.secretProviderClass },
                    },
                });
            }
            for (const who of ["backend", "worker"]) {
                const policy = JSON.parse(rs.find((r) => r.name.endsWith(`-${who}-database-login-read`))!.inputs.policy);
                const read = policy.Statement[0];
                expect(read.Action).to.deep.equal(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]);
                expect(read.Resource, stack).to.have.length(4);
                for (const r of read.Resource as string[]) {
                    expect(r, stack).to.match(/\/app(-\w{6}|-\?{6})$/);
                    expect(r.split(":")[3], "in-zone: the stack's own region").to.equal(stack);
                }
            }
        }
    });

    const DEFECTS: [string, string, (rs: Obj[]) => void, RegExp][] = [
        [
            "the backend without the CSI volume",
            "us-east-1",
            (rs) => {
                const pod = backend(rs);
                pod.volumes = pod.volumes.filter((v: Obj) => v.name !== DATABASE_LOGIN_MOUNT.volume);
            },
            /bookedbarber-backend.*no CSI volume mounts bookedbarber\/database\/bb-use1-db-shard-0\/app/,
        ],
        [
            "the worker's container not mounting the volume",
            "eu-west-1",
            (rs) => {
                const c = worker(rs).containers[0];
                c.volumeMounts = c.volumeMounts.filter((m: Obj) => m.name !== DATABASE_LOGIN_MOUNT.volume);
            },
            /bookedbarber-worker.*no container mounts volume database-login/,
        ],
        [
            "env that does not name the files",
            "us-east-1",
            (rs) => {
                const c = backend(rs).containers[0];
                c.env = c.env.filter((e: Obj) => e.name !== DATABASE_LOGIN_ENV);
            },
            /no env value names \/var\/run\/secrets\/bookedbarber\/database\/shard-0-username/,
        ],
        [
            "a standby reading the primary region's secrets",
            "us-west-2",
            (rs) => {
                const spc = rs.find((r) => r.type === SPC && r.inputs.metadata.name === DATABASE_LOGIN_MOUNT.secretProviderClass)!;
                spc.inputs.spec.parameters.region = "us-east-1";
            },
            /reads bookedbarber\/database\/bb-use1-db-shard-\d\/app in us-east-1, not in its own region us-west-2/,
        ],
        [
            "one shard left out of the client SecretProviderClass",
            "ap-southeast-1",
            (rs) => {
                const spc = rs.find((r) => r.type === SPC && r.inputs.metadata.name === DATABASE_LOGIN_MOUNT.secretProviderClass)!;
                spc.inputs.spec.parameters.objects = String(spc.inputs.spec.parameters.objects).split("\n- objectName").slice(0, 3).join("\n- objectName");
            },
            /no CSI volume mounts bookedbarber\/database\/bb-apse1-db-shard-3\/app/,
        ],
        [
            "the worker's role without the read",
            "eu-central-1",
            (rs) => {
                rs.splice(
                    rs.findIndex((r) => r.name.endsWith("-worker-database-login-read")),
                    1,
                );
            },
            /bookedbarber-worker.*Pod Identity role bb-euc1-queue-consumer-role may not read bookedbarber\/database\/bb-euw1-db-shard-0\/app in eu-central-1/,
        ],
        [
            "a SecretProviderClass the plan does not create",
            "us-east-1",
            (rs) => {
                rs.splice(
                    rs.findIndex((r) => r.type === SPC && r.inputs.metadata.name === DATABASE_LOGIN_MOUNT.secretProviderClass),
                    1,
                );
            },
            /names SecretProviderClass database-login, which the plan does not create in bookedbarber/,
        ],
        [
            "a new app workload the namespace's policies route to PgBouncer, without a login",
            "us-east-1",
            (rs) => {
                const w = clone(rs.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.inputs.metadata.name === "bookedbarber-worker")!);
                w.urn += "-reports";
                w.name += "-reports";
                w.inputs.metadata.name = "reports";
                w.inputs.spec.template.metadata.labels = { "app.kubernetes.io/name": "reports" };
                const pod = w.inputs.spec.template.spec;
                pod.volumes = pod.volumes.filter((v: Obj) => !v.csi);
                pod.containers[0].volumeMounts = pod.containers[0].volumeMounts.filter((m: Obj) => m.name !== DATABASE_LOGIN_MOUNT.volume);
                rs.push(w);
            },
            /Deployment bookedbarber\/reports \(its NetworkPolicies route it to PgBouncer on 6432\).*no CSI volume mounts/,
        ],
        [
            "a client SecretProviderClass that syncs the login into a Kubernetes Secret",
            "us-west-2",
            (rs) => {
                const spc = rs.find((r) => r.type === SPC && r.inputs.metadata.name === DATABASE_LOGIN_MOUNT.secretProviderClass)!;
                spc.inputs.spec.secretObjects = [{ secretName: "db-login", type: "Opaque", data: [{ objectName: "shard-0-password", key: "password" }] }];
            },
            /syncs its objects into a Kubernetes Secret/,
        ],
        [
            "a pod a mesh policy admits to PgBouncer, without a login",
            "ap-northeast-1",
            (rs) => {
                rs.push({
                    type: "kubernetes:security.istio.io/v1:AuthorizationPolicy",
                    urn: "urn:test:authz",
                    name: "test-authz",
                    inputs: {
                        metadata: { name: "allow-opensearch-bootstrap", namespace: "database" },
                        spec: {
                            action: "ALLOW",
                            rules: [{ from: [{ source: { principals: ["cluster.local/ns/monitoring/sa/opensearch-bootstrap"] } }] }],
                        },
                    },
                });
            },
            /Job monitoring\/.*\(mesh policy allow-opensearch-bootstrap admits it to PgBouncer\).*no CSI volume mounts/,
        ],
        [
            "a pod in another namespace given an egress route to PgBouncer",
            "eu-west-1",
            (rs) => {
                const job = clone(rs.find((r) => r.type === "kubernetes:batch/v1:Job" && r.inputs.metadata.namespace === "monitoring")!);
                const labels = (job.inputs.spec.template.metadata ??= {}).labels ?? {};
                job.inputs.spec.template.metadata.labels = labels;
                rs.push({
                    type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
                    urn: "urn:test:netpol",
                    name: "test-netpol",
                    inputs: {
                        metadata: { name: "to-pgbouncer", namespace: "monitoring" },
                        spec: {
                            podSelector: { matchLabels: labels },
                            policyTypes: ["Egress"],
                            egress: [
                                {
                                    to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "database" } } }],
                                    ports: [{ protocol: "TCP", port: 6433 }],
                                },
                            ],
                        },
                    },
                });
                rs.splice(rs.indexOf(rs.find((r) => r.urn === job.urn)!), 1, job);
            },
            /Job monitoring\/.*its NetworkPolicies route it to PgBouncer on 6433.*no CSI volume mounts/,
        ],
    ];
    for (const [what, stack, mutate, want] of DEFECTS)
        it(`fails on ${what} (${stack})`, () => {
            expect(problems(planOf(runs[stack])), "the unmutated plan passes").to.deep.equal([]);
            const found = problems(planOf(runs[stack], mutate));
            expect(found.map((p) => `${p.subject}: ${p.problem}`).join("\n")).to.match(want);
        });

    it("reads both forms of a secret reference as one secret", () => {
        expect(secretKey("arn:aws:secretsmanager:us-east-1:123456789012:secret:bookedbarber/database/bb-use1-db-shard-0/app-AbC123")).to.equal(
            "bookedbarber/database/bb-use1-db-shard-0/app",
        );
        expect(secretKey("bookedbarber/database/bb-use1-db-shard-0/app")).to.equal("bookedbarber/database/bb-use1-db-shard-0/app");
    });
});
