import { stackRule } from "../../lib/rule";
import { ZONE_REGION_PREFIXES_OPTION, zoneScope } from "../../lib/residency";
import { arnRegion, asArray, isUnknown, stackTagsFromProviders } from "../../lib/props";

/** Inputs that name another region outright, by resource type ("*" for any). */
const REGION_FIELDS: Record<string, (props: Record<string, any>) => string[]> = {
    "*": (p) => [p.sourceRegion, p.peerRegion, p.destinationRegion, p.replicaRegion].filter((v) => typeof v === "string"),
    "aws:secretsmanager/secret:Secret": (p) => asArray<any>(p.replicas).map((r) => r?.region),
    "aws:dynamodb/table:Table": (p) => asArray<any>(p.replicas).map((r) => r?.regionName),
    "aws:arcregionswitch/plan:Plan": (p) => asArray<string>(p.regions),
};

/** Every ARN anywhere in the inputs: replication sources and targets, backup copy vaults, log destinations, global members. */
function arnRegions(v: unknown, out: string[] = []): string[] {
    if (typeof v === "string") {
        const r = arnRegion(v);
        if (r) out.push(r);
        // Policy documents and other JSON strings carry ARNs too.
        if (/^[[{]/.test(v)) {
            try {
                arnRegions(JSON.parse(v), out);
            } catch {
                /* not JSON */
            }
        }
    } else if (Array.isArray(v)) v.forEach((x) => arnRegions(x, out));
    else if (v && typeof v === "object") Object.values(v).forEach((x) => arnRegions(x, out));
    return out;
}

/*
 * What this cannot see: a target named without a region (an S3 bucket ARN, a global datastore id) in
 * another stack. Those arrive through StackReferences, which are checked by the stack they read, or are
 * created in this stack with another region's provider, which is checked by region.
 */
interface Config {
    zoneRegionPrefixes: Record<string, string[]>;
    zonesKeepingDataInZone: string[];
}

export const dataResidency = stackRule<Config>({
    name: "data-residency",
    description:
        "In an eu-zone stack, and in any zone whose data must stay in the zone, no resource, replica, global-cluster member, backup copy, replication target or log destination may be in a region outside the zone.",
    severity: "critical",
    enforcementLevel: "mandatory",
    domain: "residency",
    frameworks: ["gdpr", "soc2"],
    topics: ["data-residency", "replication"],
    // Every resource: its region, region-valued inputs, ARNs in its inputs, and the stacks it reads.
    resourceTypes: ["*", "pulumi:pulumi:StackReference"],
    remediation:
        "keep replicas, global-cluster and datastore members, backup copies, replication targets and log destinations in the zone's regions (docs/design.md#topology); cross-zone copies are allowed only for data classes declared non-personal, in a stack whose zone is not held in zone.",
    config: {
        zoneRegionPrefixes: ZONE_REGION_PREFIXES_OPTION,
        zonesKeepingDataInZone: {
            type: "array",
            items: { type: "string" },
            default: ["eu", "us", "apac"],
            description: "Zones whose data must stay in the zone (stack config keepDataInZone, default true; eu always).",
        },
    },
    check: (resources, config, report) => {
        const tags = stackTagsFromProviders(resources);
        const zone = tags.zone;
        // A provider's data-residency tag can relax a non-eu zone; the eu zone is always held (GDPR).
        const held = zone === "eu" || (config.zonesKeepingDataInZone.includes(zone) && tags["data-residency"] !== "cross-zone");
        if (!zone || !held || !config.zoneRegionPrefixes[zone]) return;
        const { inZone, regionOf } = zoneScope(resources, config.zoneRegionPrefixes);
        const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
        for (const r of resources) {
            if (r.type === "pulumi:pulumi:StackReference") {
                // Stacks are named after their region: reading another zone's stack is how its data (global
                // cluster ids, datastore ids) would join this one.
                const read =
                    String(r.props.name ?? "")
                        .split("/")
                        .pop() ?? "";
                if (REGION.test(read) && !inZone(read))
                    report(`The ${zone} zone's stack reads stack ${read}, outside the zone, through a StackReference.`, r.urn);
                continue;
            }
            const found = new Set<string>();
            const own = r.type.startsWith("pulumi:providers:") ? r.props.region : regionOf(r);
            if (typeof own === "string" && own && !isUnknown(own) && !inZone(own)) found.add(own);
            const fields = [...REGION_FIELDS["*"](r.props), ...(REGION_FIELDS[r.type]?.(r.props) ?? [])];
            // A Serverless Application Repository applicationId names where AWS publishes the code (us-east-1), not
            // where data goes: the application's stack runs in the provider's region, checked above.
            const scanned = r.type === "aws:serverlessrepository/cloudFormationStack:CloudFormationStack" ? { ...r.props, applicationId: undefined } : r.props;
            for (const region of [...fields, ...arnRegions(scanned)]) if (region && !inZone(region)) found.add(region);
            if (found.size)
                report(
                    `The ${zone} zone keeps its data in ${config.zoneRegionPrefixes[zone].join("/")}* regions, but this ${r.type} is in or points to ${[...found].join(", ")}.`,
                    r.urn,
                );
        }
    },
});
