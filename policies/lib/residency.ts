/**
 * What the residency rules share: which regions belong to each zone (a rule option, so a pack config can
 * add a region family), the stack's zone from its providers' tags, and where a resource really is (its own
 * region input, else its provider's).
 */
import type { PolicyResource } from "@pulumi/policy";
import { effectiveRegion, stackTagsFromProviders } from "./props";

/** The rule option every residency rule takes, with the zones' region name prefixes as its default. */
export const ZONE_REGION_PREFIXES_OPTION = {
    type: "object" as const,
    default: { eu: ["eu-"], us: ["us-"], apac: ["ap-"] } as Record<string, string[]>,
    description: "Region name prefixes that belong to each residency zone.",
};

export interface ZoneScope {
    /** The stack's zone (its providers' `zone` tag), if any. */
    readonly zone?: string;
    /** The region name prefixes of that zone, if it is a known one. */
    readonly prefixes?: readonly string[];
    /** Whether a region belongs to the zone (false when the zone is unknown). */
    inZone(region: string): boolean;
    /** The region a resource is created in: its `region` input, else its provider's. */
    regionOf(r: PolicyResource): string | undefined;
}

export function zoneScope(resources: readonly PolicyResource[], zoneRegionPrefixes: Record<string, string[]>): ZoneScope {
    const zone = stackTagsFromProviders(resources as PolicyResource[]).zone;
    const prefixes = zone ? zoneRegionPrefixes[zone] : undefined;
    const providers = new Map(resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((p) => [p.urn, p]));
    return {
        zone,
        prefixes,
        inZone: (region) => !!prefixes && prefixes.some((p) => region.startsWith(p)),
        regionOf: (r) => effectiveRegion(r.props, r.provider?.props ?? providers.get(r.provider?.urn ?? "")?.props),
    };
}
