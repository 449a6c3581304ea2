import { resourceRule } from "../../lib/rule";
import { isUnknown } from "../../lib/props";

const TYPES = ["aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/instance:Instance", "aws:ec2/launchConfiguration:LaunchConfiguration"];

export const instanceMetadataV2 = resourceRule({
    name: "instance-metadata-v2",
    description: "Launch templates and instances must require IMDSv2 session tokens and keep the metadata response hop limit at 1, so containers cannot reach the node's credentials.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "identity",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["credentials", "compute"],
    resourceTypes: TYPES,
    peers: { checkov: ["CKV_AWS_79", "CKV_AWS_341"] },
    remediation: "set metadataOptions { httpTokens: \"required\", httpPutResponseHopLimit: 1 } (or httpEndpoint \"disabled\"); pods get AWS credentials from EKS Pod Identity, not the node role.",
    check: ({ props }, report) => {
        const m = props.metadataOptions ?? props.metadataOption ?? {};
        if (m.httpEndpoint === "disabled") return;
        if (m.httpTokens !== "required" && !isUnknown(m.httpTokens)) report(`metadataOptions.httpTokens is ${JSON.stringify(m.httpTokens ?? "unset (optional)")}: IMDSv1 answers unauthenticated requests.`);
        const hops = m.httpPutResponseHopLimit;
        if (hops !== undefined && !isUnknown(hops) && Number(hops) > 1) report(`metadataOptions.httpPutResponseHopLimit is ${hops}: a container one hop away can read the node's credentials.`);
    },
});
