import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PROMETHEUS_URL as OBSERVABILITY_PROMETHEUS_URL } from "../observability/prometheus-rules";
import { KEDA_NAMESPACE, KEDA_OPERATOR_SERVICE_ACCOUNT } from "../job-queue";
import { podIdentityRole } from "../pod-identity";
import { CHARTS, CLUSTER_AUTOSCALER_CHART_BY_MINOR } from "../helm/charts";
import { PROMETHEUS_CA_CONFIGMAP, PROMETHEUS_CA_DIR, PROMETHEUS_CA_FILE } from "../observability/prometheus-tls";
import { helmRelease, ReleaseContext } from "../helm/release";
import { SYSTEM_REPLICAS } from "./helm";
import { backendHpa, backendVpa, HpaSpec } from "./manifests";
import { LATENCY_P95_RULE, REQUESTS_PER_SECOND_RULE, SCALE_IN_HOLD_RULE } from "./adapter-rules";

/**
 * Where the ObservabilityStack's Prometheus answers, split as prometheus-adapter takes it (it appends
 * `:<port>`): one home for the address, the ObservabilityStack's PROMETHEUS_URL.
 */
const prometheus = new URL(OBSERVABILITY_PROMETHEUS_URL);
export const PROMETHEUS_URL = `${prometheus.protocol}//${prometheus.hostname}`;
export const PROMETHEUS_PORT = Number(prometheus.port);
/** The adapter's Deployment: the release is named after the chart, so the chart's fullname is the release name. */
export const PROMETHEUS_ADAPTER_DEPLOYMENT = CHARTS.prometheusAdapter.chart;

export interface AutoscalingArgs {
    clusterName: pulumi.Input<string>;
    region: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    /** Auto scaling groups of the managed node groups: the only ones the autoscaler may resize. */
    asgNames: pulumi.Input<string[]>;
    maxNodes: number;
    /** Kubernetes minor of the control plane: picks the Cluster Autoscaler chart built for it. */
    kubernetesVersion: string;
    hpa: HpaSpec;
    appNamespace: k8s.core.v1.Namespace;
}

const PDB = { maxUnavailable: 1 };

/** The Cluster Autoscaler's permissions: resize and terminate only in this cluster's node groups; read-only calls cannot be scoped by resource. */
export function clusterAutoscalerPolicy(clusterName: string, region: string, accountId: string, asgNames: string[]): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ResizeOnlyThisClustersNodeGroups",
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: asgNames.map((n) => `arn:aws:autoscaling:${region}:${accountId}:autoScalingGroup:*:autoScalingGroupName/${n}`),
                Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
            },
            {
                Sid: "DescribeNodeGroups",
                Effect: "Allow",
                Action: ["eks:DescribeNodegroup"],
                Resource: `arn:aws:eks:${region}:${accountId}:nodegroup/${clusterName}/*/*`,
            },
            {
                Sid: "ReadOnlyDiscovery",
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                ],
                Resource: "*",
            },
        ],
    });
}

/**
 * Node and workload autoscaling (spec: "Auto Scaling", "Scaling Thresholds"): metrics-server for the
 * HPA's CPU and memory, the Cluster Autoscaler with a Pod Identity role, prometheus-adapter serving
 * `requests_per_second`, the VPA recommender, and the backend's HPA and VPA.
 */
export function installAutoscaling(name: string, args: AutoscalingArgs, ctx: ReleaseContext) {
    const metricsServer = helmRelease(
        `${name}-metrics-server`,
        "metricsServer",
        "kube-system",
        {
            replicas: SYSTEM_REPLICAS,
            podDisruptionBudget: { enabled: true, ...PDB },
            priorityClassName: "system-cluster-critical",
        },
        ctx,
    );

    const caServiceAccount = "cluster-autoscaler";
    const caRole = podIdentityRole(
        `${name}-cluster-autoscaler`,
        {
            clusterName: args.clusterName,
            namespace: "kube-system",
            serviceAccount: caServiceAccount,
            description: "Cluster Autoscaler: resizes this cluster's managed node groups",
            policy: pulumi
                .all([args.clusterName, args.region, args.accountId, args.asgNames])
                .apply(([c, r, a, asgs]) => clusterAutoscalerPolicy(c, r, a, asgs)),
        },
        ctx.parent,
    );
    const clusterAutoscaler = helmRelease(
        `${name}-cluster-autoscaler`,
        "clusterAutoscaler",
        "kube-system",
        {
            cloudProvider: "aws",
            awsRegion: args.region,
            autoDiscovery: { clusterName: args.clusterName },
            rbac: { serviceAccount: { create: true, name: caServiceAccount } },
            replicaCount: SYSTEM_REPLICAS,
            podDisruptionBudget: PDB,
            priorityClassName: "system-cluster-critical",
            extraArgs: {
                // Spec: "Cluster Autoscaler: Scale 0-500 nodes per region".
                "max-nodes-total": args.maxNodes,
                "balance-similar-node-groups": true,
                expander: "least-waste",
                "skip-nodes-with-system-pods": false,
                // Spec "Scale In Triggers": 10 minutes under target before capacity goes.
                "scale-down-unneeded-time": "10m",
                "scale-down-delay-after-add": "10m",
            },
        },
        ctx,
        { dependsOn: [caRole], version: CLUSTER_AUTOSCALER_CHART_BY_MINOR[args.kubernetesVersion] },
    );

    const prometheusAdapter = helmRelease(
        `${name}-prometheus-adapter`,
        "prometheusAdapter",
        "kube-system",
        {
            prometheus: { url: PROMETHEUS_URL, port: PROMETHEUS_PORT, path: "" },
            // Prometheus's CA from the issuer's ConfigMap in kube-system (read once at start: the issuer restarts the adapter
            // on renewal). The flag is cmd/adapter/adapter.go's (v0.12.0, the chart's appVersion).
            extraArguments: [`--prometheus-ca-file=${PROMETHEUS_CA_FILE}`],
            extraVolumes: [{ name: "prometheus-web-ca", configMap: { name: PROMETHEUS_CA_CONFIGMAP, items: [{ key: "ca.crt", path: "ca.crt" }] } }],
            extraVolumeMounts: [{ name: "prometheus-web-ca", mountPath: PROMETHEUS_CA_DIR, readOnly: true }],
            replicas: SYSTEM_REPLICAS,
            podDisruptionBudget: { enabled: true, ...PDB },
            priorityClassName: "system-cluster-critical",
            // Custom metrics only: rps and p95 latency per pod, and the backend's scale-in gate. CPU and memory come
            // from metrics-server (metrics.k8s.io); external metrics from KEDA (external.metrics.k8s.io), so no
            // external rule here: the chart would register a second APIService for that group.
            rules: { default: false, custom: [REQUESTS_PER_SECOND_RULE, LATENCY_P95_RULE, SCALE_IN_HOLD_RULE], resource: {}, external: [] },
        },
        ctx,
    );

    // Recommender only: nothing evicts or rewrites pods; the recommendations are read, not applied.
    const vpa = helmRelease(
        `${name}-vpa`,
        "verticalPodAutoscaler",
        "kube-system",
        {
            crds: { enabled: true },
            // The recommender is always installed (the chart has no switch for it). Its PDB takes the chart's own
            // field, minAvailable (default 1): adding maxUnavailable would render both, which the API server
            // refuses, and a null cannot clear the default through a helm.v3.Release (pulumi-kubernetes#3811).
            recommender: { replicaCount: SYSTEM_REPLICAS, pdb: { create: true, minAvailable: SYSTEM_REPLICAS - PDB.maxUnavailable } },
            updater: { enabled: false },
            admissionController: { enabled: false },
        },
        ctx,
    );

    // KEDA: scales the background-job worker on the job queue's depth (components/job-queue.ts). Its operator
    // reads the queue with the Pod Identity role JobQueue creates for service account keda/keda-operator;
    // its metrics server owns external.metrics.k8s.io (prometheus-adapter serves custom metrics only).
    const kedaNamespace = new k8s.core.v1.Namespace(`${name}-keda-ns`, { metadata: { name: KEDA_NAMESPACE } }, { parent: ctx.parent, provider: ctx.provider });
    const keda = helmRelease(
        `${name}-keda`,
        "keda",
        KEDA_NAMESPACE,
        {
            operator: { replicaCount: SYSTEM_REPLICAS },
            metricsServer: { replicaCount: SYSTEM_REPLICAS },
            webhooks: { replicaCount: SYSTEM_REPLICAS },
            podDisruptionBudget: { operator: PDB, metricServer: PDB, webhooks: PDB },
            priorityClassName: "system-cluster-critical",
            serviceAccount: { operator: { create: true, name: KEDA_OPERATOR_SERVICE_ACCOUNT } },
        },
        ctx,
        { dependsOn: [kedaNamespace] },
    );

    const hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-backend-hpa`, backendHpa(args.hpa), {
        parent: ctx.parent,
        provider: ctx.provider,
        dependsOn: [args.appNamespace, metricsServer, prometheusAdapter],
    });
    const backendVpaObject = new k8s.apiextensions.CustomResource(`${name}-backend-vpa`, backendVpa(), {
        parent: ctx.parent,
        provider: ctx.provider,
        dependsOn: [args.appNamespace, vpa],
    });
    return { metricsServer, clusterAutoscaler, caRole, prometheusAdapter, vpa, hpa, backendVpa: backendVpaObject, keda };
}

/** Region and account of the provider the component was given. */
export function regionAndAccount(parent: pulumi.Resource) {
    return {
        region: aws.getRegionOutput({}, { parent }).region,
        accountId: aws.getCallerIdentityOutput({}, { parent }).accountId,
    };
}
