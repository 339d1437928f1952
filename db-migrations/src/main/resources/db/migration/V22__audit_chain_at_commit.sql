-- The audit chain is appended inside the database when a transaction commits, no longer by the service between two
-- statements (docs/audit.md, "Written with the change, in one order"). A service stages its transaction's entries in
-- attune.audit_pending (no lock); a deferred constraint trigger moves them into the chain at COMMIT: it locks the
-- head, gives each entry its id, position and hash, inserts them and moves the head, and the commit that follows at
-- once releases the lock. The lock is no longer held while a service's thread waits for a core between round trips,
-- which under load made every answer wait for the one before it.

-- A transaction's entries until its commit. Only ever non-empty inside a transaction: the commit that inserted them
-- deletes them (a rolled-back transaction's rows were never visible), so no reader ever sees a row here.
CREATE TABLE attune.audit_pending (
    id          BIGSERIAL PRIMARY KEY,
    entity_type TEXT NOT NULL,
    entity_id   TEXT,
    inquiry     BIGINT,
    action      attune.inquiry_action_enum NOT NULL,
    actor_id    BIGINT,
    actor       TEXT NOT NULL,
    details     JSONB,
    -- The RFC 8785 JSON of the entry's body up to its id (the members action … entity_type, which sort before id,
    -- occurred and seq), without the closing brace: written by the service (JSON canonicalization is not SQL's).
    body_head   TEXT NOT NULL CHECK (body_head LIKE '{"action":%')
);

-- ISO-8601 UTC as Java's DateTimeFormatter.ISO_INSTANT writes a timestamp: fractional digits in groups of three, as
-- many as needed (none, milli or micro: Postgres keeps microseconds).
CREATE FUNCTION attune.iso_instant(t TIMESTAMPTZ) RETURNS TEXT
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
    || CASE WHEN micros = 0 THEN ''
            WHEN micros % 1000 = 0 THEN '.' || lpad((micros / 1000)::text, 3, '0')
            ELSE '.' || lpad(micros::text, 6, '0') END
    || 'Z'
FROM (SELECT (extract(microseconds FROM t)::bigint % 1000000) AS micros) m
$$;

CREATE FUNCTION attune.chain_pending_audit() RETURNS TRIGGER
    LANGUAGE plpgsql AS $$
DECLARE
    -- The highest staged id this transaction has chained already: the trigger fires once per staged row, at commit,
    -- and the first firing chains them all.
    chained_upto BIGINT := coalesce(nullif(current_setting('attune.audit_chained_upto', true), ''), '0')::bigint;
    staged       attune.audit_pending[];
    entry        attune.audit_pending;
    stamp        TEXT := attune.iso_instant(now());
    last_seq     BIGINT;
    last_hash    TEXT;
    entry_id     BIGINT;
    ids          BIGINT[] := '{}';
    hashes       TEXT[] := '{}';
BEGIN
    IF NEW.id <= chained_upto THEN
        RETURN NULL;
    END IF;
    -- This transaction's entries in the order they were staged: other transactions' are not committed, so not seen.
    WITH taken AS (DELETE FROM attune.audit_pending p WHERE p.id >= NEW.id RETURNING p.*)
    SELECT array_agg(taken ORDER BY taken.id) INTO staged FROM taken;
    IF staged IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('attune.audit_chained_upto', (staged[array_length(staged, 1)]).id::text, true);

    -- Every writer of every service waits here in turn; the commit right after this trigger releases the lock.
    SELECT h.seq, h.hash INTO last_seq, last_hash FROM attune.audit_chain_head h FOR UPDATE;
    FOREACH entry IN ARRAY staged LOOP
        last_seq := last_seq + 1;
        -- ids are taken under the lock, so they rise with the positions (GET /api/v1/audit pages by id)
        entry_id := nextval('attune.inquiry_audit_id_seq');
        last_hash := encode(sha256(convert_to(last_hash || entry.body_head || ',"id":' || entry_id
                                              || ',"occurred":"' || stamp || '","seq":' || last_seq || '}', 'UTF8')),
                            'hex');
        ids := ids || entry_id;
        hashes := hashes || last_hash;
    END LOOP;

    INSERT INTO attune.inquiry_audit (id, seq, entity_type, entity_id, inquiry, action, actor_id, actor, occurred,
                                      details, hash)
    SELECT ids[s.n], last_seq - array_length(staged, 1) + s.n, s.entity_type, s.entity_id, s.inquiry, s.action,
           s.actor_id, s.actor, now(), s.details, hashes[s.n]
    FROM unnest(staged) WITH ORDINALITY AS s(id, entity_type, entity_id, inquiry, action, actor_id, actor, details,
                                            body_head, n);
    UPDATE attune.audit_chain_head SET seq = last_seq, hash = last_hash, last_id = ids[array_length(ids, 1)];
    RETURN NULL;
END
$$;

-- Deferred: fires at COMMIT, after all of the transaction's work (and its row locks), so nothing is locked after the
-- chain's head and the head is held only for the append itself.
CREATE CONSTRAINT TRIGGER audit_pending_chained AFTER INSERT ON attune.audit_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION attune.chain_pending_audit();
