-- V001: the franchise directory (spec: "Database Sharding Strategy").
-- Applied by the shard-catalog migration Job to each zone's directory database
-- (shard 0 of the zone primary), inside one transaction. Idempotent: running it
-- again changes nothing, so the Job can be retried.

CREATE TABLE IF NOT EXISTS schema_migrations (
    version    text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- Each (zone, shard) owns one contiguous range of franchise numbers. The
-- exclusion constraint makes overlapping ranges impossible, whatever writes them.
CREATE TABLE IF NOT EXISTS franchise_shard_ranges (
    zone        varchar(8)  NOT NULL CHECK (zone IN ('us', 'eu', 'apac')),
    shard_id    integer     NOT NULL CHECK (shard_id >= 0),
    franchises  int8range   NOT NULL CHECK (NOT isempty(franchises) AND lower(franchises) >= 1),
    region      varchar(20) NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (zone, shard_id),
    CONSTRAINT franchise_shard_ranges_no_overlap EXCLUDE USING gist (franchises WITH &&)
);

-- The spec's table, keyed by the franchise's UUID, with the franchise number
-- that places it in a range. zone/shard_id are filled in from the ranges.
CREATE TABLE IF NOT EXISTS franchise_shard_map (
    franchise_id     uuid        PRIMARY KEY,
    franchise_number bigint      NOT NULL UNIQUE CHECK (franchise_number >= 1),
    zone             varchar(8)  NOT NULL,
    shard_id         integer     NOT NULL,
    region           varchar(20) NOT NULL,
    created_at       timestamp   DEFAULT now(),
    FOREIGN KEY (zone, shard_id) REFERENCES franchise_shard_ranges (zone, shard_id)
);

-- Rebalancing is a deliberate data migration: a session must opt in with
-- SET LOCAL bookedbarber.allow_rebalance = 'on' before ranges or placements change.
CREATE OR REPLACE FUNCTION refuse_silent_rebalance() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('bookedbarber.allow_rebalance', true), '') <> 'on' THEN
        RAISE EXCEPTION '% on % would move franchises between shards; set bookedbarber.allow_rebalance = on inside a rebalancing migration',
            TG_OP, TG_TABLE_NAME USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

DROP TRIGGER IF EXISTS franchise_shard_ranges_frozen ON franchise_shard_ranges;
CREATE TRIGGER franchise_shard_ranges_frozen
    BEFORE UPDATE OR DELETE ON franchise_shard_ranges
    FOR EACH ROW EXECUTE FUNCTION refuse_silent_rebalance();

-- franchise -> shard by number: the routing function. STABLE so the planner can
-- call it once per statement; raises for a franchise outside the catalog.
CREATE OR REPLACE FUNCTION franchise_shard(p_franchise_number bigint)
RETURNS TABLE (zone varchar, shard_id integer, region varchar)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
        SELECT r.zone, r.shard_id, r.region
          FROM franchise_shard_ranges r
         WHERE r.franchises @> p_franchise_number;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'franchise % is outside the shard catalog', p_franchise_number USING ERRCODE = 'no_data_found';
    END IF;
END $$;

-- franchise -> shard by UUID, through the spec's map.
CREATE OR REPLACE FUNCTION franchise_shard(p_franchise_id uuid)
RETURNS TABLE (zone varchar, shard_id integer, region varchar)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
        SELECT m.zone, m.shard_id, m.region
          FROM franchise_shard_map m
         WHERE m.franchise_id = p_franchise_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'franchise % is not registered in franchise_shard_map', p_franchise_id USING ERRCODE = 'no_data_found';
    END IF;
END $$;

-- Placement of a map row always comes from the ranges; a caller cannot pick a shard.
CREATE OR REPLACE FUNCTION franchise_shard_map_place() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE placed record;
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.franchise_number, NEW.zone, NEW.shard_id) IS DISTINCT FROM (OLD.franchise_number, OLD.zone, OLD.shard_id)
       AND coalesce(current_setting('bookedbarber.allow_rebalance', true), '') <> 'on' THEN
        RAISE EXCEPTION 'franchise % would move from %/% ; set bookedbarber.allow_rebalance = on inside a rebalancing migration',
            OLD.franchise_id, OLD.zone, OLD.shard_id USING ERRCODE = 'check_violation';
    END IF;
    SELECT * INTO placed FROM franchise_shard(NEW.franchise_number);
    IF (NEW.zone IS NOT NULL AND NEW.zone <> placed.zone) OR (NEW.shard_id IS NOT NULL AND NEW.shard_id <> placed.shard_id) THEN
        RAISE EXCEPTION 'franchise % belongs to %/%, not %/%', NEW.franchise_number, placed.zone, placed.shard_id, NEW.zone, NEW.shard_id
            USING ERRCODE = 'check_violation';
    END IF;
    NEW.zone := placed.zone;
    NEW.shard_id := placed.shard_id;
    NEW.region := placed.region;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS franchise_shard_map_placement ON franchise_shard_map;
CREATE TRIGGER franchise_shard_map_placement
    BEFORE INSERT OR UPDATE ON franchise_shard_map
    FOR EACH ROW EXECUTE FUNCTION franchise_shard_map_place();

INSERT INTO schema_migrations (version) VALUES ('V001__franchise_shard_map') ON CONFLICT (version) DO NOTHING;
