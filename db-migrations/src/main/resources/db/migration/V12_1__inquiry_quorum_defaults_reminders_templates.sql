-- Inquiry policies (docs/policies.md): a quorum of answers, a default answer at the timeout, reminders while
-- pending, and inquiry templates registered by the workers from their packs.

ALTER TABLE attune.inquiry
    -- how many distinct people must answer (true at decision_field, when one is set) before it is decided
    ADD COLUMN approvals_required   INTEGER NOT NULL DEFAULT 1 CHECK (approvals_required >= 1),
    -- a JSON pointer into an answer (e.g. /approved): false there decides at once, only true counts
    ADD COLUMN decision_field       TEXT CHECK (decision_field ~ '^(/[^/]*)+$'),
    -- the answer the execution goes on with when nobody decided in time (sets defaulted at the timeout)
    ADD COLUMN on_timeout           JSONB,
    ADD COLUMN remind_every_seconds INTEGER CHECK (remind_every_seconds > 0),
    -- when the reminder sweep next reminds; null when the inquiry has no reminders
    ADD COLUMN next_reminder_at     TIMESTAMPTZ,
    ADD CONSTRAINT inquiry_reminder_complete CHECK ((remind_every_seconds IS NULL) = (next_reminder_at IS NULL));

-- The reminder sweep reads the pending inquiries whose reminder is due, oldest first, from this index alone.
CREATE INDEX idx_inquiry_pending_reminder ON attune.inquiry (next_reminder_at)
    WHERE status = 'pending' AND next_reminder_at IS NOT NULL;

-- Every answer to an inquiry that needs several (approvals_required > 1); one per person. An inquiry decided by a
-- single answer keeps it on its own row as before.
CREATE TABLE attune.inquiry_response (
    id           BIGSERIAL PRIMARY KEY,
    inquiry      BIGINT      NOT NULL REFERENCES attune.inquiry (id),
    responded_by BIGINT      NOT NULL REFERENCES attune.identity (id),
    response     JSONB       NOT NULL,
    responded_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT uq_inquiry_response_once_per_person UNIQUE (inquiry, responded_by)
);

-- The inquiry templates the workers found in their packs (packs/<pack>/inquiries/<name>.yaml), valid or not: a valid
-- one is expanded when an __inquiry names it; an invalid one fails that execution with these errors.
CREATE TABLE attune.inquiry_template (
    ref        TEXT PRIMARY KEY CHECK (ref ~ '^[A-Za-z0-9_][A-Za-z0-9_-]*\.[A-Za-z0-9_][A-Za-z0-9_-]*$'),
    file       TEXT        NOT NULL,
    -- the template as JSON (the YAML read), null when it could not be read
    definition JSONB,
    -- null when valid, else [{"file", "line", "message"}]
    errors     JSONB,
    registered TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- New message types (InquiryUpdated: an answer counted toward a quorum; InquiryReminder). The list of known types
-- lives in common-model; the table only checks the shape of a name, so that each feature need not rewrite it.
ALTER TABLE attune.event DROP CONSTRAINT IF EXISTS event_message_type_check;
ALTER TABLE attune.event ADD CONSTRAINT event_message_type_name CHECK (message_type ~ '^[A-Z][A-Za-z]{1,63}$');
