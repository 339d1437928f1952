-- The outbox relay's two queries, as functions that scan their partial indexes entry by entry.
--
-- Every event passes through both partial indexes of V1 and leaves each as a dead entry: idx_event_unsequenced when
-- the relay gives it its id, idx_event_unpublished when the relay marks it published. Postgres planned the relay's
-- queries (a few rows wanted, ORDER BY ... LIMIT) as bitmap scans, and a bitmap scan never marks the dead entries it
-- meets as dead in the index, as a plain index scan does: until the next vacuum, every drain read every event
-- sequenced or published since, and their heap pages. Under 50 answers/s, with no vacuum yet, that was about 1,300
-- buffers and 1.3 ms a query, the largest share of Postgres' time per answer (docs/benchmarks.md). With bitmap scans
-- off for these two statements, the first scan that meets a dead entry marks it and later ones step over it: about
-- 50 buffers a query.
-- PL/pgSQL, not SQL: a SQL function with a SET clause is parsed again at every call (0.13 ms a call here, against
-- 0.07). Planned for each call's values all the same (plan_cache_mode), as the relay's other statements are: the
-- table grows from empty to millions between two ANALYZEs, and a plan kept from when it was small would scan it all.

-- Events the relay gave an id but did not mark published (the broker was down, or a relay stopped between publishing
-- and marking), oldest id first.
CREATE FUNCTION attune.unpublished_events(batch INTEGER)
    RETURNS TABLE (id BIGINT, routing_key TEXT, envelope TEXT)
    LANGUAGE plpgsql STABLE
    SET enable_bitmapscan = off
    SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
RETURN QUERY
SELECT e.id, e.routing_key, e.envelope::text
FROM attune.event e
WHERE e.id IS NOT NULL AND e.published_at IS NULL
ORDER BY e.id
LIMIT batch;
END
$$;

-- Gives the oldest stored events without an id their ids, in storing order, and returns them. The ids are drawn in
-- the CTE, before the join: drawn in the UPDATE they followed the join's order, which a hash join takes from where
-- the rows lie in the table, so an event could get a lower id than one stored before it.
CREATE FUNCTION attune.sequence_events(batch INTEGER)
    RETURNS TABLE (id BIGINT, routing_key TEXT, envelope TEXT)
    LANGUAGE plpgsql VOLATILE
    SET enable_bitmapscan = off
    SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
RETURN QUERY
WITH pick AS (
    SELECT waiting.outbox_id, nextval('attune.event_id_seq') AS id
    FROM (SELECT e.outbox_id FROM attune.event e WHERE e.id IS NULL ORDER BY e.outbox_id LIMIT batch) waiting
    ORDER BY waiting.outbox_id)
UPDATE attune.event e SET id = pick.id
FROM pick
WHERE e.outbox_id = pick.outbox_id
RETURNING e.id, e.routing_key, e.envelope::text;
END
$$;
