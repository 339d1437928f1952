-- Workflows (docs/workflows.md): a workflow run is an execution whose tasks run as child executions; its state and
-- every decision it took live here, so that a killed executor loses no step and runs none twice.

-- The workflow a task run belongs to; null for an execution started on its own.
ALTER TABLE attune.execution ADD COLUMN parent BIGINT REFERENCES attune.execution (id);
CREATE INDEX idx_execution_parent ON attune.execution (parent, id) WHERE parent IS NOT NULL;

-- The definitions the workers found in their packs (packs/<pack>/workflows/<name>.yaml), valid or not: the api
-- starts a valid one by its ref and refuses an invalid one with the errors a pack author can act on.
CREATE TABLE attune.workflow_definition (
    ref        TEXT PRIMARY KEY,
    file       TEXT        NOT NULL,
    source     TEXT        NOT NULL,
    checksum   TEXT        NOT NULL,
    input      TEXT[]      NOT NULL DEFAULT '{}',
    -- null when valid, else [{"file", "line", "message"}]
    errors     JSONB,
    -- what people are shown: the tasks in order with their kind and their `next` entries (for the web UI)
    outline    JSONB,
    registered TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One per workflow execution, with the definition it started with (a pack changed meanwhile changes no run).
CREATE TABLE attune.workflow_run (
    execution BIGINT PRIMARY KEY REFERENCES attune.execution (id),
    ref       TEXT        NOT NULL,
    file      TEXT        NOT NULL,
    source    TEXT        NOT NULL,
    checksum  TEXT        NOT NULL,
    outline   JSONB,
    created   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One per task run: its child execution, the run whose decision caused it (null: a start task), its result once
-- finished. The unique key records each arrival once: a redelivered step cannot start a task twice.
CREATE TABLE attune.workflow_task_run (
    id        BIGSERIAL PRIMARY KEY,
    workflow  BIGINT      NOT NULL REFERENCES attune.workflow_run (execution),
    task      TEXT        NOT NULL,
    execution BIGINT      NOT NULL UNIQUE REFERENCES attune.execution (id),
    caused_by BIGINT REFERENCES attune.workflow_task_run (id),
    result    JSONB,
    finished  TIMESTAMPTZ,
    created   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT workflow_task_run_once_per_arrival UNIQUE NULLS NOT DISTINCT (workflow, task, caused_by)
);
CREATE INDEX idx_workflow_task_run_active ON attune.workflow_task_run (workflow) WHERE finished IS NULL;

-- Arrivals at a `join: all` task, until every task that names it has arrived and it runs (consumed_by).
CREATE TABLE attune.workflow_join_arrival (
    workflow    BIGINT NOT NULL REFERENCES attune.workflow_run (execution),
    task        TEXT   NOT NULL,
    from_task   TEXT   NOT NULL,
    from_run    BIGINT NOT NULL REFERENCES attune.workflow_task_run (id),
    consumed_by BIGINT REFERENCES attune.workflow_task_run (id),
    PRIMARY KEY (from_run, task)
);
CREATE INDEX idx_workflow_join_waiting ON attune.workflow_join_arrival (workflow, task) WHERE consumed_by IS NULL;

-- What the workflow decided and why, step by step: at most one decision per finished task run.
CREATE TABLE attune.workflow_decision (
    id       BIGSERIAL PRIMARY KEY,
    workflow BIGINT      NOT NULL REFERENCES attune.workflow_run (execution),
    task_run BIGINT UNIQUE REFERENCES attune.workflow_task_run (id),
    task     TEXT,
    -- started, continued, branch_ended, completed, failed, cancelled
    outcome  TEXT        NOT NULL,
    -- the tasks chosen, with the `when` that chose each
    chosen   JSONB       NOT NULL DEFAULT '[]',
    reason   TEXT,
    created  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_workflow_decision_workflow ON attune.workflow_decision (workflow, id);
