/** IPv4 subnet arithmetic for the VPC's subnet plan. */

function toInt(ip: string): number {
    return ip.split(".").reduce((acc, o) => ((acc << 8) | Number(o)) >>> 0, 0);
}

function toIp(n: number): string {
    return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}

/** The `index`-th block of size /newPrefix inside `cidr`. Throws when it does not fit. */
export function subnetOf(cidr: string, newPrefix: number, index: number): string {
    const [ip, p] = cidr.split("/");
    const prefix = Number(p);
    const count = 2 ** (newPrefix - prefix);
    if (newPrefix < prefix || index < 0 || index >= count) {
        throw new RangeError(`subnet ${index} of /${newPrefix} does not fit in ${cidr} (${count} available)`);
    }
    const base = toInt(ip);
    return `${toIp((base + index * 2 ** (32 - newPrefix)) >>> 0)}/${newPrefix}`;
}

export interface SubnetPlan {
    /** Load balancers and NAT gateways only. */
    readonly public: string[];
    /** Workloads: EKS nodes and pods (the VPC CNI gives pods VPC addresses, so these are the large ones). */
    readonly app: string[];
    /** Databases, caches, search: no route to the internet. */
    readonly data: string[];
}

/**
 * Lays out one public, one application and one data subnet per AZ.
 * For a /16: application /19s fill the first half (8,190 addresses each, room
 * for the spec's 500 nodes with their pods), public /23s and data /22s start at
 * the half, and the rest is kept free for later tiers.
 */
export function planSubnets(vpcCidr: string, azCount: number): SubnetPlan {
    const prefix = Number(vpcCidr.split("/")[1]);
    const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));
    return {
        app: range(azCount, (i) => subnetOf(vpcCidr, prefix + 3, i)),
        public: range(azCount, (i) => subnetOf(vpcCidr, prefix + 7, 64 + i)),
        data: range(azCount, (i) => subnetOf(vpcCidr, prefix + 6, 34 + i)),
    };
}
