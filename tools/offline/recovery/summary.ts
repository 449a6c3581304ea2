import type { PlanFile } from "../plan-file";

/** The short capacity and recovery block of a stack's plan summary. */
export function formatCapacityAndRecovery(plan: PlanFile, indent = "  "): string[] {
    const lines: string[] = [];
    const c = plan.capacity;
    if (c) {
        lines.push(`${indent}capacity: ${c.met ? "met" : "NOT MET"} (${c.scenario}${c.limiting ? `; limiting: ${c.limiting}` : ""})`);
        if (c.pods && c.nodes) {
            lines.push(
                `${indent}  ${c.pods.needed} backend pods (${c.pods.rpsPerPod} rps each, ${c.pods.requests.cpuMillis}m/${c.pods.requests.memoryMiB}Mi) on ${c.nodes.nodesAtPeak} ${c.nodes.instanceType} (${c.nodes.podsPerNode} per node, ${c.nodes.perNodeLimit}-bound); ` +
                    `nodes: ${c.nodes.steadyState} steady, ${c.nodes.atPeak} at peak, cap ${c.nodes.clusterMax ?? "?"}`,
            );
        }
        for (const t of c.targets.filter((x) => !x.met)) lines.push(`${indent}  NOT MET ${t.target}: ${t.detail}`);
    }
    const r = plan.recovery;
    if (r) {
        for (const z of r.zones ?? [r]) {
            lines.push(
                `${indent}recovery ${z.zone}: RTO ${z.rtoSeconds} s / ${z.rtoTargetSeconds}, RPO ${z.rpoSeconds} s / ${z.rpoTargetSeconds}, ${z.start} start, ` +
                    `standby ${z.standby.stack} warm ${z.standby.warmNodes} of ${z.standby.nodesAtPeak} nodes (needs ${z.standby.warmNodesNeeded}) ${z.met ? "met" : "NOT MET"}`,
            );
            for (const p of z.problems) lines.push(`${indent}  PROBLEM ${p}`);
        }
    }
    return lines;
}
