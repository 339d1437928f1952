-- Slack interactions find the identity that clicked by its attributes.slack_user_id (docs/channels.md).
CREATE INDEX idx_identity_slack_user_id ON attune.identity ((attributes ->> 'slack_user_id'))
    WHERE attributes ? 'slack_user_id';
