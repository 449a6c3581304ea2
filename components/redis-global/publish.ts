import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { APP_USER_AUTHENTICATION } from "./access";
import { CACHE_POLICY, KEY_FORMAT } from "./cache-policy";

export interface PolicyConfigMapArgs {
    namespace: pulumi.Input<string>;
    zone: string;
    role: "primary" | "secondary";
    keyRegions: readonly string[];
    configurationEndpoint: pulumi.Input<string>;
    port: number;
    /** Region of the cache: the region a client signs its IAM token for. */
    region: pulumi.Input<string>;
    /** The replication group id: the host a client signs its IAM token for. */
    replicationGroupId: pulumi.Input<string>;
    /** The application's ElastiCache user (IAM authentication). */
    userName: string;
}

/**
 * The cache policy and the connection facts the application needs, as a
 * ConfigMap: TTL and scope per key class, the key format, the endpoint, and
 * how to log in: the user and `auth: iam` (a SigV4 token for that user and
 * replication group, signed with the pod's own role; there is no password
 * anywhere). `writable` is false in a standby: a Global Datastore secondary is
 * read-only until promoted.
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
                auth: APP_USER_AUTHENTICATION,
                user: args.userName,
                "replication-group-id": args.replicationGroupId,
                region: args.region,
            },
        },
        { parent, provider },
    );
}
