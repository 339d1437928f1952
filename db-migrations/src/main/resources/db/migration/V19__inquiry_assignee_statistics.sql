-- What a person sees includes the inquiries assigned to them through a group or a list, read newest first from the
-- partial GIN index idx_inquiry_group_assignee_keys (assigned_to IS NULL AND cardinality(assignee_keys) > 0).
-- Postgres' statistics are per column, so it estimated that part as if the two conditions were independent: about a
-- third of the unassigned rows, where in an installation without group assignments there are none. It then walked
-- the whole primary key backwards looking for a page of them (10-56 ms over 50,000 inquiries, growing with the table)
-- instead of reading the empty index. Statistics over the pair give it the real count.
CREATE STATISTICS attune.inquiry_assignee_shape ON (cardinality(assignee_keys)), assigned_to FROM attune.inquiry;
ANALYZE attune.inquiry;
