import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

const SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme";
const LEGACY_INTERNAL = "service.beta.kubernetes.io/aws-load-balancer-internal";

/**
 * The only way in from the internet is CloudFront -> the Pulumi-owned NLB -> the Istio gateway
 * (docs/design.md#d18-the-ingress-is-a-pulumi-owned-nlb). A Service of type LoadBalancer makes a controller create
 * another load balancer, internet-facing unless told otherwise (the in-tree controller's default);
 * NodePort and externalIPs open node addresses around the mesh.
 */
export const k8sServicesInternal = resourceRule({
    name: "k8s-services-internal",
    description: "Kubernetes Services must not open a second way in: no internet-facing LoadBalancer Services, no NodePort Services and no externalIPs.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["public-exposure", "kubernetes"],
    resourceTypes: ["kubernetes:core/v1:Service"],
    remediation:
        "use ClusterIP Services behind the Istio gateway; a Service that must have its own load balancer sets the annotation service.beta.kubernetes.io/aws-load-balancer-scheme: internal.",
    check: ({ props }, report) => {
        const spec = props.spec ?? {};
        const annotations = props.metadata?.annotations ?? {};
        if (spec.type === "LoadBalancer" && annotations[SCHEME] !== "internal" && annotations[LEGACY_INTERNAL] !== "true") {
            report(`The Service is type LoadBalancer without ${SCHEME}: internal, so its load balancer may face the internet.`);
        }
        if (spec.type === "NodePort") report("The Service is type NodePort: it opens a port on every node, around the gateway and its authorization policies.");
        if (asArray(spec.externalIPs).length) report(`The Service sets externalIPs ${asArray(spec.externalIPs).join(", ")}.`);
    },
});
