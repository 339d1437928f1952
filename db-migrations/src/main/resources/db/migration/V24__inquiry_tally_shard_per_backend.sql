-- The inquiry tally (V3, V11_1) is kept in the writing transaction by a statement trigger that upserts the
-- transaction's deltas into one row per (status, assignee, shard). The shard was pg_backend_pid() % 16: with the
-- connection pools of every service (20 connections each), several backends shared each shard, and a transaction
-- that changed an inquiry held that row locked until its commit, across the service's round trips (staging its audit
-- entries, then COMMIT). Under load every answer to the same assignee's inquiries queued there: the upsert waited
-- 5-8 ms on average at 100 answers/s (docs/benchmarks.md). Now each backend has a shard of its own, which no other
-- backend writes: 1 + pid % 32767 (two backends at once get the same only if their pids differ by a multiple of
-- 32767). Shard 0 belongs to attune.compact_inquiry_tally, which folds the rows of the other shards into it, so the
-- table keeps a bounded number of rows as backends come and go.

CREATE FUNCTION attune.tally_shard() RETURNS SMALLINT
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT (1 + pg_backend_pid() % 32767)::smallint
$$;

CREATE OR REPLACE FUNCTION attune.tally_inquiries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO attune.inquiry_tally AS t (status, assigned_to, shard, inquiries)
        SELECT status, attune.tally_key(assigned_to, assignee_keys), attune.tally_shard(), count(*)
        FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (status, assigned_to, shard) DO UPDATE SET inquiries = t.inquiries + excluded.inquiries;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO attune.inquiry_tally AS t (status, assigned_to, shard, inquiries)
        SELECT status, attune.tally_key(assigned_to, assignee_keys), attune.tally_shard(), -count(*)
        FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (status, assigned_to, shard) DO UPDATE SET inquiries = t.inquiries + excluded.inquiries;
    ELSE
        INSERT INTO attune.inquiry_tally AS t (status, assigned_to, shard, inquiries)
        SELECT status, assigned_to, attune.tally_shard(), sum(delta)
        FROM (SELECT status, attune.tally_key(assigned_to, assignee_keys) AS assigned_to, 1 AS delta FROM new_rows
              UNION ALL
              SELECT status, attune.tally_key(assigned_to, assignee_keys), -1 FROM old_rows) change
        GROUP BY 1, 2 HAVING sum(delta) <> 0 ORDER BY 1, 2
        ON CONFLICT (status, assigned_to, shard) DO UPDATE SET inquiries = t.inquiries + excluded.inquiries;
    END IF;
    RETURN NULL;
END
$$;


-- Moves every tally row of shards 1.. into shard 0, summed; returns how many rows it moved. A row a writer holds
-- right now is skipped (it is folded next time), so the compaction never waits for a writer and a writer waits for it
-- at most for this one statement; the writer then inserts its row anew. The sums never change: the rows leave their
-- shard and reach shard 0 in one statement.
CREATE FUNCTION attune.compact_inquiry_tally() RETURNS INTEGER
    LANGUAGE sql AS $$
WITH moved AS (
    DELETE FROM attune.inquiry_tally t
    WHERE t.ctid IN (SELECT ctid FROM attune.inquiry_tally WHERE shard <> 0 FOR UPDATE SKIP LOCKED)
    RETURNING t.status, t.assigned_to, t.inquiries),
folded AS (
    INSERT INTO attune.inquiry_tally AS t (status, assigned_to, shard, inquiries)
    SELECT status, assigned_to, 0, sum(inquiries) FROM moved GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (status, assigned_to, shard) DO UPDATE SET inquiries = t.inquiries + excluded.inquiries
    RETURNING 1)
SELECT count(*)::integer FROM moved
$$;

-- The shards written so far (pg_backend_pid() % 16) are folded now: from here on only the compaction writes shard 0.
SELECT attune.compact_inquiry_tally();
