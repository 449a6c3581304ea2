import type { PolicyResource } from "@pulumi/policy";
import { stackRule } from "../../lib/rule";
import { effectiveRegion, isTrue, ofType } from "../../lib/props";
import { DELIVERY_CHANNEL, RECORDER, RECORDER_STATUS, REQUIRED_STANDARDS, SECURITY_HUB, STANDARD } from "../../lib/compliance-types";

const VPC = "aws:ec2/vpc:Vpc";

/**
 * What makes a stack's regions need watching: resources that hold data or run code. A stack with
 * only supporting network (the bootstrap stack's deploy-runner VPC) is watched by the recorder of the
 * stack that runs that region's workloads: AWS Config allows one recorder per account and region, so
 * two stacks in one region cannot each bring their own.
 */
const WORKLOADS = [
    "eks:index:Cluster",
    "aws:eks/cluster:Cluster",
    "aws:eks/nodeGroup:NodeGroup",
    "aws:rds/cluster:Cluster",
    "aws:rds/instance:Instance",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:opensearch/domain:Domain",
    "aws:ec2/instance:Instance",
    "aws:autoscaling/group:Group",
];

export const continuousComplianceOn = stackRule({
    name: "continuous-compliance-on",
    description:
        "Every region where a stack that runs workloads (clusters, databases, caches, search domains, instances) builds a VPC must also run AWS Config (a recorder of all types, switched on, with a delivery channel) and Security Hub with the FSBP, CIS and PCI DSS standards.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "operations",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["monitoring", "audit-logging"],
    resourceTypes: [VPC, ...WORKLOADS, RECORDER, RECORDER_STATUS, DELIVERY_CHANNEL, SECURITY_HUB, STANDARD],
    peers: { checkov: ["CKV2_AWS_45", "CKV_AWS_121"] },
    remediation: "add components/compliance (ContinuousCompliance) to the stack for that region.",
    check: (resources, _c, report) => {
        const regionOf = (r: PolicyResource) => effectiveRegion(r.props, r.provider?.props) ?? "(provider default)";
        const inRegion = (type: string, region: string) => ofType(resources, type).filter((r) => regionOf(r) === region);
        if (!WORKLOADS.some((t) => ofType(resources, t).length > 0)) return;
        const regions = new Map<string, PolicyResource>();
        for (const v of ofType(resources, VPC)) if (!regions.has(regionOf(v))) regions.set(regionOf(v), v);
        for (const [region, vpc] of regions) {
            const missing: string[] = [];
            if (!inRegion(RECORDER, region).length) missing.push("an AWS Config recorder");
            if (!inRegion(RECORDER_STATUS, region).some((s) => isTrue(s.props.isEnabled))) missing.push("an enabled recorder status");
            if (!inRegion(DELIVERY_CHANNEL, region).length) missing.push("a Config delivery channel");
            if (!inRegion(SECURITY_HUB, region).length) missing.push("Security Hub");
            const arns = inRegion(STANDARD, region).map((s) => String(s.props.standardsArn ?? ""));
            for (const [name, re] of Object.entries(REQUIRED_STANDARDS)) if (!arns.some((a) => re.test(a))) missing.push(`the ${name} standard`);
            if (missing.length)
                report(
                    `Region ${region} has a VPC of a stack that runs workloads but lacks ${missing.join(", ")}: nothing watches its compliance between deployments.`,
                    vpc.urn,
                );
        }
    },
});
