import { resourceRule } from "../../lib/rule";
import { asArray } from "../../lib/props";

const ALL = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

export const eksControlPlaneLogs = resourceRule({
    name: "eks-control-plane-logs",
    description: "EKS clusters must send every control-plane log type (api, audit, authenticator, controllerManager, scheduler) to CloudWatch.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "logging",
    frameworks: ["soc2", "pci-dss", "hipaa", "cis"],
    topics: ["audit-logging", "kubernetes"],
    resourceTypes: ["eks:index:Cluster", "aws:eks/cluster:Cluster"],
    peers: { checkov: ["CKV_AWS_37"] },
    remediation: `set enabledClusterLogTypes to ${JSON.stringify(ALL)}.`,
    check: ({ props }, report) => {
        const on = asArray<string>(props.enabledClusterLogTypes);
        const missing = ALL.filter((t) => !on.includes(t));
        if (missing.length) report(`Control-plane logs missing: ${missing.join(", ")}.`);
    },
});
