-- A transaction stages its audit entries as ONE row of arrays (one array per column, in the entries' order), no longer
-- one row per entry. V22's deferred trigger fired once per staged row at COMMIT: for a sweep's batch of 1,000 the
-- first firing chained them all and the other 999 only found out they had nothing to do (a setting read, a moment
-- formatted). Now the trigger fires once per staging and chains exactly NEW's entries: no setting, no range delete.
-- The chain's rules are unchanged (docs/audit.md, "Written with the change, in one order").

-- Empty outside a transaction (the commit that staged a row deletes it), so it can be replaced as it stands.
DROP TABLE attune.audit_pending;
DROP FUNCTION attune.chain_pending_audit();

CREATE TABLE attune.audit_pending (
    id           BIGSERIAL PRIMARY KEY,
    entity_types TEXT[] NOT NULL,
    entity_ids   TEXT[] NOT NULL,
    inquiries    BIGINT[] NOT NULL,
    actions      attune.inquiry_action_enum[] NOT NULL,
    actor_ids    BIGINT[] NOT NULL,
    actors       TEXT[] NOT NULL,
    details      JSONB[] NOT NULL,
    -- Each entry's RFC 8785 JSON up to its id, without the closing brace (V22): written by the service.
    body_heads   TEXT[] NOT NULL,
    CHECK (cardinality(body_heads) >= 1 AND array_ndims(body_heads) = 1
        AND cardinality(entity_types) = cardinality(body_heads) AND cardinality(entity_ids) = cardinality(body_heads)
        AND cardinality(inquiries) = cardinality(body_heads) AND cardinality(actions) = cardinality(body_heads)
        AND cardinality(actor_ids) = cardinality(body_heads) AND cardinality(actors) = cardinality(body_heads)
        AND cardinality(details) = cardinality(body_heads))
);

CREATE FUNCTION attune.chain_pending_audit() RETURNS TRIGGER
    LANGUAGE plpgsql AS $$
DECLARE
    -- A batch's arrays are stored out of line: read each once into a variable (reading NEW.body_heads[i] in the loop
    -- would fetch the whole array again for every entry).
    heads     TEXT[] := NEW.body_heads;
    entries   INT := cardinality(heads);
    stamp     TEXT := attune.iso_instant(now());
    last_seq  BIGINT;
    last_hash TEXT;
    entry_id  BIGINT;
    ids       BIGINT[] := '{}';
    hashes    TEXT[] := '{}';
BEGIN
    DELETE FROM attune.audit_pending WHERE id = NEW.id;

    -- Every writer of every service waits here in turn; the commit right after this trigger releases the lock.
    SELECT h.seq, h.hash INTO last_seq, last_hash FROM attune.audit_chain_head h FOR UPDATE;
    FOR i IN 1 .. entries LOOP
        IF heads[i] IS NULL OR heads[i] NOT LIKE '{"action":%' THEN
            RAISE EXCEPTION 'audit entry % of % has no canonical body', i, entries USING ERRCODE = 'check_violation';
        END IF;
        last_seq := last_seq + 1;
        -- ids are taken under the lock, so they rise with the positions (GET /api/v1/audit pages by id)
        entry_id := nextval('attune.inquiry_audit_id_seq');
        last_hash := encode(sha256(convert_to(last_hash || heads[i] || ',"id":' || entry_id
                                              || ',"occurred":"' || stamp || '","seq":' || last_seq || '}', 'UTF8')),
                            'hex');
        ids := ids || entry_id;
        hashes := hashes || last_hash;
    END LOOP;

    INSERT INTO attune.inquiry_audit (id, seq, entity_type, entity_id, inquiry, action, actor_id, actor, occurred,
                                      details, hash)
    SELECT e.id, last_seq - entries + e.n, e.entity_type, e.entity_id, e.inquiry, e.action, e.actor_id, e.actor, now(),
           e.details, e.hash
    FROM unnest(ids, hashes, NEW.entity_types, NEW.entity_ids, NEW.inquiries, NEW.actions, NEW.actor_ids, NEW.actors,
                NEW.details) WITH ORDINALITY
         AS e(id, hash, entity_type, entity_id, inquiry, action, actor_id, actor, details, n);
    UPDATE attune.audit_chain_head SET seq = last_seq, hash = last_hash, last_id = ids[entries];
    RETURN NULL;
END
$$;

-- Deferred: fires at COMMIT, after all of the transaction's work (and its row locks), so nothing is locked after the
-- chain's head and the head is held only for the append itself. Two stagings in one transaction fire in their order.
CREATE CONSTRAINT TRIGGER audit_pending_chained AFTER INSERT ON attune.audit_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION attune.chain_pending_audit();
