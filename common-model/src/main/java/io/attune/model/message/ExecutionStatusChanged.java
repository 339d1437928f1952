package io.attune.model.message;

import io.attune.model.ExecutionStatus;
import tools.jackson.databind.JsonNode;

public record ExecutionStatusChanged(long executionId, ExecutionStatus previousStatus, ExecutionStatus status,
                                     JsonNode result) implements MessagePayload {
    @Override
    public MessageType messageType() {
        return MessageType.EXECUTION_STATUS_CHANGED;
    }
}
