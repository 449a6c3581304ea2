/**
 * The residency zones and the AWS regions the platform may run in.
 *
 * Why a table and not `aws.getAvailabilityZones`: AZ names differ per account
 * (ap-northeast-1 has no "b"), subnets are planned from them before any call to
 * AWS, and the offline plan must be able to run with no account at all.
 */
export const ZONES = ["us", "eu", "apac"] as const;
export type Zone = (typeof ZONES)[number];

export interface RegionInfo {
    /** Residency zone whose data may live in this region. */
    zone: Zone;
    /** Availability zones, in the order subnets are laid out. */
    azs: readonly string[];
}

export const REGIONS: Readonly<Record<string, RegionInfo>> = {
    "us-east-1": { zone: "us", azs: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1f"] },
    "us-west-2": { zone: "us", azs: ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"] },
    "eu-west-1": { zone: "eu", azs: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] },
    "eu-central-1": { zone: "eu", azs: ["eu-central-1a", "eu-central-1b", "eu-central-1c"] },
    "ap-southeast-1": { zone: "apac", azs: ["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"] },
    "ap-northeast-1": { zone: "apac", azs: ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"] },
};

/** docs/design.md#topology: each zone is a primary/standby pair. */
export const ZONE_REGIONS: Readonly<Record<Zone, { primary: string; standby: string }>> = {
    us: { primary: "us-east-1", standby: "us-west-2" },
    eu: { primary: "eu-west-1", standby: "eu-central-1" },
    apac: { primary: "ap-southeast-1", standby: "ap-northeast-1" },
};

/** Region for resources that AWS only serves from us-east-1 (CloudFront's ACM certificate and WAF). */
export const EDGE_REGION = "us-east-1";

/** Short region code for resource names, which AWS caps at 32-63 characters (us-east-1 -> use1). */
export function shortRegion(region: string): string {
    const [geo, dir, num] = region.split("-");
    const d = dir === "southeast" ? "se" : dir === "northeast" ? "ne" : dir === "southwest" ? "sw" : dir === "northwest" ? "nw" : dir[0];
    return `${geo}${d}${num}`;
}
