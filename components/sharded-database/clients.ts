import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { secretObjectsYaml, SecretsKeyRef, secretReadPolicy } from "./pod-common";
import { DATABASE_NAME, PORT } from "./shards";

/**
 * What a client of PgBouncer (the backend, the worker) is handed: the login PgBouncer accepts and where
 * the pools are. PgBouncer authenticates clients against its userlist (`auth_type = scram-sha-256`,
 * `auth_file`), which it builds from the shards' app role secrets, and logs in to Aurora as the same user
 * with the same password: so a client presents exactly that secret's `username` and `password`, one per
 * shard. The login arrives as files on a Secrets Store CSI mount (never in env, a Kubernetes Secret or the
 * plan); env carries only the addresses and the file paths (`DATABASE_LOGIN_ENV`). Rotation contract:
 * README "Clients of PgBouncer" and docs/secrets.md.
 */

/** The SecretProviderClass (in the client's namespace), the pod volume and where it is mounted. */
export const DATABASE_LOGIN_MOUNT = {
    secretProviderClass: "database-login",
    volume: "database-login",
    mountPath: "/var/run/secrets/bookedbarber/database",
} as const;

/** The env variable that carries the shards' pools and login files (JSON, `DatabaseLoginShard[]`). Nothing in it is secret. */
export const DATABASE_LOGIN_ENV = "DATABASE_SHARDS";

/** File names of one shard's login on the mount (the SecretProviderClass's aliases). */
export const loginFiles = (shardId: number) => ({
    username: `shard-${shardId}-username`,
    password: `shard-${shardId}-password`,
    whole: `shard-${shardId}.json`,
});

/** One shard as the app sees it in `DATABASE_SHARDS`. */
export interface DatabaseLoginShard {
    shardId: number;
    /** PgBouncer's writer pool: `shard-<id>-rw.<namespace>.svc.cluster.local`. */
    writer: string;
    /** PgBouncer's reader pool. */
    reader: string;
    /** The Services' port (both pools). */
    port: number;
    database: string;
    /** Files to read the login from; re-read them when a login is refused (README, "Clients of PgBouncer"). */
    usernameFile: string;
    passwordFile: string;
}

/** PgBouncer's Service names (kubernetes.ts creates them). */
export const shardServiceName = (shardId: number, pool: "rw" | "ro") => `shard-${shardId}-${pool}`;

/** In-cluster DNS names of each shard's pools. */
export function poolerServices(shardIds: readonly number[], namespace: string): { shardId: number; writer: string; reader: string }[] {
    return shardIds.map((shardId) => ({
        shardId,
        writer: `${shardServiceName(shardId, "rw")}.${namespace}.svc.cluster.local`,
        reader: `${shardServiceName(shardId, "ro")}.${namespace}.svc.cluster.local`,
    }));
}

/** What the app's pod template gets: the CSI volume, its read-only mount and the env entry. */
export interface DatabaseLoginPod {
    volume: { name: string; csi: { driver: string; readOnly: boolean; volumeAttributes: { secretProviderClass: string } } };
    volumeMount: { name: string; mountPath: string; readOnly: boolean };
    env: { name: string; value: string };
    shards: DatabaseLoginShard[];
}

/** The pod side of the login for the shards' pools (pure: the stack builds it before the database exists, the cluster's Rollout takes it). */
export function databaseLoginPod(pools: readonly { shardId: number; writer: string; reader: string }[]): DatabaseLoginPod {
    const shards = pools.map((p): DatabaseLoginShard => ({
        shardId: p.shardId,
        writer: p.writer,
        reader: p.reader,
        port: PORT,
        database: DATABASE_NAME,
        usernameFile: `${DATABASE_LOGIN_MOUNT.mountPath}/${loginFiles(p.shardId).username}`,
        passwordFile: `${DATABASE_LOGIN_MOUNT.mountPath}/${loginFiles(p.shardId).password}`,
    }));
    return {
        volume: {
            name: DATABASE_LOGIN_MOUNT.volume,
            csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: DATABASE_LOGIN_MOUNT.secretProviderClass } },
        },
        volumeMount: { name: DATABASE_LOGIN_MOUNT.volume, mountPath: DATABASE_LOGIN_MOUNT.mountPath, readOnly: true },
        env: { name: DATABASE_LOGIN_ENV, value: JSON.stringify(shards) },
        shards,
    };
}

/** A shard's app role secret as a client reads it: its ARN (primary) or name (standby: the replica here), and what IAM grants on. */
export interface ShardLogin {
    shardId: number;
    secret: pulumi.Input<string>;
    policyResource: pulumi.Input<string>;
}

/**
 * The SecretProviderClass in the clients' namespace: each shard's app role secret (AWSCURRENT) as
 * `shard-<id>-username` and `shard-<id>-password`, read in `region` (a standby's own replicas) with the
 * consuming pod's Pod Identity.
 */
export function databaseLoginSecretProviderClass(namespace: string, region: string, logins: readonly ShardLogin[]) {
    return {
        apiVersion: "secrets-store.csi.x-k8s.io/v1",
        kind: "SecretProviderClass",
        metadata: { name: DATABASE_LOGIN_MOUNT.secretProviderClass, namespace },
        spec: {
            provider: "aws",
            parameters: {
                region,
                usePodIdentity: "true",
                objects: pulumi.all(logins.map((l) => pulumi.output(l.secret))).apply((secrets) =>
                    secretObjectsYaml(
                        logins.map((l, n) => {
                            const f = loginFiles(l.shardId);
                            return { secret: secrets[n], wholeAlias: f.whole, usernameAlias: f.username, passwordAlias: f.password };
                        }),
                    ),
                ),
            },
        },
    };
}

/** The inline policy that lets a client role read exactly the shards' app role secrets (and decrypt them only through Secrets Manager here). */
export function databaseLoginReadPolicy(logins: readonly ShardLogin[], key: SecretsKeyRef, region: string): pulumi.Output<string> {
    return secretReadPolicy(
        logins.map((l) => l.policyResource),
        key,
        region,
    );
}

/** Grants one client role the login: an inline policy on its Pod Identity role (one association per ServiceAccount). */
export function grantDatabaseLogin(name: string, role: aws.iam.Role, policy: pulumi.Input<string>, parent: pulumi.Resource): aws.iam.RolePolicy {
    return new aws.iam.RolePolicy(`${name}-database-login-read`, { role: role.id, policy }, { parent });
}
