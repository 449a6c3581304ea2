/**
 * Image admission (issue 15, runtime security): in the namespaces the platform's apps run in, the API server
 * refuses any pod, or pod template of a workload, whose images are not the apps' own ECR images in this account
 * and region, pinned by digest. A ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, GA in Kubernetes
 * 1.30) runs in the API server itself: no webhook pod to keep up, and no way around it for a pod that reaches
 * the namespace. docs/runtime-security.md, "Image admission".
 *
 * Scope: the app namespaces only (APP_NAMESPACE). System namespaces run third-party charts that pull public images
 * (Istio, KEDA, the Cluster Autoscaler, the observability stack); they are not selected. One exception inside the
 * app namespace: Istio's sidecar injector adds `istio-proxy` (and, with Istio CNI, `istio-validation`) to every
 * meshed pod before validating admission runs; those two containers may use the mesh's proxy image, exactly.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS } from "../helm/charts";
import { APP_NAMESPACE } from "./manifests";
import { APP_REPOSITORY_PREFIX } from "../container-registry";

/** The policy's name, and its binding's. */
export const IMAGE_POLICY = "bookedbarber-app-images";

/**
 * The proxy image Istio's injector writes: the chart's release hub and tag. The istiod chart's values.yaml
 * (test/upstream/charts/istiod/1.30.1) says "Releases are published to docker hub under 'istio' project";
 * the published chart sets the tag to its version; the image is `proxyv2` (global.proxy.image).
 */
export const ISTIO_PROXY_IMAGE = `docker.io/istio/proxyv2:${CHARTS.istiod.version}`;
/** Containers Istio's injector adds (injection template: `istio-proxy`; `istio-validation` with Istio CNI). */
export const ISTIO_INJECTED_CONTAINERS = ["istio-proxy", "istio-validation"] as const;

/**
 * The kinds whose pods are judged: bare Pods (and their ephemeral containers), and the pod templates of the
 * workloads that create them, so a bad image is refused at `kubectl apply` / `pulumi up` rather than as a
 * ReplicaSet event. A Rollout that references a Deployment (`workloadRef`) has no template of its own.
 */
export const ADMITTED_RESOURCES = [
    { apiGroups: [""], apiVersions: ["v1"], resources: ["pods", "pods/ephemeralcontainers"] },
    { apiGroups: ["apps"], apiVersions: ["v1"], resources: ["deployments", "statefulsets", "daemonsets", "replicasets"] },
    { apiGroups: ["batch"], apiVersions: ["v1"], resources: ["jobs", "cronjobs"] },
    { apiGroups: ["argoproj.io"], apiVersions: ["v1alpha1"], resources: ["rollouts"] },
] as const;

/** An RE2 (and JavaScript) pattern for the apps' digest-pinned images in one account's registry in one region. */
export function appImagePattern(accountId: string, region: string): string {
    const host = `${accountId}\\.dkr\\.ecr\\.${region}\\.amazonaws\\.com`;
    return `^${host}/${APP_REPOSITORY_PREFIX}[a-z0-9]+(?:[._-][a-z0-9]+)*@sha256:[0-9a-f]{64}$`;
}

/** The CEL expression a container `c` must satisfy. */
export function containerAllowed(pattern: string, proxyImage: string): string {
    const injected = ISTIO_INJECTED_CONTAINERS.map((n) => `'${n}'`).join(", ");
    return `(has(c.image) && c.image.matches('${pattern.replace(/\\/g, "\\\\")}')) || (c.name in [${injected}] && has(c.image) && c.image == '${proxyImage}')`;
}

/** The pod specs of the object under admission: one for the kinds above, none for a Rollout with workloadRef. */
export const POD_SPECS_EXPRESSION = [
    "object.kind == 'Pod' ? [object.spec]",
    ": object.kind == 'CronJob' ? [object.spec.jobTemplate.spec.template.spec]",
    ": has(object.spec.template) ? [object.spec.template.spec] : []",
].join(" ");

/** The validation: every container, init container and ephemeral container of every pod spec is allowed. */
export function validationExpression(pattern: string, proxyImage: string): string {
    const ok = containerAllowed(pattern, proxyImage);
    return [
        "variables.podSpecs.all(s,",
        `s.containers.all(c, ${ok})`,
        `&& (!has(s.initContainers) || s.initContainers.all(c, ${ok}))`,
        `&& (!has(s.ephemeralContainers) || s.ephemeralContainers.all(c, ${ok})))`,
    ].join(" ");
}

export interface ImageAdmissionArgs {
    accountId: pulumi.Input<string>;
    region: pulumi.Input<string>;
    /** Namespaces whose pods are judged. Default [APP_NAMESPACE]. */
    namespaces?: readonly string[];
}

/** The policy and its binding (validationActions Deny: the request fails; Audit adds an audit annotation). */
export function imageAdmission(
    name: string,
    args: ImageAdmissionArgs,
    opts: pulumi.CustomResourceOptions,
): { policy: k8s.admissionregistration.v1.ValidatingAdmissionPolicy; binding: k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding } {
    const namespaces = [...(args.namespaces ?? [APP_NAMESPACE])];
    const pattern = pulumi.all([args.accountId, args.region]).apply(([a, r]) => appImagePattern(a, r));
    const policy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
        `${name}-image-policy`,
        {
            metadata: { name: IMAGE_POLICY },
            spec: {
                // Fail closed: if the expression cannot be evaluated, the pod is refused.
                failurePolicy: "Fail",
                matchConstraints: {
                    resourceRules: ADMITTED_RESOURCES.map((r) => ({
                        ...r,
                        apiGroups: [...r.apiGroups],
                        apiVersions: [...r.apiVersions],
                        resources: [...r.resources],
                        operations: ["CREATE", "UPDATE"],
                    })),
                },
                variables: [{ name: "podSpecs", expression: POD_SPECS_EXPRESSION }],
                validations: [
                    {
                        expression: pattern.apply((p) => validationExpression(p, ISTIO_PROXY_IMAGE)),
                        message: pulumi.interpolate`every image must be one of this account's ECR images in ${args.region} under ${APP_REPOSITORY_PREFIX}, pinned by digest (<account>.dkr.ecr.${args.region}.amazonaws.com/${APP_REPOSITORY_PREFIX}<app>@sha256:<64 hex>)`,
                        reason: "Forbidden",
                    },
                ],
            },
        },
        opts,
    );
    const binding = new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
        `${name}-image-policy-binding`,
        {
            metadata: { name: IMAGE_POLICY },
            spec: {
                policyName: IMAGE_POLICY,
                validationActions: ["Deny", "Audit"],
                matchResources: {
                    namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: namespaces }] },
                },
            },
        },
        { ...opts, dependsOn: [policy] },
    );
    return { policy, binding };
}

/**
 * Pod Security admission labels for a namespace that enforces "restricted", audits and warns on it too, each
 * pinned to the cluster's Kubernetes minor (`v1.35`): a control-plane upgrade does not tighten the profile under
 * running workloads; the pin moves with `kubernetesVersion` (Pod Security Admission docs: `<mode>-version`).
 * Istio's injected containers meet restricted with Istio CNI (no istio-init NET_ADMIN) as long as the pod sets a
 * pod-level seccompProfile; the readiness check `pod security (restricted)` asks for it in meshed namespaces.
 */
export function restrictedPodSecurityLabels(kubernetesMinor: string): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const mode of ["enforce", "audit", "warn"]) {
        labels[`pod-security.kubernetes.io/${mode}`] = "restricted";
        labels[`pod-security.kubernetes.io/${mode}-version`] = `v${kubernetesMinor}`;
    }
    return labels;
}
