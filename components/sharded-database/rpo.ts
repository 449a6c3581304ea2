/**
 * The recovery point objective of the shards (spec: "RPO Target: 30
 * seconds") and how it is held: watched (an alarm on the standby's RPO lag)
 * or enforced (Aurora's rds.global_db_rpo on the primary, which blocks
 * commits whenever every secondary lags past it). docs/decisions/rpo.md
 * gives the trade-off.
 */

/** Spec "Disaster Recovery Strategy": RPO Target: 30 seconds. */
export const SPEC_RPO_SECONDS = 30;

/**
 * watched: the primary stays writable whatever its standby does; RPO lag above
 * the RPO raises an alarm. enforced: rds.global_db_rpo on the primary's cluster
 * parameter group, so commits stall while the standby is down or behind.
 */
export const RPO_ENFORCEMENTS = ["watched", "enforced"] as const;
export type RpoEnforcement = (typeof RPO_ENFORCEMENTS)[number];
export const DEFAULT_RPO_ENFORCEMENT: RpoEnforcement = "watched";

/** Aurora's bounds for rds.global_db_rpo, in seconds (Aurora User Guide, "Managing RPOs for Aurora PostgreSQL-based global databases"). */
export const GLOBAL_DB_RPO_MIN_SECONDS = 20;

export interface ParameterEntry {
    name: string;
    value: string;
    applyMethod: string;
}

/**
 * The cluster parameters that hold the RPO for a region's shards. Only an
 * enforcing primary sets rds.global_db_rpo: with one secondary, AWS
 * recommends keeping the secondary's group at the default, or a failover that
 * loses the old primary region would stall the new primary's commits too.
 */
export function rpoParameters(role: "primary" | "standby", enforcement: RpoEnforcement, rpoSeconds: number): ParameterEntry[] {
    if (role !== "primary" || enforcement !== "enforced") return [];
    return [{ name: "rds.global_db_rpo", value: String(rpoSeconds), applyMethod: "immediate" }];
}
