import { maxConnections } from "../../../components/sharded-database/sizing";
import type { PlanFile } from "../plan-file";
import { list, obj, ofType } from "./plan-reader";
import type { CapacityTarget } from "./types";
import { BACKEND_ASSUMPTIONS } from "./workload";

/** A pgbouncer.ini setting, as a number. */
function iniValue(ini: string, key: string): number | undefined {
    const m = new RegExp(`^${key}\\s*=\\s*(\\d+)`, "m").exec(ini);
    return m ? Number(m[1]) : undefined;
}

/**
 * Per shard: the backend's connections (pods x pool per shard) against what PgBouncer accepts with
 * one of its pods down (the PDB allows one), and PgBouncer's server connections against the writer's
 * and the readers' max_connections (Aurora's default for the class).
 */
export function databaseCapacity(plan: PlanFile, backendPods: number): CapacityTarget[] {
    const targets: CapacityTarget[] = [];
    const instances = ofType(plan, "aws:rds/clusterInstance:ClusterInstance");
    for (const cm of ofType(plan, "kubernetes:core/v1:ConfigMap").filter((r) => /-pgbouncer-config$/.test(r.name))) {
        const shardName = cm.name.replace(/-pgbouncer-config$/, "");
        const deployment = plan.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === `${shardName}-pgbouncer`);
        const replicas = Number(obj(deployment?.inputs.spec).replicas ?? 1);
        const data = obj(cm.inputs.data);
        const rw = String(data["rw.ini"] ?? "");
        const ro = String(data["ro.ini"] ?? "");
        const clients = (iniValue(rw, "max_client_conn") ?? 0) * Math.max(replicas - 1, 1);
        const demand = backendPods * BACKEND_ASSUMPTIONS.dbPoolPerShard;
        targets.push({
            target: `${shardName}: backend connections through PgBouncer`,
            met: demand <= clients,
            limiting: `${shardName} PgBouncer max_client_conn`,
            utilisation: clients > 0 ? demand / clients : Infinity,
            detail: `${backendPods} pods x ${BACKEND_ASSUMPTIONS.dbPoolPerShard} = ${demand} clients; PgBouncer accepts ${clients} with one of ${replicas} pods down`,
        });
        const members = instances.filter((i) => i.name.startsWith(`${shardName}-`));
        const writer = members.find((i) => /-writer$/.test(i.name)) ?? members[0];
        const readers = members.filter((i) => i !== writer);
        for (const [pool, ini, servers] of [
            ["writer", rw, writer ? [writer] : []],
            ["readers", ro, readers],
        ] as const) {
            if (servers.length === 0) continue;
            const server = servers.reduce((a, i) => a + maxConnections(String(i.inputs.instanceClass)), 0);
            const opened = (iniValue(ini, "max_db_connections") ?? 0) * replicas;
            targets.push({
                target: `${shardName}: ${pool} connection headroom`,
                met: opened <= server,
                limiting: `${shardName} ${pool} max_connections`,
                utilisation: server > 0 ? opened / server : Infinity,
                detail: `PgBouncer opens at most ${opened} of ${server} (${servers.map((s) => s.inputs.instanceClass).join(", ")}); headroom ${server - opened}`,
                // PgBouncer's ceiling is fixed by its configuration, not by the load: it never names the tightest resource.
                consistency: true,
            });
        }
    }
    return targets;
}

export const reservedMemoryPercentOf = (params: unknown): number | undefined => {
    const p = list(params)
        .map(obj)
        .find((x) => x.name === "reserved-memory-percent");
    return p ? Number(p.value) : undefined;
};
