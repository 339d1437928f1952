-- The audit trail becomes one tamper-evident chain for the whole suite (docs/audit.md): every entry carries its
-- position (seq: 1, 2, 3, … with no gap) and hash = SHA-256(previous entry's hash || RFC 8785 JSON of the entry),
-- computed by the service that writes it, in the transaction of the change it records. The table keeps its name;
-- besides inquiries it now records identities, groups and channels (entity_type + entity_id).

-- Nothing else writes the trail while it changes shape.
LOCK TABLE attune.inquiry_audit IN SHARE ROW EXCLUSIVE MODE;

ALTER TABLE attune.inquiry_audit
    ALTER COLUMN inquiry DROP NOT NULL,
    ADD COLUMN entity_type TEXT NOT NULL DEFAULT 'inquiry' CHECK (entity_type ~ '^[a-z][a-z_]{0,31}$'),
    -- the id of a subject other than an inquiry (an identity id, a group name, a channel id); an inquiry's is "inquiry"
    ADD COLUMN entity_id   TEXT CHECK (length(entity_id) BETWEEN 1 AND 200),
    ADD COLUMN seq         BIGINT UNIQUE CHECK (seq > 0),
    ADD COLUMN hash        TEXT CHECK (hash ~ '^[0-9a-f]{64}$'),
    ADD CONSTRAINT inquiry_audit_subject CHECK (CASE WHEN entity_type = 'inquiry'
        THEN inquiry IS NOT NULL AND entity_id IS NULL ELSE inquiry IS NULL AND entity_id IS NOT NULL END),
    ADD CONSTRAINT inquiry_audit_chained CHECK ((seq IS NULL) = (hash IS NULL));

-- The end of the chain: the last entry's position, hash and id. A writer locks this row (FOR UPDATE) just before it
-- appends, so appends from every api and executor replica are serialized in one order, and it is updated in the
-- same transaction, so a rolled-back append leaves neither a fork nor a gap.
-- Entries written before this migration (id <= chain_starts_after) were never hashed when they were written; they
-- stay readable but are not part of the chain.
CREATE TABLE attune.audit_chain_head (
    only_row           BOOLEAN PRIMARY KEY DEFAULT true CHECK (only_row),
    seq                BIGINT  NOT NULL CHECK (seq >= 0),
    hash               TEXT    NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    last_id            BIGINT,
    chain_starts_after BIGINT  NOT NULL
);
INSERT INTO attune.audit_chain_head (seq, hash, chain_starts_after)
SELECT 0, repeat('0', 64), coalesce(max(id), 0) FROM attune.inquiry_audit;

-- Entries outside the chain after it started can only have been written around the suite: verify looks them up.
CREATE INDEX idx_inquiry_audit_unchained ON attune.inquiry_audit (id) WHERE seq IS NULL;

-- Insights (docs/audit.md). An inquiry that timed out and went on with its default answer; set by the timeout
-- defaults of a later release, false until then.
ALTER TABLE attune.inquiry ADD COLUMN defaulted BOOLEAN NOT NULL DEFAULT false;

-- The figures of a period read the inquiries created in it from this index alone (index-only scan), whatever the
-- grouping, instead of the whole table.
CREATE INDEX idx_inquiry_created_insights ON attune.inquiry (created)
    INCLUDE (assigned_to, status, responded_at, execution, defaulted);

-- Which inquiries were escalated: few rows, read in one pass by the insights.
CREATE INDEX idx_inquiry_audit_escalated ON attune.inquiry_audit (inquiry) WHERE action = 'escalated';
