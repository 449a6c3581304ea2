import type { CapturedResource } from "../mock-engine";
import { familyAndSize, hourly, line, num, ofType, unpriced } from "./lines";
import { sizeFactor } from "./price-table";
import type { CostContext, CostFunction } from "./types";

/** EKS control plane: eks:index:Cluster is a remote component, so its inputs stand for the aws:eks/cluster it makes. */
export const eksCluster: CostFunction = (r, ctx) => {
    const price = ctx.prices.get("eks.cluster", ctx.region);
    if (!price) return [unpriced(r, "no EKS price for the region")];
    return [hourly(r, 1, { item: "EKS control plane (standard support)", kind: "fixed", category: "compute", price })];
};

/** Root volume size of a node group: its launch template's, matched by the node-group label both carry. */
function rootVolumeGib(ng: CapturedResource, ctx: CostContext): { gib: number; from: string } {
    const label = (ng.inputs.labels as Record<string, string> | undefined)?.["bookedbarber.com/node-group"];
    for (const lt of ofType(ctx, "aws:ec2/launchTemplate:LaunchTemplate")) {
        const specs = (lt.inputs.tagSpecifications as { resourceType: string; tags: Record<string, string> }[] | undefined) ?? [];
        if (!specs.some((s) => s.resourceType === "instance" && s.tags?.["bookedbarber.com/node-group"] === label)) continue;
        const ebs = (lt.inputs.blockDeviceMappings as { ebs?: { volumeSize?: unknown } }[] | undefined)?.[0]?.ebs;
        if (ebs?.volumeSize !== undefined) return { gib: num(ebs.volumeSize), from: `launch template ${lt.name}` };
    }
    const disk = num(ng.inputs.diskSize, 20);
    return { gib: disk, from: ng.inputs.diskSize !== undefined ? "node group diskSize" : "EKS default 20 GiB" };
}

/**
 * A managed node group, priced at desiredSize: the size it is deployed at and the
 * autoscaler's starting point (minSize when desiredSize is absent). The optimised view
 * scales the nodes above minSize down off-peak (pricing/optimisation.json).
 */
export const nodeGroup: CostFunction = (r, ctx) => {
    const scaling = (r.inputs.scalingConfig ?? {}) as Record<string, unknown>;
    const min = num(scaling.minSize);
    const desired = num(scaling.desiredSize, min);
    const steadyState =
        scaling.desiredSize !== undefined
            ? `desiredSize ${desired} (min ${min}, max ${num(scaling.maxSize)}): the deployed size the autoscaler starts from`
            : `minSize ${min}: no desiredSize set`;
    const type = ((r.inputs.instanceTypes as string[] | undefined) ?? [])[0];
    const fs = familyAndSize(type);
    const factor = fs && sizeFactor(fs.size);
    const price = fs && factor ? ctx.prices.get(`ec2.${fs.family}`, ctx.region) : undefined;
    const spot = r.inputs.capacityType === "SPOT";
    const out = [];
    if (!price || !factor || !fs) out.push(unpriced(r, `no on-demand price for instance type ${JSON.stringify(type)} in ${ctx.region} (pricing/prices.json)`));
    else {
        out.push(
            hourly(r, desired, {
                item: `${desired} x ${type}${spot ? " (spot)" : ""}`,
                kind: "fixed",
                category: "compute",
                price: { ...price, usd: price.usd * factor, unit: "instance-hour" },
                optimisation: spot ? "ec2-spot" : "ec2-on-demand",
                extra: { steadyState, floorShare: desired > 0 ? Math.min(1, min / desired) : 1, x86: !fs.family.includes("g") },
            }),
        );
    }
    const gp3 = ctx.prices.get("ebs.gp3", ctx.region);
    const root = rootVolumeGib(r, ctx);
    if (gp3) {
        out.push(
            line(r, {
                item: `${desired} x ${root.gib} GiB gp3 root volume (${root.from})`,
                kind: "fixed",
                category: "compute",
                quantity: desired * root.gib,
                unit: "GB-months",
                price: gp3,
                extra: { steadyState },
            }),
        );
    } else out.push(unpriced(r, `no gp3 price in ${ctx.region}`));
    return out;
};

/** vCPUs the node groups run at their steady state (GuardDuty Runtime Monitoring bills per vCPU). */
export function nodeVcpus(ctx: CostContext): number {
    return ofType(ctx, "aws:eks/nodeGroup:NodeGroup").reduce((sum, ng) => {
        const scaling = (ng.inputs.scalingConfig ?? {}) as Record<string, unknown>;
        const nodes = num(scaling.desiredSize, num(scaling.minSize));
        const fs = familyAndSize(((ng.inputs.instanceTypes as string[] | undefined) ?? [])[0]);
        // A large has 2 vCPUs in every family the model prices.
        return sum + nodes * 2 * (fs ? (sizeFactor(fs.size) ?? 0) : 0);
    }, 0);
}
