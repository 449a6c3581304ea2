import { resourceRule } from "../../lib/rule";
import { isUnknown } from "../../lib/props";

export const imdsv2Required = resourceRule({
    name: "imdsv2-required",
    description: "Launch templates and instances must require IMDSv2 session tokens.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["credentials", "compute"],
    resourceTypes: ["aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/instance:Instance", "aws:ec2/launchConfiguration:LaunchConfiguration"],
    peers: { checkov: ["CKV_AWS_79"] },
    remediation: 'set metadataOptions.httpTokens "required" (or httpEndpoint "disabled").',
    check: ({ props }, report) => {
        const m = props.metadataOptions ?? {};
        if (m.httpEndpoint === "disabled" || isUnknown(m.httpTokens)) return;
        if (m.httpTokens !== "required")
            report(`metadataOptions.httpTokens is ${JSON.stringify(m.httpTokens ?? "unset (optional)")}: IMDSv1 answers unauthenticated requests.`);
    },
});
