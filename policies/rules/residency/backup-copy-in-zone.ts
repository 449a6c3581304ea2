import { stackRule } from "../../lib/rule";
import { ZONE_REGION_PREFIXES_OPTION, zoneScope } from "../../lib/residency";
import { arnRegion, asArray, isUnknown, ofType } from "../../lib/props";

const PLAN = "aws:backup/plan:Plan";

interface Config {
    zoneRegionPrefixes: Record<string, string[]>;
}

/**
 * Backups hold the shards' personal data, so unlike data-residency this rule has no cross-zone
 * relaxation: a copy outside the zone is refused in every zone. It also asks for the copy itself:
 * a plan rule without one leaves the zone's recovery points in the one region that may be down.
 */
export const backupCopyInZone = stackRule<Config>({
    name: "backup-copy-in-zone",
    description: "Every AWS Backup plan rule copies its recovery points to another region of the stack's residency zone, and to no region outside it.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "residency",
    frameworks: ["gdpr", "soc2", "pci-dss"],
    topics: ["data-residency", "backup"],
    resourceTypes: [PLAN],
    remediation:
        "give every plan rule a copyActions entry whose destinationVaultArn is the backup vault of the zone's other region (AuroraBackups copyRegion), and remove any copy to a region outside the zone.",
    config: {
        zoneRegionPrefixes: ZONE_REGION_PREFIXES_OPTION,
    },
    check: (resources, config, report) => {
        const { zone, prefixes, inZone, regionOf } = zoneScope(resources, config.zoneRegionPrefixes);
        for (const plan of ofType(resources, PLAN)) {
            const own = regionOf(plan);
            for (const rule of asArray<Record<string, any>>(plan.props.rules)) {
                const name = rule?.ruleName ?? "(unnamed)";
                const targets = asArray<Record<string, any>>(rule?.copyActions).map((c) => c?.destinationVaultArn);
                const regions = targets.filter((t) => typeof t === "string" && !isUnknown(t)).map((t) => arnRegion(t));
                if (!targets.length) {
                    report(`Plan rule ${name} makes no copy: its recovery points stay in one region.`, plan.urn);
                    continue;
                }
                for (const [i, region] of regions.entries()) {
                    if (!region) report(`Plan rule ${name}'s copy target ${JSON.stringify(targets[i])} is not a backup vault ARN with a region.`, plan.urn);
                    else if (prefixes && !inZone(region))
                        report(
                            `Plan rule ${name} copies to ${region}, outside the ${zone} zone (${prefixes.join("/")}*): backups must stay in the zone.`,
                            plan.urn,
                        );
                    else if (own && region === own)
                        report(`Plan rule ${name} copies to its own region ${own}: the copy must survive the loss of this region.`, plan.urn);
                }
            }
        }
    },
});
