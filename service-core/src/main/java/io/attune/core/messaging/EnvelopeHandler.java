package io.attune.core.messaging;

import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;

/**
 * Handles one consumed message. Returning means done (the message is acknowledged); throwing means not done — see
 * {@link ReliableListener} for what happens next.
 */
@FunctionalInterface
public interface EnvelopeHandler {
    void handle(MessageEnvelope<MessagePayload> envelope);
}
