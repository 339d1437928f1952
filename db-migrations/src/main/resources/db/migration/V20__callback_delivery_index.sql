-- The delivery log of one external request's decision callback (GET /api/v1/inquiries/{id}/callback/deliveries):
-- its rows have no channel and the target key 'callback:<execution>'. The only index with target_key in it is the
-- unique (event_id, target_key), of no use for a target's newest rows, so without this the log read every delivery.
-- Partial: channel deliveries, by far the most, are read through idx_delivery_channel and need no entry here.
CREATE INDEX idx_delivery_callback ON attune.delivery (target_key, id) WHERE channel_id IS NULL;
