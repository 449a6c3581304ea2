import { stackRule } from "../../lib/rule";
import { ZONE_REGION_PREFIXES_OPTION, zoneScope } from "../../lib/residency";
import { asArray, isUnknown, ofType } from "../../lib/props";

const SECRET = "aws:secretsmanager/secret:Secret";

interface Config {
    zoneRegionPrefixes: Record<string, string[]>;
}

/**
 * Secrets hold credentials to the zone's personal data, and a replica is a full copy of the secret:
 * like backups, a replica may go only to another region of the stack's residency zone, never outside
 * it, and must sit on a customer-managed key there (without kmsKeyId Secrets Manager uses the
 * AWS-managed aws/secretsmanager key of the replica region).
 */
export const secretReplicaInZone = stackRule<Config>({
    name: "secret-replica-in-zone",
    description:
        "Every Secrets Manager secret replica is in another region of the stack's residency zone, on a customer-managed key there; none leaves the zone.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "residency",
    frameworks: ["gdpr", "soc2", "pci-dss"],
    topics: ["data-residency", "secrets"],
    resourceTypes: [SECRET],
    remediation:
        "replicate secrets only to the zone's standby region (ShardedDatabase secretReplica), each replica with the kmsKeyId of a customer-managed key in that region.",
    config: {
        zoneRegionPrefixes: ZONE_REGION_PREFIXES_OPTION,
    },
    check: (resources, config, report) => {
        const { zone, prefixes, inZone, regionOf } = zoneScope(resources, config.zoneRegionPrefixes);
        for (const secret of ofType(resources, SECRET)) {
            const own = regionOf(secret);
            const name = secret.props.name ?? secret.name;
            for (const replica of asArray<Record<string, any>>(secret.props.replicas)) {
                const region = replica?.region;
                if (typeof region !== "string" || isUnknown(region)) {
                    report(`Secret ${name} has a replica without a known region.`, secret.urn);
                    continue;
                }
                if (prefixes && !inZone(region))
                    report(
                        `Secret ${name} is replicated to ${region}, outside the ${zone} zone (${prefixes.join("/")}*): a zone's secrets never leave it.`,
                        secret.urn,
                    );
                else if (own && region === own) report(`Secret ${name} is replicated to its own region ${own}.`, secret.urn);
                if (!replica.kmsKeyId)
                    report(
                        `Secret ${name}'s replica in ${region} has no kmsKeyId: it would be encrypted with the AWS-managed aws/secretsmanager key.`,
                        secret.urn,
                    );
            }
        }
    },
});
