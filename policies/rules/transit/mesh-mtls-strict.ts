import { resourceRule } from "../../lib/rule";

const PEER = "kubernetes:security.istio.io/v1:PeerAuthentication";
const DEST = "kubernetes:networking.istio.io/v1:DestinationRule";
const WEAK_MODES = ["PERMISSIVE", "DISABLE"];

/**
 * Service-to-service traffic is encrypted and authenticated by Istio mTLS (spec: "Service Mesh:
 * mutual TLS"). A PeerAuthentication can let plain text in, and a DestinationRule can send it out.
 */
export const meshMtlsStrict = resourceRule<{ rootNamespace: string }>({
    name: "mesh-mtls-strict",
    description:
        "The mesh-wide Istio PeerAuthentication must be STRICT, no PeerAuthentication may relax mTLS to PERMISSIVE or DISABLE, and no DestinationRule may disable TLS.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-in-transit", "mtls", "kubernetes", "service-mesh"],
    resourceTypes: [PEER, DEST],
    remediation:
        'set spec.mtls.mode "STRICT" on the PeerAuthentication named default in the Istio root namespace, drop PERMISSIVE/DISABLE overrides (and portLevelMtls ones), and use tls.mode ISTIO_MUTUAL (in-mesh) or SIMPLE/MUTUAL (external) in DestinationRules.',
    config: {
        rootNamespace: {
            type: "string",
            default: "istio-system",
            description: "Istio's root namespace, where a PeerAuthentication without a selector applies to the whole mesh.",
        },
    },
    check: ({ type, props, config }, report) => {
        const spec = props.spec ?? {};
        if (type === PEER) {
            const mode = spec.mtls?.mode;
            const meshWide = props.metadata?.namespace === config.rootNamespace && !spec.selector;
            // UNSET at mesh level inherits Istio's default, PERMISSIVE.
            if (meshWide && mode !== "STRICT")
                report(`The mesh-wide PeerAuthentication's mtls.mode is ${JSON.stringify(mode)}, not "STRICT": workloads accept plain text.`);
            else if (WEAK_MODES.includes(mode)) report(`mtls.mode is "${mode}": the workloads it selects accept plain text.`);
            for (const [port, v] of Object.entries<{ mode?: string }>(spec.portLevelMtls ?? {})) {
                if (WEAK_MODES.includes(v?.mode ?? "")) report(`portLevelMtls ${port} is "${v.mode}": that port accepts plain text.`);
            }
            return;
        }
        const policies = [
            spec.trafficPolicy,
            ...((spec.trafficPolicy?.portLevelSettings ?? []) as object[]),
            ...((spec.subsets ?? []) as { trafficPolicy?: object }[]).map((s) => s.trafficPolicy),
        ];
        for (const p of policies as ({ tls?: { mode?: string } } | undefined)[]) {
            if (p?.tls?.mode === "DISABLE") report(`A traffic policy for ${spec.host} sets tls.mode "DISABLE": requests leave in plain text.`);
        }
    },
});
