-- Inquiries assigned to users, groups or lists of them, and escalation (docs/policies.md).

-- assignment: assigned_to as the action gave it (5, {"user": 5}, {"group": "sre"} or a list), null when unassigned.
-- assignee_keys: the same normalised to 'u:<identity id>' and 'g:<group name>' ('{}' when unassigned), so that
-- "may this person answer" is one array overlap, served by a GIN index. assigned_to keeps its meaning for the
-- readers that only know it: the identity when the assignment is exactly one user, null otherwise.
ALTER TABLE attune.inquiry
    ADD COLUMN assignment      JSONB,
    ADD COLUMN assignee_keys   TEXT[]  NOT NULL DEFAULT '{}',
    -- the escalation steps still to come ([{"after_seconds", "assign_to"}], in order) and when the next one is due
    ADD COLUMN escalation      JSONB,
    ADD COLUMN escalation_step INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN escalate_at     TIMESTAMPTZ;

LOCK TABLE attune.inquiry IN SHARE ROW EXCLUSIVE MODE;
UPDATE attune.inquiry SET assignment = to_jsonb(assigned_to), assignee_keys = ARRAY['u:' || assigned_to]
WHERE assigned_to IS NOT NULL;

CREATE INDEX idx_inquiry_assignee_keys ON attune.inquiry USING gin (assignee_keys);
-- The escalation sweep asks for the pending inquiries whose next step is due, oldest first.
CREATE INDEX idx_inquiry_pending_escalate_at ON attune.inquiry (escalate_at)
    WHERE status = 'pending' AND escalate_at IS NOT NULL;

-- Who a person is, as assignee keys: themselves and every group they are a member of now (so a membership change
-- holds at once for every query that uses it).
CREATE FUNCTION attune.principals(actor BIGINT) RETURNS TEXT[] LANGUAGE sql STABLE AS $$
    SELECT ARRAY['u:' || actor] || coalesce((SELECT array_agg('g:' || g.name ORDER BY g.name)
                                             FROM attune.group_member m
                                             JOIN attune.identity_group g ON g.id = m.group_id
                                             WHERE m.identity_id = actor), '{}')
$$;

-- THE visibility rule, the one definition every query uses (io.attune.core.inquiry.Visibility names it, and
-- Actor.canSee is tested against it): an admin sees every inquiry; anyone else an unassigned one or one that lists
-- them or a group they are a member of. may_answer_inquiry is the same without the admin's exception.
CREATE FUNCTION attune.may_answer_inquiry(keys TEXT[], actor BIGINT) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
    SELECT cardinality(keys) = 0 OR keys && attune.principals(actor)
$$;
CREATE FUNCTION attune.inquiry_visible(keys TEXT[], actor BIGINT, admin BOOLEAN) RETURNS BOOLEAN
    LANGUAGE sql STABLE AS $$
    SELECT admin OR attune.may_answer_inquiry(keys, actor)
$$;

-- The tally (V3) counted inquiries per single assignee, 0 for "nobody". An inquiry assigned to a group or to several
-- is counted under -1: the list's total adds, for a person, the -1 inquiries that list them (an indexed count).
CREATE OR REPLACE FUNCTION attune.tally_key(assigned_to BIGINT, keys TEXT[]) RETURNS BIGINT
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN cardinality(keys) = 0 THEN 0 WHEN assigned_to IS NOT NULL THEN assigned_to ELSE -1 END
$$;

CREATE OR REPLACE FUNCTION attune.tally_inquiries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO attune.inquiry_tally AS t (status, assigned_to, shard, inquiries)
        SELECT status, attune.tally_key(assigned_to, assignee_keys), pg_backend_pid() % 16, count(*)
        FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (status, assigned_to, shard) DO UPDATE SET inquiries = t.inquiries + excluded.inquiries;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO attune.inquiry_tally AS t (status, assigned_to, shard, inquiries)
        SELECT status, attune.tally_key(assigned_to, assignee_keys), pg_backend_pid() % 16, -count(*)
        FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (status, assigned_to, shard) DO UPDATE SET inquiries = t.inquiries + excluded.inquiries;
    ELSE
        INSERT INTO attune.inquiry_tally AS t (status, assigned_to, shard, inquiries)
        SELECT status, assigned_to, pg_backend_pid() % 16, sum(delta)
        FROM (SELECT status, attune.tally_key(assigned_to, assignee_keys) AS assigned_to, 1 AS delta FROM new_rows
              UNION ALL
              SELECT status, attune.tally_key(assigned_to, assignee_keys), -1 FROM old_rows) change
        GROUP BY 1, 2 HAVING sum(delta) <> 0 ORDER BY 1, 2
        ON CONFLICT (status, assigned_to, shard) DO UPDATE SET inquiries = t.inquiries + excluded.inquiries;
    END IF;
    RETURN NULL;
END
$$;

-- An assignment as given (a user id, {"user": id}, {"group": name} or a list) as assignee keys: for the stored
-- events that carry one (an escalation's previous_assigned_to, which the notifier's replay shows to those it was
-- taken from). The services normalise with io.attune.model.inquiry.Assignment; AssignmentKeysTest checks both agree.
CREATE FUNCTION attune.assignee_keys(given JSONB) RETURNS TEXT[] LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(DISTINCT CASE WHEN jsonb_typeof(x) = 'number' THEN 'u:' || (x #>> '{}')
                                            WHEN x ? 'user' THEN 'u:' || (x ->> 'user')
                                            ELSE 'g:' || (x ->> 'group') END), '{}')
    FROM jsonb_array_elements(CASE WHEN given IS NULL OR jsonb_typeof(given) = 'null' THEN '[]'::jsonb
                                   WHEN jsonb_typeof(given) = 'array' THEN given
                                   ELSE jsonb_build_array(given) END) x
$$;

-- The stored events may be InquiryEscalated too (the constraint lists every message type the suite stores).
ALTER TABLE attune.event DROP CONSTRAINT event_message_type_check;
ALTER TABLE attune.event ADD CONSTRAINT event_message_type_check CHECK (message_type IN
    ('ExecutionRequested', 'ExecutionCompleted', 'ExecutionStatusChanged', 'InquiryCreated',
     'InquiryResponded', 'InquiryTimedOut', 'InquiryCancelled', 'InquiryEscalated')) NOT VALID;
ALTER TABLE attune.event VALIDATE CONSTRAINT event_message_type_check;
