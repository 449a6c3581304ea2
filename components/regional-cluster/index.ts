import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { imageAdmission, restrictedPodSecurityLabels } from "./admission";
import { appNetworkPolicies } from "./network-policies";
import { ArgsCheck } from "../args";
import { checkClusterNetwork, ClusterNetwork } from "./network-args";
import { integerLimit, logRetentionLimit, oneOfLimit } from "../limits";
import { configureAccess } from "./access";
import { installAutoscaling, PROMETHEUS_ADAPTER_DEPLOYMENT, regionAndAccount } from "./autoscaling";
import { CLUSTER_AUTOSCALER_CHART_BY_MINOR } from "../helm/charts";
import { ReleaseContext } from "../helm/release";
import { APP_NAMESPACE, HpaSpec, ISTIO_REVISION, SPEC_HPA } from "./manifests";
import { installIngress } from "./ingress";
import { installMesh } from "./mesh";
import { ARGO_ROLLOUTS_DEPLOYMENT, ARGO_ROLLOUTS_NAMESPACE, installDelivery } from "./delivery";
import type { PrometheusClients } from "../observability/prometheus-tls";
import { BACKEND_ROUTE, DELIVERY_STRATEGIES, DeliveryStrategy, routeDestinations } from "./rollout";
import type { DatabaseLoginPod } from "../sharded-database/clients";
import {
    createNodeGroups,
    DEFAULT_CLUSTER_MAX_NODES,
    DEFAULT_NODE_GROUPS,
    NODE_GROUP_NAMES,
    NodeGroupName,
    nodeGroupProblems,
    NodeGroups,
    NodeGroupSpec,
    resolveNodeGroups,
} from "./node-groups";
import { withTags } from "../tags";

/** Every EKS control-plane log type (spec: SOC 2 "Automated compliance monitoring" needs the audit trail). */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** ACM's default quota of names per certificate (ACM quotas: "Domain names per ACM certificate", 10). */
export const ACM_MAX_NAMES = 10;
const HOSTNAME_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The component's type token: part of the URN of everything it creates (aliases of resources moved out of it use it). */
export const REGIONAL_CLUSTER_TYPE = "bookedbarber:cluster:RegionalCluster";

/** Name of the EKS cluster a RegionalCluster called `name` creates: the Network tags its subnets for it before the cluster exists. */
export function regionalClusterName(name: string): string {
    return `${name}-eks`;
}

/**
 * Kubernetes minors in EKS standard support on 2026-11-25: 1.34 (until 2026-12-02) and
 * 1.35 (released 2026-01-28, until 2027-03-27). The spec asks for "1.28+"; older minors are
 * in paid extended support or gone. Refresh this list when EKS releases a minor (and pin the
 * Cluster Autoscaler chart built for it: a test holds the two together).
 */
export const KUBERNETES_VERSIONS = ["1.34", "1.35"] as const;

/** RegionalCluster's defaults: the value each optional arg takes when left out (node groups: DEFAULT_NODE_GROUPS). The stack config keys derive theirs from these. */
export const CLUSTER_DEFAULTS = {
    /** The newest minor in EKS standard support (spec: "Version: 1.28+"). */
    kubernetesVersion: "1.35",
    /** The sum of the default node group maximums, so the cap is reachable. */
    maxNodes: DEFAULT_CLUSTER_MAX_NODES,
    /** The default node groups, sized by the capacity model (docs/capacity-and-recovery.md). */
    nodeGroups: DEFAULT_NODE_GROUPS,
    /** Only the deploy runner's egress addresses, which the stack adds. */
    publicAccessCidrs: [] as readonly string[],
    /** PCI DSS 10.7: a year. */
    ingressLogRetentionDays: 365,
    /** The EKS control-plane log group's retention; PCI DSS 10.7: a year (the stacks pass the flow-log retention). */
    controlPlaneLogRetentionDays: 365,
    /** Istio traffic shifting in steps, each gated by the Prometheus analysis (docs/delivery.md). */
    backendDeliveryStrategy: "canary",
} as const;

/** RegionalCluster's valid ranges. */
export const CLUSTER_LIMITS = {
    /** EKS standard support (KUBERNETES_VERSIONS). */
    kubernetesVersion: oneOfLimit(KUBERNETES_VERSIONS),
    /** Spec: "Scale 0-500 nodes per region". */
    maxNodes: integerLimit(1, 500),
    /** S3 lifecycle expiration of the access-log bucket; PCI DSS 10.7 a year at least, ten years at most. */
    ingressLogRetentionDays: integerLimit(365, 3653),
    /** A CloudWatch Logs retention period of a year or more (PutRetentionPolicy's list; PCI DSS 10.7). */
    controlPlaneLogRetentionDays: logRetentionLimit(365),
    backendDeliveryStrategy: oneOfLimit(DELIVERY_STRATEGIES),
} as const;

export interface RegionalClusterArgs {
    /**
     * The VPC the cluster runs in: its ID and CIDR, the AZs, and one private and one public subnet per AZ. Required:
     * the stack builds the region's Network (components/network.ts, with `clusterName: regionalClusterName(name)`
     * so the subnets carry the cluster's discovery tag) and passes its outputs.
     */
    network: ClusterNetwork;
    /** KMS key ARN for the cluster's log groups (control plane, ingress access logs): the region's logs key. Required. */
    logsKeyArn: pulumi.Input<string>;
    /** KMS key ARN that envelope-encrypts Kubernetes secrets and node volumes: the region's eks key. Required. */
    eksKeyArn: pulumi.Input<string>;
    /** Kubernetes minor of the control plane. Default "1.35" (spec: "Version: 1.28+"; stack config `kubernetesVersion`). */
    kubernetesVersion?: string;
    /**
     * Single addresses (/32) allowed on the API's public endpoint: the deploy runner's egress addresses (bootstrap
     * stack) and stack config `clusterPublicAccessCidrs`. Default [] = public endpoint off, API reachable only inside
     * the VPC (spec: Zero-Trust Architecture). docs/decisions/eks-api-access.md says why CI needs it.
     */
    publicAccessCidrs?: readonly string[];
    /**
     * Managed node groups: per-group, per-field overrides merged onto the spec table (general m6i.2xlarge
     * 20-200, compute c6i.4xlarge 10-100, memory r6i.2xlarge 5-50). Default: the spec table (stack config `nodeGroups`;
     * standbys lower every minimum to `standbyNodeGroupMinSize`).
     */
    nodeGroups?: Partial<Record<NodeGroupName, Partial<NodeGroupSpec>>>;
    /** Most nodes the Cluster Autoscaler may run. Default DEFAULT_CLUSTER_MAX_NODES, the default groups' maximums (spec: "Scale 0-500 nodes per region" is the ceiling). */
    maxNodes?: number;
    /** Backend HPA. Default the spec's: 50-1000 replicas, CPU 70%, memory 80%, 100 requests_per_second per pod ("Application Scaling Configuration"). */
    hpa?: Partial<HpaSpec>;
    /**
     * The ingress listener's certificate: every hostname clients use to reach this region's load balancer (the
     * first is the certificate's domain name, the rest its SANs), validated by DNS in the public hosted zone.
     * Required (the regional stack derives the names from the bootstrap stack's domain: stacks/hostnames.ts).
     */
    ingressCertificate: { hostnames: readonly string[]; hostedZoneId: pulumi.Input<string> };
    /** Days the control-plane log group keeps EKS's logs. Default 365 (PCI DSS 10.7; the stacks pass `flowLogRetentionDays`). */
    controlPlaneLogRetentionDays?: number;
    /** Days ingress access logs are kept. Default 365 (PCI DSS 10.7; stack config `ingressLogRetentionDays`). */
    ingressLogRetentionDays?: number;
    /** Tags for the EC2 instances, volumes and ENIs the node groups launch (cost allocation), over `tags`: provider defaultTags do not reach them. Default: `tags`; stacks pass the design's tag set. */
    nodeTags?: Record<string, string>;
    /**
     * The backend's container image, digest-pinned: `appImageReference(accountId, region, "backend", digest)`
     * (components/app-images.ts; stack config `appImages.backend`). Required: the Rollout runs it.
     */
    backendImage: pulumi.Input<string>;
    /**
     * How a new backend release reaches users (docs/delivery.md, "Progressive delivery"): "canary" (default:
     * Istio weights 10/25/50/100, each gated by the Prometheus analysis) or "blueGreen" (a preview Service, the
     * switch after the pre-promotion analysis). Stack config `backendDeliveryStrategy`.
     */
    backendDeliveryStrategy?: DeliveryStrategy;
    /**
     * PgBouncer's login for the backend: the CSI volume of the shards' app role secrets and the pools' addresses in env
     * (`databaseLoginPod` of components/sharded-database/clients.ts; ShardedDatabase's `clientNamespace` creates the
     * SecretProviderClass and `grantLogin` the read). Default none: the backend gets no database login.
     */
    backendDatabaseLogin?: DatabaseLoginPod;
    /** Deletion protection of the EKS control plane and the ingress NLB, and `protect` on the access-log bucket. Default true (stack config `protect`). */
    protect?: boolean;
    /** Tags added to every AWS resource this component creates, under each resource's own tags (build the design's set with `defaultTags()`). Default none: the provider's defaultTags carry them, as in the stacks. */
    tags?: Record<string, string>;
}

/**
 * One region's Kubernetes platform (spec: "Enhanced Kubernetes Architecture"):
 * an EKS cluster in the private application subnets of a VPC it is given with API authentication (access entries), a private
 * endpoint, secrets encrypted with the region's eks CMK and every control-plane
 * log type; on top of it the spec's managed node groups, node and workload
 * autoscaling, Istio with STRICT mTLS and default-deny, an internet-facing NLB in
 * front of the Istio gateway, and access entries with RBAC. README explains each.
 */
export class RegionalCluster extends pulumi.ComponentResource {
    /** The eks.Cluster component (a remote component: read its outputs, not its children). */
    readonly cluster: eks.Cluster;
    /** Kubernetes provider for this cluster; everything in-cluster uses it. */
    readonly kubernetesProvider: k8s.Provider;
    /** EKS cluster name, `bb-<region>-eks` (resolves after the cluster exists). */
    readonly clusterName: pulumi.Output<string>;
    /** The KEDA release: what ScaledObjects wait for (components/job-queue.ts). */
    readonly keda: k8s.helm.v3.Release;
    /** IAM OIDC provider of the cluster (IRSA), for consumers that cannot use Pod Identity. */
    readonly oidcProviderArn: pulumi.Output<string>;
    /** Kubeconfig (JSON) for the cluster; a secret. Needs network access to the private endpoint. */
    readonly kubeconfig: pulumi.Output<string>;
    /** Security group of the nodes and so of the pods (VPC CNI): data stores allow ingress only from it. */
    readonly nodeSecurityGroupId: pulumi.Output<string>;
    /** Security group of the control plane. */
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    /** The managed node groups, their IAM role and their auto scaling groups. */
    readonly nodeGroups: NodeGroups;
    /** The internet-facing load balancer in front of the Istio ingress gateway: what Route 53 aliases and CloudFront uses as origin. */
    readonly ingress: pulumi.Output<{ dnsName: string; zoneId: string }>;
    /** CloudWatch dimensions of the ingress NLB and its gateway target group (ObservabilityStack's healthy-host alarm). */
    readonly ingressMetrics: { loadBalancerArnSuffix: pulumi.Output<string>; targetGroupArnSuffix: pulumi.Output<string> };
    /** IAM roles mapped into the cluster: cluster-admin (MFA only), read-only and deployer. */
    readonly accessRoles: { admin: aws.iam.Role; readonly: aws.iam.Role; deployer: aws.iam.Role };
    /** The backend's Argo Rollout (rollout.ts): what the HPA, the VPA and the DR plan scale. */
    readonly backendRollout: k8s.apiextensions.CustomResource;
    /** Namespace of the application: sidecar injection on, pinned to the Istio revision. */
    readonly appNamespace: k8s.core.v1.Namespace;
    /** Prometheus's clients here (prometheus-adapter, the Argo Rollouts controller): ObservabilityStack gives them its CA and restarts them on renewal. */
    readonly prometheusClients: PrometheusClients;

    constructor(name: string, args: RegionalClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        const version = args.kubernetesVersion ?? CLUSTER_DEFAULTS.kubernetesVersion;
        const publicCidrs = args.publicAccessCidrs ?? [];
        const maxNodes = args.maxNodes ?? CLUSTER_DEFAULTS.maxNodes;
        const groups = resolveNodeGroups(args.nodeGroups ?? {});
        const totalMax = NODE_GROUP_NAMES.reduce((n, g) => n + groups[g].maxSize, 0);
        const certificateNames = args.ingressCertificate?.hostnames ?? [];
        const logRetentionDays = args.ingressLogRetentionDays ?? CLUSTER_DEFAULTS.ingressLogRetentionDays;
        const controlPlaneRetention = args.controlPlaneLogRetentionDays ?? CLUSTER_DEFAULTS.controlPlaneLogRetentionDays;
        const hpa: HpaSpec = { ...SPEC_HPA, ...(args.hpa ?? {}) };
        const strategy = args.backendDeliveryStrategy ?? CLUSTER_DEFAULTS.backendDeliveryStrategy;
        const check = new ArgsCheck("RegionalCluster", name);
        check
            .integer("hpa.minReplicas", hpa.minReplicas, 1, 10000)
            .integer("hpa.maxReplicas", hpa.maxReplicas, 1, 10000)
            .that(hpa.minReplicas <= hpa.maxReplicas, "hpa.minReplicas", hpa.minReplicas, `must not exceed hpa.maxReplicas (${hpa.maxReplicas})`)
            .integer("hpa.cpuUtilization", hpa.cpuUtilization, 1, 100)
            .integer("hpa.memoryUtilization", hpa.memoryUtilization, 1, 100)
            .integer("hpa.requestsPerSecond", hpa.requestsPerSecond, 1, 100000)
            .that(
                certificateNames.length > 0 &&
                    certificateNames.length <= ACM_MAX_NAMES &&
                    certificateNames.every((h) => HOSTNAME_RE.test(h)) &&
                    new Set(certificateNames).size === certificateNames.length,
                "ingressCertificate.hostnames",
                certificateNames,
                `must list 1 to ${ACM_MAX_NAMES} distinct lower-case hostnames such as us-east-1.api.bookedbarber.com (no wildcards: clients use exact names)`,
            )
            .that(
                args.ingressCertificate?.hostedZoneId !== undefined && args.ingressCertificate.hostedZoneId !== "",
                "ingressCertificate.hostedZoneId",
                args.ingressCertificate?.hostedZoneId,
                "must be the public hosted zone's id (the bootstrap stack's hostedZoneId)",
            )
            .within("ingressLogRetentionDays", logRetentionDays, CLUSTER_LIMITS.ingressLogRetentionDays)
            .within("controlPlaneLogRetentionDays", controlPlaneRetention, CLUSTER_LIMITS.controlPlaneLogRetentionDays)
            .within("backendDeliveryStrategy", strategy, CLUSTER_LIMITS.backendDeliveryStrategy)
            .that(
                pulumi.Output.isInstance(args.backendImage) ||
                    (typeof args.backendImage === "string" && /^[^\s@]+@sha256:[0-9a-f]{64}$/.test(args.backendImage)),
                "backendImage",
                args.backendImage,
                "must be a digest-pinned image reference <registry>/<repository>@sha256:<64 hex> (appImageReference in components/app-images.ts)",
            );
        for (const [field, value, allowed] of nodeGroupProblems(args.nodeGroups ?? {})) check.that(false, field, value, allowed);
        check
            .within("maxNodes", maxNodes, CLUSTER_LIMITS.maxNodes)
            .that(
                totalMax <= maxNodes,
                "nodeGroups",
                NODE_GROUP_NAMES.map((g) => `${g} max ${groups[g].maxSize}`).join(", "),
                `node group maximums add up to ${totalMax}; must not exceed maxNodes (${maxNodes})`,
            );
        checkClusterNetwork(check, args.network)
            .within("kubernetesVersion", version, CLUSTER_LIMITS.kubernetesVersion)
            .that(
                !KUBERNETES_VERSIONS.includes(version as (typeof KUBERNETES_VERSIONS)[number]) || version in CLUSTER_AUTOSCALER_CHART_BY_MINOR,
                "kubernetesVersion",
                version,
                `must be a minor the pinned Cluster Autoscaler charts are built for: ${Object.keys(CLUSTER_AUTOSCALER_CHART_BY_MINOR).join(", ")} (docs/charts.md)`,
            )
            .that(
                Array.isArray(publicCidrs) && publicCidrs.every((c) => /^\d+\.\d+\.\d+\.\d+\/32$/.test(c)),
                "publicAccessCidrs",
                publicCidrs,
                "must be single IPv4 addresses (/32): the public endpoint admits named hosts only",
            )
            .done();
        super(REGIONAL_CLUSTER_TYPE, name, {}, withTags("RegionalCluster", name, args.tags, opts));

        // Set explicitly: the subnet discovery tags need it before the cluster exists, and consumers read it without the eks plugin.
        const clusterName = regionalClusterName(name);
        const network = args.network;

        // EKS would create this group itself, unencrypted and kept forever; created first, it gets the logs CMK and a retention.
        const controlPlaneLogs = new aws.cloudwatch.LogGroup(
            `${name}-eks-control-plane-logs`,
            {
                name: `/aws/eks/${clusterName}/cluster`,
                retentionInDays: controlPlaneRetention,
                kmsKeyId: args.logsKeyArn,
                tags: { "log-class": "kubernetes-audit" },
            },
            { parent: this },
        );

        this.cluster = new eks.Cluster(
            `${name}-eks`,
            {
                name: clusterName,
                version,
                vpcId: network.vpcId,
                // Control plane ENIs and nodes in the private application subnets only; load balancers find the public ones by tag.
                privateSubnetIds: [...network.privateSubnetIds],
                nodeAssociatePublicIpAddress: false,
                endpointPrivateAccess: true,
                endpointPublicAccess: publicCidrs.length > 0,
                ...(publicCidrs.length > 0 ? { publicAccessCidrs: [...publicCidrs] } : {}),
                // Access entries only: the aws-auth ConfigMap is deprecated and invisible to IAM audits.
                authenticationMode: eks.AuthenticationMode.Api,
                encryptionConfigKeyArn: args.eksKeyArn,
                enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
                // Managed node groups (spec table) replace the component's default self-managed group.
                skipDefaultNodeGroup: true,
                // Pod Identity is the default for workloads; the OIDC provider is in the stack contract for IRSA-only tools.
                createOidcProvider: true,
                deletionProtection: args.protect ?? true,
                // The VPC CNI's network policy agent enforces Kubernetes NetworkPolicies (issue 15; network-policies.ts).
                vpcCniOptions: { enableNetworkPolicy: true },
            },
            { parent: this, dependsOn: [controlPlaneLogs] },
        );

        // Derived from a cluster output so that whatever uses the name (node groups, Pod Identity associations) waits for the cluster.
        this.clusterName = this.cluster.kubeconfigJson.apply(() => clusterName);
        this.oidcProviderArn = this.cluster.oidcProviderArn;
        this.kubeconfig = pulumi.secret(this.cluster.kubeconfigJson);
        this.nodeSecurityGroupId = this.cluster.nodeSecurityGroupId;
        this.clusterSecurityGroupId = this.cluster.clusterSecurityGroupId;
        this.kubernetesProvider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, { parent: this });

        this.nodeGroups = createNodeGroups(
            name,
            {
                clusterName: this.clusterName,
                kubernetesVersion: version,
                subnetIds: [...network.privateSubnetIds],
                nodeSecurityGroupId: this.nodeSecurityGroupId,
                eksKeyArn: args.eksKeyArn,
                groups,
                instanceTags: { ...args.tags, ...args.nodeTags },
            },
            this,
        );

        // Pod Identity needs its agent on every node before any association can hand out credentials.
        const podIdentityAgent = new aws.eks.Addon(
            `${name}-pod-identity-agent`,
            {
                clusterName: this.clusterName,
                addonName: "eks-pod-identity-agent",
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
            },
            { parent: this, dependsOn: [this.nodeGroups.groups.general] },
        );
        const ctx: ReleaseContext = { parent: this, provider: this.kubernetesProvider, dependsOn: [this.nodeGroups.groups.general, podIdentityAgent] };

        this.appNamespace = new k8s.core.v1.Namespace(
            `${name}-app-ns`,
            {
                // Restricted (issue 15): Istio CNI keeps NET_ADMIN out of app pods, so the injected sidecar meets it (admission.ts).
                metadata: { name: APP_NAMESPACE, labels: { "istio.io/rev": ISTIO_REVISION, ...restrictedPodSecurityLabels(version) } },
            },
            { parent: this, provider: this.kubernetesProvider },
        );

        const mesh = installMesh(name, this.appNamespace, ctx, { name: BACKEND_ROUTE, destinations: routeDestinations(strategy) });
        const delivery = installDelivery(
            name,
            {
                appNamespace: this.appNamespace,
                istiod: mesh.istiod,
                virtualService: mesh.virtualService,
                image: args.backendImage,
                strategy,
                databaseLogin: args.backendDatabaseLogin,
            },
            ctx,
        );
        this.backendRollout = delivery.rollout;
        this.prometheusClients = {
            workloads: [
                { kind: "Deployment", namespace: "kube-system", name: PROMETHEUS_ADAPTER_DEPLOYMENT },
                { kind: "Deployment", namespace: ARGO_ROLLOUTS_NAMESPACE, name: ARGO_ROLLOUTS_DEPLOYMENT },
            ],
            dependsOn: [delivery.namespace],
        };

        const { region, accountId } = regionAndAccount(this);
        // Only the apps' digest-pinned ECR images run in the app namespace (issue 15; admission.ts).
        imageAdmission(name, { accountId, region }, { parent: this, provider: this.kubernetesProvider, dependsOn: [this.appNamespace] });
        // Default-deny in the app namespace, plus the hops the apps need (issue 15; network-policies.ts).
        appNetworkPolicies(name, { vpcCidr: network.vpcCidr }, { parent: this, provider: this.kubernetesProvider, dependsOn: [this.appNamespace] });
        const ingress = installIngress(
            name,
            {
                vpcId: network.vpcId,
                publicSubnetIds: [...network.publicSubnetIds],
                nodeSecurityGroupId: this.nodeSecurityGroupId,
                clusterName: this.clusterName,
                region,
                accountId,
                logsKeyArn: args.logsKeyArn,
                certificate: { hostnames: [...certificateNames], hostedZoneId: args.ingressCertificate.hostedZoneId },
                logRetentionDays,
                protect: args.protect ?? true,
                gateway: mesh.gateway,
                ingressNamespace: mesh.ingressNamespace,
            },
            ctx,
        );
        this.accessRoles = configureAccess(
            name,
            { clusterName: this.clusterName, accountId, provider: this.kubernetesProvider, appNamespace: this.appNamespace },
            this,
        );
        this.ingress = pulumi.all([ingress.dnsName, ingress.zoneId]).apply(([dnsName, zoneId]) => ({ dnsName, zoneId }));
        this.ingressMetrics = { loadBalancerArnSuffix: ingress.lb.arnSuffix, targetGroupArnSuffix: ingress.targetGroup.arnSuffix };
        this.keda = installAutoscaling(
            name,
            {
                clusterName: this.clusterName,
                region,
                accountId,
                asgNames: this.nodeGroups.asgNames,
                maxNodes,
                kubernetesVersion: version,
                hpa,
                appNamespace: this.appNamespace,
            },
            ctx,
        ).keda;

        this.registerOutputs({
            clusterName: this.clusterName,
            oidcProviderArn: this.oidcProviderArn,
            kubeconfig: this.kubeconfig,
            nodeSecurityGroupId: this.nodeSecurityGroupId,
            clusterSecurityGroupId: this.clusterSecurityGroupId,
            ingress: this.ingress,
        });
    }
}
