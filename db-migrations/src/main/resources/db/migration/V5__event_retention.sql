-- Retention of the event trail (docs/notifier.md, "Retention"). The pruner deletes published events older than the
-- retention in batches, oldest id first, and records here — in the same statement — the newest id it has deleted:
-- a client replaying from an older id is told that it missed events that can no longer be replayed, and the next
-- batch starts after it instead of walking the index over the rows it already removed.
CREATE TABLE attune.event_retention (
    singleton      BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    pruned_through BIGINT  NOT NULL
);
-- Events purged before this migration (by the relay's former fixed-size purge) count as pruned.
INSERT INTO attune.event_retention (pruned_through)
SELECT coalesce(min(id) - 1, (SELECT last_value FROM attune.event_id_seq WHERE is_called), 0)
FROM attune.event WHERE id IS NOT NULL;

-- Each event is inserted, updated twice (its id, then published_at) and deleted once past the retention: vacuum the
-- table after a fixed number of dead rows instead of a fifth of it, so that the space of pruned and updated rows is
-- reused within minutes however large the retained trail is (benchmarks.md, figure 8).
ALTER TABLE attune.event SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 2000);
