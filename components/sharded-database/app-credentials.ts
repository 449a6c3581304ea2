import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { APP_LOGIN_USER } from "./migrations";
import { DATABASE_NAME, PORT } from "./shards";

/**
 * The application role's credentials, one Secrets Manager secret per shard of the zone primary: the
 * login PgBouncer uses instead of the master user. The migration Job creates the login user from the
 * first value (migrations/roles/app_login.sql); from then on Secrets Manager's alternating-users
 * rotation (rotation.ts) owns it. The secret holds what that rotation function reads: engine, host,
 * username, password, dbname, port and `masterarn` (the shard's master secret, which it logs in with
 * to create and alter the users).
 */

/** Name of a shard's app credentials secret; a standby derives it from the primary's cluster identifier. */
export function appSecretName(clusterIdentifier: string): string {
    return `bookedbarber/database/${clusterIdentifier}/app`;
}

/** The secret's first value: the fields AWS's alternating-users PostgreSQL rotation function reads. */
export function appSecretValue<T>(i: { writerEndpoint: T; masterSecretArn: T; password: T }) {
    return {
        engine: "postgres",
        host: i.writerEndpoint,
        port: PORT,
        dbname: DATABASE_NAME,
        username: APP_LOGIN_USER,
        password: i.password,
        masterarn: i.masterSecretArn,
    };
}

export interface AppCredentialsInputs {
    clusterIdentifier: string;
    /** The shard's writer endpoint: where the rotation function connects. */
    writerEndpoint: pulumi.Input<string>;
    masterSecretArn: pulumi.Input<string>;
    secretsKeyArn: pulumi.Input<string>;
    protect: boolean;
    /** Replicas: the zone's standby region, on the replica key there (secret-replicas.ts). */
    replicas?: pulumi.Input<aws.types.input.secretsmanager.SecretReplica[]>;
}

export function appCredentials(name: string, i: AppCredentialsInputs, parent: pulumi.Resource): aws.secretsmanager.Secret {
    const generated = new random.RandomPassword(
        `${name}-app-password`,
        {
            length: 40,
            special: true,
            // No / @ " ' \ or space: what the rotation function excludes from the passwords it generates (ROTATION_EXCLUDED_CHARACTERS).
            overrideSpecial: "!#%^*()-_=+[]{}:,.?~",
        },
        { parent },
    );
    const secret = new aws.secretsmanager.Secret(
        `${name}-app`,
        {
            name: appSecretName(i.clusterIdentifier),
            description: `Application role login (member of bookedbarber_app) of Aurora shard ${i.clusterIdentifier}, used by PgBouncer`,
            kmsKeyId: i.secretsKeyArn,
            recoveryWindowInDays: 30,
            ...(i.replicas ? { replicas: i.replicas } : {}),
        },
        { parent, protect: i.protect },
    );
    // The first value only: the migration Job creates the user from it, then rotation owns it, so a later
    // `up` must not put the generated password back.
    new aws.secretsmanager.SecretVersion(
        `${name}-app-value`,
        {
            secretId: secret.id,
            secretString: pulumi.secret(
                pulumi.jsonStringify(appSecretValue({ writerEndpoint: i.writerEndpoint, masterSecretArn: i.masterSecretArn, password: generated.result })),
            ),
        },
        { parent: secret, ignoreChanges: ["secretString"] },
    );
    return secret;
}
