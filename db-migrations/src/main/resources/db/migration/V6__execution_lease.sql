-- Which worker runs each running execution, and when it last said it was still alive. A worker takes the lease in
-- the transaction that moves the execution requested -> running, renews it every few seconds while the action runs,
-- and gives it up in the transaction that stores the action's outcome (ExecutionCompleted). A lease that has not been
-- renewed for longer than the executors' grace (ATTUNE_WORKER_LOST_AFTER) belongs to a worker that is gone: an
-- executor fails its execution with "worker lost" (docs/worker.md, docs/executor.md).
CREATE TABLE attune.execution_lease (
    execution_id BIGINT PRIMARY KEY REFERENCES attune.execution (id) ON DELETE CASCADE,
    -- who holds it, for people: "<host>/<pid>/<random>" of the worker process
    worker       TEXT        NOT NULL,
    claimed_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    renewed_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The executors' sweep asks for the leases not renewed since a moment, oldest first.
CREATE INDEX idx_execution_lease_renewed ON attune.execution_lease (renewed_at);
