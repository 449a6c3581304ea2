import { resourceRule } from "../../lib/rule";
import { isUnknown } from "../../lib/props";

export const imdsHopLimit = resourceRule({
    name: "imds-hop-limit",
    description: "Launch templates and instances must keep the metadata response hop limit at 1, so containers cannot reach the node's credentials.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["credentials", "compute"],
    resourceTypes: ["aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/instance:Instance", "aws:ec2/launchConfiguration:LaunchConfiguration"],
    peers: { checkov: ["CKV_AWS_341"] },
    remediation: "set metadataOptions.httpPutResponseHopLimit 1; pods get AWS credentials from EKS Pod Identity, not the node role.",
    check: ({ props }, report) => {
        const m = props.metadataOptions ?? {};
        const hops = m.httpPutResponseHopLimit;
        if (m.httpEndpoint === "disabled" || hops === undefined || isUnknown(hops)) return;
        if (Number(hops) > 1) report(`metadataOptions.httpPutResponseHopLimit is ${hops}: a container one hop away can read the node's credentials.`);
    },
});
