-- One workflow step as WorkflowEngine.onTaskChanged commits it for a chain of actions (docs/workflows.md), statement
-- by statement: the task run of the finished execution, the workflow's row lock, the task run again under it, the
-- child, the run's definition, the task run finished, the decision, the arrival check, the next child execution,
-- its task run and its ExecutionRequested (the outbox), then the status check over the runs and children.
-- Each transaction steps a workflow of its own (bench_pick): workflow :w, its finished child :w + :n, task run :w.
SELECT nextval('bench_pick') AS w \gset
\set child :w + :n
BEGIN;
SELECT id, workflow, task, execution, caused_by, result::text AS result, finished FROM attune.workflow_task_run WHERE execution = :child;
SELECT id, action_ref, parameters::text, status::text, result::text, requested_by, parent, created, updated FROM attune.execution WHERE id = :w FOR UPDATE;
SELECT id, workflow, task, execution, caused_by, result::text AS result, finished FROM attune.workflow_task_run WHERE execution = :child;
SELECT id, action_ref, parameters::text, status::text, result::text, requested_by, parent, created, updated FROM attune.execution WHERE id = :child;
SELECT execution, ref, file, source, checksum, outline::text AS outline FROM attune.workflow_run WHERE execution = :w;
UPDATE attune.workflow_task_run SET result = '{"ok": true}'::jsonb, finished = now() WHERE id = :w AND finished IS NULL;
SELECT id, workflow, task, execution, caused_by, result::text AS result, finished FROM attune.workflow_task_run WHERE workflow = :w ORDER BY id;
INSERT INTO attune.workflow_decision (workflow, task_run, task, outcome, chosen, reason) VALUES (:w, :w, 'step1', 'continued', '[{"do": "step2", "when": null}]'::jsonb, NULL);
SELECT EXISTS (SELECT 1 FROM attune.workflow_task_run WHERE workflow = :w AND task = 'step2' AND caused_by IS NOT DISTINCT FROM :w);
SELECT id, workflow, task, execution, caused_by, result::text AS result, finished FROM attune.workflow_task_run WHERE workflow = :w ORDER BY id;
INSERT INTO attune.execution (action_ref, parameters, requested_by, parent) VALUES ('bench.step', '{"n": 1}'::jsonb, NULL, :w) RETURNING id \gset next_
INSERT INTO attune.workflow_task_run (workflow, task, execution, caused_by) VALUES (:w, 'step2', :next_id, :w) ON CONFLICT ON CONSTRAINT workflow_task_run_once_per_arrival DO NOTHING RETURNING id;
INSERT INTO attune.event (message_id, message_type, routing_key, execution_id, envelope) VALUES (gen_random_uuid(), 'ExecutionRequested', 'execution.requested', :next_id, '{"message_id":"56e80337-e230-429a-9aad-3c5317c4e39c","correlation_id":"1d47fed3-49b5-41ad-be2d-49067ec5e718","message_type":"ExecutionRequested","version":"1.0","timestamp":"2026-01-15T10:30:00.378190Z","headers":{"source_service":"executor-service"},"payload":{"execution_id":1,"action_ref":"bench.step","parameters":{"n":1}}}'::jsonb);
SELECT id, workflow, task, execution, caused_by, result::text AS result, finished FROM attune.workflow_task_run WHERE workflow = :w ORDER BY id;
SELECT id, action_ref, parameters::text, status::text, result::text, requested_by, parent, created, updated FROM attune.execution WHERE parent = :w ORDER BY id;
COMMIT;
