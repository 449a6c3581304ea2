import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { podIdentityRole } from "../pod-identity";
import { renderCatalogSeedSql } from "./catalog";
import type { KubeInputs, KubeShard } from "./kubernetes";
import { loadMigrations, loadRoleSql, migrationDigest } from "./migrations";
import { CA_DIR, CA_FILE, fetchCaScript, IMAGES, restricted, SECRETS_DIR, secretProviderClass, secretReadPolicy } from "./pod-common";
import { DATABASE_NAME, PORT } from "./shards";

/** Where the migration Job mounts the shard's app secret (username, password). */
export const APP_SECRETS_DIR = "/mnt/app-credentials";

/**
 * psql lines that read the app secret's user and password into the session settings app_login.sql
 * reads. psql's backquote substitution runs `cat`, so the password is never on a command line, and
 * \gset keeps the SELECT's result out of the Job's log.
 */
export function appSessionPsql(dir = APP_SECRETS_DIR): string {
    return [
        `\\set app_user \`cat ${dir}/username\``,
        `\\set app_password \`cat ${dir}/password\``,
        "SELECT set_config('bookedbarber.app_user', :'app_user', false) AS app_user_set, set_config('bookedbarber.app_password', :'app_password', false) AS app_password_set \\gset",
        "\\unset app_password",
        "\\unset app_password_set",
        "",
    ].join("\n");
}

/**
 * The migrations of the zone primary's shards, one Job per shard: on shard 0 (the directory) every
 * versioned migration and the generated catalog seed, then on every shard the application role
 * (app_role.sql) and its first login user from the shard's app secret (app_login.sql). Each Job's
 * name carries a digest of what it applies, so a change runs a new Job. Returns the Jobs by shard:
 * the app secrets' rotation waits for them (the alternating-users rotation copies the login user's
 * memberships, so that user must exist first).
 */
function masterOf(s: KubeShard): pulumi.Input<string> {
    if (s.masterSecret === undefined) throw new Error(`shard ${s.shardId}: the migration Job needs the master secret, which only a zone primary has`);
    return s.masterSecret;
}

export function shardMigrations(
    name: string,
    i: KubeInputs,
    kopts: pulumi.CustomResourceOptions,
    dependsOn: pulumi.Resource[],
    parent: pulumi.Resource,
): Map<number, k8s.batch.v1.Job> {
    const roles = loadRoleSql();
    const migrations = loadMigrations();
    const seed = renderCatalogSeedSql(i.catalog, i.zonePrimaryRegions);
    const roleFiles: [string, string][] = [
        ["Y001__app_role.sql", roles.appRole],
        ["Y002__app_session.psql", appSessionPsql()],
        ["Y003__app_login.sql", roles.appLogin],
    ];
    const migratorSa = "shard-catalog-migrator";
    new k8s.core.v1.ServiceAccount(
        `${name}-migrator-sa`,
        { metadata: { name: migratorSa, namespace: i.namespace }, automountServiceAccountToken: false },
        kopts,
    );
    podIdentityRole(
        `${name}-migrator`,
        {
            clusterName: i.clusterName,
            namespace: i.namespace,
            serviceAccount: migratorSa,
            policy: secretReadPolicy(
                i.shards.flatMap((s) => [masterOf(s), s.credentialsPolicyResource]),
                i.secretsKey,
                i.credentialsRegion,
            ),
            description: `Shard migration Jobs in ${i.region} read the shards' master and app credentials`,
        },
        parent,
    );
    const jobs = new Map<number, k8s.batch.v1.Job>();
    for (const s of i.shards) {
        const directory = s.shardId === 0;
        const files: [string, string][] = [
            ...(directory ? [...migrations.map((m): [string, string] => [m.name, m.sql]), ["Z999__catalog_seed.sql", seed] as [string, string]] : []),
            ...roleFiles,
        ];
        const version = migrationDigest(files.map(([f, sql]) => f + sql));
        const [cmPrefix, jobPrefix] = directory
            ? ["directory-migrations", "directory-migrate"]
            : [`shard-${s.shardId}-roles`, `shard-${s.shardId}-roles-apply`];
        // Shard 0 keeps the resource names the directory-only migration had, so an update does not replace them.
        const rn = directory ? name : `${name}-shard-${s.shardId}`;
        const masterSpc = `shard-${s.shardId}-migrator-master`;
        const appSpc = `shard-${s.shardId}-migrator-app`;
        new k8s.apiextensions.CustomResource(`${rn}-migrator-spc`, secretProviderClass(masterSpc, i.namespace, i.credentialsRegion, masterOf(s)), kopts);
        new k8s.apiextensions.CustomResource(
            `${rn}-migrator-app-spc`,
            secretProviderClass(appSpc, i.namespace, i.credentialsRegion, s.credentialsSecret),
            kopts,
        );
        const sqlCm = new k8s.core.v1.ConfigMap(
            `${rn}-migrations`,
            {
                metadata: { name: `${cmPrefix}-${version}`, namespace: i.namespace },
                data: Object.fromEntries(files),
            },
            kopts,
        );
        jobs.set(
            s.shardId,
            new k8s.batch.v1.Job(
                `${rn}-migrate`,
                {
                    metadata: { name: `${jobPrefix}-${version}`, namespace: i.namespace },
                    spec: migrationJobSpec(
                        i.region,
                        pulumi.output(s.writerEndpoint),
                        sqlCm.metadata.name,
                        files.map(([f]) => f),
                        migratorSa,
                        { master: masterSpc, app: appSpc },
                    ),
                },
                { ...kopts, dependsOn: [...dependsOn, ...(i.migrationDependsOn.get(s.shardId) ?? [])] },
            ),
        );
    }
    return jobs;
}

/** The Job that applies the files in one transaction as the master user, with verify-full TLS. */
export function migrationJobSpec(
    region: string,
    host: pulumi.Input<string>,
    configMap: pulumi.Input<string>,
    files: string[],
    serviceAccount: string,
    spc: { master: string; app: string },
) {
    const script = [
        "set -eu",
        `export PGUSER="$(cat ${SECRETS_DIR}/username)" PGPASSWORD="$(cat ${SECRETS_DIR}/password)"`,
        `psql -v ON_ERROR_STOP=1 --single-transaction ${files.map((f) => `-f /migrations/${f}`).join(" ")}`,
    ].join("\n");
    return {
        backoffLimit: 3,
        activeDeadlineSeconds: 900,
        template: {
            metadata: { labels: { "app.kubernetes.io/name": "directory-migrate" }, annotations: { "sidecar.istio.io/inject": "false" } },
            spec: {
                restartPolicy: "Never",
                serviceAccountName: serviceAccount,
                automountServiceAccountToken: false,
                securityContext: { runAsNonRoot: true, runAsUser: 70, runAsGroup: 70, seccompProfile: { type: "RuntimeDefault" } },
                initContainers: [
                    {
                        name: "rds-ca",
                        image: IMAGES.init,
                        command: ["/bin/sh", "-c", fetchCaScript(region).join("\n")],
                        securityContext: restricted,
                        resources: { requests: { cpu: "50m", memory: "32Mi" }, limits: { memory: "64Mi" } },
                        volumeMounts: [{ name: "rds-ca", mountPath: CA_DIR }],
                    },
                ],
                containers: [
                    {
                        name: "psql",
                        image: IMAGES.psql,
                        command: ["/bin/sh", "-c", script],
                        env: [
                            { name: "PGHOST", value: host },
                            { name: "PGPORT", value: String(PORT) },
                            { name: "PGDATABASE", value: DATABASE_NAME },
                            { name: "PGSSLMODE", value: "verify-full" },
                            { name: "PGSSLROOTCERT", value: CA_FILE },
                            { name: "PGCONNECT_TIMEOUT", value: "10" },
                        ],
                        securityContext: { ...restricted, runAsUser: 70, runAsGroup: 70 },
                        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
                        volumeMounts: [
                            { name: "migrations", mountPath: "/migrations", readOnly: true },
                            { name: "secrets", mountPath: SECRETS_DIR, readOnly: true },
                            { name: "app-secrets", mountPath: APP_SECRETS_DIR, readOnly: true },
                            { name: "rds-ca", mountPath: CA_DIR },
                        ],
                    },
                ],
                volumes: [
                    { name: "migrations", configMap: { name: configMap } },
                    { name: "secrets", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: spc.master } } },
                    { name: "app-secrets", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: spc.app } } },
                    { name: "rds-ca", emptyDir: { sizeLimit: "1Mi" } },
                ],
            },
        },
    };
}
