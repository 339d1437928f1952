-- The audit trail records more than the four inquiry transitions (docs/audit.md): escalations and reminders of an
-- inquiry, and the creation, change and deletion of identities, groups and channels. IF NOT EXISTS: another migration
-- may have added some of them already. (A value added here can be used only once this transaction has committed, so
-- the indexes that name one are in the next migration.)
ALTER TYPE attune.inquiry_action_enum ADD VALUE IF NOT EXISTS 'escalated';
ALTER TYPE attune.inquiry_action_enum ADD VALUE IF NOT EXISTS 'reminder';
ALTER TYPE attune.inquiry_action_enum ADD VALUE IF NOT EXISTS 'updated';
ALTER TYPE attune.inquiry_action_enum ADD VALUE IF NOT EXISTS 'deleted';
