-- The application's database role (issue 15: PgBouncer must not connect as the master user).
-- Applied by the migration Job to every shard of the zone primary, after the directory migrations
-- on shard 0, in the same transaction; the standby's secondaries take roles and grants from the
-- global cluster. Idempotent.
--
-- bookedbarber_app holds the privileges and cannot log in. The login users are its members: the
-- first one is created by app_login.sql; Secrets Manager's alternating-users rotation creates the
-- second (<user>_clone) and grants it the first one's role memberships, so both carry exactly this.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'bookedbarber_app') THEN
        CREATE ROLE bookedbarber_app NOLOGIN;
    END IF;
    -- Nothing beyond what is granted below, even if someone altered it.
    ALTER ROLE bookedbarber_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
    -- Connect, nothing else on the database: no CREATE (schemas), no TEMPORARY (temp tables), for anyone
    -- but the owner and those granted. PostgreSQL grants CONNECT and TEMPORARY to PUBLIC by default.
    EXECUTE format('REVOKE CREATE, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO bookedbarber_app', current_database());
END $$;

-- The app schema: use it, never create in it (PostgreSQL before 15 let PUBLIC create in public).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO bookedbarber_app;

-- Rows, not structure: DML on the tables, USAGE on the sequences (nextval for identity columns).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO bookedbarber_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO bookedbarber_app;
-- The same for tables and sequences later migrations create (they run as the master user, this role).
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO bookedbarber_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO bookedbarber_app;

-- Tables only migrations write: the app reads them. (Present on the directory, shard 0, only.)
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['schema_migrations', 'franchise_shard_ranges'] LOOP
        IF to_regclass('public.' || t) IS NOT NULL THEN
            EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON public.%I FROM bookedbarber_app', t);
        END IF;
    END LOOP;
END $$;
