import { createHash } from "crypto";
import { existsSync, readdirSync, readFileSync } from "fs";
import { dirname, join } from "path";

/** A versioned SQL migration for the zone's directory database. */
export interface Migration {
    /** File name, e.g. V001__franchise_shard_map.sql; files apply in name order. */
    name: string;
    sql: string;
}

/** The folder that holds the directory database's migrations, found from this file in src or dist. */
export function migrationsDir(): string {
    let dir = __dirname;
    for (;;) {
        const candidate = join(dir, "migrations", "directory");
        if (existsSync(candidate)) return candidate;
        const parent = dirname(dir);
        if (parent === dir) throw new Error(`migrations/directory not found above ${__dirname}`);
        dir = parent;
    }
}

/** Every migration, in the order it applies. Names must be V<nnn>__<what>.sql. */
export function loadMigrations(): Migration[] {
    const dir = migrationsDir();
    const names = readdirSync(dir)
        .filter((f) => f.endsWith(".sql"))
        .sort();
    for (const n of names) if (!/^V\d{3}__[a-z0-9_]+\.sql$/.test(n)) throw new Error(`migration file ${n} must be named V<nnn>__<what>.sql`);
    return names.map((name) => ({ name, sql: readFileSync(join(dir, name), "utf8") }));
}

/** The application's group role: DML on the app schema, nothing else (migrations/roles/app_role.sql). */
export const APP_ROLE = "bookedbarber_app";
/** The first login user, a member of APP_ROLE; alternating-users rotation adds `${APP_LOGIN_USER}_clone`. */
export const APP_LOGIN_USER = "bookedbarber_app_user";

/**
 * The role scripts every shard of a zone primary gets, after the directory migrations on shard 0:
 * app_role.sql (the group role and its grants), then app_login.sql (the first login user, from the
 * session settings bookedbarber.app_user / bookedbarber.app_password that the Job sets from the secret).
 */
export function loadRoleSql(): { appRole: string; appLogin: string } {
    const dir = join(dirname(migrationsDir()), "roles");
    return { appRole: readFileSync(join(dir, "app_role.sql"), "utf8"), appLogin: readFileSync(join(dir, "app_login.sql"), "utf8") };
}

/** Short digest of the migrations and the seed: names the Job, so a change runs a new Job. */
export function migrationDigest(parts: readonly string[]): string {
    const h = createHash("sha256");
    for (const p of parts) h.update(p).update("\0");
    return h.digest("hex").slice(0, 10);
}
