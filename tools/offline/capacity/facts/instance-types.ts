/**
 * Per-instance-type facts the capacity model needs, as dated, sourced data.
 * - vCPU and memory: the AWS EC2 instance type specifications (general purpose m, compute
 *   optimized c, memory optimized r: 4, 2 and 8 GiB per vCPU at these sizes).
 * - ENIs and IPv4 addresses per ENI on the default network card: amazon-eks-ami's
 *   nodeadm/internal/kubelet/instance-info.jsonl, which nodeadm reads to set the kubelet's
 *   max pods as ENIs x (IPv4 per ENI - 1) + 2 (calculateStandardMaxPods in eni_max_pods.go).
 * Refresh both when a node group uses a type that is not listed: the model refuses unknown types.
 */
export interface InstanceTypeFacts {
    vcpu: number;
    memoryGiB: number;
    arch: "x86_64" | "arm64";
    maxEnis: number;
    ipv4PerEni: number;
}

export const INSTANCE_TYPE_SOURCES = {
    specs: {
        source: "https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html, https://docs.aws.amazon.com/ec2/latest/instancetypes/co.html, https://docs.aws.amazon.com/ec2/latest/instancetypes/mo.html",
        retrieved: "2026-11-29",
    },
    eni: {
        source: "https://github.com/awslabs/amazon-eks-ami/blob/81fec2e895854f599974fe4d3d72f61c0a9aaffa/nodeadm/internal/kubelet/instance-info.jsonl",
        retrieved: "2026-11-29",
    },
} as const;

export const INSTANCE_TYPES: Readonly<Record<string, InstanceTypeFacts>> = {
    "c6g.2xlarge": { vcpu: 8, memoryGiB: 16, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
    "c6g.4xlarge": { vcpu: 16, memoryGiB: 32, arch: "arm64", maxEnis: 8, ipv4PerEni: 30 },
    "c6g.xlarge": { vcpu: 4, memoryGiB: 8, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
    "c6i.2xlarge": { vcpu: 8, memoryGiB: 16, arch: "x86_64", maxEnis: 4, ipv4PerEni: 15 },
    "c6i.4xlarge": { vcpu: 16, memoryGiB: 32, arch: "x86_64", maxEnis: 8, ipv4PerEni: 30 },
    "c6i.xlarge": { vcpu: 4, memoryGiB: 8, arch: "x86_64", maxEnis: 4, ipv4PerEni: 15 },
    "c7g.2xlarge": { vcpu: 8, memoryGiB: 16, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
    "c7g.4xlarge": { vcpu: 16, memoryGiB: 32, arch: "arm64", maxEnis: 8, ipv4PerEni: 30 },
    "c7g.xlarge": { vcpu: 4, memoryGiB: 8, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
    "c7i.2xlarge": { vcpu: 8, memoryGiB: 16, arch: "x86_64", maxEnis: 4, ipv4PerEni: 15 },
    "c7i.4xlarge": { vcpu: 16, memoryGiB: 32, arch: "x86_64", maxEnis: 8, ipv4PerEni: 30 },
    "c7i.xlarge": { vcpu: 4, memoryGiB: 8, arch: "x86_64", maxEnis: 4, ipv4PerEni: 15 },
    "c8g.2xlarge": { vcpu: 8, memoryGiB: 16, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
    "c8g.4xlarge": { vcpu: 16, memoryGiB: 32, arch: "arm64", maxEnis: 8, ipv4PerEni: 30 },
    "c8g.xlarge": { vcpu: 4, memoryGiB: 8, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
    "m6g.2xlarge": { vcpu: 8, memoryGiB: 32, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
    "m6g.4xlarge": { vcpu: 16, memoryGiB: 64, arch: "arm64", maxEnis: 8, ipv4PerEni: 30 },
    "m6g.xlarge": { vcpu: 4, memoryGiB: 16, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
    "m6i.2xlarge": { vcpu: 8, memoryGiB: 32, arch: "x86_64", maxEnis: 4, ipv4PerEni: 15 },
    "m6i.4xlarge": { vcpu: 16, memoryGiB: 64, arch: "x86_64", maxEnis: 8, ipv4PerEni: 30 },
    "m6i.xlarge": { vcpu: 4, memoryGiB: 16, arch: "x86_64", maxEnis: 4, ipv4PerEni: 15 },
    "m7g.2xlarge": { vcpu: 8, memoryGiB: 32, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
    "m7g.4xlarge": { vcpu: 16, memoryGiB: 64, arch: "arm64", maxEnis: 8, ipv4PerEni: 30 },
    "m7g.xlarge": { vcpu: 4, memoryGiB: 16, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
    "m7i.2xlarge": { vcpu: 8, memoryGiB: 32, arch: "x86_64", maxEnis: 4, ipv4PerEni: 15 },
    "m7i.4xlarge": { vcpu: 16, memoryGiB: 64, arch: "x86_64", maxEnis: 8, ipv4PerEni: 30 },
    "m7i.xlarge": { vcpu: 4, memoryGiB: 16, arch: "x86_64", maxEnis: 4, ipv4PerEni: 15 },
    "m8g.2xlarge": { vcpu: 8, memoryGiB: 32, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
    "m8g.4xlarge": { vcpu: 16, memoryGiB: 64, arch: "arm64", maxEnis: 8, ipv4PerEni: 30 },
    "m8g.xlarge": { vcpu: 4, memoryGiB: 16, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
    "r6g.2xlarge": { vcpu: 8, memoryGiB: 64, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
    "r6g.4xlarge": { vcpu: 16, memoryGiB: 128, arch: "arm64", maxEnis: 8, ipv4PerEni: 30 },
    "r6g.xlarge": { vcpu: 4, memoryGiB: 32, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
    "r6i.2xlarge": { vcpu: 8, memoryGiB: 64, arch: "x86_64", maxEnis: 4, ipv4PerEni: 15 },
    "r6i.4xlarge": { vcpu: 16, memoryGiB: 128, arch: "x86_64", maxEnis: 8, ipv4PerEni: 30 },
    "r6i.xlarge": { vcpu: 4, memoryGiB: 32, arch: "x86_64", maxEnis: 4, ipv4PerEni: 15 },
    "r7g.2xlarge": { vcpu: 8, memoryGiB: 64, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
    "r7g.4xlarge": { vcpu: 16, memoryGiB: 128, arch: "arm64", maxEnis: 8, ipv4PerEni: 30 },
    "r7g.xlarge": { vcpu: 4, memoryGiB: 32, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
    "r7i.2xlarge": { vcpu: 8, memoryGiB: 64, arch: "x86_64", maxEnis: 4, ipv4PerEni: 15 },
    "r7i.4xlarge": { vcpu: 16, memoryGiB: 128, arch: "x86_64", maxEnis: 8, ipv4PerEni: 30 },
    "r7i.xlarge": { vcpu: 4, memoryGiB: 32, arch: "x86_64", maxEnis: 4, ipv4PerEni: 15 },
    "r8g.2xlarge": { vcpu: 8, memoryGiB: 64, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
    "r8g.4xlarge": { vcpu: 16, memoryGiB: 128, arch: "arm64", maxEnis: 8, ipv4PerEni: 30 },
    "r8g.xlarge": { vcpu: 4, memoryGiB: 32, arch: "arm64", maxEnis: 4, ipv4PerEni: 15 },
};

/** The kubelet's max pods for an instance type without prefix delegation (nodeadm's standard formula). */
export function eniMaxPods(t: InstanceTypeFacts): number {
    return t.maxEnis * (t.ipv4PerEni - 1) + 2;
}
