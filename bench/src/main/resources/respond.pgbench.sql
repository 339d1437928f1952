-- One answer as InquiryTransitions.respond commits it, statement by statement: the inquiry read, the timeout check,
-- the conditional update that decides the winner, the audit entry (as before the chain: a plain insert) and the
-- InquiryResponded event. Each transaction answers a pending inquiry of its own (bench_pick, consecutive ids).
-- Compare with respond-chained.pgbench.sql (docs/benchmarks.md, "The audit chain").
SELECT nextval('bench_pick') AS inquiry_id \gset
BEGIN;
SELECT id, execution, status::text AS status, assigned_to, timeout_at FROM attune.inquiry WHERE id = :inquiry_id;
SELECT timeout_at IS NOT NULL AND timeout_at <= now() AS past FROM attune.inquiry WHERE id = :inquiry_id;
UPDATE attune.inquiry SET status = 'responded', response = '{"approved": true,"comment":"ship it"}'::jsonb, responded_by = NULL, responded_at = now() WHERE id = :inquiry_id AND status = 'pending' AND (timeout_at IS NULL OR timeout_at > now()) RETURNING id, execution, responded_at;
INSERT INTO attune.inquiry_audit (inquiry, action, actor_id, actor, details) VALUES (:inquiry_id, 'responded', NULL, 'system', '{"response":{"approved": true,"comment":"ship it"}}'::jsonb);
INSERT INTO attune.event (message_id, message_type, routing_key, execution_id, inquiry_id, envelope) VALUES (gen_random_uuid(), 'InquiryResponded', 'inquiry.responded', :inquiry_id, :inquiry_id, '{"message_id":"56e80337-e230-429a-9aad-3c5317c4e39c","correlation_id":"1d47fed3-49b5-41ad-be2d-49067ec5e718","message_type":"InquiryResponded","version":"1.0","timestamp":"2026-01-15T10:30:00.378190Z","headers":{"source_service":"api-service"},"payload":{"inquiry_id":1,"execution_id":1,"response":{"approved": true,"comment":"ship it"},"responded_by": null,"responded_at":"2026-01-15T10:30:00.378190Z"}}'::jsonb);
COMMIT;
