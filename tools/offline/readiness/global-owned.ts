import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../../stacks/stack-files";
import { MIRRORED_KEYS, NAMESPACE } from "../../../stacks/config";
import { CONFIG_SCHEMA } from "../../../stacks/config-schema";
import type { CapturedResource } from "../mock-engine";
import type { PlanFile } from "../plan-file";
import type { ReadinessCheck, ReadinessItem } from "./types";

/** The sourced facts: which settings a global group owns (test/upstream/global-groups/owned-settings.json). */
export interface OwnedSettings {
    retrieved: string;
    elasticache: {
        sources: { url: string; title: string }[];
        secondaryRefusedInputs: string[];
        memberSuppressedInputs: string[];
        /** Member input -> the GlobalReplicationGroup input that owns it. */
        globalGroupInputs: Record<string, string>;
        parameterGroupCopiedOnJoin: boolean;
    };
    aurora: { sources: { url: string; title: string }[]; memberOwnedInputs: string[] };
}

export const OWNED_SETTINGS_PATH = path.join("test", "upstream", "global-groups", "owned-settings.json");

export function loadOwnedSettings(root = projectRoot()): OwnedSettings {
    return JSON.parse(fs.readFileSync(path.join(root, OWNED_SETTINGS_PATH), "utf8")) as OwnedSettings;
}

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const GLOBAL_RG = "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup";
const CLUSTER = "aws:rds/cluster:Cluster";
const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

const ignored = (r: CapturedResource) => new Set(r.options?.ignoreChanges ?? []);
const missing = (r: CapturedResource, inputs: readonly string[]) => inputs.filter((k) => !ignored(r).has(k));

/**
 * Members of global groups in a plan, and whether a setting their group owns
 * still looks editable on them: a secondary cache that sets an input the
 * Global Datastore owns, a primary cache or an Aurora member that would take
 * edits of an owned input (AWS ignores them, or the provider suppresses them),
 * a global group that does not carry what its members gave up.
 */
export function globalOwnedItems(resources: readonly CapturedResource[], facts: OwnedSettings): ReadinessItem[] {
    const items: ReadinessItem[] = [];
    const ec = facts.elasticache;
    const globals = resources.filter((r) => r.type === GLOBAL_RG);
    for (const rg of resources.filter((r) => r.type === RG)) {
        const subject = `cache ${String(rg.inputs.replicationGroupId ?? rg.name)}`;
        if (rg.inputs.globalReplicationGroupId !== undefined) {
            const set = ec.secondaryRefusedInputs.filter((k) => rg.inputs[k] !== undefined);
            items.push({
                subject,
                detail: "Global Datastore secondary: inherits engine, version, node type, shards, parameter group, encryption",
                ...(set.length
                    ? { problem: `sets ${set.join(", ")}, which a secondary takes from its Global Datastore (AWS refuses or ignores it here)` }
                    : {}),
            });
            continue;
        }
        const global = globals.find((g) => g.inputs.primaryReplicationGroupId === rg.inputs.replicationGroupId);
        if (!global) continue;
        const owned = [...new Set([...ec.memberSuppressedInputs, ...Object.keys(ec.globalGroupInputs)])];
        const editable = missing(rg, owned);
        const notOnGlobal = Object.entries(ec.globalGroupInputs)
            .filter(([m, g]) => rg.inputs[m] !== undefined && global.inputs[g] !== rg.inputs[m])
            .map(([, g]) => g);
        const problems = [
            ...(editable.length
                ? [
                      `${editable.join(", ")} would look editable here, but the Global Datastore owns them once the group joins (edits are ignored or refused): ignore them on the member`,
                  ]
                : []),
            ...(notOnGlobal.length ? [`the global group does not carry ${notOnGlobal.join(", ")}: there is no place left to change them`] : []),
        ];
        items.push({
            subject,
            detail: `Global Datastore primary: ${owned.join(", ")} change on ${String(global.inputs.globalReplicationGroupIdSuffix ?? global.name)}'s global group`,
            ...(problems.length ? { problem: problems.join("; ") } : {}),
        });
    }
    const members = resources.filter((r) => r.type === CLUSTER && r.inputs.globalClusterIdentifier !== undefined);
    const memberUrns = new Set(members.map((m) => m.urn));
    for (const r of [...members, ...resources.filter((x) => x.type === INSTANCE && x.parent && memberUrns.has(x.parent))]) {
        const editable = missing(r, facts.aurora.memberOwnedInputs);
        items.push({
            subject: `${r.type === CLUSTER ? "Aurora cluster" : "Aurora instance"} ${r.name}`,
            detail: `global database member: ${facts.aurora.memberOwnedInputs.join(", ")} changes on the global cluster`,
            ...(editable.length
                ? {
                      problem: `${editable.join(", ")} would look editable here, but the global cluster owns it (an upgrade there upgrades every member): ignore it on the member`,
                  }
                : {}),
        });
    }
    return items;
}

/**
 * Stack config a standby reads only when its members are created, and that must equal its zone
 * primary's: the global group owns the value afterwards (engine version), or the standby uses it
 * to name what the primary created (cache shards, for the per-shard alarms).
 */
export const MIRRORED_CONFIG = MIRRORED_KEYS;

/** A standby whose mirrored config differs from its zone primary's, when both are planned together. */
export function mirroredConfigItems(plan: PlanFile, all: ReadonlyMap<string, PlanFile>): ReadinessItem[] {
    const primaryStack = plan.config[`${NAMESPACE}:primaryStack`];
    if (plan.config[`${NAMESPACE}:role`] !== "standby" || typeof primaryStack !== "string") return [];
    const primary = all.get(primaryStack);
    if (!primary) return [];
    return MIRRORED_CONFIG.map((k) => {
        const fallback = CONFIG_SCHEMA[k].default;
        const mine = plan.config[`${NAMESPACE}:${k}`] ?? fallback;
        const theirs = primary.config[`${NAMESPACE}:${k}`] ?? fallback;
        return {
            subject: `config ${k}`,
            detail: `equals zone primary ${primaryStack}'s (${String(theirs)}), which its global group holds`,
            ...(String(mine) !== String(theirs)
                ? {
                      problem: `${String(mine)} here but ${String(theirs)} on ${primaryStack}: the global group keeps the primary's, so this value would only look editable; set it on ${primaryStack}`,
                  }
                : {}),
        };
    });
}

let facts: OwnedSettings | undefined;

export const globalOwnedReadiness: ReadinessCheck = (plan, all) => {
    facts ??= loadOwnedSettings();
    return { title: "settings owned by global groups", items: [...globalOwnedItems(plan.resources, facts), ...mirroredConfigItems(plan, all)] };
};
