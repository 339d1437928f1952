package io.attune.worker.action;

import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import tools.jackson.databind.node.ObjectNode;

/** How a run ended: the status and result a worker reports in ExecutionCompleted. */
public record ActionOutcome(ExecutionStatus status, ObjectNode result) {

    public static ActionOutcome completed(ObjectNode result) {
        return new ActionOutcome(ExecutionStatus.COMPLETED, result);
    }

    /** {@code failed} with {@code {"error": error}}; callers may add details to the result. */
    public static ActionOutcome failed(String error) {
        return new ActionOutcome(ExecutionStatus.FAILED, error(error));
    }

    public static ActionOutcome timedOut(String error) {
        return new ActionOutcome(ExecutionStatus.TIMEOUT, error(error));
    }

    private static ObjectNode error(String error) {
        ObjectNode result = Json.object();
        result.put("error", error);
        return result;
    }
}
