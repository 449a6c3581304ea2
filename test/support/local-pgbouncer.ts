import { renderPgBouncerIni } from "../../components/sharded-database/pgbouncer-config";
import { poolSizing } from "../../components/sharded-database/sizing";
import { freePort, PgServer } from "./pg-harness";

/**
 * A real pgbouncer in front of a local test PostgreSQL, rendered by the program's own renderPgBouncerIni: the
 * production settings except the server TLS (the test server has none) and a small pool. Returns its port.
 */
export async function startLocalPgBouncer(pg: PgServer, opts: { database: string; authFile: string; iniName?: string }): Promise<number> {
    const listenPort = await freePort();
    const ini = renderPgBouncerIni({
        database: opts.database,
        host: "127.0.0.1",
        port: pg.port,
        listenPort,
        listenAddr: "127.0.0.1",
        sizing: poolSizing({ serverMaxConnections: 100, servers: 1, serverShare: 0.8, replicas: 2, shardClientConnections: 100 }),
        authFile: opts.authFile,
        serverCaFile: "/nonexistent",
        serverTlsSslmode: "disable",
        runDir: pg.dir,
    });
    await pg.startPgBouncer(pg.writeFile(opts.iniName ?? "pgbouncer.ini", ini), listenPort);
    return listenPort;
}
