import { PoolSizing } from "./sizing";

/**
 * The PgBouncer configuration of one pool (a shard's writer or reader), as a
 * pure function so tests can load exactly what the cluster runs into a real
 * pgbouncer.
 */
export interface PgBouncerIniInput {
    /** Database name clients ask for; the same name on the server. */
    database: string;
    /** Aurora endpoint (writer or reader). */
    host: string;
    port: number;
    /** Port PgBouncer listens on. */
    listenPort: number;
    /** Address PgBouncer listens on. Default 0.0.0.0 (the pod). */
    listenAddr?: string;
    sizing: PoolSizing;
    /** auth_file: a userlist built at pod start from the Secrets Manager secret. */
    authFile: string;
    /** CA bundle that signs Aurora's server certificates (RDS global bundle). */
    serverCaFile: string;
    /**
     * server_tls_sslmode. Always verify-full in the cluster. Tests against a
     * local PostgreSQL without certificates pass "disable" here; nothing else does.
     */
    serverTlsSslmode?: "verify-full" | "disable";
    /** Where pgbouncer writes its pid and unix socket; default /tmp. */
    runDir?: string;
}

/** pgbouncer.ini text for one pool. */
export function renderPgBouncerIni(i: PgBouncerIniInput): string {
    const sslmode = i.serverTlsSslmode ?? "verify-full";
    const runDir = i.runDir ?? "/tmp";
    const tls =
        sslmode === "verify-full"
            ? [
                  "server_tls_sslmode = verify-full",
                  `server_tls_ca_file = ${i.serverCaFile}`,
                  "server_tls_protocols = tlsv1.3", // Aurora takes TLS 1.3 only (AURORA_MIN_TLS in shards.ts)
              ]
            : ["server_tls_sslmode = disable"];
    return [
        "; Rendered by components/sharded-database/pgbouncer-config.ts. Do not edit in the cluster.",
        "[databases]",
        `${i.database} = host=${i.host} port=${i.port} dbname=${i.database}`,
        "",
        "[pgbouncer]",
        `listen_addr = ${i.listenAddr ?? "0.0.0.0"}`,
        `listen_port = ${i.listenPort}`,
        `unix_socket_dir = ${runDir}`,
        `pidfile = ${runDir}/pgbouncer-${i.listenPort}.pid`,
        // Transaction pooling: a server connection serves one transaction at a time (spec: PgBouncer pooling).
        "pool_mode = transaction",
        `max_client_conn = ${i.sizing.maxClientConn}`,
        `default_pool_size = ${i.sizing.defaultPoolSize}`,
        "min_pool_size = 0",
        `reserve_pool_size = ${i.sizing.reservePoolSize}`,
        "reserve_pool_timeout = 3",
        `max_db_connections = ${i.sizing.maxDbConnections}`,
        "auth_type = scram-sha-256",
        `auth_file = ${i.authFile}`,
        // Aurora fails over by moving DNS; short lifetimes make pgbouncer follow it.
        "server_lifetime = 600",
        "server_idle_timeout = 60",
        "server_connect_timeout = 5",
        "dns_max_ttl = 5",
        "server_reset_query = DISCARD ALL",
        "server_check_query = select 1",
        "ignore_startup_parameters = extra_float_digits,options",
        "query_wait_timeout = 30",
        "client_tls_sslmode = disable",
        ...tls,
        "admin_users =",
        "stats_users =",
        "log_connections = 0",
        "log_disconnections = 0",
        "log_pooler_errors = 1",
        "",
    ].join("\n");
}

/** A userlist.txt line: pgbouncer doubles quotes inside quoted fields. */
export function userlistLine(user: string, password: string): string {
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    return `${q(user)} ${q(password)}\n`;
}
