import { stackRule } from "../../lib/rule";
import { ZONE_REGION_PREFIXES_OPTION, zoneScope } from "../../lib/residency";
import { asArray, isUnknown, ofType } from "../../lib/props";

const REPLICATION = "aws:ecr/replicationConfiguration:ReplicationConfiguration";
const REPOSITORY = "aws:ecr/repository:Repository";

/** The account of an ARN (`arn:aws:<service>:<region>:<account>:...`). */
function arnAccount(v: unknown): string | undefined {
    return typeof v === "string" ? /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(v)?.[1] : undefined;
}

interface Config {
    zoneRegionPrefixes: Record<string, string[]>;
}

/**
 * Images carry the app's code and configuration, and ECR replication copies them without asking: every
 * destination of a registry's replication rules must be another region of the stack's residency zone and this
 * account (a cross-account destination is another owner's registry).
 */
export const ecrReplicationInZone = stackRule<Config>({
    name: "ecr-replication-in-zone",
    description: "ECR replication sends images only to other regions of the stack's residency zone, in the same account.",
    severity: "high",
    enforcementLevel: "mandatory",
    domain: "residency",
    frameworks: ["gdpr", "soc2"],
    topics: ["data-residency", "container-images"],
    resourceTypes: [REPLICATION, REPOSITORY],
    remediation:
        "replicate to the zone's standby region only (ContainerRegistry replicateTo = ZONE_REGIONS[zone].standby), with registryId the stack's own account.",
    config: {
        zoneRegionPrefixes: ZONE_REGION_PREFIXES_OPTION,
    },
    check: (resources, config, report) => {
        const { zone, prefixes, inZone, regionOf } = zoneScope(resources, config.zoneRegionPrefixes);
        // The stack's own account, as its repositories' key ARNs name it.
        const own = new Set(
            ofType(resources, REPOSITORY)
                .flatMap((r) => asArray<Record<string, any>>(r.props.encryptionConfigurations).map((e) => arnAccount(e?.kmsKey)))
                .filter((a): a is string => !!a),
        );
        for (const rc of ofType(resources, REPLICATION)) {
            const ownRegion = regionOf(rc);
            const rules = asArray<Record<string, any>>(rc.props.replicationConfiguration?.rules);
            for (const rule of rules) {
                for (const d of asArray<Record<string, any>>(rule?.destinations)) {
                    const region = d?.region;
                    const account = d?.registryId;
                    if (typeof account === "string" && !isUnknown(account) && own.size && !own.has(account))
                        report(
                            `replicates images to account ${account}, not this stack's account (${[...own].join(", ")}): destinations must be the stack's own registry.`,
                            rc.urn,
                        );
                    if (typeof region !== "string" || isUnknown(region)) continue;
                    if (!prefixes) report(`the stack has no zone tag, so replication to ${region} cannot be checked against a residency zone.`, rc.urn);
                    else if (!inZone(region))
                        report(`replicates images to ${region}, outside the ${zone} zone (${prefixes.join("/")}*): images must stay in the zone.`, rc.urn);
                    else if (ownRegion && region === ownRegion)
                        report(`replicates images to its own region ${ownRegion}: a replica must be in the zone's other region.`, rc.urn);
                }
                if (!asArray(rule?.repositoryFilters).length)
                    report("a replication rule has no repository filter: every repository in the registry is replicated, not only the app images.", rc.urn);
            }
        }
    },
});
