import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

export const lbListenerEncrypted = resourceRule({
    name: "lb-listener-encrypted",
    description:
        "Load balancer listeners must serve HTTPS or TLS; plain HTTP may only redirect to HTTPS, and TCP is allowed only on 443 as TLS passthrough to the mesh gateway.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa", "cis"],
    topics: ["encryption-in-transit", "tls", "load-balancer"],
    resourceTypes: ["aws:lb/listener:Listener", "aws:alb/listener:Listener"],
    peers: { checkov: ["CKV_AWS_2"], compliancePolicies: ["aws-lb-listener-disallow-unencrypted-traffic", "aws-alb-listener-disallow-unencrypted-traffic"] },
    remediation: "use protocol HTTPS (or TLS); make port-80 listeners redirect to HTTPS with status HTTP_301.",
    check: ({ props }, report) => {
        const protocol = String(props.protocol ?? "HTTP").toUpperCase();
        if (protocol === "HTTPS" || protocol === "TLS") return;
        if (protocol === "HTTP") {
            const actions = asArray<any>(props.defaultActions);
            const redirects =
                actions.length > 0 && actions.every((a) => a?.type === "redirect" && String(a.redirect?.protocol ?? "").toUpperCase() === "HTTPS");
            if (!redirects) report("The HTTP listener serves traffic instead of redirecting to HTTPS.");
            return;
        }
        // TCP on 443 passes TLS through to the mesh gateway, which terminates it; anything else is clear text.
        if (!(protocol === "TCP" && Number(props.port) === 443)) report(`protocol ${protocol} on port ${props.port} is not encrypted.`);
    },
});
