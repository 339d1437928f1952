-- Replaying one inquiry's notifications (a subscribe with an "entity" filter and "since") reads its events by id.
CREATE INDEX idx_event_inquiry ON attune.event (inquiry_id, id) WHERE inquiry_id IS NOT NULL;
