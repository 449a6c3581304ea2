import { resourceRule } from "../../lib/rule";
import { coversTcpPort, permissionsOf, SG_TYPES, WORLD } from "../../lib/sg";

export const noPlaintextHttpIngress = resourceRule({
    name: "no-plaintext-http-ingress",
    description: "No security group may accept plain HTTP (TCP port 80) from 0.0.0.0/0 or ::/0, not even on a load balancer.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["public-exposure", "security-groups", "encryption-in-transit"],
    resourceTypes: SG_TYPES,
    peers: { checkov: ["CKV_AWS_260"], compliancePolicies: ["aws-ec2-securitygroup-disallow-inbound-http-traffic"] },
    remediation:
        "serve HTTPS on 443 only; redirect HTTP at CloudFront (viewerProtocolPolicy redirect-to-https) or with a listener redirect, not through an open port 80.",
    check: ({ type, props }, report) => {
        for (const p of permissionsOf(type, props)) {
            if (p.direction !== "ingress" || !coversTcpPort(p, 80)) continue;
            const world = p.cidrs.filter((c) => WORLD.includes(c));
            if (world.length)
                report(
                    `${p.label === "the rule" ? "The ingress rule" : p.label} admits TCP port 80 from ${world.join(", ")} (ports ${p.from}-${p.to}, protocol ${p.protocol}).`,
                );
        }
    },
});
