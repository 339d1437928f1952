-- respond.pgbench.sql with the audit entry appended to the chain as ChainAppender does it at commit: lock the head,
-- take the next id, insert the entry with its position and hash, move the head. The hash is computed here by
-- Postgres (the service computes it in Java; either costs microseconds): what is measured is the serialization.
SELECT nextval('bench_pick') AS inquiry_id \gset
BEGIN;
SELECT id, execution, status::text AS status, assigned_to, timeout_at FROM attune.inquiry WHERE id = :inquiry_id;
SELECT timeout_at IS NOT NULL AND timeout_at <= now() AS past FROM attune.inquiry WHERE id = :inquiry_id;
UPDATE attune.inquiry SET status = 'responded', response = '{"approved": true,"comment":"ship it"}'::jsonb, responded_by = NULL, responded_at = now() WHERE id = :inquiry_id AND status = 'pending' AND (timeout_at IS NULL OR timeout_at > now()) RETURNING id, execution, responded_at;
INSERT INTO attune.event (message_id, message_type, routing_key, execution_id, inquiry_id, envelope) VALUES (gen_random_uuid(), 'InquiryResponded', 'inquiry.responded', :inquiry_id, :inquiry_id, '{"message_id":"56e80337-e230-429a-9aad-3c5317c4e39c","correlation_id":"1d47fed3-49b5-41ad-be2d-49067ec5e718","message_type":"InquiryResponded","version":"1.0","timestamp":"2026-01-15T10:30:00.378190Z","headers":{"source_service":"api-service"},"payload":{"inquiry_id":1,"execution_id":1,"response":{"approved": true,"comment":"ship it"},"responded_by": null,"responded_at":"2026-01-15T10:30:00.378190Z"}}'::jsonb);
SELECT seq AS head_seq, hash AS head_hash, now() AS head_now FROM attune.audit_chain_head FOR UPDATE \gset
SELECT nextval('attune.inquiry_audit_id_seq') AS audit_id FROM generate_series(1, 1) \gset
INSERT INTO attune.inquiry_audit (id, seq, entity_type, entity_id, inquiry, action, actor_id, actor, occurred, details, hash) VALUES (:audit_id, :head_seq + 1, 'inquiry', NULL, :inquiry_id, 'responded', NULL, 'system', now(), '{"response":{"approved": true,"comment":"ship it"}}'::jsonb, encode(sha256(convert_to((:head_hash)::text || '{"action":"responded","id":' || (:audit_id)::text || '}', 'UTF8')), 'hex'));
UPDATE attune.audit_chain_head SET seq = :head_seq + 1, hash = encode(sha256(convert_to((:head_hash)::text || (:audit_id)::text, 'UTF8')), 'hex'), last_id = :audit_id;
COMMIT;
