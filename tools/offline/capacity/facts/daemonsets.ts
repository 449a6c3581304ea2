/**
 * Requests of the pods every node runs (DaemonSets of the EKS add-ons and charts the regional stack
 * installs), and of the Istio sidecar each backend pod carries. Each entry names where its figure
 * comes from; an entry whose upstream default sets no requests counts as 0 and says so.
 */
export interface PodRequests {
    cpuMillis: number;
    memoryMiB: number;
}

export interface DaemonSetFact extends PodRequests {
    /** Release or add-on that runs it. */
    from: string;
    source: string;
    retrieved: string;
}

const RETRIEVED = "2026-11-29";

export const NODE_DAEMONSETS: Readonly<Record<string, DaemonSetFact>> = {
    "aws-node": {
        from: "EKS add-on vpc-cni",
        cpuMillis: 25,
        memoryMiB: 0,
        source: "https://github.com/aws/amazon-vpc-cni-k8s/blob/master/charts/aws-vpc-cni/values.yaml (resources.requests.cpu 25m)",
        retrieved: RETRIEVED,
    },
    "kube-proxy": {
        from: "EKS add-on kube-proxy",
        cpuMillis: 100,
        memoryMiB: 0,
        source: "https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html (DaemonSet requests cpu 100m)",
        retrieved: RETRIEVED,
    },
    "ebs-csi-node": {
        from: "EKS add-on aws-ebs-csi-driver",
        cpuMillis: 10,
        memoryMiB: 40,
        source: "https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/006340ee8d4382dff0541fa56944b6e00226cc5e/charts/aws-ebs-csi-driver/values.yaml (node.resources.requests 10m/40Mi; sidecars resources {})",
        retrieved: RETRIEVED,
    },
    "eks-pod-identity-agent": {
        from: "EKS add-on eks-pod-identity-agent",
        cpuMillis: 0,
        memoryMiB: 0,
        source: "https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html (no requests set by default)",
        retrieved: RETRIEVED,
    },
    "istio-cni-node": {
        from: "chart istio/cni",
        cpuMillis: 100,
        memoryMiB: 100,
        source: "https://github.com/istio/istio/blob/02262c5b808dc04f594088e729f42fc22ceca3fe/manifests/charts/istio-cni/values.yaml (cni.resources.requests cpu 100m, memory 100Mi; the same in chart cni 1.30.1)",
        retrieved: RETRIEVED,
    },
    "fluent-bit": {
        from: "chart fluent/fluent-bit",
        cpuMillis: 0,
        memoryMiB: 0,
        source: "https://github.com/fluent/helm-charts/blob/main/charts/fluent-bit/values.yaml (chart 0.53.0: resources: {})",
        retrieved: RETRIEVED,
    },
    "node-exporter": {
        from: "chart kube-prometheus-stack (prometheus-node-exporter)",
        cpuMillis: 0,
        memoryMiB: 0,
        source: "https://github.com/prometheus-community/helm-charts/blob/main/charts/prometheus-node-exporter/values.yaml (resources: {})",
        retrieved: RETRIEVED,
    },
    "secrets-store-csi-driver": {
        from: "chart secrets-store-csi-driver-provider-aws (driver subchart)",
        cpuMillis: 70,
        memoryMiB: 140,
        source: "https://github.com/kubernetes-sigs/secrets-store-csi-driver/blob/main/charts/secrets-store-csi-driver/values.yaml (chart 1.6.0, linux: driver 50m/100Mi, registrar 10m/20Mi, livenessProbe 10m/20Mi)",
        retrieved: RETRIEVED,
    },
    "csi-secrets-store-provider-aws": {
        from: "chart secrets-store-csi-driver-provider-aws",
        cpuMillis: 50,
        memoryMiB: 100,
        source: "https://github.com/aws/secrets-store-csi-driver-provider-aws/blob/main/charts/secrets-store-csi-driver-provider-aws/values.yaml (chart 3.1.1: resources.requests cpu 50m, memory 100Mi)",
        retrieved: RETRIEVED,
    },
};

/** Istio's default sidecar requests (global.proxy.resources.requests), added to every meshed backend pod. */
export const ISTIO_SIDECAR: DaemonSetFact = {
    from: "chart istio/istiod",
    cpuMillis: 100,
    memoryMiB: 128,
    source: "https://github.com/istio/istio/blob/master/manifests/charts/istio-control/istio-discovery/values.yaml (chart istiod 1.30.1: global.proxy.resources.requests cpu 100m, memory 128Mi)",
    retrieved: RETRIEVED,
};
