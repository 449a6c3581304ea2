import * as aws from "@pulumi/aws";
import { SECRETS_DIR } from "../../../components/sharded-database/pod-common";
import { expect } from "chai";
import * as k8s from "@pulumi/kubernetes";
import { ArgsError } from "../../../components/args";
import { buildCatalog, ShardedDatabase, ShardedDatabaseArgs, ShardOutput, standbyCatalogProblem } from "../../../components/sharded-database";
import { DEFAULT_READER_CLASS, DEFAULT_WRITER_CLASS, maxConnections } from "../../../components/sharded-database/sizing";
import { DEFAULT_ZONE_RANGES } from "../../../stacks/config-keys/database";
import { ZONE_REGIONS } from "../../../stacks/regions";
import { CapturedResource } from "../../../tools/offline/mock-engine";
import { RunResult, runStack } from "../../../tools/offline/stack-runner";
import { allStacks, ofType, PRIMARY_STACKS, STANDBY_STACKS } from "../../support/fixtures";
import { PREVIOUS_LOGIN_FILES } from "../../../components/sharded-database/kubernetes";

const CLUSTER = "aws:rds/cluster:Cluster";
const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const GLOBAL = "aws:rds/globalCluster:GlobalCluster";
/** kubernetes-models is ESM-only, and tsc turns `import()` into `require()` under CommonJS; this keeps a real import(). */
const esmImport = new Function("specifier", "return import(specifier)") as (s: string) => Promise<any>;
const zoneOf = (stack: string) => Object.entries(ZONE_REGIONS).find(([, r]) => r.primary === stack || r.standby === stack)![0];
const kms = (run: RunResult) => run.outputs.kmsKeys as Record<string, string>;
const shardsOf = (run: RunResult) => run.outputs.shards as ShardOutput[];
const nodeSg = (run: RunResult) => (ofType(run, "aws:ec2/launchTemplate:LaunchTemplate")[0].inputs.vpcSecurityGroupIds as string[])[0];
/** Resources of one type under the stack's ShardedDatabase (other components add secrets, security groups, ...). */
const ofDb = (run: RunResult, type: string): CapturedResource[] => {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const inDb = (r: CapturedResource): boolean => {
        for (let p = r.parent; p; p = byUrn.get(p)?.parent ?? null) if (p.includes("bookedbarber:database:ShardedDatabase")) return true;
        return false;
    };
    return ofType(run, type).filter(inDb);
};
const oneOfDb = (run: RunResult, type: string): CapturedResource => {
    const found = ofDb(run, type);
    expect(found, type).to.have.length(1);
    return found[0];
};
const byName = (run: RunResult, type: string, name: string): CapturedResource => {
    const found = ofDb(run, type).filter((r) => (r.inputs.metadata as { name: string }).name === name);
    expect(found, `${type} ${name}`).to.have.length(1);
    return found[0];
};

describe("ShardedDatabase", () => {
    for (const stack of PRIMARY_STACKS) {
        describe(`${stack} (primary)`, () => {
            it("has 4 Aurora PostgreSQL clusters, each the primary of a global cluster, encrypted, protected, backed up, IAM auth, secret-held password", async () => {
                const run = (await allStacks())[stack];
                const clusters = ofType(run, CLUSTER);
                const globals = ofType(run, GLOBAL);
                expect(clusters).to.have.length(4);
                expect(globals).to.have.length(4);
                const secrets = ofDb(run, "aws:secretsmanager/secret:Secret");
                // Per shard: the master user's and the app role's (PgBouncer's login).
                const db = String(clusters[0].inputs.clusterIdentifier).replace(/-shard-\d+$/, "");
                expect(secrets.map((x) => String(x.inputs.name).replace(/shard-\d/, "shard-N")).sort()).to.deep.equal([
                    ...Array(4).fill(`bookedbarber/database/${db}-shard-N/app`),
                    ...Array(4).fill(`bookedbarber/database/${db}-shard-N/master`),
                ]);
                for (const s of secrets) expect(s.inputs.kmsKeyId).to.equal(kms(run).secrets);
                for (const c of clusters) {
                    expect(c.inputs, c.name).to.include({
                        engine: "aurora-postgresql",
                        engineVersion: "16.6",
                        storageType: "aurora-iopt1",
                        storageEncrypted: true,
                        kmsKeyId: kms(run).db,
                        deletionProtection: true,
                        skipFinalSnapshot: false,
                        backupRetentionPeriod: 35,
                        copyTagsToSnapshot: true,
                        iamDatabaseAuthenticationEnabled: true,
                        masterUsername: "bbadmin",
                        masterPassword: "[secret]",
                        databaseName: "bookedbarber",
                    });
                    expect(c.inputs.finalSnapshotIdentifier).to.equal(`${c.inputs.clusterIdentifier}-final`);
                    expect(c.inputs.enabledCloudwatchLogsExports).to.deep.equal(["postgresql"]);
                    expect(c.options.protect, c.name).to.equal(true);
                    expect(globals.map((g) => g.inputs.globalClusterIdentifier)).to.include(c.inputs.globalClusterIdentifier);
                }
                for (const g of globals)
                    expect(g.inputs).to.include({ engine: "aurora-postgresql", engineVersion: "16.6", storageEncrypted: true, deletionProtection: true });
                expect(globals.map((g) => g.inputs.globalClusterIdentifier)).to.have.members(
                    [0, 1, 2, 3].map((n) => `bookedbarber-${zoneOf(stack)}-shard-${n}`),
                );
            });

            it("runs a writer and a reader per shard in two AZs with Performance Insights under the CMK and Enhanced Monitoring, and scales readers 1-5", async () => {
                const run = (await allStacks())[stack];
                const instances = ofType(run, INSTANCE);
                expect(instances).to.have.length(8);
                const writers = instances.filter((i) => i.inputs.promotionTier === 0);
                const readers = instances.filter((i) => i.inputs.promotionTier === 1);
                // Sized by the cost model (docs/cost-model.md), not the spec's db.r6g.16xlarge / 8xlarge.
                expect(writers.map((w) => w.inputs.instanceClass)).to.deep.equal(Array(4).fill(DEFAULT_WRITER_CLASS));
                expect(readers.map((r) => r.inputs.instanceClass)).to.deep.equal(Array(4).fill(DEFAULT_READER_CLASS));
                const monitoringRole = ofDb(run, "aws:iam/role:Role").find((r) => r.name.endsWith("-db-monitoring"))!;
                for (const c of ofType(run, CLUSTER)) {
                    const mine = instances.filter((i) => i.parent === c.urn);
                    expect(mine, c.name).to.have.length(2);
                    expect(new Set(mine.map((i) => i.inputs.availabilityZone)).size, `${c.name}: the reader fails over from another AZ`).to.equal(2);
                }
                for (const i of instances) {
                    expect(i.inputs, i.name).to.include({
                        performanceInsightsEnabled: true,
                        performanceInsightsKmsKeyId: kms(run).db,
                        monitoringInterval: 15,
                        publiclyAccessible: false,
                        autoMinorVersionUpgrade: false,
                        engineVersion: "16.6",
                    });
                    expect(String(i.inputs.monitoringRoleArn)).to.match(/^arn:aws:iam::\d+:role\//);
                }
                expect(JSON.parse(String(monitoringRole.inputs.assumeRolePolicy)).Statement[0].Principal.Service).to.equal("monitoring.rds.amazonaws.com");
                const targets = ofDb(run, "aws:appautoscaling/target:Target");
                expect(targets).to.have.length(4);
                expect(
                    targets.reduce((n, t) => n + Number(t.inputs.maxCapacity), 0),
                    "spec: 5 read replicas per region, reached under load",
                ).to.be.at.least(5);
                for (const t of targets) {
                    expect(t.inputs).to.include({ serviceNamespace: "rds", scalableDimension: "rds:cluster:ReadReplicaCount", minCapacity: 1, maxCapacity: 5 });
                    expect(String(t.inputs.resourceId)).to.match(/^cluster:bb-\w+-db-shard-\d$/);
                }
                for (const p of ofDb(run, "aws:appautoscaling/policy:Policy")) {
                    expect(p.inputs.policyType).to.equal("TargetTrackingScaling");
                    expect((p.inputs.targetTrackingScalingPolicyConfiguration as { targetValue: number }).targetValue).to.equal(60);
                }
            });

            it("forces SSL and does not couple commits to the standby (no rds.global_db_rpo by default); data subnets only; 5432 only from the cluster's nodes", async () => {
                const run = (await allStacks())[stack];
                const pg = oneOfDb(run, "aws:rds/clusterParameterGroup:ClusterParameterGroup");
                const params = Object.fromEntries((pg.inputs.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]));
                expect(params).to.include({ "rds.force_ssl": "1", ssl_min_protocol_version: "TLSv1.3" });
                expect(params).not.to.have.property("rds.global_db_rpo");
                expect(pg.inputs.family).to.equal("aurora-postgresql16");
                expect(oneOfDb(run, "aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds).to.deep.equal(run.outputs.dataSubnetIds);
                // The shards' group; primaries also hold the rotation function's and the Secrets Manager endpoint's (docs/secrets.md).
                const sg = ofDb(run, "aws:ec2/securityGroup:SecurityGroup").find((g) => String(g.inputs.description).startsWith("Aurora shards"))!;
                expect(sg.inputs.ingress ?? []).to.deep.equal([]);
                const rules = ofDb(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.parent === sg.urn);
                expect(rules).to.have.length(1);
                expect(rules[0].inputs).to.deep.include({ ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: nodeSg(run) });
                expect(rules[0].inputs.cidrIpv4).to.equal(undefined);
                for (const c of ofType(run, CLUSTER)) expect(c.inputs.vpcSecurityGroupIds).to.deep.equal([run.outputs.dbSecurityGroupId]);
                expect(run.outputs.dbSubnetGroupName).to.be.a("string");
            });

            it("publishes its zone's shards in the contract, the SSM parameter and the ConfigMap", async () => {
                const run = (await allStacks())[stack];
                const zone = zoneOf(stack);
                const range = DEFAULT_ZONE_RANGES[zone];
                const shards = shardsOf(run);
                expect(shards.map((s) => s.shardId)).to.deep.equal([0, 1, 2, 3]);
                expect(shards[0].franchiseRange[0]).to.equal(range.first);
                expect(shards[3].franchiseRange[1]).to.equal(range.last);
                for (const s of shards) {
                    expect(s.globalClusterId).to.equal(`bookedbarber-${zone}-shard-${s.shardId}`);
                    expect(s.clusterArn).to.match(new RegExp(`^arn:aws:rds:${stack}:`));
                    expect(s.writerEndpoint).to.match(/\.cluster-c\w+\./);
                    expect(s.readerEndpoint).to.match(/\.cluster-ro-c\w+\./);
                }
                const param = oneOfDb(run, "aws:ssm/parameter:Parameter");
                expect(param.inputs).to.include({ type: "String", name: `/bookedbarber/${zone}/${stack}/database/shard-catalog` });
                const published = JSON.parse(String(param.inputs.insecureValue));
                expect(published.shards.map((s: ShardOutput & { pooler: unknown }) => ({ ...s, pooler: undefined }))).to.deep.equal(
                    shards.map((s) => ({ ...s, pooler: undefined })),
                );
                expect(published.catalog).to.have.length(12);
                const cm = byName(run, "kubernetes:core/v1:ConfigMap", "shard-catalog");
                expect((cm.inputs.data as Record<string, string>)["catalog.json"]).to.equal(param.inputs.insecureValue);
            });

            it("runs PgBouncer per shard: 2+ pods spread over AZs, a PDB, writer and reader Services, transaction pooling, verify-full TLS, sized from max_connections", async () => {
                const run = (await allStacks())[stack];
                const deployments = ofDb(run, "kubernetes:apps/v1:Deployment");
                expect(deployments).to.have.length(4);
                let writerClients = 0;
                let readerClients = 0;
                for (const s of shardsOf(run)) {
                    const dep = byName(run, "kubernetes:apps/v1:Deployment", `pgbouncer-shard-${s.shardId}`);
                    const spec = dep.inputs.spec as any;
                    expect(spec.replicas).to.be.at.least(2);
                    expect(spec.template.metadata.annotations["bookedbarber.com/config-checksum"], "config changes roll the pods").to.match(/^[0-9a-f]{16}$/);
                    expect(spec.template.spec.topologySpreadConstraints[0]).to.include({
                        topologyKey: "topology.kubernetes.io/zone",
                        whenUnsatisfiable: "DoNotSchedule",
                        maxSkew: 1,
                    });
                    const volumes = spec.template.spec.volumes as any[];
                    expect(volumes.find((v) => v.name === "secrets").csi).to.deep.include({ driver: "secrets-store.csi.k8s.io" });
                    // No password in any container's env or args; the refresh sidecar's script names only the mounted file.
                    expect(
                        JSON.stringify(
                            spec.template.spec.containers.map(({ command, ...c }: any) => ({
                                ...c,
                                command: command.map((x: string) =>
                                    x.split(`${SECRETS_DIR}/${PREVIOUS_LOGIN_FILES.password}`).join("").split(`${SECRETS_DIR}/password`).join(""),
                                ),
                            })),
                        ),
                    ).to.not.match(/password/i);
                    const pdb = byName(run, "kubernetes:policy/v1:PodDisruptionBudget", `pgbouncer-shard-${s.shardId}`);
                    expect((pdb.inputs.spec as any).maxUnavailable).to.equal(1);
                    expect((pdb.inputs.spec as any).selector.matchLabels).to.deep.equal(spec.selector.matchLabels);
                    for (const pool of ["rw", "ro"]) {
                        const svc = byName(run, "kubernetes:core/v1:Service", `shard-${s.shardId}-${pool}`);
                        expect((svc.inputs.spec as any).selector).to.deep.equal(spec.selector.matchLabels);
                        expect((svc.inputs.spec as any).ports[0].targetPort).to.equal(pool === "rw" ? 6432 : 6433);
                    }
                    const data = byName(run, "kubernetes:core/v1:ConfigMap", `pgbouncer-shard-${s.shardId}`).inputs.data as Record<string, string>;
                    for (const [pool, host, cls, servers] of [
                        ["rw", s.writerEndpoint, DEFAULT_WRITER_CLASS, 1],
                        ["ro", s.readerEndpoint, DEFAULT_READER_CLASS, 1],
                    ] as const) {
                        const ini = Object.fromEntries(
                            data[`${pool}.ini`]
                                .split("\n")
                                .filter((l) => / = /.test(l))
                                .map((l) => l.split(" = ")),
                        );
                        expect(ini, pool).to.include({
                            pool_mode: "transaction",
                            server_tls_sslmode: "verify-full",
                            server_tls_ca_file: "/run/rds-ca/bundle.pem",
                            auth_file: "/run/pgbouncer/userlist.txt",
                        });
                        expect(ini.bookedbarber).to.equal(`host=${host} port=5432 dbname=bookedbarber`);
                        // All pods together stay within 80% of the servers' max_connections.
                        expect(Number(ini.max_db_connections) * spec.replicas).to.be.at.most(Math.floor(maxConnections(cls) * 0.8) * servers);
                        expect(Number(ini.default_pool_size) + Number(ini.reserve_pool_size)).to.equal(Number(ini.max_db_connections));
                        if (pool === "rw") writerClients += Number(ini.max_client_conn) * spec.replicas;
                        else readerClients += Number(ini.max_client_conn) * spec.replicas;
                    }
                }
                expect(writerClients, "writer max_client_conn per region").to.be.at.least(10_000);
                expect(readerClients, "reader max_client_conn per region").to.be.at.least(10_000);
            });

            it("PgBouncer logs in as the app role: its SecretProviderClasses and Pod Identity role reach the app secrets only, never the master's", async () => {
                const run = (await allStacks())[stack];
                const release = oneOfDb(run, "kubernetes:helm.sh/v3:Release");
                expect(release.inputs).to.include({ chart: "secrets-store-csi-driver-provider-aws", version: "3.1.1", namespace: "kube-system" });
                const secrets = ofDb(run, "aws:secretsmanager/secret:Secret");
                const arnOf = (kind: string) =>
                    secrets
                        .filter((x) => String(x.inputs.name).endsWith(`/${kind}`))
                        .map((x) => `arn:aws:secretsmanager:${stack}:123456789012:secret:${x.inputs.name}`);
                const spcs = ofDb(run, "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass");
                // PgBouncer's per shard; the migration Job's two (master and app) per shard; the app's login (all shards, clients.ts).
                expect(spcs).to.have.length(13);
                for (const spc of spcs) {
                    const params = (spc.inputs.spec as any).parameters;
                    expect(params).to.include({ usePodIdentity: "true", region: stack });
                    const kind = /migrator-master$/.test((spc.inputs.metadata as any).name) ? "master" : "app";
                    const names = [...String(params.objects).matchAll(/objectName: "([^"]+)"/g)].map((m) => m[1]);
                    // PgBouncer's reads the current and the previous version of one secret (its userlist holds both logins).
                    const meta = spc.inputs.metadata as any;
                    expect(names.length, meta.name).to.equal(meta.name === "database-login" ? 4 : /-credentials$/.test(meta.name) ? 2 : 1);
                    for (const n of names)
                        expect(n, (spc.inputs.metadata as any).name).to.match(
                            new RegExp(`^arn:aws:secretsmanager:[\\w-]+:\\d+:secret:bookedbarber/database/bb-[\\w-]+-db-shard-\\d/${kind}-\\w+$`),
                        );
                }
                for (let n = 0; n < 4; n++) {
                    const params = (byName(run, "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass", `shard-${n}-credentials`).inputs.spec as any)
                        .parameters;
                    expect(params.objects).to.match(new RegExp(`bookedbarber/database/bb-\\w+-db-shard-${n}/app-`));
                }
                const assoc = ofDb(run, "aws:eks/podIdentityAssociation:PodIdentityAssociation").filter((a) => a.inputs.namespace === "database");
                expect(assoc.map((a) => a.inputs.serviceAccount)).to.have.members(["pgbouncer", "shard-catalog-migrator"]);
                const policy = (suffix: string) =>
                    JSON.parse(String(ofDb(run, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name.endsWith(suffix))!.inputs.policy));
                const bouncer = policy("-db-pgbouncer-policy");
                expect(bouncer.Statement[0].Action).to.deep.equal(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]);
                expect(
                    bouncer.Statement[0].Resource.map((r: string) => r.replace(/-\w{6}$/, "")),
                    "the app secrets, and no master secret",
                ).to.have.members(arnOf("app"));
                expect(bouncer.Statement[1]).to.deep.include({ Action: "kms:Decrypt", Resource: kms(run).secrets });
                const migrator = policy("-db-migrator-policy");
                expect(migrator.Statement[0].Resource.map((r: string) => r.replace(/-\w{6}$/, ""))).to.have.members([...arnOf("app"), ...arnOf("master")]);
            });

            it("applies the directory migration and catalog seed to shard 0, and the app role to every shard, with a Job per shard over verify-full TLS", async () => {
                const run = (await allStacks())[stack];
                const jobs = ofDb(run, "kubernetes:batch/v1:Job");
                expect(jobs).to.have.length(4);
                const roleFiles = "-f /migrations/Y001__app_role.sql -f /migrations/Y002__app_session.psql -f /migrations/Y003__app_login.sql";
                for (const s of shardsOf(run)) {
                    const job = jobs.find((j) =>
                        (j.inputs.spec as any).template.spec.containers[0].env.some(
                            (e: { name: string; value: string }) => e.name === "PGHOST" && e.value === s.writerEndpoint,
                        ),
                    )!;
                    expect(job, `shard ${s.shardId}`).to.not.equal(undefined);
                    const pod = (job.inputs.spec as any).template.spec;
                    const env = Object.fromEntries(pod.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
                    expect(env).to.include({ PGSSLMODE: "verify-full", PGDATABASE: "bookedbarber" });
                    const files =
                        s.shardId === 0 ? `-f /migrations/V001__franchise_shard_map.sql -f /migrations/Z999__catalog_seed.sql ${roleFiles}` : roleFiles;
                    expect(pod.containers[0].command[2]).to.contain(`--single-transaction ${files}`);
                    const cmName = pod.volumes.find((v: any) => v.name === "migrations").configMap.name;
                    const cm = ofDb(run, "kubernetes:core/v1:ConfigMap").find((c) => (c.inputs.metadata as any).name === cmName)!;
                    const data = cm.inputs.data as Record<string, string>;
                    expect(data["Y001__app_role.sql"]).to.contain("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO bookedbarber_app");
                    // The password comes from the mounted app secret at run time, never from the ConfigMap.
                    expect(data["Y002__app_session.psql"]).to.contain("\\set app_password `cat /mnt/app-credentials/password`");
                    expect(JSON.stringify(data)).to.not.match(/PASSWORD '/);
                    const spcs = pod.volumes.filter((v: any) => v.csi).map((v: any) => v.csi.volumeAttributes.secretProviderClass);
                    expect(spcs).to.deep.equal([`shard-${s.shardId}-migrator-master`, `shard-${s.shardId}-migrator-app`]);
                    if (s.shardId === 0) {
                        expect(data["V001__franchise_shard_map.sql"]).to.contain("CREATE TABLE IF NOT EXISTS franchise_shard_map");
                        expect(data["Z999__catalog_seed.sql"]).to.contain("int8range(75001, 81250, '[]')");
                        expect((job.inputs.metadata as any).name).to.equal(cmName.replace("directory-migrations-", "directory-migrate-"));
                    } else {
                        expect(Object.keys(data).sort()).to.deep.equal(["Y001__app_role.sql", "Y002__app_session.psql", "Y003__app_login.sql"]);
                    }
                }
            });
        });
    }

    for (const stack of STANDBY_STACKS) {
        it(`${stack} (standby): joins exactly its zone primary's 4 global clusters with secondaries sized to take the writes, and creates no global cluster`, async () => {
            const runs = await allStacks();
            const run = runs[stack];
            const zone = zoneOf(stack);
            const primary = runs[ZONE_REGIONS[zone as keyof typeof ZONE_REGIONS].primary];
            expect(ofType(run, GLOBAL)).to.have.length(0);
            const clusters = ofType(run, CLUSTER);
            expect(clusters).to.have.length(4);
            const primaryGlobals = shardsOf(primary).map((s) => s.globalClusterId);
            const otherZones = PRIMARY_STACKS.filter((p) => p !== ZONE_REGIONS[zone as keyof typeof ZONE_REGIONS].primary).flatMap((p) =>
                shardsOf(runs[p]).map((s) => s.globalClusterId),
            );
            expect(clusters.map((c) => c.inputs.globalClusterIdentifier)).to.have.members(primaryGlobals);
            for (const c of clusters) {
                expect(otherZones, "nothing replicates across zones").to.not.include(c.inputs.globalClusterIdentifier);
                expect(c.inputs).to.include({
                    engine: "aurora-postgresql",
                    engineVersion: "16.6",
                    storageEncrypted: true,
                    kmsKeyId: kms(run).db,
                    deletionProtection: true,
                    iamDatabaseAuthenticationEnabled: true,
                });
                for (const k of ["masterUsername", "masterPassword", "manageMasterUserPassword", "databaseName"]) expect(c.inputs[k], k).to.equal(undefined);
                expect(c.options.ignoreChanges).to.include("replicationSourceIdentifier");
            }
            // A minimal secondary: one writer-class instance per shard that the DR plan promotes, no readers (databaseStandbyReaders 0).
            const writers = ofType(run, INSTANCE).filter((i) => i.inputs.promotionTier === 0);
            expect(writers.map((w) => w.inputs.instanceClass)).to.deep.equal(Array(4).fill(DEFAULT_WRITER_CLASS));
            expect(ofType(run, INSTANCE), "no readers on a standby by default").to.have.length(4);
            // Its one instance answers both pools, so PgBouncer splits that instance's connection budget between them.
            for (const s of shardsOf(run)) {
                const data = byName(run, "kubernetes:core/v1:ConfigMap", `pgbouncer-shard-${s.shardId}`).inputs.data as Record<string, string>;
                const perPod = (pool: string) =>
                    Number(
                        Object.fromEntries(
                            data[`${pool}.ini`]
                                .split("\n")
                                .filter((l) => / = /.test(l))
                                .map((l) => l.split(" = ")),
                        ).max_db_connections,
                    );
                const pods = (byName(run, "kubernetes:apps/v1:Deployment", `pgbouncer-shard-${s.shardId}`).inputs.spec as any).replicas as number;
                expect((perPod("rw") + perPod("ro")) * pods).to.be.at.most(Math.floor(maxConnections(DEFAULT_WRITER_CLASS) * 0.8));
            }
            expect(shardsOf(run).map((s) => s.franchiseRange)).to.deep.equal(shardsOf(primary).map((s) => s.franchiseRange));
            expect(ofDb(run, "kubernetes:batch/v1:Job"), "the migration replicates from the primary").to.have.length(0);
            // PgBouncer is ready for failover: it points at this region's secondaries and reads the replicas of the
            // primary's app secrets in this region (test/components/sharded-database/secret-replicas.spec.ts).
            expect(ofDb(run, "kubernetes:apps/v1:Deployment")).to.have.length(4);
            for (const s of shardsOf(run)) {
                const data = byName(run, "kubernetes:core/v1:ConfigMap", `pgbouncer-shard-${s.shardId}`).inputs.data as Record<string, string>;
                expect(data["rw.ini"]).to.contain(`bookedbarber = host=${s.writerEndpoint} port=5432`);
                const spc = byName(run, "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass", `shard-${s.shardId}-credentials`);
                const params = (spc.inputs.spec as any).parameters;
                const primaryId = shardsOf(primary)[s.shardId].clusterArn.split(":").pop();
                expect(params).to.include({ region: stack, usePodIdentity: "true" });
                expect(params.objects).to.contain(`objectName: "bookedbarber/database/${primaryId}/app"`);
                expect(ofDb(primary, "aws:secretsmanager/secret:Secret").map((x) => x.inputs.name)).to.include(`bookedbarber/database/${primaryId}/app`);
            }
            const policy = JSON.parse(String(ofDb(run, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name.endsWith("-db-pgbouncer-policy"))!.inputs.policy));
            for (const r of policy.Statement[0].Resource)
                expect(r).to.match(new RegExp(`^arn:aws:secretsmanager:${stack}:\\d+:secret:bookedbarber/database/bb-[\\w-]+-db-shard-\\d/app-\\?{6}$`));
            expect(policy.Statement[1].Condition.StringEquals["kms:ViaService"]).to.equal(`secretsmanager.${stack}.amazonaws.com`);
        });
    }

    it("the three zones' shards together cover franchises 1..100,000 exactly once", async () => {
        const runs = await allStacks();
        const ranges = PRIMARY_STACKS.flatMap((p) => shardsOf(runs[p]).map((s) => s.franchiseRange)).sort((a, b) => a[0] - b[0]);
        let next = 1;
        for (const [first, last] of ranges) {
            expect(first, `gap or overlap before ${first}`).to.equal(next);
            next = last + 1;
        }
        expect(next - 1).to.equal(100_000);
    });

    it("every Kubernetes object it writes validates against the upstream schema", async () => {
        const runs = await allStacks();
        const models: Record<string, any> = {
            "kubernetes:apps/v1:Deployment": (await esmImport("kubernetes-models/apps/v1/Deployment")).Deployment,
            "kubernetes:policy/v1:PodDisruptionBudget": (await esmImport("kubernetes-models/policy/v1/PodDisruptionBudget")).PodDisruptionBudget,
            "kubernetes:core/v1:Service": (await esmImport("kubernetes-models/v1/Service")).Service,
            "kubernetes:core/v1:ConfigMap": (await esmImport("kubernetes-models/v1/ConfigMap")).ConfigMap,
            "kubernetes:core/v1:ServiceAccount": (await esmImport("kubernetes-models/v1/ServiceAccount")).ServiceAccount,
            "kubernetes:core/v1:Namespace": (await esmImport("kubernetes-models/v1/Namespace")).Namespace,
            "kubernetes:batch/v1:Job": (await esmImport("kubernetes-models/batch/v1/Job")).Job,
        };
        // Deployments, PDBs, Services, ConfigMaps, ServiceAccounts, Namespace, Jobs: the standby has no migration Jobs or their SA and ConfigMaps.
        for (const [stack, expected] of [
            [PRIMARY_STACKS[0], 4 + 4 + 8 + 9 + 2 + 1 + 4],
            [STANDBY_STACKS[0], 4 + 4 + 8 + 5 + 1 + 1],
        ] as const) {
            let validated = 0;
            for (const r of runs[stack].resources.filter((x) => models[x.type] && x.parent && x.urn.includes("ShardedDatabase"))) {
                new models[r.type](r.inputs).validate();
                validated++;
            }
            expect(validated, stack).to.equal(expected);
        }
    });

    describe("bad args and config", () => {
        const good = (): ShardedDatabaseArgs => ({
            role: "primary",
            zone: "us",
            region: "us-east-1",
            azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
            vpcId: "vpc-1",
            dataSubnetIds: ["subnet-1", "subnet-2", "subnet-3"],
            clientSecurityGroupIds: ["sg-1"],
            dbKeyArn: "arn:db",
            secretsKeyArn: "arn:secrets",
            logsKeyArn: "arn:logs",
            zoneRanges: DEFAULT_ZONE_RANGES,
            catalogLock: "4:us=1-50000,eu=50001-75000,apac=75001-100000",
            zonePrimaryRegions: { us: "us-east-1", eu: "eu-west-1", apac: "ap-southeast-1" },
        });
        async function failure(args: Partial<ShardedDatabaseArgs>): Promise<Error> {
            const run = await runStack({
                stack: "us-east-1",
                program: async () => {
                    new ShardedDatabase("db", { ...good(), ...args });
                    return {};
                },
            });
            expect(
                run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack"),
                "nothing may be registered",
            ).to.deep.equal([]);
            expect(run.error).to.be.instanceOf(ArgsError);
            return run.error!;
        }

        it("refuses shard count 0", async () => {
            const err = await failure({ shardCount: 0 });
            expect(err.message).to.contain("shardCount = 0: must be an integer from 1 to 16");
            expect(err.message, "one problem, not echoed by the range check").to.not.contain("zoneRanges");
        });
        it("refuses a reader minimum above the maximum", async () => {
            expect((await failure({ readerMin: 6, readerMax: 3 })).message).to.contain("readerMin = 6: must not exceed readerMax (3)");
        });
        it("refuses instance classes outside the memory-optimized families", async () => {
            const err = await failure({ writerInstanceClass: "db.t4g.medium", readerInstanceClass: "db.r6g.64xlarge" });
            expect(err.message).to.contain('writerInstanceClass = "db.t4g.medium": must be db.<family>.<size> with family one of r6g, r6i, r7g, r7i, r8g');
            expect(err.message).to.contain('readerInstanceClass = "db.r6g.64xlarge": must be a size Aurora offers for r6g');
        });
        it("sets the storage configuration asked for (Aurora Standard here)", async () => {
            const run = await runStack({
                stack: "us-east-1",
                program: async () => {
                    new ShardedDatabase("db", { ...good(), storageType: "aurora" });
                    return {};
                },
            });
            expect(run.error?.message).to.equal(undefined);
            expect(ofType(run, CLUSTER).map((c) => c.inputs.storageType)).to.deep.equal(Array(4).fill("aurora"));
        });
        it("refuses a storage configuration Aurora does not have", async () => {
            expect((await failure({ storageType: "gp3" as never })).message).to.contain('storageType = "gp3": must be one of aurora-iopt1, aurora');
        });
        it("refuses a standby with no primary reference", async () => {
            expect((await failure({ role: "standby" })).message).to.contain("primaryShards = undefined: a standby joins its zone primary's global clusters");
        });
        it("refuses a reader maximum that cannot reach the spec's 5 read replicas per region, and a standby reader count out of range", async () => {
            const err = await failure({ readerMin: 1, readerMax: 1, standbyReaders: 16 });
            expect(err.message).to.contain("readerMax = 1: times shardCount (4) must reach the spec's 5 read replicas per region under load");
            expect(err.message).to.contain("standbyReaders = 16: must be an integer from 0 to 15");
            expect((await failure({ readerMin: 0 })).message, "a primary keeps an in-region failover target").to.contain(
                "readerMin = 0: must be an integer from 1 to 15",
            );
        });
        it("refuses a shard count the catalog lock does not pin, naming what would move", async () => {
            const err = await failure({ shardCount: 5 });
            expect(err.message).to.contain("would move");
            expect(err.message).to.contain("10001-12500 us/0 -> us/1");
        });
        it("the real program refuses databaseShardCount 5 without a new databaseCatalogLock, before registering anything of the database", async () => {
            const run = await runStack({ stack: "us-east-1", configOverrides: { "bookedbarber:databaseShardCount": "5" } });
            expect(run.error?.message).to.contain("Franchises are never moved silently");
            expect(run.resources.filter((r) => r.type.startsWith("aws:rds/"))).to.deep.equal([]);
        });
        it("a standby whose primary publishes a different catalog is refused, naming both", () => {
            const mine = buildCatalog({ shardCount: 4, zoneRanges: DEFAULT_ZONE_RANGES }, 100_000).filter((e) => e.zone === "us");
            expect(standbyCatalogProblem(mine, [{ shardId: 0, franchiseRange: [1, 50000] }])).to.contain(
                "the zone primary publishes shards 0:1-50000 but this standby's catalog is 0:1-12500,1:12501-25000",
            );
            expect(standbyCatalogProblem(mine, undefined)).to.contain("publishes shards (none)");
            expect(standbyCatalogProblem(mine, mine)).to.equal(undefined);
        });
        it("masterPassword rds-managed sets manageMasterUserPassword with the secrets CMK and creates no secret of its own", async () => {
            const run = await runStack({
                stack: "us-east-1",
                program: async () => {
                    new ShardedDatabase("db", { ...good(), masterPassword: "rds-managed" });
                    return {};
                },
            });
            expect(run.error).to.equal(undefined);
            for (const c of ofType(run, CLUSTER)) {
                expect(c.inputs).to.include({ manageMasterUserPassword: true, masterUserSecretKmsKeyId: "arn:secrets" });
                expect(c.inputs.masterPassword).to.equal(undefined);
            }
            expect(ofType(run, "aws:secretsmanager/secret:Secret")).to.deep.equal([]);
        });

        it("a component without the Kubernetes side builds only AWS resources", async () => {
            const run = await runStack({
                stack: "us-east-1",
                program: async () => {
                    new ShardedDatabase("db", good());
                    return {};
                },
            });
            expect(run.error).to.equal(undefined);
            expect(run.resources.filter((r) => r.type.startsWith("kubernetes:"))).to.deep.equal([]);
            expect(ofType(run, CLUSTER)).to.have.length(4);
            void k8s;
        });

        it("grantLogin without the Kubernetes side is refused by name, and grants nothing", async () => {
            const run = await runStack({
                stack: "us-east-1",
                program: async () => {
                    const db = new ShardedDatabase("db", good());
                    db.grantLogin("db-backend", new aws.iam.Role("backend", { assumeRolePolicy: "{}" }));
                    return {};
                },
            });
            expect(run.error?.message).to.contain("grantLogin('db-backend') needs the Kubernetes side (args.kubernetes)");
            expect(ofType(run, "aws:iam/rolePolicy:RolePolicy").filter((r) => r.name.includes("database-login"))).to.deep.equal([]);
        });
    });
});
