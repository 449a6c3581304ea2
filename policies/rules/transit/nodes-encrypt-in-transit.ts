import { resourceRule } from "../../lib/rule";
import { asArray, isUnknown } from "../../lib/props";
import { encryptsInTransit, NITRO_IN_TRANSIT_FAMILIES } from "../../lib/nitro-in-transit";

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const MANAGED_NODE_GROUP = "eks:index:ManagedNodeGroup";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

/**
 * The cluster's nodes carry the hops that cannot speak TLS (Istio's own telemetry, kube-proxy metrics, DNS):
 * those are encrypted only by the Nitro hardware, and only between instance types that encrypt in transit
 * (policies/lib/nitro-in-transit.ts; docs/encryption-in-transit.md, "The Nitro floor"). One node of another
 * type sends and receives those hops in plain text.
 */
export const nodesEncryptInTransit = resourceRule({
    name: "nodes-encrypt-in-transit",
    description: "EKS node groups and launch templates must use instance types whose Nitro hardware encrypts traffic between instances.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "transit",
    frameworks: ["soc2", "pci-dss", "hipaa"],
    topics: ["encryption-in-transit", "compute", "kubernetes"],
    resourceTypes: [NODE_GROUP, MANAGED_NODE_GROUP, LAUNCH_TEMPLATE],
    remediation: `use instance types of a family that encrypts in transit (AWS Control Tower CT.AUTOSCALING.PR.11): ${NITRO_IN_TRANSIT_FAMILIES.join(", ")}; for example r8g or r7gd in place of r6g.`,
    check: ({ type, props }, report) => {
        if (type === LAUNCH_TEMPLATE) {
            // A launch template without an instance type leaves it to the node group, which is checked itself.
            if (props.instanceType === undefined || isUnknown(props.instanceType)) return;
            if (!encryptsInTransit(String(props.instanceType)))
                report(`instanceType ${props.instanceType} does not encrypt traffic between instances in transit (Nitro).`);
            return;
        }
        const types = asArray<string>(props.instanceTypes ?? (props.instanceType !== undefined ? [props.instanceType] : []));
        if (types.some((t) => isUnknown(t))) return;
        // No types and no launch template: EKS launches t3.medium (CreateNodegroup instanceTypes default), which does not encrypt.
        if (!types.length) {
            if (!props.launchTemplate)
                report("instanceTypes is unset, so EKS launches t3.medium, which does not encrypt traffic between instances in transit (Nitro).");
            return;
        }
        const plain = types.filter((t) => !encryptsInTransit(String(t)));
        if (plain.length) report(`instanceTypes ${plain.join(", ")} do not encrypt traffic between instances in transit (Nitro).`);
    },
});
