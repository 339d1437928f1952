-- "Assigned to a person" is two disjoint halves (io.attune.core.inquiry.Visibility): assigned_to names them alone
-- (read in id order from idx_inquiry_assignee_status_id), or the inquiry is assigned through a group or a list
-- (assigned_to null, assignee keys present). The second half gets a GIN index of its own, holding those inquiries
-- only, with the very predicate the queries use: its count and its newest rows cost what that half holds, not a
-- bitmap over every inquiry of every user. The GIN index over all inquiries (V11_1) served only that half, slowly
-- (its bitmap was ANDed with every unassigned inquiry's), and cost every insert and reassignment an index update.
CREATE INDEX idx_inquiry_group_assignee_keys ON attune.inquiry USING gin (assignee_keys)
    WHERE assigned_to IS NULL AND cardinality(assignee_keys) > 0;
DROP INDEX attune.idx_inquiry_assignee_keys;
