package io.attune.model;

import io.attune.model.json.Json;
import io.attune.model.message.ExecutionCompleted;
import io.attune.model.message.ExecutionRequested;
import io.attune.model.message.ExecutionStatusChanged;
import io.attune.model.message.InquiryCancelled;
import io.attune.model.message.InquiryCreated;
import io.attune.model.message.InquiryResponded;
import io.attune.model.message.InquiryTimedOut;
import io.attune.model.message.MalformedMessageException;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.model.message.MessageType;
import io.attune.model.message.Messages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessagesTest {
    private static final Instant AT = Instant.parse("2026-01-15T10:30:00Z");

    static List<MessagePayload> everyPayload() {
        return List.of(
                new ExecutionRequested(42, "examples.deploy_approval", Json.tree("{\"service\":\"api\"}")),
                new ExecutionCompleted(42, "examples.deploy_approval", ExecutionStatus.COMPLETED,
                        Json.tree("{\"__inquiry\":{\"prompt\":\"Deploy?\"}}"), AT),
                new ExecutionStatusChanged(42, ExecutionStatus.RUNNING, ExecutionStatus.PAUSED, Json.tree("{}")),
                new InquiryCreated(7, 42, "Deploy?", Json.tree("{\"type\":\"object\"}"), null, AT),
                new InquiryResponded(7, 42, Json.tree("{\"approved\":true}"), 5L, AT),
                new InquiryTimedOut(7, 42, AT),
                new InquiryCancelled(7, 42, 1L));
    }

    @ParameterizedTest
    @MethodSource("everyPayload")
    void everyMessageTypeSurvivesTheWire(MessagePayload payload) {
        MessageEnvelope<MessagePayload> sent = MessageEnvelope.of(payload, UUID.randomUUID(), "test");
        MessageEnvelope<MessagePayload> received = Messages.read(Messages.write(sent));
        assertThat(received).isEqualTo(sent);
        assertThat(received.routingKey()).isEqualTo(payload.messageType().routingKey());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json at all",
            "[1,2,3]",
            "{\"message_type\":\"InquiryResponded\",\"message_id\":\"" + "0b7c3f0e-6f1a-4a51-9a8e-2f8f4c1d2e3a" + "\"}",
            "{\"message_type\":\"Nope\",\"message_id\":\"0b7c3f0e-6f1a-4a51-9a8e-2f8f4c1d2e3a\",\"payload\":{}}",
            "{\"message_type\":\"InquiryTimedOut\",\"message_id\":\"x\",\"payload\":{\"execution_id\":1}}",
            "{\"message_type\":\"InquiryTimedOut\",\"message_id\":\"0b7c3f0e-6f1a-4a51-9a8e-2f8f4c1d2e3a\","
                    + "\"payload\":{\"inquiry_id\":1}}",
            "{\"message_type\":\"InquiryTimedOut\",\"message_id\":\"0b7c3f0e-6f1a-4a51-9a8e-2f8f4c1d2e3a\","
                    + "\"payload\":{\"execution_id\":1,\"timeout_at\":\"yesterday\"}}"
    })
    void malformedMessagesAreRecognisedAsSuch(String body) {
        assertThatThrownBy(() -> Messages.read(body)).isInstanceOf(MalformedMessageException.class);
    }

    @org.junit.jupiter.api.Test
    void routingKeysAreTheContractOnes() {
        assertThat(List.of(MessageType.values())).extracting(MessageType::routingKey).containsExactly(
                "execution.requested", "execution.completed", "execution.status.changed", "inquiry.created",
                "inquiry.responded", "inquiry.timeout", "inquiry.cancelled", "inquiry.escalated", "inquiry.updated",
                "inquiry.reminder");
    }
}
