-- The lists' indexes.
--
-- What a person (not an admin) sees is three disjoint parts (io.attune.core.inquiry.InquirySpecifications): the
-- unassigned inquiries, those assigned to them alone (idx_inquiry_assignee_status_id), and those assigned to them
-- through a group or a list (idx_inquiry_group_assignee_keys, V17). The list reads the newest ids of each and merges
-- them. This index serves the first part: the newest unassigned inquiries, whatever the newest inquiries of everyone
-- else are (walking the primary key for them took a second when the newest 100,000 were assigned to others).
CREATE INDEX idx_inquiry_unassigned ON attune.inquiry (id) WHERE cardinality(assignee_keys) = 0;

-- The GIN index of inquiries assigned through a group or a list is read on every page of a person's list (its
-- newest ids and its count). With GIN's fast update, new entries wait in an unordered pending list that every read
-- scans whole until a vacuum merges it: 4-18 ms per read after 100,000 group inquiries were opened, 0.4 ms once
-- merged. Its entries go straight into the index instead (a few keys per inquiry, a little more work per insert).
ALTER INDEX attune.idx_inquiry_group_assignee_keys SET (fastupdate = off);
SELECT gin_clean_pending_list('attune.idx_inquiry_group_assignee_keys'::regclass);

-- An admin's list filtered by status, newest first: the index on status alone gave its rows in no useful order, so
-- Postgres read every inquiry of that status and sorted them (61 ms for page 50 of 4,700 answered inquiries behind
-- 200,000 others); with the id beside the status it reads the page backwards (1.8 ms). Same name, as the seed's.
DROP INDEX attune.idx_inquiry_status;
CREATE INDEX idx_inquiry_status ON attune.inquiry (status, id);
