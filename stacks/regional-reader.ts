import * as pulumi from "@pulumi/pulumi";
import type { ShardOutput } from "../components/sharded-database";
import { GlobalConfig } from "./config";
import { stackRefName } from "./contract";
import { REGIONS, Zone, ZONE_REGIONS, ZONES } from "./regions";

/** One Aurora shard as a regional stack exports it: ShardedDatabase's own output type, the contract's `shards`. */
export type { ShardOutput };

/** What the global stack reads from one regional stack, as plain values. */
export interface RegionalView {
    stack: string;
    region: string;
    zone: Zone;
    role: "primary" | "standby";
    vpcId: string;
    vpcCidr: string;
    dataSubnetCidrs: string[];
    dataRouteTableIds: string[];
    clusterName: string;
    ingress: { dnsName: string; zoneId: string };
    shards: ShardOutput[];
    /** The region's cache: its replication group and the zone's Global Datastore (the DR plan promotes it). */
    redis: { replicationGroupId: string; globalReplicationGroupId: string };
    /** The region's logs key (contract `kmsKeys.logs`): log groups the global stack creates in the region use it. */
    logsKeyArn: string;
    /** The region's P0 alert topic (contract `observability.alertTopicArns.P0`), when the stack exports one. */
    alertTopicP0?: string;
}

export interface ZonePair {
    zone: Zone;
    primary: RegionalView;
    standby: RegionalView;
}

/**
 * The contract names the global stack reads. Every one is in the design's
 * contract (docs/design.md#the-contract-between-stacks); a test holds this list to it.
 */
export const GLOBAL_READS = [
    "region",
    "zone",
    "role",
    "vpcId",
    "vpcCidr",
    "dataSubnetCidrs",
    "dataRouteTableIds",
    "clusterName",
    "ingress",
    "shards",
    "redis",
    "observability",
    "kmsKeys",
] as const;

/** A regional output that is present but not the shape the contract promises. Extends RunError: the CLI prints the message alone. */
export class ContractError extends pulumi.RunError {
    constructor(stack: string, output: string, problem: string) {
        super(`stack '${stack}' output '${output}' ${problem} (the contract between stacks: stacks/contract.ts, docs/design.md#the-contract-between-stacks)`);
        this.name = "ContractError";
    }
}

const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every(isString);

function check(stack: string, output: string, ok: boolean, problem: string): void {
    if (!ok) throw new ContractError(stack, output, problem);
}

/** Checks one regional stack's raw outputs against the contract and returns them typed. */
export function toRegionalView(stack: string, raw: Record<(typeof GLOBAL_READS)[number], unknown>): RegionalView {
    const { region, zone, role, vpcId, vpcCidr, dataSubnetCidrs, dataRouteTableIds, clusterName, ingress, shards, redis, observability, kmsKeys } = raw;
    check(
        stack,
        "region",
        isString(region) && REGIONS[region] !== undefined,
        `is ${JSON.stringify(region)}; must be one of ${Object.keys(REGIONS).join(", ")}`,
    );
    check(stack, "zone", ZONES.includes(zone as Zone), `is ${JSON.stringify(zone)}; must be one of ${ZONES.join(", ")}`);
    check(stack, "role", role === "primary" || role === "standby", `is ${JSON.stringify(role)}; must be primary or standby`);
    check(stack, "vpcId", isString(vpcId), "must be a VPC id");
    check(stack, "vpcCidr", isString(vpcCidr), "must be a CIDR");
    check(stack, "dataSubnetCidrs", isStringList(dataSubnetCidrs), "must be a non-empty list of CIDRs");
    check(stack, "dataRouteTableIds", isStringList(dataRouteTableIds), "must be a non-empty list of route table ids");
    check(stack, "clusterName", isString(clusterName), "must be the EKS cluster name");
    const ing = ingress as { dnsName?: unknown; zoneId?: unknown } | undefined;
    check(stack, "ingress", isString(ing?.dnsName) && isString(ing?.zoneId), "must be { dnsName, zoneId } of the ingress load balancer");
    check(stack, "shards", Array.isArray(shards) && shards.length > 0, "must be a non-empty list of shards");
    (shards as Record<string, unknown>[]).forEach((s, i) => {
        for (const f of ["globalClusterId", "clusterArn", "writerEndpoint", "readerEndpoint"]) {
            check(stack, `shards[${i}].${f}`, isString(s?.[f]), "must be a non-empty string");
        }
    });
    const cache = redis as { replicationGroupId?: unknown; globalReplicationGroupId?: unknown } | undefined;
    check(
        stack,
        "redis",
        isString(cache?.replicationGroupId) && isString(cache?.globalReplicationGroupId),
        "must be { replicationGroupId, globalReplicationGroupId, ... } of the region's cache",
    );
    const logsKey = (kmsKeys as { logs?: unknown } | undefined)?.logs;
    check(stack, "kmsKeys", isString(logsKey) && /^arn:aws[a-z-]*:kms:/.test(logsKey), "must carry the region's key ARNs by domain, logs among them");
    return {
        stack,
        region: region as string,
        zone: zone as Zone,
        role: role as "primary" | "standby",
        vpcId: vpcId as string,
        vpcCidr: vpcCidr as string,
        dataSubnetCidrs: dataSubnetCidrs as string[],
        dataRouteTableIds: dataRouteTableIds as string[],
        clusterName: clusterName as string,
        ingress: { dnsName: ing!.dnsName as string, zoneId: ing!.zoneId as string },
        shards: shards as ShardOutput[],
        redis: { replicationGroupId: cache!.replicationGroupId as string, globalReplicationGroupId: cache!.globalReplicationGroupId as string },
        logsKeyArn: logsKey as string,
        alertTopicP0: (() => {
            const p0 = (observability as { alertTopicArns?: { P0?: unknown } } | undefined)?.alertTopicArns?.P0;
            return isString(p0) ? p0 : undefined;
        })(),
    };
}

/**
 * Reads every regional stack through one StackReference each, only the
 * contract's names, with `requireOutputValue`: a missing output fails the run
 * with "Required output '<name>' does not exist on stack '<org/project/stack>'".
 * Values are read as plain data so the number of health checks, routes and plan
 * steps is known when the program runs (a StackReference's values are known at
 * preview, unlike a new resource's outputs).
 */
export async function readRegionalStacks(config: GlobalConfig): Promise<RegionalView[]> {
    return Promise.all(
        config.regionalStacks.map(async (stack) => {
            const ref = new pulumi.StackReference(`ref-${stack}`, { name: stackRefName(config.stackOrg, config.project, stack) });
            const values = await Promise.all(GLOBAL_READS.map((name) => ref.requireOutputValue(name)));
            const raw = Object.fromEntries(GLOBAL_READS.map((name, i) => [name, values[i]])) as Record<(typeof GLOBAL_READS)[number], unknown>;
            return toRegionalView(stack, raw);
        }),
    );
}

/**
 * Pairs the regional stacks into zones (docs/design.md#topology): each zone needs
 * exactly its primary and its standby region, and the standby's shards must be
 * the secondaries of the primary's global clusters.
 */
export function pairZones(views: readonly RegionalView[]): ZonePair[] {
    const pairs: ZonePair[] = [];
    for (const zone of ZONES) {
        const inZone = views.filter((v) => v.zone === zone);
        if (inZone.length === 0) continue;
        const find = (role: "primary" | "standby") => {
            const found = inZone.filter((v) => v.role === role);
            const expected = ZONE_REGIONS[zone][role];
            if (found.length !== 1 || found[0].region !== expected) {
                throw new pulumi.RunError(
                    `zone ${zone} needs exactly one ${role} stack in ${expected}; regionalStacks gives ${found.map((v) => `${v.stack} (${v.region})`).join(", ") || "none"}`,
                );
            }
            return found[0];
        };
        const primary = find("primary");
        const standby = find("standby");
        const primaryGlobal = primary.shards.map((s) => s.globalClusterId).sort();
        const standbyGlobal = standby.shards.map((s) => s.globalClusterId).sort();
        if (JSON.stringify(primaryGlobal) !== JSON.stringify(standbyGlobal)) {
            throw new ContractError(
                standby.stack,
                "shards",
                `belong to global clusters ${standbyGlobal.join(", ")}; the zone primary ${primary.stack} has ${primaryGlobal.join(", ")}`,
            );
        }
        pairs.push({ zone, primary, standby });
    }
    return pairs;
}
