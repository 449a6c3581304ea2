-- The application's first login user, a member of bookedbarber_app (app_role.sql). The migration Job
-- reads the user and password from the shard's app secret (AWSCURRENT) into the session settings
-- bookedbarber.app_user and bookedbarber.app_password; they are never in a file or a ConfigMap.
-- A user that exists keeps its password: after the first rotation Secrets Manager owns it.

DO $$
DECLARE
    u text := current_setting('bookedbarber.app_user');
    p text := current_setting('bookedbarber.app_password');
BEGIN
    IF u IS NULL OR u = '' OR p IS NULL OR p = '' THEN
        RAISE EXCEPTION 'the app secret gave no username or password';
    END IF;
    IF u !~ '^bookedbarber_app_user(_clone)?$' THEN
        RAISE EXCEPTION 'the app secret names user %, not bookedbarber_app_user or its rotation clone', u;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = u) THEN
        EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', u, p);
    END IF;
    EXECUTE format('ALTER ROLE %I LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', u);
    EXECUTE format('GRANT bookedbarber_app TO %I', u);
END $$;

-- Forget the password for the rest of the session.
SELECT set_config('bookedbarber.app_password', '', false);
