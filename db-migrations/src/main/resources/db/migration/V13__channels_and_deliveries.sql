-- Channels that reach approvers outside the suite (webhooks, email, Slack) and the deliveries made to them
-- (docs/channels.md). The notifier fans every stored inquiry event out to the matching channels as delivery rows,
-- then sends each row at least once, retrying with backoff; every try is kept.

CREATE TABLE attune.channel (
    id                BIGSERIAL PRIMARY KEY,
    type              TEXT        NOT NULL CHECK (type IN ('webhook', 'email', 'slack')),
    name              TEXT        NOT NULL UNIQUE CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    -- the type's settings, secrets included (they are needed to sign); the API never shows a secret after creation
    config            JSONB       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object'),
    -- {"activity": [...], "assigned_to": ...}; absent keys match everything
    filters           JSONB       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(filters) = 'object'),
    enabled           BOOLEAN     NOT NULL DEFAULT true,
    -- the newest event when the channel was made: a channel is told about later events only
    start_after_event BIGINT      NOT NULL DEFAULT 0,
    created_by        BIGINT REFERENCES attune.identity (id) ON DELETE SET NULL,
    created           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TRIGGER channel_touch BEFORE UPDATE ON attune.channel
    FOR EACH ROW EXECUTE FUNCTION attune.touch_updated();

-- One row per (event, target): the unique key makes the fan-out idempotent, so a replayed or concurrent fan-out
-- adds nothing twice. A target is a channel (and, for email, one recipient), or a per-execution callback with its
-- own url and secret and no channel (target_key 'callback:<execution>').
CREATE TABLE attune.delivery (
    id              BIGSERIAL PRIMARY KEY,
    -- Standard Webhooks' webhook-id: the same on every try of this delivery
    message_id      TEXT        NOT NULL UNIQUE,
    event_id        BIGINT,                              -- the stored event's public id; null for a test message
    channel_id      BIGINT REFERENCES attune.channel (id) ON DELETE CASCADE,
    target_key      TEXT        NOT NULL,
    callback        JSONB,                               -- {"url", "secret"} when there is no channel
    event_type      TEXT        NOT NULL,                -- inquiry.created, …, channel.test
    inquiry_id      BIGINT,
    recipient_id    BIGINT,                              -- the identity a message is for (email, signed links)
    recipient       TEXT,                                -- its address (email)
    -- what is sent, fixed when the row is made: {"type", "timestamp", "data": {"inquiry", "links"}}, secrets masked
    message         JSONB       NOT NULL,
    status          TEXT        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'delivered', 'failed', 'not_sent')),
    attempts        INT         NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ,
    give_up_at      TIMESTAMPTZ NOT NULL,
    -- a replica that claimed the row holds it until lease_until; claim fences its result
    claim           UUID,
    claimed_by      TEXT,
    lease_until     TIMESTAMPTZ,
    last_code       INT,
    last_error      TEXT,
    delivered_at    TIMESTAMPTZ,
    created         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated         TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT delivery_has_target CHECK (channel_id IS NOT NULL OR callback IS NOT NULL),
    CONSTRAINT delivery_once UNIQUE (event_id, target_key)
);
CREATE INDEX idx_delivery_due ON attune.delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX idx_delivery_channel ON attune.delivery (channel_id, id);
CREATE TRIGGER delivery_touch BEFORE UPDATE ON attune.delivery
    FOR EACH ROW EXECUTE FUNCTION attune.touch_updated();

-- Every try: written when it is claimed (status 'sending'), completed when it ends. A 'sending' row whose lease
-- expired is a try that died with its replica; the delivery is tried again.
CREATE TABLE attune.delivery_attempt (
    id            BIGSERIAL PRIMARY KEY,
    delivery_id   BIGINT      NOT NULL REFERENCES attune.delivery (id) ON DELETE CASCADE,
    attempt       INT         NOT NULL,
    status        TEXT        NOT NULL CHECK (status IN ('sending', 'delivered', 'failed', 'not_sent')),
    response_code INT,
    error         TEXT,
    replica       TEXT,
    started_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at   TIMESTAMPTZ,
    CONSTRAINT delivery_attempt_once UNIQUE (delivery_id, attempt)
);

-- How far the fan-out has read the event trail (one row; a replica locks it with SKIP LOCKED while it fans out).
-- Events stored before this migration are not fanned out.
CREATE TABLE attune.channel_dispatch (
    singleton     BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    last_event_id BIGINT  NOT NULL
);
INSERT INTO attune.channel_dispatch (last_event_id) SELECT coalesce(max(id), 0) FROM attune.event;

-- What each kind of sender reports about itself (email: is an SMTP server configured?), for the channels' status.
CREATE TABLE attune.channel_sender_status (
    type        TEXT PRIMARY KEY,
    available   BOOLEAN     NOT NULL,
    reason      TEXT,
    replica     TEXT,
    reported_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
