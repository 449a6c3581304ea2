import type { PolicyResource } from "@pulumi/policy";
import { isUnknown } from "./props";

/**
 * Inputs that carry a credential, per type. Top-level keys are the ones @pulumi/aws itself
 * wraps in `pulumi.secret` (its generated `resourceInputs[k] = args?.k ? pulumi.secret(...)`;
 * test/policies/secret-inputs.spec.ts checks each against the installed SDK), narrowed to
 * credentials (not certificates, key IDs or login banners). Nested paths are credentials the
 * SDK does not wrap on its own (they sit inside objects), found in the providers' schemas.
 */
export const SECRET_INPUTS: Readonly<Record<string, readonly string[]>> = {
    "aws:rds/cluster:Cluster": ["masterPassword"],
    "aws:rds/instance:Instance": ["password"],
    "aws:docdb/cluster:Cluster": ["masterPassword"],
    "aws:docdb/elasticCluster:ElasticCluster": ["adminUserPassword"],
    "aws:redshift/cluster:Cluster": ["masterPassword"],
    "aws:redshiftserverless/namespace:Namespace": ["adminUserPassword"],
    "aws:lightsail/database:Database": ["masterPassword"],
    "aws:elasticache/replicationGroup:ReplicationGroup": ["authToken"],
    "aws:elasticache/user:User": ["passwords[]", "authenticationMode.passwords[]"],
    "aws:memorydb/user:User": ["authenticationMode.passwords[]"],
    "aws:opensearch/domain:Domain": ["advancedSecurityOptions.masterUserOptions.masterUserPassword"],
    "aws:mq/broker:Broker": ["users[].password"],
    "aws:dms/endpoint:Endpoint": ["password"],
    "aws:directoryservice/directory:Directory": ["password"],
    "aws:cognito/user:User": ["password", "temporaryPassword"],
    "aws:timestreaminfluxdb/dbInstance:DbInstance": ["password"],
    "aws:timestreaminfluxdb/dbCluster:DbCluster": ["password"],
    "aws:codebuild/sourceCredential:SourceCredential": ["token"],
    "aws:amplify/app:App": ["accessToken", "oauthToken", "basicAuthCredentials"],
    "aws:apigateway/apiKey:ApiKey": ["value"],
    "aws:ec2/vpnConnection:VpnConnection": ["tunnel1PresharedKey", "tunnel2PresharedKey"],
    "aws:secretsmanager/secretVersion:SecretVersion": ["secretString", "secretBinary"],
    "aws:ssm/parameter:Parameter": ["value"],
};

/** The value the offline engine writes in place of a Pulumi secret (tools/offline/mock-engine.ts). */
export const MASKED = "[secret]";

export interface SecretValue {
    /** Where in the inputs (`users[0].password`). */
    path: string;
    /** Top-level input, the key of the engine's propertyDependencies. */
    key: string;
    value: unknown;
}

/** Values at `pattern` (`a.b[]` walks every element of `b`). */
function valuesAt(props: Record<string, any>, pattern: string): SecretValue[] {
    const key = pattern.split(/[.[]/)[0];
    let found: { path: string; value: unknown }[] = [{ path: "", value: props }];
    for (const part of pattern.split(".")) {
        const each = part.endsWith("[]");
        const name = each ? part.slice(0, -2) : part;
        found = found.flatMap(({ path, value }) => {
            const v = (value as Record<string, unknown> | undefined)?.[name];
            const at = path ? `${path}.${name}` : name;
            if (!each) return [{ path: at, value: v }];
            return Array.isArray(v) ? v.map((x, i) => ({ path: `${at}[${i}]`, value: x })) : [];
        });
    }
    return found.map((f) => ({ ...f, key }));
}

/** A credential value set on the resource (not unset, empty or unknown at preview). */
export function credentialsOf(type: string, props: Record<string, any>): SecretValue[] {
    if (type === "aws:ssm/parameter:Parameter" && props.type !== "SecureString") return [];
    return (SECRET_INPUTS[type] ?? [])
        .flatMap((p) => valuesAt(props, p))
        .filter((v) => v.value !== undefined && v.value !== null && v.value !== "" && !isUnknown(v.value));
}

/**
 * Why a credential value is a literal, or undefined when a Pulumi secret or another
 * resource stands behind it. What each engine lets a rule see:
 *
 * - Offline plans (`npm run plan`, `policy-check`): the engine records which inputs
 *   arrived as Pulumi secrets and masks them as "[secret]", and records each input's
 *   property dependencies. A credential shown in clear was never a secret.
 * - A real `pulumi preview`: @pulumi/policy unwraps secrets before `validateStack`
 *   (deserializeProperties(..., false)), so secretness is not visible, and @pulumi/aws
 *   wraps every credential input in `pulumi.secret` anyway, so a literal typed into the
 *   program reaches the engine as a secret too. What is visible in both is where the
 *   value came from: `propertyDependencies` names the resources (RandomPassword, a
 *   secret version) it was computed from. A credential known at preview time with no
 *   property dependency was typed into the program or its config.
 */
export function literalReason(resource: PolicyResource, v: SecretValue): string | undefined {
    const offline = (resource as OfflineResource).secretPaths;
    if (offline !== undefined && v.value !== MASKED) return `${v.path} is in clear text in the plan: it is not a Pulumi secret.`;
    // A masked value in a plan that did not record where secrets came from cannot be judged.
    if (offline === undefined && v.value === MASKED) return undefined;
    if ((resource.propertyDependencies?.[v.key] ?? []).length > 0) return undefined;
    return `${v.path} is a value written in the program or its config (it depends on no resource such as a RandomPassword or a Secrets Manager secret).`;
}

/** What the offline policy runner adds to a PolicyResource: the secret paths the engine recorded. */
export interface OfflineResource extends PolicyResource {
    secretPaths?: readonly string[];
}
