import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { podIdentityRole } from "../pod-identity";
import { renderCatalogSeedSql } from "./catalog";
import type { KubeInputs } from "./kubernetes";
import { loadMigrations, migrationDigest } from "./migrations";
import { CA_DIR, CA_FILE, fetchCaScript, IMAGES, restricted, SECRETS_DIR, secretProviderClass, secretReadPolicy } from "./pod-common";
import { DATABASE_NAME, PORT } from "./shards";

/**
 * The directory migration: every versioned migration plus the generated catalog
 * seed, applied by a Job to shard 0's writer of the zone primary. The Job's name
 * carries a digest of what it applies, so a change runs a new Job.
 */
export function directoryMigration(name: string, i: KubeInputs, kopts: pulumi.CustomResourceOptions, dependsOn: pulumi.Resource[], parent: pulumi.Resource): void {
    const directory = i.shards.find((s) => s.shardId === 0)!;
    const migrations = loadMigrations();
    const seed = renderCatalogSeedSql(i.catalog, i.zonePrimaryRegions);
    const version = migrationDigest([...migrations.map((m) => m.name + m.sql), seed]);
    const migratorSa = "shard-catalog-migrator";
    new k8s.core.v1.ServiceAccount(`${name}-migrator-sa`, { metadata: { name: migratorSa, namespace: i.namespace }, automountServiceAccountToken: false }, kopts);
    podIdentityRole(`${name}-migrator`, {
        clusterName: i.clusterName,
        namespace: i.namespace,
        serviceAccount: migratorSa,
        policy: secretReadPolicy([directory.credentialsPolicyResource], i.secretsKeyArn, i.credentialsRegion),
        description: `Shard catalog migration Job in ${i.region} reads the directory shard's credentials`,
    }, parent);
    new k8s.apiextensions.CustomResource(`${name}-migrator-spc`, secretProviderClass("directory-migrator-credentials", i.namespace, i.credentialsRegion, directory.credentialsSecret), kopts);
    const sqlCm = new k8s.core.v1.ConfigMap(`${name}-migrations`, {
        metadata: { name: `directory-migrations-${version}`, namespace: i.namespace },
        data: Object.fromEntries([...migrations.map((m) => [m.name, m.sql]), ["Z999__catalog_seed.sql", seed]]),
    }, kopts);
    const files = [...migrations.map((m) => m.name), "Z999__catalog_seed.sql"];
    new k8s.batch.v1.Job(`${name}-migrate`, {
        metadata: { name: `directory-migrate-${version}`, namespace: i.namespace },
        spec: migrationJobSpec(i.region, pulumi.output(directory.writerEndpoint), sqlCm.metadata.name, files, migratorSa),
    }, { ...kopts, dependsOn });
}

/** The Job that applies every migration and the catalog seed in one transaction, with verify-full TLS. */
export function migrationJobSpec(region: string, host: pulumi.Input<string>, configMap: pulumi.Input<string>, files: string[], serviceAccount: string) {
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
                initContainers: [{
                    name: "rds-ca",
                    image: IMAGES.init,
                    command: ["/bin/sh", "-c", fetchCaScript(region).join("\n")],
                    securityContext: restricted,
                    resources: { requests: { cpu: "50m", memory: "32Mi" }, limits: { memory: "64Mi" } },
                    volumeMounts: [{ name: "rds-ca", mountPath: CA_DIR }],
                }],
                containers: [{
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
                        { name: "rds-ca", mountPath: CA_DIR },
                    ],
                }],
                volumes: [
                    { name: "migrations", configMap: { name: configMap } },
                    { name: "secrets", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "directory-migrator-credentials" } } },
                    { name: "rds-ca", emptyDir: { sizeLimit: "1Mi" } },
                ],
            },
        },
    };
}
