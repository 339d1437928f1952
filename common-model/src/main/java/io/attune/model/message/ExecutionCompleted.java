package io.attune.model.message;

import io.attune.model.ExecutionStatus;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/** A worker's report; {@code status} is completed, failed or timeout, and {@code result} may hold {@code __inquiry}. */
public record ExecutionCompleted(long executionId, String actionRef, ExecutionStatus status, JsonNode result,
                                 Instant completedAt) implements MessagePayload {
    @Override
    public MessageType messageType() {
        return MessageType.EXECUTION_COMPLETED;
    }
}
