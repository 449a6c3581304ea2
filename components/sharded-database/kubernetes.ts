import * as k8s from "@pulumi/kubernetes";
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { helmRelease } from "../helm/release";
import { podIdentityRole } from "../pod-identity";
import { ISTIO_REVISION } from "../regional-cluster/manifests";
import { CatalogEntry } from "./catalog";
import { databaseLoginSecretProviderClass, shardServiceName } from "./clients";
import { shardMigrations } from "./migration-job";
import { renderPgBouncerIni } from "./pgbouncer-config";
import {
    CA_DIR,
    CA_FILE,
    fetchCaScript,
    IMAGES,
    READER_PORT,
    restricted,
    RUN_DIR,
    SECRETS_DIR,
    secretProviderClass,
    secretReadPolicy,
    SecretsKeyRef,
    WRITER_PORT,
} from "./pod-common";
import { DATABASE_NAME, PORT } from "./shards";
import { PoolSizing } from "./sizing";

export { IMAGES, READER_PORT, WRITER_PORT } from "./pod-common";
export { shardServiceName } from "./clients";

/**
 * The in-cluster side: PgBouncer per shard (Deployment, PDB, writer and reader
 * Services), credentials from Secrets Manager through the Secrets Store CSI
 * driver's AWS provider with a Pod Identity role, the catalog ConfigMap, and
 * the Job that applies the directory migration on the zone primary.
 */

export interface KubeShard {
    shardId: number;
    writerEndpoint: pulumi.Input<string>;
    readerEndpoint: pulumi.Input<string>;
    /**
     * The app role's credentials secret, which PgBouncer logs in with: its ARN, or its name (a standby names
     * the primary's secret, whose ARN suffix it cannot know).
     */
    credentialsSecret: pulumi.Input<string>;
    /** IAM resource that grants reading it (the ARN, or the name's ARN pattern). */
    credentialsPolicyResource: pulumi.Input<string>;
    /** The master credentials secret (ARN): only the zone primary's migration Jobs read it; undefined on a standby. */
    masterSecret?: pulumi.Input<string>;
}

export interface KubeInputs {
    provider: k8s.Provider;
    clusterName: pulumi.Input<string>;
    namespace: string;
    createNamespace: boolean;
    installCsiDriver: boolean;
    region: string;
    zone: string;
    role: "primary" | "standby";
    replicas: number;
    writerSizing: PoolSizing;
    readerSizing: PoolSizing;
    shards: KubeShard[];
    /** Key that encrypts the credentials secrets here: the region's secrets CMK on a primary, the zone's replica key (by alias) on a standby. */
    secretsKey: SecretsKeyRef;
    /** Region of the credentials secrets: always this region (a standby reads the replicas). */
    credentialsRegion: string;
    /** The published catalog (JSON), for the application. */
    catalogJson: pulumi.Input<string>;
    /** The whole catalog, for the directory seed. */
    catalog: readonly CatalogEntry[];
    zonePrimaryRegions: Readonly<Record<string, string>>;
    /** Resources each shard's migration Job waits for (its writer instance), by shard. */
    migrationDependsOn: ReadonlyMap<number, pulumi.Resource[]>;
    /**
     * What a shard's PgBouncer waits for once its migration Job exists (zone primary): the app secret's first rotation,
     * which gives the secret the AWSPREVIOUS version PgBouncer's mount reads. Returns those resources.
     */
    credentialsReady?: (shardId: number, migration: k8s.batch.v1.Job) => pulumi.Resource[];
    /** Namespace of PgBouncer's clients: the SecretProviderClass that mounts their login goes there (clients.ts). */
    clientNamespace?: { name: string; resource?: pulumi.Resource };
}

/**
 * The namespace joins the mesh. Pod Security "restricted" is warned and audited, not enforced: Istio's
 * istio-init container needs NET_ADMIN unless the cluster runs the Istio CNI plugin. The pods here
 * meet "restricted" themselves.
 */
export const namespaceLabels = {
    // The revision istiod serves: `istio-injection=enabled` reaches only a default-revision istiod (or a
    // "default" revision tag), and RegionalCluster installs istiod as revision ISTIO_REVISION with no tag.
    "istio.io/rev": ISTIO_REVISION,
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/audit": "restricted",
};

/**
 * Files of the secret's previous version on PgBouncer's mount (AWSPREVIOUS). With alternating users it holds the other
 * user, whose password stays valid until the next rotation changes it: PgBouncer keeps accepting that login, so a
 * client still holding it is refused only once that user is retired (README, "Clients of PgBouncer").
 */
export const PREVIOUS_LOGIN_FILES = { username: "previous-username", password: "previous-password", whole: "previous.json" } as const;
const PREVIOUS_LOGIN_MOUNT = {
    wholeAlias: PREVIOUS_LOGIN_FILES.whole,
    usernameAlias: PREVIOUS_LOGIN_FILES.username,
    passwordAlias: PREVIOUS_LOGIN_FILES.password,
};

/**
 * Whether PgBouncer's mount reads the AWSPREVIOUS version, which fails the whole mount (and the pod) while the secret
 * has none. Only on a zone primary, whose Deployment waits for the secret's first rotation. A standby reads the
 * replica: AWS documents that a new secret value propagates to replicas, not that their version stages do
 * (test/upstream/secretsmanager/replica-version-stages.json), and the standby's stack cannot wait for the primary's
 * rotation. So the standby's PgBouncer accepts the current login only, and its clients rely on re-reading on a
 * refused login (README, "The client contract").
 */
export const mountsPreviousLogin = (role: "primary" | "standby"): boolean => role === "primary";

/**
 * Shell lines that write pgbouncer's userlist ("user" "password", quotes doubled, readable only by pgbouncer) from the
 * mounted secret: the current login, then the previous version's when the mount has it and it names another user.
 */
export function userlistScript(secretsDir: string, target: string): string[] {
    const pu = `${secretsDir}/${PREVIOUS_LOGIN_FILES.username}`;
    const pp = `${secretsDir}/${PREVIOUS_LOGIN_FILES.password}`;
    return [
        `u=$(sed 's/"/""/g' ${secretsDir}/username); p=$(sed 's/"/""/g' ${secretsDir}/password)`,
        `(umask 077; printf '"%s" "%s"\\n' "$u" "$p" > ${target})`,
        `if [ -s ${pu} ] && [ -s ${pp} ]; then`,
        `pu=$(sed 's/"/""/g' ${pu}); pp=$(sed 's/"/""/g' ${pp})`,
        `if [ "$pu" != "$u" ]; then printf '"%s" "%s"\\n' "$pu" "$pp" >> ${target}; fi`,
        "fi",
    ];
}

/** The init script: fetch the CA bundle and build pgbouncer's userlist from the mounted secret. */
function initScript(region: string): string {
    return [...fetchCaScript(region), ...userlistScript(SECRETS_DIR, `${RUN_DIR}/userlist.txt`)].join("\n");
}

/**
 * How often the Secrets Store CSI driver re-reads every mounted secret and rewrites the files (its chart's
 * `rotationPollInterval`, with `enableSecretRotation`): a rotated login reaches every mount within this.
 */
export const CSI_ROTATION_POLL_INTERVAL = "2m";

/**
 * Seconds between the refresh sidecar's looks at the mounted secret. With the driver's CSI_ROTATION_POLL_INTERVAL,
 * a rotated password reaches pgbouncer within the poll interval plus this.
 */
export const USERLIST_REFRESH_SECONDS = 30;

/**
 * One pass of the refresh sidecar: rebuild the userlist from the mounted secret and, only when it changed,
 * swap it in (a rename, so pgbouncer never reads half a file) and send SIGHUP to every pgbouncer of the pod
 * (their pidfiles in `pidDir`; the pod shares its process namespace). On SIGHUP pgbouncer re-reads its
 * configuration and auth_file without closing connections (PgBouncer usage docs, "Signals" and RELOAD).
 */
export function userlistRefreshOnce(secretsDir: string, runDir: string, pidDir: string): string {
    return [
        `if [ -s ${secretsDir}/username ] && [ -s ${secretsDir}/password ]; then`,
        ...userlistScript(secretsDir, `${runDir}/userlist.next`),
        `if cmp -s ${runDir}/userlist.next ${runDir}/userlist.txt; then rm -f ${runDir}/userlist.next; else`,
        `mv -f ${runDir}/userlist.next ${runDir}/userlist.txt`,
        `for f in ${pidDir}/pgbouncer-*.pid; do if [ -f "$f" ]; then kill -HUP "$(cat "$f")"; fi; done`,
        `echo "credentials changed: userlist rebuilt, pgbouncer reloaded"`,
        "fi",
        "fi",
    ].join("\n");
}

/** The refresh sidecar's command: a pass every USERLIST_REFRESH_SECONDS, for the pod's lifetime. */
function refreshLoop(): string {
    return ["set -u", "while true; do", userlistRefreshOnce(SECRETS_DIR, RUN_DIR, "/tmp"), `sleep ${USERLIST_REFRESH_SECONDS}`, "done"].join("\n");
}

export function deploymentSpec(
    i: KubeInputs,
    s: KubeShard,
    configMapName: string,
    spcName: string,
    serviceAccount: string,
    configChecksum: pulumi.Input<string>,
) {
    const labels = { "app.kubernetes.io/name": "pgbouncer", "app.kubernetes.io/part-of": "bookedbarber-database", "bookedbarber.com/shard": String(s.shardId) };
    const container = (pool: "rw" | "ro", port: number) => ({
        name: `pgbouncer-${pool}`,
        image: IMAGES.pgbouncer,
        command: ["pgbouncer", `/etc/pgbouncer/${pool}.ini`],
        ports: [{ name: `pg-${pool}`, containerPort: port, protocol: "TCP" }],
        readinessProbe: { tcpSocket: { port }, periodSeconds: 5 },
        livenessProbe: { tcpSocket: { port }, periodSeconds: 10, failureThreshold: 6 },
        resources: { requests: { cpu: "500m", memory: "256Mi" }, limits: { memory: "512Mi" } },
        securityContext: restricted,
        volumeMounts: [
            { name: "config", mountPath: "/etc/pgbouncer", readOnly: true },
            { name: "run", mountPath: RUN_DIR },
            { name: "rds-ca", mountPath: CA_DIR, readOnly: true },
            { name: "tmp", mountPath: "/tmp" },
        ],
    });
    return {
        metadata: { name: `pgbouncer-shard-${s.shardId}`, namespace: i.namespace, labels },
        spec: {
            replicas: i.replicas,
            selector: { matchLabels: labels },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
            template: {
                metadata: {
                    labels,
                    annotations: {
                        // A changed pgbouncer.ini rolls the pods: pgbouncer reads its config only at start.
                        "bookedbarber.com/config-checksum": configChecksum,
                        // Aurora (5432) is reached with PgBouncer's own verify-full TLS, and the CA bundle (443) is
                        // fetched by an init container before the sidecar runs; both bypass the mesh.
                        "traffic.sidecar.istio.io/excludeOutboundPorts": `${PORT},443`,
                    },
                },
                spec: {
                    serviceAccountName: serviceAccount,
                    automountServiceAccountToken: false,
                    securityContext: { runAsNonRoot: true, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
                    topologySpreadConstraints: [
                        { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: labels } },
                        { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: labels } },
                    ],
                    initContainers: [
                        {
                            name: "credentials-and-ca",
                            image: IMAGES.init,
                            command: ["/bin/sh", "-c", initScript(i.region)],
                            securityContext: restricted,
                            resources: { requests: { cpu: "50m", memory: "32Mi" }, limits: { memory: "64Mi" } },
                            volumeMounts: [
                                { name: "secrets", mountPath: SECRETS_DIR, readOnly: true },
                                { name: "run", mountPath: RUN_DIR },
                                { name: "rds-ca", mountPath: CA_DIR },
                            ],
                        },
                    ],
                    // The refresh sidecar signals the pgbouncer processes: it must see them.
                    shareProcessNamespace: true,
                    containers: [
                        container("rw", WRITER_PORT),
                        container("ro", READER_PORT),
                        {
                            // Picks up rotated credentials: without it a pod keeps the userlist of its start, and its
                            // server logins fail once the user it holds is rotated again (alternating users, 30 days).
                            name: "userlist-refresh",
                            image: IMAGES.init,
                            command: ["/bin/sh", "-c", refreshLoop()],
                            securityContext: restricted,
                            resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "32Mi" } },
                            volumeMounts: [
                                { name: "secrets", mountPath: SECRETS_DIR, readOnly: true },
                                { name: "run", mountPath: RUN_DIR },
                                // pgbouncer's pidfiles (runDir /tmp in its ini).
                                { name: "tmp", mountPath: "/tmp", readOnly: true },
                            ],
                        },
                    ],
                    volumes: [
                        { name: "config", configMap: { name: configMapName } },
                        { name: "secrets", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: spcName } } },
                        // Credentials stay in memory, never on the node's disk.
                        { name: "run", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
                        { name: "rds-ca", emptyDir: { sizeLimit: "1Mi" } },
                        { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
                    ],
                },
            },
        },
    };
}

/** Builds the in-cluster side; returns the zone primary's migration Jobs by shard (empty on a standby). */
export function kubernetesSide(name: string, i: KubeInputs, parent: pulumi.Resource): Map<number, k8s.batch.v1.Job> {
    const opts = { parent, provider: i.provider };
    const dependsOn: pulumi.Resource[] = [];
    if (i.createNamespace) {
        dependsOn.push(
            new k8s.core.v1.Namespace(
                `${name}-ns`,
                {
                    metadata: { name: i.namespace, labels: namespaceLabels },
                },
                opts,
            ),
        );
    }
    if (i.installCsiDriver) {
        dependsOn.push(
            helmRelease(
                `${name}-secrets-csi`,
                "secretsStoreCsiProviderAws",
                "kube-system",
                {
                    "secrets-store-csi-driver": {
                        install: true,
                        syncSecret: { enabled: false },
                        enableSecretRotation: true,
                        rotationPollInterval: CSI_ROTATION_POLL_INTERVAL,
                    },
                },
                { ...opts, dependsOn: [] },
                { releaseName: "secrets-provider-aws" },
            ),
        );
    }
    const kopts = { ...opts, dependsOn };

    const secretPolicy = (arns: pulumi.Input<string>[]) => secretReadPolicy(arns, i.secretsKey, i.credentialsRegion);

    const bouncerSa = "pgbouncer";
    new k8s.core.v1.ServiceAccount(
        `${name}-pgbouncer-sa`,
        { metadata: { name: bouncerSa, namespace: i.namespace }, automountServiceAccountToken: false },
        kopts,
    );
    podIdentityRole(
        `${name}-pgbouncer`,
        {
            clusterName: i.clusterName,
            namespace: i.namespace,
            serviceAccount: bouncerSa,
            policy: secretPolicy(i.shards.map((s) => s.credentialsPolicyResource)),
            description: `PgBouncer in ${i.region} reads the shards' app role credentials`,
        },
        parent,
    );

    // The migrations run on the zone primary only; the standby's shards receive them by replication.
    const jobs = i.role === "primary" ? shardMigrations(name, i, kopts, dependsOn, parent) : new Map<number, k8s.batch.v1.Job>();
    for (const s of i.shards) {
        const sn = `${name}-shard-${s.shardId}`;
        const job = jobs.get(s.shardId);
        const ready = job && i.credentialsReady ? i.credentialsReady(s.shardId, job) : [];
        const spcName = `shard-${s.shardId}-credentials`;
        new k8s.apiextensions.CustomResource(
            `${sn}-spc`,
            secretProviderClass(
                spcName,
                i.namespace,
                i.credentialsRegion,
                s.credentialsSecret,
                "master.json",
                mountsPreviousLogin(i.role) ? PREVIOUS_LOGIN_MOUNT : undefined,
            ),
            kopts,
        );
        const ini = (pool: "rw" | "ro") =>
            pulumi.output(pool === "rw" ? s.writerEndpoint : s.readerEndpoint).apply((host) =>
                renderPgBouncerIni({
                    database: DATABASE_NAME,
                    host,
                    port: PORT,
                    listenPort: pool === "rw" ? WRITER_PORT : READER_PORT,
                    sizing: pool === "rw" ? i.writerSizing : i.readerSizing,
                    authFile: `${RUN_DIR}/userlist.txt`,
                    serverCaFile: CA_FILE,
                    runDir: "/tmp",
                }),
            );
        const cmName = `pgbouncer-shard-${s.shardId}`;
        new k8s.core.v1.ConfigMap(
            `${sn}-pgbouncer-config`,
            {
                metadata: { name: cmName, namespace: i.namespace },
                data: { "rw.ini": ini("rw"), "ro.ini": ini("ro") },
            },
            kopts,
        );
        const checksum = pulumi.all([ini("rw"), ini("ro")]).apply(([rw, ro]) => createHash("sha256").update(rw).update(ro).digest("hex").slice(0, 16));
        const dep = deploymentSpec(i, s, cmName, spcName, bouncerSa, checksum);
        // On a primary, after the first rotation: until then the secret has no AWSPREVIOUS and the mount fails.
        new k8s.apps.v1.Deployment(`${sn}-pgbouncer`, dep, { ...kopts, dependsOn: [...dependsOn, ...ready] });
        new k8s.policy.v1.PodDisruptionBudget(
            `${sn}-pgbouncer-pdb`,
            {
                metadata: { name: `pgbouncer-shard-${s.shardId}`, namespace: i.namespace },
                spec: { maxUnavailable: 1, selector: { matchLabels: dep.spec.selector.matchLabels } },
            },
            kopts,
        );
        for (const [pool, port] of [
            ["rw", WRITER_PORT],
            ["ro", READER_PORT],
        ] as const) {
            new k8s.core.v1.Service(
                `${sn}-${pool}`,
                {
                    metadata: { name: shardServiceName(s.shardId, pool), namespace: i.namespace, labels: dep.metadata.labels },
                    spec: {
                        type: "ClusterIP",
                        selector: dep.spec.selector.matchLabels,
                        ports: [{ name: "tcp-postgres", port: PORT, targetPort: port, protocol: "TCP" }],
                    },
                },
                kopts,
            );
        }
    }

    if (i.clientNamespace) {
        // The clients (the app) read the same secrets as PgBouncer, in this region (a standby: the replicas here).
        const logins = i.shards.map((s) => ({ shardId: s.shardId, secret: s.credentialsSecret, policyResource: s.credentialsPolicyResource }));
        new k8s.apiextensions.CustomResource(
            `${name}-database-login-spc`,
            databaseLoginSecretProviderClass(i.clientNamespace.name, i.credentialsRegion, logins),
            {
                ...kopts,
                dependsOn: [...dependsOn, ...(i.clientNamespace.resource ? [i.clientNamespace.resource] : [])],
            },
        );
    }

    new k8s.core.v1.ConfigMap(
        `${name}-catalog`,
        {
            metadata: { name: "shard-catalog", namespace: i.namespace, labels: { "app.kubernetes.io/part-of": "bookedbarber-database" } },
            data: { "catalog.json": i.catalogJson },
        },
        kopts,
    );

    return jobs;
}
