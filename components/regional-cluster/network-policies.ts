/**
 * NetworkPolicies for the app namespace (issue 15, runtime security): deny every connection in and out by
 * default, then allow the hops the platform's apps rely on. Enforced by the VPC CNI's network policy agent
 * (`vpcCniOptions.enableNetworkPolicy` on the cluster). docs/runtime-security.md, "NetworkPolicies".
 *
 * With the Istio sidecar, connections keep their original destination port (the sidecar intercepts them inside
 * the pod), so the ports here are the services' ports; sidecar traffic to istiod and the merged metrics port
 * (15020, where Prometheus scrapes a meshed pod) are allowed as their own hops.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { APP_NAMESPACE, BACKEND, BACKEND_PORT, INGRESS_NAMESPACE, ISTIO_NAMESPACE } from "./manifests";
import { READER_PORT, WRITER_PORT } from "../sharded-database/pod-common";
import { TRACING_NAMESPACE } from "../observability/kubernetes";

/** The label every app pod is selected by: `app.kubernetes.io/name: <app name>` (BACKEND, WORKER). */
export const APP_NAME_LABEL = "app.kubernetes.io/name";
/** Namespaces outside the app namespace the apps talk to. */
export const DATABASE_NAMESPACE = "database";
export const MONITORING_NAMESPACE = "monitoring";
/** istiod's pods (istiod chart: `app: istiod`), and the port sidecars fetch config and certificates on (xDS, CA). */
export const ISTIOD_POD_LABELS = { app: "istiod" };
export const ISTIOD_XDS_PORT = 15012;
/** The ingress gateway's pods (gateway chart: `istio: ingressgateway`, as the Gateway selects them). */
export const GATEWAY_POD_LABELS = { istio: "ingressgateway" };
/** kube-dns pods (EKS CoreDNS add-on: `k8s-app: kube-dns`) and DNS's port. */
export const DNS_POD_LABELS = { "k8s-app": "kube-dns" };
export const DNS_PORT = 53;
/** Where Prometheus scrapes a meshed pod (Istio merged metrics). */
export const ISTIO_METRICS_PORT = 15020;
/** OTLP gRPC and HTTP, the OpenTelemetry collector's receivers. */
export const OTLP_PORTS = [4317, 4318];
/** ElastiCache (Valkey/Redis) port, reached in the VPC's data subnets. */
export const CACHE_PORT = 6379;
/** The EKS Pod Identity agent (link-local, on every node): where pods get their AWS credentials. */
export const POD_IDENTITY_AGENT = { cidr: "169.254.170.23/32", port: 80 };
/** AWS APIs (SQS, Secrets Manager, STS) over HTTPS, through the NAT gateways or VPC endpoints. */
export const AWS_API_PORT = 443;

const ns = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });
const tcp = (port: number) => ({ protocol: "TCP", port });

export interface AppNetworkPoliciesArgs {
    /** The VPC's CIDR: the data tier (ElastiCache) is in it. */
    vpcCidr: pulumi.Input<string>;
}

/** The app namespace's NetworkPolicy specs, by name (exported for the readiness check's tests). */
export function appNetworkPolicySpecs(vpcCidr: pulumi.Input<string>): Record<string, k8s.types.input.networking.v1.NetworkPolicySpec> {
    return {
        // Every pod, both directions: nothing not allowed below gets in or out.
        "default-deny": { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        "allow-dns": {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [
                {
                    to: [{ namespaceSelector: ns("kube-system"), podSelector: { matchLabels: DNS_POD_LABELS } }],
                    ports: [{ protocol: "UDP", port: DNS_PORT }, tcp(DNS_PORT)],
                },
            ],
        },
        "allow-mesh": {
            podSelector: {},
            policyTypes: ["Ingress", "Egress"],
            egress: [{ to: [{ namespaceSelector: ns(ISTIO_NAMESPACE), podSelector: { matchLabels: ISTIOD_POD_LABELS } }], ports: [tcp(ISTIOD_XDS_PORT)] }],
            ingress: [{ from: [{ namespaceSelector: ns(MONITORING_NAMESPACE) }], ports: [tcp(ISTIO_METRICS_PORT)] }],
        },
        "allow-gateway-to-backend": {
            podSelector: { matchLabels: { [APP_NAME_LABEL]: BACKEND } },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ namespaceSelector: ns(INGRESS_NAMESPACE), podSelector: { matchLabels: GATEWAY_POD_LABELS } }], ports: [tcp(BACKEND_PORT)] }],
        },
        "allow-app-egress": {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [
                {
                    to: [{ namespaceSelector: ns(DATABASE_NAMESPACE), podSelector: { matchLabels: { [APP_NAME_LABEL]: "pgbouncer" } } }],
                    ports: [tcp(WRITER_PORT), tcp(READER_PORT)],
                },
                { to: [{ namespaceSelector: ns(TRACING_NAMESPACE) }], ports: OTLP_PORTS.map(tcp) },
                { to: [{ ipBlock: { cidr: vpcCidr } }], ports: [tcp(CACHE_PORT)] },
                { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }], ports: [tcp(POD_IDENTITY_AGENT.port)] },
                { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(AWS_API_PORT)] },
            ],
        },
    };
}

/** The app namespace's NetworkPolicies. */
export function appNetworkPolicies(name: string, args: AppNetworkPoliciesArgs, opts: pulumi.CustomResourceOptions): k8s.networking.v1.NetworkPolicy[] {
    return Object.entries(appNetworkPolicySpecs(args.vpcCidr)).map(
        ([policy, spec]) =>
            new k8s.networking.v1.NetworkPolicy(`${name}-netpol-${policy}`, { metadata: { name: policy, namespace: APP_NAMESPACE }, spec }, opts),
    );
}
