/**
 * What the kubelet keeps back on an EKS AL2023 node, as amazon-eks-ami's nodeadm sets it
 * (nodeadm/internal/kubelet/config.go at the commit below):
 * - kubeReserved CPU: 6% of the first core, 1% of the second, 0.5% of the third and fourth,
 *   0.25% of every core above four (getCPUMillicoresToReserve);
 * - kubeReserved memory: 11 MiB per pod the node may run plus 255 MiB (getMemoryMebibytesToReserve);
 * - evictionHard memory.available: 100 MiB.
 */
export const NODE_RESERVATIONS_SOURCE = {
    source: "https://github.com/awslabs/amazon-eks-ami/blob/81fec2e895854f599974fe4d3d72f61c0a9aaffa/nodeadm/internal/kubelet/config.go",
    retrieved: "2026-11-29",
} as const;

/** [upper bound of the range in millicores, reserved share in basis points]. */
const CPU_RESERVE_RANGES: readonly [number, number][] = [
    [1000, 600],
    [2000, 100],
    [4000, 50],
    [Infinity, 25],
];
export const MEMORY_RESERVE_PER_POD_MIB = 11;
export const MEMORY_RESERVE_BASE_MIB = 255;
export const EVICTION_HARD_MEMORY_MIB = 100;

export function kubeReservedCpuMillis(vcpu: number): number {
    const total = vcpu * 1000;
    let reserved = 0;
    let start = 0;
    for (const [end, basisPoints] of CPU_RESERVE_RANGES) {
        if (total <= start) break;
        reserved += Math.floor(((Math.min(total, end) - start) * basisPoints) / 10000);
        start = end;
    }
    return reserved;
}

export function kubeReservedMemoryMiB(maxPods: number): number {
    return MEMORY_RESERVE_PER_POD_MIB * maxPods + MEMORY_RESERVE_BASE_MIB;
}
