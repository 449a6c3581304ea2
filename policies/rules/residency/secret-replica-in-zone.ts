import { stackRule } from "../../lib/rule";
import { asArray, effectiveRegion, isUnknown, ofType, stackTagsFromProviders } from "../../lib/props";

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
        zoneRegionPrefixes: {
            type: "object",
            default: { eu: ["eu-"], us: ["us-"], apac: ["ap-"] },
            description: "Region name prefixes that belong to each residency zone.",
        },
    },
    check: (resources, config, report) => {
        const zone = stackTagsFromProviders(resources).zone;
        const prefixes = zone ? config.zoneRegionPrefixes[zone] : undefined;
        const providers = new Map(resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((p) => [p.urn, p]));
        for (const secret of ofType(resources, SECRET)) {
            const own = effectiveRegion(secret.props, secret.provider?.props ?? providers.get(secret.provider?.urn ?? "")?.props);
            const name = secret.props.name ?? secret.name;
            for (const replica of asArray<Record<string, any>>(secret.props.replicas)) {
                const region = replica?.region;
                if (typeof region !== "string" || isUnknown(region)) {
                    report(`Secret ${name} has a replica without a known region.`, secret.urn);
                    continue;
                }
                if (prefixes && !prefixes.some((p) => region.startsWith(p)))
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
