-- Approval requests from outside the suite (POST /api/v1/inquiries, docs/external-requests.md) and API tokens for
-- the machines that send them (docs/security.md#api-tokens).

-- One row per request: the execution recorded for it (action_ref external.request), its inquiry, the caller's
-- optional Idempotency-Key (with a digest of the body it came with), and the callback to call once the inquiry is
-- decided. The callback's secret is the Standard Webhooks key the deliveries are signed with: it is needed in clear.
CREATE TABLE attune.external_request (
    execution       BIGINT PRIMARY KEY REFERENCES attune.execution (id) ON DELETE CASCADE,
    inquiry         BIGINT      NOT NULL UNIQUE REFERENCES attune.inquiry (id) ON DELETE CASCADE,
    requested_by    BIGINT      NOT NULL,
    idempotency_key TEXT CHECK (idempotency_key ~ '^[\x21-\x7e]{1,200}$'),
    body_sha256     TEXT,
    callback_url    TEXT CHECK (callback_url ~ '^https?://'),
    callback_secret TEXT,
    created         TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((callback_url IS NULL) = (callback_secret IS NULL)),
    UNIQUE (requested_by, idempotency_key)
);

-- Long-lived bearer tokens an admin makes for a service identity. Only a SHA-256 digest of the token is kept (the
-- token is shown once); the prefix lets people tell tokens apart in lists. Revoked tokens stay, for the record.
CREATE TABLE attune.api_token (
    id           BIGSERIAL PRIMARY KEY,
    name         TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    identity_id  BIGINT      NOT NULL REFERENCES attune.identity (id) ON DELETE CASCADE,
    token_sha256 TEXT        NOT NULL UNIQUE,
    prefix       TEXT        NOT NULL,
    created_by   BIGINT,
    created      TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    revoked_by   BIGINT
);
CREATE INDEX idx_api_token_identity ON attune.api_token (identity_id);

-- An API token's revocation is recorded in the audit chain as 'revoked' (creation as 'created'). IF NOT EXISTS:
-- another migration may add it too; it is not used before this transaction commits.
ALTER TYPE attune.inquiry_action_enum ADD VALUE IF NOT EXISTS 'revoked';
