-- Fewer writes for every change of the loop (docs/benchmarks.md, "What a timeout writes"). 100,000 timeouts wrote
-- 707 MB of write-ahead log, half of it for the events; each of these changes removes writes, none changes a result.

-- 1. The relay records how far it has published in one row, not in every event. Each event was written three times
-- (stored, given its id, marked published), each time whole and with an entry in each of its indexes. The relay
-- publishes in id order, one relay at a time, and confirms each batch before the next: "published" is therefore
-- "id at most published_through". An event given its id but not yet confirmed (the broker was down, or a relay
-- stopped between publishing and recording) has a greater id and goes out again, in order, as before.
CREATE TABLE attune.event_relay (
    singleton          BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    published_through  BIGINT  NOT NULL
);
INSERT INTO attune.event_relay (published_through)
SELECT coalesce((SELECT min(id) - 1 FROM attune.event WHERE id IS NOT NULL AND published_at IS NULL),
                (SELECT max(id) FROM attune.event WHERE id IS NOT NULL),
                (SELECT pruned_through FROM attune.event_retention),
                0);
-- Retention counts from when the relay gave the event its id (a few milliseconds before it published it), which the
-- relay now writes with the id, in the same update. Like published_at before it, it grows with the id.
DROP INDEX attune.idx_event_unpublished;
ALTER TABLE attune.event RENAME COLUMN published_at TO sequenced_at;
ALTER TABLE attune.event RENAME CONSTRAINT event_published_has_id TO event_sequenced_has_id;
UPDATE attune.event SET sequenced_at = created WHERE id IS NOT NULL AND sequenced_at IS NULL;

-- Gives the oldest stored events without an id their ids and the time of it, in storing order, and returns them (as
-- V26's, which says why the ids are drawn in the CTE).
CREATE OR REPLACE FUNCTION attune.sequence_events(batch INTEGER)
    RETURNS TABLE (id BIGINT, routing_key TEXT, envelope TEXT, message_id UUID, message_type TEXT,
                   correlation_id TEXT, source_service TEXT)
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
UPDATE attune.event e SET id = pick.id, sequenced_at = now()
FROM pick
WHERE e.outbox_id = pick.outbox_id
RETURNING e.id, e.routing_key, attune.published_envelope(e.envelope, e.id), e.message_id, e.message_type,
          e.envelope ->> 'correlation_id', e.envelope -> 'headers' ->> 'source_service';
END
$$;

-- Events the relay gave an id but has not recorded as published, oldest id first: the ids after the mark, on the id's
-- unique index. (Same name, columns and settings as V26's, for the reasons V25 gives.)
CREATE OR REPLACE FUNCTION attune.unpublished_events(batch INTEGER)
    RETURNS TABLE (id BIGINT, routing_key TEXT, envelope TEXT, message_id UUID, message_type TEXT,
                   correlation_id TEXT, source_service TEXT)
    LANGUAGE plpgsql STABLE
    SET enable_bitmapscan = off
    SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
RETURN QUERY
SELECT e.id, e.routing_key, attune.published_envelope(e.envelope, e.id), e.message_id, e.message_type,
       e.envelope ->> 'correlation_id', e.envelope -> 'headers' ->> 'source_service'
FROM attune.event e
WHERE e.id > (SELECT r.published_through FROM attune.event_relay r)
ORDER BY e.id
LIMIT batch;
END
$$;

-- 2. Nothing looks an event up by its message id, and the services draw it at random: the unique index only cost an
-- entry at a random place of a large index for every version of every event.
ALTER TABLE attune.event DROP CONSTRAINT event_message_id_key;

-- 3. Room on every page for the next version of its rows. An event is updated once after its insert (its id), an
-- execution three or four times (running, paused, its end), an inquiry once or twice (its answer, a reminder, an
-- escalation). With full pages every new version went to another page: Postgres then logged the whole row, a lock on
-- the old one and an entry in every index. A version on the same page is logged as the bytes that changed, and an
-- execution's (no indexed column changes) adds no index entry at all. Existing pages keep their rows; the setting
-- applies to pages filled from now on.
ALTER TABLE attune.event SET (fillfactor = 50);
ALTER TABLE attune.execution SET (fillfactor = 70);
ALTER TABLE attune.inquiry SET (fillfactor = 70);

-- 4. Written on every change of an inquiry's status and read by nothing: (assigned_to, status) is the start of
-- idx_inquiry_assignee_status_id, and since V3 the sweep reads the pending inquiries' timeouts from
-- idx_inquiry_pending_timeout.
DROP INDEX attune.idx_inquiry_assigned_status;
DROP INDEX attune.idx_inquiry_timeout_at;
