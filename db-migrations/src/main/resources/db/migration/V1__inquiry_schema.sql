-- The attune schema of CONTRACT §1: identities, executions, inquiries, their audit trail, and the event outbox
-- through which every state change and its announcement commit together.


CREATE TYPE attune.execution_status_enum AS ENUM
    ('requested', 'running', 'paused', 'completed', 'failed', 'timeout', 'cancelled');
CREATE TYPE attune.inquiry_status_enum AS ENUM ('pending', 'responded', 'timeout', 'cancelled');
CREATE TYPE attune.inquiry_action_enum AS ENUM ('created', 'responded', 'timeout', 'cancelled');

-- Keeps "updated" honest whoever writes the row.
CREATE FUNCTION attune.touch_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated := now();
    RETURN NEW;
END
$$;

CREATE TABLE attune.identity (
    id            BIGSERIAL PRIMARY KEY,
    login         TEXT        NOT NULL UNIQUE CHECK (login ~ '^[A-Za-z0-9._@-]{1,64}$'),
    display_name  TEXT,
    password_hash TEXT        NOT NULL,
    roles         TEXT[]      NOT NULL DEFAULT '{user}'
        CHECK (cardinality(roles) > 0 AND roles <@ ARRAY ['admin', 'user']::TEXT[]),
    created       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TRIGGER identity_touch BEFORE UPDATE ON attune.identity
    FOR EACH ROW EXECUTE FUNCTION attune.touch_updated();

CREATE TABLE attune.execution (
    id           BIGSERIAL PRIMARY KEY,
    action_ref   TEXT                         NOT NULL CHECK (length(btrim(action_ref)) > 0),
    parameters   JSONB                        NOT NULL DEFAULT '{}',
    status       attune.execution_status_enum NOT NULL DEFAULT 'requested',
    result       JSONB,
    -- who asked for it through the API (null for executions started elsewhere); decides who may read it
    requested_by BIGINT REFERENCES attune.identity (id),
    created      TIMESTAMPTZ                  NOT NULL DEFAULT now(),
    updated      TIMESTAMPTZ                  NOT NULL DEFAULT now()
);
CREATE INDEX idx_execution_status ON attune.execution (status);
CREATE TRIGGER execution_touch BEFORE UPDATE ON attune.execution
    FOR EACH ROW EXECUTE FUNCTION attune.touch_updated();

CREATE TABLE attune.inquiry (
    id              BIGSERIAL PRIMARY KEY,
    execution       BIGINT                     NOT NULL REFERENCES attune.execution (id),
    prompt          TEXT                       NOT NULL CHECK (length(btrim(prompt)) > 0),
    response_schema JSONB,
    assigned_to     BIGINT REFERENCES attune.identity (id),
    status          attune.inquiry_status_enum NOT NULL DEFAULT 'pending',
    response        JSONB,
    responded_by    BIGINT REFERENCES attune.identity (id),
    timeout_at      TIMESTAMPTZ,
    responded_at    TIMESTAMPTZ,
    created         TIMESTAMPTZ                NOT NULL DEFAULT now(),
    updated         TIMESTAMPTZ                NOT NULL DEFAULT now(),
    -- an answered inquiry always says what the answer was and when it came
    CONSTRAINT inquiry_responded_complete
        CHECK (status <> 'responded' OR (response IS NOT NULL AND responded_at IS NOT NULL))
);
CREATE TRIGGER inquiry_touch BEFORE UPDATE ON attune.inquiry
    FOR EACH ROW EXECUTE FUNCTION attune.touch_updated();

-- The seed's three indexes.
CREATE INDEX idx_inquiry_status ON attune.inquiry (status);
CREATE INDEX idx_inquiry_assigned_status ON attune.inquiry (assigned_to, status);
CREATE INDEX idx_inquiry_timeout_at ON attune.inquiry (timeout_at) WHERE timeout_at IS NOT NULL;
-- An execution waits on at most one question at a time.
CREATE UNIQUE INDEX uq_inquiry_one_pending_per_execution ON attune.inquiry (execution) WHERE status = 'pending';
CREATE INDEX idx_inquiry_execution ON attune.inquiry (execution);

CREATE TABLE attune.inquiry_audit (
    id       BIGSERIAL PRIMARY KEY,
    inquiry  BIGINT                     NOT NULL REFERENCES attune.inquiry (id),
    action   attune.inquiry_action_enum NOT NULL,
    -- the identity that acted; null when the suite itself did (actor = 'system')
    actor_id BIGINT REFERENCES attune.identity (id),
    actor    TEXT                       NOT NULL,
    occurred TIMESTAMPTZ                NOT NULL DEFAULT now(),
    -- what: the response, the inquiry as created, the timeout moment
    details  JSONB,
    CONSTRAINT inquiry_audit_actor CHECK ((actor_id IS NULL) = (actor = 'system'))
);
CREATE INDEX idx_inquiry_audit_inquiry ON attune.inquiry_audit (inquiry, id);

-- The outbox and the stored event trail in one. A transaction that changes state inserts its events here; a relay
-- gives each committed event its public id (from event_id_seq, in commit order, so ids only ever grow for readers),
-- publishes it to RabbitMQ with confirms, and marks it published. Notifications carry that id and replay from here.
CREATE SEQUENCE attune.event_id_seq;
CREATE TABLE attune.event (
    outbox_id    BIGSERIAL PRIMARY KEY,
    id           BIGINT UNIQUE,
    message_id   UUID        NOT NULL UNIQUE,
    message_type TEXT        NOT NULL CHECK (message_type IN
        ('ExecutionRequested', 'ExecutionCompleted', 'ExecutionStatusChanged', 'InquiryCreated',
         'InquiryResponded', 'InquiryTimedOut', 'InquiryCancelled')),
    routing_key  TEXT        NOT NULL,
    execution_id BIGINT      NOT NULL,
    inquiry_id   BIGINT,
    envelope     JSONB       NOT NULL,
    created      TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ,
    CONSTRAINT event_published_has_id CHECK (published_at IS NULL OR id IS NOT NULL)
);
CREATE INDEX idx_event_unsequenced ON attune.event (outbox_id) WHERE id IS NULL;
CREATE INDEX idx_event_unpublished ON attune.event (id) WHERE id IS NOT NULL AND published_at IS NULL;
