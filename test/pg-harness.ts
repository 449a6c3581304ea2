import { execFileSync, spawn, ChildProcess } from "child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, chmodSync, chownSync } from "fs";
import { connect, createServer } from "net";
import { tmpdir } from "os";
import { join } from "path";

/**
 * A throwaway PostgreSQL cluster and pgbouncer for tests: Debian's packages,
 * run as the `postgres` user (PostgreSQL refuses root) in a temp dir on free
 * ports. Missing binaries are a failure with the install command, never a skip.
 */

export const INSTALL_HINT = "install them with: apt-get update && apt-get install -y postgresql pgbouncer (.ci/run does this)";

export function pgBinDir(root = "/usr/lib/postgresql"): string {
    const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a)) : [];
    if (!versions.length) throw new Error(`PostgreSQL server binaries (initdb, pg_ctl) are missing under ${root}; ${INSTALL_HINT}`);
    return join(root, versions[0], "bin");
}

export function pgbouncerBinary(candidates = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]): string {
    for (const p of candidates) if (existsSync(p)) return p;
    throw new Error(`pgbouncer is missing; ${INSTALL_HINT}`);
}

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = createServer();
        srv.on("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const port = (srv.address() as { port: number }).port;
            srv.close(() => resolve(port));
        });
    });
}

/** Runs a command as the postgres user when we are root; as ourselves otherwise. */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
    return process.getuid && process.getuid() === 0 ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
}

function postgresIds(): { uid: number; gid: number } | undefined {
    if (!process.getuid || process.getuid() !== 0) return undefined;
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    return { uid, gid };
}

export class PgServer {
    readonly dir: string;
    readonly port: number;
    readonly password = "test-only-Passw0rd-with-\"quote\"";
    readonly user = "bbadmin";
    private readonly bin: string;
    private bouncers: ChildProcess[] = [];
    /** Output of the pgbouncers started so far, by listen port. */
    readonly bouncerLogs = new Map<number, string>();

    private constructor(dir: string, port: number, bin: string) {
        this.dir = dir;
        this.port = port;
        this.bin = bin;
    }

    static async start(): Promise<PgServer> {
        const bin = pgBinDir();
        pgbouncerBinary();
        const dir = mkdtempSync(join(tmpdir(), "bb-pg-"));
        const ids = postgresIds();
        if (ids) chownSync(dir, ids.uid, ids.gid);
        const port = await freePort();
        const server = new PgServer(dir, port, bin);
        const pwfile = join(dir, "pw");
        writeFileSync(pwfile, server.password + "\n");
        if (ids) chownSync(pwfile, ids.uid, ids.gid);
        server.run(join(bin, "initdb"), ["-D", join(dir, "data"), "-U", server.user, "--auth=scram-sha-256", `--pwfile=${pwfile}`, "-E", "UTF8", "--no-sync"]);
        server.run(join(bin, "pg_ctl"), [
            "-D", join(dir, "data"), "-l", join(dir, "log"), "-w", "-t", "60",
            "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "start",
        ]);
        return server;
    }

    run(cmd: string, args: string[]): string {
        const [c, a] = asPostgres(cmd, args);
        return execFileSync(c, a, { cwd: this.dir, stdio: ["ignore", "pipe", "pipe"] }).toString();
    }

    /** Writes a file the postgres user can read (pgbouncer runs as postgres). */
    writeFile(name: string, text: string): string {
        const path = join(this.dir, name);
        writeFileSync(path, text);
        chmodSync(path, 0o600);
        const ids = postgresIds();
        if (ids) chownSync(path, ids.uid, ids.gid);
        return path;
    }

    /** Starts pgbouncer on a config file and waits until its port accepts connections. */
    async startPgBouncer(iniPath: string, port: number): Promise<void> {
        const [c, a] = asPostgres(pgbouncerBinary(), [iniPath]);
        const child = spawn(c, a, { cwd: this.dir, stdio: ["ignore", "pipe", "pipe"] });
        let log = "";
        const append = (d: Buffer) => {
            log += d;
            this.bouncerLogs.set(port, log);
        };
        child.stdout!.on("data", append);
        child.stderr!.on("data", append);
        this.bouncers.push(child);
        const deadline = Date.now() + 15000;
        while (Date.now() < deadline) {
            if (child.exitCode !== null) throw new Error(`pgbouncer exited with ${child.exitCode}:\n${log}`);
            const ok = await new Promise<boolean>((resolve) => {
                const s = connect(port, "127.0.0.1");
                s.on("connect", () => { s.destroy(); resolve(true); });
                s.on("error", () => resolve(false));
            });
            if (ok) return;
            await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`pgbouncer did not listen on ${port}:\n${log}`);
    }

    async stop(): Promise<void> {
        for (const b of this.bouncers) {
            if (b.exitCode === null) {
                const exited = new Promise((r) => b.once("exit", r));
                b.kill("SIGTERM");
                await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
                // runuser forwards SIGTERM to pgbouncer; if it did not exit, end it for good.
                if (b.exitCode === null) b.kill("SIGKILL");
            }
        }
        try {
            this.run(join(this.bin, "pg_ctl"), ["-D", join(this.dir, "data"), "-m", "immediate", "-w", "stop"]);
        } finally {
            rmSync(this.dir, { recursive: true, force: true });
        }
    }
}
