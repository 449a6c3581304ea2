import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CACHE_POLICY, KEY_FORMAT } from "./cache-policy";

export interface PolicyConfigMapArgs {
    namespace: pulumi.Input<string>;
    zone: string;
    role: "primary" | "secondary";
    keyRegions: readonly string[];
    configurationEndpoint: pulumi.Input<string>;
    port: number;
    credentialsSecretArn: pulumi.Input<string>;
}

/**
 * The cache policy and the connection facts the application needs, as a
 * ConfigMap: TTL and scope per key class, the key format, the endpoint, and
 * where the credentials live (an ARN, never the password). `writable` is
 * false in a standby: a Global Datastore secondary is read-only until promoted.
 */
export function policyConfigMap(name: string, args: PolicyConfigMapArgs, provider: k8s.Provider, parent: pulumi.Resource): k8s.core.v1.ConfigMap {
    return new k8s.core.v1.ConfigMap(
        `${name}-cache-policy`,
        {
            metadata: {
                name: "cache-policy",
                namespace: args.namespace,
                labels: { "app.kubernetes.io/part-of": "bookedbarber", "app.kubernetes.io/component": "cache" },
            },
            data: {
                "policy.json": JSON.stringify(CACHE_POLICY, null, 2),
                "key-format": KEY_FORMAT,
                "key-regions": args.keyRegions.join(","),
                zone: args.zone,
                writable: String(args.role === "primary"),
                "configuration-endpoint": args.configurationEndpoint,
                port: String(args.port),
                tls: "required",
                "credentials-secret-arn": args.credentialsSecretArn,
            },
        },
        { parent, provider },
    );
}
