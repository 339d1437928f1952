-- What the benchmark (docs/benchmarks.md) showed the list and the timeout sweep need at a million inquiries.

-- The timeout sweep asks for the pending inquiries whose timeout_at has passed, oldest first. idx_inquiry_timeout_at
-- also holds every answered and timed-out inquiry, whose timeout_at has long passed, and the one-pending index is not
-- ordered by timeout_at: each batch of the sweep read and sorted every expired pending inquiry again.
CREATE INDEX idx_inquiry_pending_timeout ON attune.inquiry (timeout_at) WHERE status = 'pending';

-- "My pending inquiries, newest first" (assigned_to and status, ordered by id) reads one page from this index instead
-- of fetching and sorting every row of the assignee in that status.
CREATE INDEX idx_inquiry_assignee_status_id ON attune.inquiry (assigned_to, status, id);

-- No query reads executions by status alone, and with statistics that still counted few paused executions after a
-- burst, the planner resumed each execution by walking this index through every paused one instead of by its id.
DROP INDEX attune.idx_execution_status;

-- How many inquiries there are per status and assignee, so that the list's "total" does not count a million rows on
-- every page. Statement triggers keep it in the transaction of every change, so it is exact for every reader. Each
-- writer adds its deltas to one of 16 shards (by backend), so concurrent transactions rarely wait on the same row.
-- assigned_to 0 stands for "assigned to nobody" (identity ids start at 1).
CREATE TABLE attune.inquiry_tally (
    status      attune.inquiry_status_enum NOT NULL,
    assigned_to BIGINT                     NOT NULL,
    shard       SMALLINT                   NOT NULL,
    inquiries   BIGINT                     NOT NULL,
    PRIMARY KEY (status, assigned_to, shard)
);

CREATE FUNCTION attune.tally_inquiries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- One upsert per statement, rows in key order: concurrent writers take the tally's row locks in the same order.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO attune.inquiry_tally AS t (status, assigned_to, shard, inquiries)
        SELECT status, coalesce(assigned_to, 0), pg_backend_pid() % 16, count(*)
        FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (status, assigned_to, shard) DO UPDATE SET inquiries = t.inquiries + excluded.inquiries;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO attune.inquiry_tally AS t (status, assigned_to, shard, inquiries)
        SELECT status, coalesce(assigned_to, 0), pg_backend_pid() % 16, -count(*)
        FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (status, assigned_to, shard) DO UPDATE SET inquiries = t.inquiries + excluded.inquiries;
    ELSE
        INSERT INTO attune.inquiry_tally AS t (status, assigned_to, shard, inquiries)
        SELECT status, assigned_to, pg_backend_pid() % 16, sum(delta)
        FROM (SELECT status, coalesce(assigned_to, 0) AS assigned_to, 1 AS delta FROM new_rows
              UNION ALL
              SELECT status, coalesce(assigned_to, 0), -1 FROM old_rows) change
        GROUP BY 1, 2 HAVING sum(delta) <> 0 ORDER BY 1, 2
        ON CONFLICT (status, assigned_to, shard) DO UPDATE SET inquiries = t.inquiries + excluded.inquiries;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER inquiry_tally_insert AFTER INSERT ON attune.inquiry
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attune.tally_inquiries();
CREATE TRIGGER inquiry_tally_update AFTER UPDATE ON attune.inquiry
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attune.tally_inquiries();
CREATE TRIGGER inquiry_tally_delete AFTER DELETE ON attune.inquiry
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attune.tally_inquiries();

-- Inquiries stored before this migration. The lock keeps a running service from changing them in between.
LOCK TABLE attune.inquiry IN SHARE MODE;
INSERT INTO attune.inquiry_tally (status, assigned_to, shard, inquiries)
SELECT status, coalesce(assigned_to, 0), 0, count(*) FROM attune.inquiry GROUP BY 1, 2;
