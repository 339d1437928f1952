-- Identities that can be disabled and carry attributes, groups of identities, revoked tokens, failed logins, and an
-- inquiry's allow_self_approval (docs/security.md).

-- A disabled identity cannot log in and its tokens are refused. Attributes are free-form facts about the person
-- (email, slack_user_id) that channels read.
ALTER TABLE attune.identity
    ADD COLUMN disabled   BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN attributes JSONB   NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object');

-- Groups by name; membership is a plain join table, so that "is identity X in group G" and "the members of G" are
-- both one index lookup (what assigning inquiries to a group will ask).
CREATE TABLE attune.identity_group (
    id      BIGSERIAL PRIMARY KEY,
    name    TEXT        NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TRIGGER identity_group_touch BEFORE UPDATE ON attune.identity_group
    FOR EACH ROW EXECUTE FUNCTION attune.touch_updated();

CREATE TABLE attune.group_member (
    group_id    BIGINT NOT NULL REFERENCES attune.identity_group (id) ON DELETE CASCADE,
    identity_id BIGINT NOT NULL REFERENCES attune.identity (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, identity_id)
);
CREATE INDEX idx_group_member_identity ON attune.group_member (identity_id, group_id);

-- Tokens revoked by POST /auth/logout, by their jti, until they would have expired anyway. Every service that checks
-- tokens reads this table (through a cache of a few seconds).
CREATE TABLE attune.revoked_token (
    jti         TEXT PRIMARY KEY,
    identity_id BIGINT,
    expires_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_revoked_token_expires ON attune.revoked_token (expires_at);

-- Failed logins (and attempts whose password is still being checked), by login name and client address, for the
-- throttle. Rows older than the longest window are pruned.
CREATE TABLE attune.login_failure (
    id       BIGSERIAL PRIMARY KEY,
    login    TEXT        NOT NULL,
    address  TEXT        NOT NULL,
    occurred TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_login_failure_login ON attune.login_failure (login, occurred);
CREATE INDEX idx_login_failure_address ON attune.login_failure (address, occurred);
CREATE INDEX idx_login_failure_occurred ON attune.login_failure (occurred);

-- The requester may answer their own execution's inquiry only when the action said so.
ALTER TABLE attune.inquiry ADD COLUMN allow_self_approval BOOLEAN NOT NULL DEFAULT false;
