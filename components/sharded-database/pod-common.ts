import * as pulumi from "@pulumi/pulumi";

/** What PgBouncer and the migration Job share: images, mount paths, the CA fetch, credentials access. */

/** Pinned images. PgBouncer from CloudNativePG's build; curl to fetch the RDS CA bundle; psql for the migration. */
export const IMAGES = {
    pgbouncer: "ghcr.io/cloudnative-pg/pgbouncer:1.24.1",
    init: "docker.io/curlimages/curl:8.11.1",
    psql: "public.ecr.aws/docker/library/postgres:16.6-alpine",
};

export const WRITER_PORT = 6432;
export const READER_PORT = 6433;
export const SECRETS_DIR = "/mnt/secrets";
export const RUN_DIR = "/run/pgbouncer";
export const CA_DIR = "/run/rds-ca";
export const CA_FILE = `${CA_DIR}/bundle.pem`;

/** Fetches the region's RDS CA bundle over verified HTTPS; fails the pod when it cannot. */
export function fetchCaScript(region: string): string[] {
    return [
        "set -eu",
        `curl --fail --silent --show-error --proto '=https' --tlsv1.2 -o ${CA_FILE} https://truststore.pki.rds.amazonaws.com/${region}/${region}-bundle.pem`,
        `grep -q 'BEGIN CERTIFICATE' ${CA_FILE}`,
    ];
}

/** Container security context that meets Pod Security "restricted". */
export const restricted = {
    runAsNonRoot: true,
    runAsUser: 65532,
    runAsGroup: 65532,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

/** One Secrets Manager object of a SecretProviderClass: the whole JSON document and its `username` and `password` fields as files. */
export interface SecretObject {
    /** ARN, or name (resolved in the SecretProviderClass's region). */
    secret: string;
    wholeAlias: string;
    usernameAlias: string;
    passwordAlias: string;
    /** Staging label to read (AWS provider `objectVersionLabel`); default the provider's, AWSCURRENT. */
    versionLabel?: "AWSCURRENT" | "AWSPREVIOUS";
}

/** The AWS provider's `objects` YAML for these objects. */
export function secretObjectsYaml(objects: readonly SecretObject[]): string {
    return objects
        .flatMap((o) => [
            `- objectName: "${o.secret}"`,
            "  objectType: secretsmanager",
            `  objectAlias: ${o.wholeAlias}`,
            ...(o.versionLabel ? [`  objectVersionLabel: ${o.versionLabel}`] : []),
            "  jmesPath:",
            "    - path: username",
            `      objectAlias: ${o.usernameAlias}`,
            "    - path: password",
            `      objectAlias: ${o.passwordAlias}`,
        ])
        .join("\n");
}

/**
 * A SecretProviderClass mounting {username, password} of one Secrets Manager secret through Pod Identity,
 * as the files `username` and `password` beside the whole JSON document (`wholeAlias`); with `previous`, the
 * secret's AWSPREVIOUS version too, under those aliases. The AWS provider fails the mount while a secret has no
 * such version: only a secret that has been rotated once may be mounted with `previous`.
 */
export function secretProviderClass(
    name: string,
    namespace: string,
    region: string,
    secret: pulumi.Input<string>,
    wholeAlias = "master.json",
    previous?: Omit<SecretObject, "secret" | "versionLabel">,
) {
    return {
        apiVersion: "secrets-store.csi.x-k8s.io/v1",
        kind: "SecretProviderClass",
        metadata: { name, namespace },
        spec: {
            provider: "aws",
            parameters: {
                region,
                usePodIdentity: "true",
                objects: pulumi
                    .output(secret)
                    .apply((arn) =>
                        secretObjectsYaml([
                            { secret: arn, wholeAlias, usernameAlias: "username", passwordAlias: "password" },
                            ...(previous ? [{ secret: arn, ...previous, versionLabel: "AWSPREVIOUS" as const }] : []),
                        ]),
                    ),
            },
        },
    };
}

/**
 * The key that encrypts the secrets a pod reads: its ARN, or (a standby's replicas, whose key another stack
 * creates) its alias, granted on the region's keys with the kms:ResourceAliases condition.
 */
export type SecretsKeyRef = { arn: pulumi.Input<string> } | { alias: string; keys: pulumi.Input<string> };

/** Inline policy: read exactly these secrets, and decrypt them only through Secrets Manager in their region. */
export function secretReadPolicy(resources: pulumi.Input<string>[], ref: SecretsKeyRef, region: string): pulumi.Output<string> {
    const keyResource = "arn" in ref ? ref.arn : ref.keys;
    return pulumi.all([pulumi.all(resources), keyResource]).apply(([secretArns, keyArn]) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secretArns },
                {
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: keyArn,
                    Condition: {
                        StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` },
                        ...("alias" in ref ? { "ForAnyValue:StringEquals": { "kms:ResourceAliases": ref.alias } } : {}),
                    },
                },
            ],
        }),
    );
}
