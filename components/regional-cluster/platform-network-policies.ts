/**
 * NetworkPolicies for the namespaces the platform creates or installs charts into, other than the app namespace
 * (issue 15, runtime security): each denies all ingress and egress by default, then allows what its pods need,
 * derived from what the plan installs there. docs/runtime-security.md, "NetworkPolicies in the platform namespaces".
 *
 * Where peers are addressed:
 * - The EKS API server: its control-plane ENIs sit in the cluster's subnets, with addresses that change when EKS
 *   replaces them (upgrades, scaling), so no fixed IP can be written here; pods reach it on 443 and it reaches
 *   webhooks and aggregated APIs from those ENIs. Both are allowed to and from the VPC's CIDR on the listed ports
 *   (aws/aws-network-policy-agent#281: the maintainers' answer is the endpoint IPs, which rotate, or the subnets).
 * - Kubelet probes: the VPC CNI's policy agent always allows traffic from the pod's own node
 *   (aws/aws-network-policy-agent#65), so health probes need no rule.
 * - AWS APIs (SQS, Secrets Manager, SNS, STS, the RDS trust store) through the NAT gateways: 0.0.0.0/0 on 443,
 *   only for the pods that call them. OpenSearch, Aurora and the kubelets are in the VPC: the VPC CIDR.
 *
 * Pods are selected by the labels their charts give them (facts in test/upstream/charts/<chart>/<version>/pods.json),
 * or the whole namespace where every pod there has the same needs.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { APP_NAMESPACE, BACKEND, BACKEND_PORT, GATEWAY_HEALTH_PORT, GATEWAY_HTTPS_PORT, INGRESS_NAMESPACE, ISTIO_NAMESPACE } from "./manifests";
import {
    APP_NAME_LABEL,
    AWS_API_PORT,
    DATABASE_NAMESPACE,
    DNS_POD_LABELS,
    DNS_PORT,
    GATEWAY_POD_LABELS,
    ISTIOD_POD_LABELS,
    ISTIOD_XDS_PORT,
    MONITORING_NAMESPACE,
    OTLP_PORTS,
    POD_IDENTITY_AGENT,
} from "./network-policies";
import { READER_PORT, WRITER_PORT } from "../sharded-database/pod-common";
import { JAEGER_OTLP_TLS_PORT, TRACING_NAMESPACE } from "../observability/kubernetes";
import { CERTIFICATE_ISSUER_POD_LABELS } from "../self-signed-certificate";
import { KEDA_NAMESPACE } from "../job-queue";
import { ARGO_ROLLOUTS_NAMESPACE } from "./delivery";

/** Namespaces outside the app namespace and kube-system that the regional stacks create or install into. */
export const PLATFORM_NAMESPACES = [
    ISTIO_NAMESPACE,
    INGRESS_NAMESPACE,
    DATABASE_NAMESPACE,
    MONITORING_NAMESPACE,
    TRACING_NAMESPACE,
    KEDA_NAMESPACE,
    ARGO_ROLLOUTS_NAMESPACE,
] as const;
export type PlatformNamespace = (typeof PLATFORM_NAMESPACES)[number];

/** The API server's port (pods to the control plane) and where the control plane is: the VPC (see above). */
export const API_SERVER_PORT = 443;
/** istiod's injection/validation webhook container port (the istiod Service maps 443 to it; istiod chart). */
export const ISTIOD_WEBHOOK_PORT = 15017;
/** Prometheus's web port (queries from Grafana, prometheus-adapter, Argo Rollouts analyses, KEDA) and its pods' labels (set by the Prometheus Operator). */
export const PROMETHEUS_PORT = 9090;
export const PROMETHEUS_POD_LABELS = { "app.kubernetes.io/name": "prometheus" };
/** Alertmanager: the API Prometheus sends alerts to, and the cluster (gossip) port between replicas, TCP and UDP. */
export const ALERTMANAGER_PORT = 9093;
export const ALERTMANAGER_CLUSTER_PORT = 9094;
export const ALERTMANAGER_POD_LABELS = { "app.kubernetes.io/name": "alertmanager" };
/** The Prometheus Operator's admission webhook (kube-prometheus-stack `prometheusOperator.tls.internalPort`). */
export const PROMETHEUS_OPERATOR_WEBHOOK_PORT = 10250;
/** Grafana's pods (grafana chart selector labels) and the Jaeger query port Grafana's trace data source reads. */
export const GRAFANA_POD_LABELS = { "app.kubernetes.io/name": "grafana" };
export const JAEGER_QUERY_PORT = 16686;
/** Node ports Prometheus scrapes: kubelet/cAdvisor, node-exporter (host network), kube-proxy metrics. */
export const NODE_SCRAPE_PORTS = [10250, 9100, 10249];
/** Aurora PostgreSQL, in the data subnets. */
export const AURORA_PORT = 5432;
/** KEDA: the metrics API server's container port (`service.portHttpsTarget`), the admission webhooks' port (default 9443), the operator's gRPC port the metrics API server calls. */
export const KEDA_METRICS_API_PORT = 6443;
export const KEDA_WEBHOOK_PORT = 9443;
export const KEDA_OPERATOR_GRPC_PORT = 9666;
/** The ingress gateway's container ports the NLB targets: traffic and the health check. */
export const GATEWAY_TARGET_PORTS = [GATEWAY_HTTPS_PORT, GATEWAY_HEALTH_PORT];

type Spec = k8s.types.input.networking.v1.NetworkPolicySpec;
type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
const ns = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });
const tcp = (port: number) => ({ protocol: "TCP", port });
const ALL_PODS = {};

export interface PlatformNetworkPoliciesArgs {
    /** The VPC's CIDR: the API server's ENIs, the NLB, the nodes, Aurora and OpenSearch are in it. */
    vpcCidr: pulumi.Input<string>;
    /** The namespaces to cover: those the stack creates or installs into (a stack without External Secrets leaves it out). */
    namespaces: readonly PlatformNamespace[];
}

/** The policies every platform namespace starts from: deny all, DNS, the mesh (xDS for sidecars), Prometheus's scrapes. */
function baseline(namespace: string): Record<string, Spec> {
    const specs: Record<string, Spec> = {
        "default-deny": { podSelector: ALL_PODS, policyTypes: ["Ingress", "Egress"] },
        "allow-dns": {
            podSelector: ALL_PODS,
            policyTypes: ["Egress"],
            egress: [
                {
                    to: [{ namespaceSelector: ns("kube-system"), podSelector: { matchLabels: DNS_POD_LABELS } }],
                    ports: [{ protocol: "UDP", port: DNS_PORT }, tcp(DNS_PORT)],
                },
            ],
        },
        // Prometheus scrapes whatever ServiceMonitors and PodMonitors name, on their ports: it is trusted to reach every pod.
        "allow-prometheus-scrape": {
            podSelector: ALL_PODS,
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ namespaceSelector: ns(MONITORING_NAMESPACE), podSelector: { matchLabels: PROMETHEUS_POD_LABELS } }] }],
        },
    };
    // Sidecars (and the gateway, itself an Envoy) fetch config and certificates from istiod. Harmless where no pod is meshed,
    // and it keeps a namespace that joins the mesh later working.
    if (namespace !== ISTIO_NAMESPACE)
        specs["allow-mesh"] = {
            podSelector: ALL_PODS,
            policyTypes: ["Egress"],
            egress: [{ to: [{ namespaceSelector: ns(ISTIO_NAMESPACE), podSelector: { matchLabels: ISTIOD_POD_LABELS } }], ports: [tcp(ISTIOD_XDS_PORT)] }],
        };
    return specs;
}

/** Egress to the API server (VPC CIDR on 443), for pods that watch or write Kubernetes objects. */
const toApiServer = (vpcCidr: pulumi.Input<string>) => ({ to: [{ ipBlock: { cidr: vpcCidr } }], ports: [tcp(API_SERVER_PORT)] });

/** The self-signed certificate issuers (Job and CronJob, components/self-signed-certificate.ts) write their Secret through the API server. */
const certificateIssuer = (vpcCidr: pulumi.Input<string>): Record<string, Spec> => ({
    "allow-certificate-issuer": { podSelector: { matchLabels: { ...CERTIFICATE_ISSUER_POD_LABELS } }, policyTypes: ["Egress"], egress: [toApiServer(vpcCidr)] },
});
/** Egress to AWS APIs over the NAT gateways, plus the Pod Identity agent that signs for them. */
const toAwsApis = [
    { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(AWS_API_PORT)] },
    { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }], ports: [tcp(POD_IDENTITY_AGENT.port)] },
];
const fromApiServer = (vpcCidr: pulumi.Input<string>, ...ports: number[]) => ({ from: [{ ipBlock: { cidr: vpcCidr } }], ports: ports.map(tcp) });

/** Each platform namespace's NetworkPolicy specs, by namespace and policy name (exported for the readiness check's tests). */
export function platformNetworkPolicySpecs(vpcCidr: pulumi.Input<string>): Record<PlatformNamespace, Record<string, Spec>> {
    const appPods: Peer = { namespaceSelector: ns(APP_NAMESPACE) };
    return {
        [ISTIO_NAMESPACE]: {
            ...baseline(ISTIO_NAMESPACE),
            "allow-istiod": {
                podSelector: { matchLabels: ISTIOD_POD_LABELS },
                policyTypes: ["Ingress"],
                ingress: [
                    // Every meshed pod, in whatever namespace, is an xDS client.
                    { from: [{ namespaceSelector: {} }], ports: [tcp(ISTIOD_XDS_PORT)] },
                    fromApiServer(vpcCidr, ISTIOD_WEBHOOK_PORT),
                ],
            },
            // istiod and the Istio CNI node agent watch the API server.
            "allow-api-server": { podSelector: ALL_PODS, policyTypes: ["Egress"], egress: [toApiServer(vpcCidr)] },
        },
        [INGRESS_NAMESPACE]: {
            ...baseline(INGRESS_NAMESPACE),
            ...certificateIssuer(vpcCidr),
            "allow-gateway": {
                podSelector: { matchLabels: GATEWAY_POD_LABELS },
                policyTypes: ["Ingress", "Egress"],
                // The NLB targets pod IPs without client IP preservation (the AWS default for IP targets over TCP), so
                // connections and health checks come from its private addresses in the public subnets.
                ingress: [{ from: [{ ipBlock: { cidr: vpcCidr } }], ports: GATEWAY_TARGET_PORTS.map(tcp) }],
                egress: [
                    { to: [{ namespaceSelector: ns(APP_NAMESPACE), podSelector: { matchLabels: { [APP_NAME_LABEL]: BACKEND } } }], ports: [tcp(BACKEND_PORT)] },
                ],
            },
        },
        [DATABASE_NAMESPACE]: {
            ...baseline(DATABASE_NAMESPACE),
            "allow-pgbouncer": {
                podSelector: { matchLabels: { [APP_NAME_LABEL]: "pgbouncer" } },
                policyTypes: ["Ingress", "Egress"],
                ingress: [{ from: [appPods], ports: [tcp(WRITER_PORT), tcp(READER_PORT)] }],
                egress: [{ to: [{ ipBlock: { cidr: vpcCidr } }], ports: [tcp(AURORA_PORT)] }],
            },
            // The migration Jobs: psql to the writer, and the init container that fetches the RDS CA bundle
            // from truststore.pki.rds.amazonaws.com (public, 443).
            "allow-migrations": {
                podSelector: { matchLabels: { [APP_NAME_LABEL]: "directory-migrate" } },
                policyTypes: ["Egress"],
                egress: [
                    { to: [{ ipBlock: { cidr: vpcCidr } }], ports: [tcp(AURORA_PORT)] },
                    { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(AWS_API_PORT)] },
                ],
            },
        },
        [MONITORING_NAMESPACE]: {
            ...baseline(MONITORING_NAMESPACE),
            "allow-prometheus": {
                podSelector: { matchLabels: PROMETHEUS_POD_LABELS },
                policyTypes: ["Ingress", "Egress"],
                ingress: [
                    {
                        // Grafana, prometheus-adapter, Argo Rollouts' analyses and KEDA's Prometheus triggers query it.
                        from: [MONITORING_NAMESPACE, "kube-system", ARGO_ROLLOUTS_NAMESPACE, KEDA_NAMESPACE].map((n) => ({ namespaceSelector: ns(n) })),
                        ports: [tcp(PROMETHEUS_PORT)],
                    },
                ],
                egress: [
                    { to: [{ namespaceSelector: {} }] },
                    { to: [{ ipBlock: { cidr: vpcCidr } }], ports: NODE_SCRAPE_PORTS.map(tcp) },
                    toApiServer(vpcCidr),
                ],
            },
            "allow-alertmanager": {
                podSelector: { matchLabels: ALERTMANAGER_POD_LABELS },
                policyTypes: ["Ingress", "Egress"],
                ingress: [
                    { from: [{ podSelector: { matchLabels: PROMETHEUS_POD_LABELS } }], ports: [tcp(ALERTMANAGER_PORT)] },
                    {
                        from: [{ podSelector: { matchLabels: ALERTMANAGER_POD_LABELS } }],
                        ports: [tcp(ALERTMANAGER_CLUSTER_PORT), { protocol: "UDP", port: ALERTMANAGER_CLUSTER_PORT }],
                    },
                ],
                // Receivers are SNS topics (SigV4 through Pod Identity).
                egress: [
                    {
                        to: [{ podSelector: { matchLabels: ALERTMANAGER_POD_LABELS } }],
                        ports: [tcp(ALERTMANAGER_CLUSTER_PORT), { protocol: "UDP", port: ALERTMANAGER_CLUSTER_PORT }],
                    },
                    ...toAwsApis,
                ],
            },
            "allow-grafana": {
                podSelector: { matchLabels: GRAFANA_POD_LABELS },
                policyTypes: ["Egress"],
                egress: [
                    { to: [{ podSelector: { matchLabels: PROMETHEUS_POD_LABELS } }], ports: [tcp(PROMETHEUS_PORT)] },
                    { to: [{ namespaceSelector: ns(TRACING_NAMESPACE) }], ports: [tcp(JAEGER_QUERY_PORT)] },
                ],
            },
            // The operator's webhook (the API server calls it); the operator, kube-state-metrics, Grafana's dashboard
            // sidecar and Fluent Bit's kubernetes filter watch the API server; Fluent Bit and the OpenSearch bootstrap
            // Job write to OpenSearch in the VPC on 443, signing with Pod Identity credentials.
            "allow-controllers": {
                podSelector: ALL_PODS,
                policyTypes: ["Ingress", "Egress"],
                ingress: [fromApiServer(vpcCidr, PROMETHEUS_OPERATOR_WEBHOOK_PORT)],
                egress: [toApiServer(vpcCidr), { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }], ports: [tcp(POD_IDENTITY_AGENT.port)] }],
            },
        },
        [TRACING_NAMESPACE]: {
            ...baseline(TRACING_NAMESPACE),
            ...certificateIssuer(vpcCidr),
            "allow-otlp": {
                podSelector: ALL_PODS,
                policyTypes: ["Ingress", "Egress"],
                ingress: [
                    // The apps send to the collector; the collector exports to Jaeger: both OTLP (to Jaeger over TLS).
                    { from: [appPods, { podSelector: {} }], ports: OTLP_PORTS.map(tcp) },
                    { from: [{ podSelector: {} }], ports: [tcp(JAEGER_OTLP_TLS_PORT)] },
                    {
                        from: [{ namespaceSelector: ns(MONITORING_NAMESPACE), podSelector: { matchLabels: GRAFANA_POD_LABELS } }],
                        ports: [tcp(JAEGER_QUERY_PORT)],
                    },
                ],
                egress: [
                    { to: [{ podSelector: {} }], ports: [...OTLP_PORTS, JAEGER_OTLP_TLS_PORT].map(tcp) },
                    // Jaeger's storage: OpenSearch in the VPC, SigV4 with Pod Identity credentials.
                    { to: [{ ipBlock: { cidr: vpcCidr } }], ports: [tcp(AWS_API_PORT)] },
                    { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }], ports: [tcp(POD_IDENTITY_AGENT.port)] },
                ],
            },
        },
        [KEDA_NAMESPACE]: {
            ...baseline(KEDA_NAMESPACE),
            "allow-keda": {
                podSelector: ALL_PODS,
                policyTypes: ["Ingress", "Egress"],
                ingress: [
                    // The external metrics API (aggregated by the API server) and the admission webhooks.
                    fromApiServer(vpcCidr, KEDA_METRICS_API_PORT, KEDA_WEBHOOK_PORT),
                    // The metrics API server asks the operator for the scalers' values over gRPC.
                    { from: [{ podSelector: {} }], ports: [tcp(KEDA_OPERATOR_GRPC_PORT)] },
                ],
                egress: [
                    toApiServer(vpcCidr),
                    { to: [{ podSelector: {} }], ports: [tcp(KEDA_OPERATOR_GRPC_PORT)] },
                    {
                        to: [{ namespaceSelector: ns(MONITORING_NAMESPACE), podSelector: { matchLabels: PROMETHEUS_POD_LABELS } }],
                        ports: [tcp(PROMETHEUS_PORT)],
                    },
                    // Scalers read SQS and CloudWatch.
                    ...toAwsApis,
                ],
            },
        },
        [ARGO_ROLLOUTS_NAMESPACE]: {
            ...baseline(ARGO_ROLLOUTS_NAMESPACE),
            "allow-rollouts": {
                podSelector: ALL_PODS,
                policyTypes: ["Egress"],
                egress: [
                    toApiServer(vpcCidr),
                    {
                        to: [{ namespaceSelector: ns(MONITORING_NAMESPACE), podSelector: { matchLabels: PROMETHEUS_POD_LABELS } }],
                        ports: [tcp(PROMETHEUS_PORT)],
                    },
                ],
            },
        },
    };
}

/**
 * kube-system is not default-denied as a namespace: it hosts CoreDNS, kube-proxy, the VPC CNI, the Pod Identity
 * agent and other EKS-managed add-ons whose traffic EKS defines and changes between versions, and a namespace-wide
 * deny would cut DNS for the whole cluster on the first mistake. Instead, each add-on the platform installs there
 * gets one policy that selects only its pods (the release's `app.kubernetes.io/instance` label) for both
 * directions, so those pods are default-denied and allowed what they need. Keyed by Helm release name.
 */
export const METRICS_SERVER_PORT = 10250;
export const PROMETHEUS_ADAPTER_PORT = 6443;
export const LOAD_BALANCER_CONTROLLER_WEBHOOK_PORT = 9443;
export const VPA_ADMISSION_PORT = 8000;
export const KUBELET_PORT = 10250;
export function kubeSystemAddonPolicySpecs(vpcCidr: pulumi.Input<string>): Record<string, Spec> {
    const instance = (release: string) => ({ matchLabels: { "app.kubernetes.io/instance": release } });
    const dns = { to: [{ podSelector: { matchLabels: DNS_POD_LABELS } }], ports: [{ protocol: "UDP", port: DNS_PORT }, tcp(DNS_PORT)] };
    const scraped = { from: [{ namespaceSelector: ns(MONITORING_NAMESPACE), podSelector: { matchLabels: PROMETHEUS_POD_LABELS } }] };
    const addon = (
        release: string,
        ingress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[],
        egress: k8s.types.input.networking.v1.NetworkPolicyEgressRule[],
    ): Spec => ({
        podSelector: instance(release),
        policyTypes: ["Ingress", "Egress"],
        ingress: [scraped, ...ingress],
        egress: [dns, toApiServer(vpcCidr), ...egress],
    });
    return {
        // The resource metrics API: the API server calls it; it reads every kubelet.
        "metrics-server": addon(
            "metrics-server",
            [fromApiServer(vpcCidr, METRICS_SERVER_PORT)],
            [{ to: [{ ipBlock: { cidr: vpcCidr } }], ports: [tcp(KUBELET_PORT)] }],
        ),
        // The custom metrics API (the backend's HPA): the API server calls it; it queries Prometheus.
        "prometheus-adapter": addon(
            "prometheus-adapter",
            [fromApiServer(vpcCidr, PROMETHEUS_ADAPTER_PORT)],
            [{ to: [{ namespaceSelector: ns(MONITORING_NAMESPACE), podSelector: { matchLabels: PROMETHEUS_POD_LABELS } }], ports: [tcp(PROMETHEUS_PORT)] }],
        ),
        // Auto Scaling and EC2 APIs, with Pod Identity credentials.
        "cluster-autoscaler": addon("cluster-autoscaler", [], [...toAwsApis]),
        // ELBv2 and EC2 APIs; the API server calls its webhooks (TargetGroupBinding validation).
        "aws-load-balancer-controller": addon("aws-load-balancer-controller", [fromApiServer(vpcCidr, LOAD_BALANCER_CONTROLLER_WEBHOOK_PORT)], [...toAwsApis]),
        // The recommender reads the metrics API through the API server; the admission controller (when enabled) is a webhook.
        "vertical-pod-autoscaler": addon("vertical-pod-autoscaler", [fromApiServer(vpcCidr, VPA_ADMISSION_PORT)], []),
    };
}

/** kube-system add-on policies for the releases given (the regional stacks install all five). */
export function kubeSystemAddonPolicies(
    name: string,
    args: { vpcCidr: pulumi.Input<string>; releases: readonly string[] },
    opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy[] {
    const specs = kubeSystemAddonPolicySpecs(args.vpcCidr);
    const unknown = args.releases.filter((r) => !(r in specs));
    if (unknown.length) throw new Error(`kubeSystemAddonPolicies: releases ${JSON.stringify(unknown)} have no policy; known: ${Object.keys(specs).join(", ")}`);
    return args.releases.map(
        (release) =>
            new k8s.networking.v1.NetworkPolicy(
                `${name}-kube-system-${release}`,
                { metadata: { name: `addon-${release}`, namespace: "kube-system" }, spec: specs[release] },
                opts,
            ),
    );
}

/** The platform namespaces' NetworkPolicies; create them after the namespaces (opts.dependsOn). */
export function platformNetworkPolicies(
    name: string,
    args: PlatformNetworkPoliciesArgs,
    opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy[] {
    const unknown = args.namespaces.filter((n) => !(PLATFORM_NAMESPACES as readonly string[]).includes(n));
    if (unknown.length)
        throw new Error(`platformNetworkPolicies: namespaces ${JSON.stringify(unknown)} have no policy set; known: ${PLATFORM_NAMESPACES.join(", ")}`);
    const specs = platformNetworkPolicySpecs(args.vpcCidr);
    return args.namespaces.flatMap((namespace) =>
        Object.entries(specs[namespace]).map(
            ([policy, spec]) => new k8s.networking.v1.NetworkPolicy(`${name}-${namespace}-${policy}`, { metadata: { name: policy, namespace }, spec }, opts),
        ),
    );
}

/** The add-on releases the regional stacks install into kube-system and cover (the Secrets Store CSI driver is not covered: docs/runtime-security.md). */
export const KUBE_SYSTEM_ADDONS = [
    "metrics-server",
    "prometheus-adapter",
    "cluster-autoscaler",
    "aws-load-balancer-controller",
    "vertical-pod-autoscaler",
] as const;
