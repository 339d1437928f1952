package io.attune.model.rest;

import io.attune.model.ExecutionStatus;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * A workflow execution as people follow it ({@code GET /api/v1/executions/{id}/workflow}): its definition's outline
 * (tasks in order, each with its kind and {@code next} entries), every task run with its status, and every decision
 * taken, oldest first.
 */
public record WorkflowView(long execution, String ref, ExecutionStatus status, JsonNode outline, List<TaskRun> runs,
                           List<Decision> decisions) {

    /** One run of a task: its child execution and that execution's status. */
    public record TaskRun(long id, String task, long execution, ExecutionStatus status, Long causedBy,
                          Instant finished) {
    }

    /** One step: the task that finished, what followed ({@code chosen}: {@code [{"do", "when"}]}) and why. */
    public record Decision(String task, String outcome, JsonNode chosen, String reason, Instant created) {
    }
}
