package io.attune.core.messaging;

import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;

import java.util.List;

/**
 * Handles several consumed messages at once, all or nothing (typically in one transaction). Returning means every
 * one is done; throwing means none is, and {@link BatchReliableListener} hands each to the one-message handler on
 * its own, so that a message that cannot be handled is retried or dead-lettered alone.
 */
@FunctionalInterface
public interface EnvelopeBatchHandler {
    void handleAll(List<MessageEnvelope<MessagePayload>> envelopes);
}
