-- Signed links (docs/channels.md): a respond link /a/<token> answers one inquiry as one identity, once.
-- Only the SHA-256 of the token is kept, so a copy of this table opens no inquiry. A link expires with its inquiry
-- (it works only while the inquiry is pending), so it needs no expiry of its own.
CREATE TABLE attune.signed_link (
    id          BIGSERIAL PRIMARY KEY,
    token_hash  BYTEA       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    inquiry     BIGINT      NOT NULL REFERENCES attune.inquiry (id) ON DELETE CASCADE,
    identity_id BIGINT      NOT NULL REFERENCES attune.identity (id) ON DELETE CASCADE,
    created     TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- set in the transaction of the answer it gave; a used link is refused
    used_at     TIMESTAMPTZ
);
CREATE INDEX idx_signed_link_inquiry ON attune.signed_link (inquiry);
CREATE INDEX idx_signed_link_identity ON attune.signed_link (identity_id);
