import { stackRule } from "../../lib/rule";
import { dependents, ofType } from "../../lib/props";

export const vpcFlowLogs = stackRule({
    name: "vpc-flow-logs",
    description: "Every VPC must have a flow log that captures all traffic.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "network",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["network", "audit-logging"],
    resourceTypes: ["aws:ec2/vpc:Vpc", "aws:ec2/flowLog:FlowLog"],
    peers: { checkov: ["CKV2_AWS_11"] },
    remediation: 'add an aws.ec2.FlowLog for the VPC with trafficType "ALL" to a KMS-encrypted log group (components/network.ts does this).',
    check: (resources, _c, report) => {
        for (const vpc of ofType(resources, "aws:ec2/vpc:Vpc")) {
            const logs = dependents(resources, vpc, "aws:ec2/flowLog:FlowLog");
            if (!logs.length) report("The VPC has no flow log.", vpc.urn);
            else if (!logs.some((l) => l.props.trafficType === "ALL")) report("The VPC's flow logs do not capture ALL traffic.", vpc.urn);
        }
    },
});
