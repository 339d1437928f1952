package io.attune.model.message;

import tools.jackson.databind.JsonNode;

public record ExecutionRequested(long executionId, String actionRef, JsonNode parameters) implements MessagePayload {
    @Override
    public MessageType messageType() {
        return MessageType.EXECUTION_REQUESTED;
    }
}
