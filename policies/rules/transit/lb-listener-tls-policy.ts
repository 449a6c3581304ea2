import { resourceRule } from "../../lib/rule";

export const lbListenerTlsPolicy = resourceRule({
    name: "lb-listener-tls-policy",
    description: "HTTPS and TLS listeners must use a TLS 1.3 security policy (ELBSecurityPolicy-TLS13-*).",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "gdpr", "hipaa"],
    topics: ["encryption-in-transit", "tls", "load-balancer"],
    resourceTypes: ["aws:lb/listener:Listener", "aws:alb/listener:Listener"],
    peers: { checkov: ["CKV_AWS_103"], compliancePolicies: ["aws-lb-listener-configure-secure-tls", "aws-alb-listener-configure-secure-tls"] },
    remediation: 'set sslPolicy to "ELBSecurityPolicy-TLS13-1-2-2021-06" or stricter.',
    check: ({ props }, report) => {
        const protocol = String(props.protocol ?? "HTTP").toUpperCase();
        if (protocol !== "HTTPS" && protocol !== "TLS") return;
        if (!/TLS13/.test(String(props.sslPolicy ?? "")))
            report(`sslPolicy is ${JSON.stringify(props.sslPolicy)}, not a TLS 1.3 policy (ELBSecurityPolicy-TLS13-*).`);
    },
});
