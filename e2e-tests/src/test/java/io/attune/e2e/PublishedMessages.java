package io.attune.e2e;

import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.testsupport.AttuneTestEnvironment;
import io.attune.testsupport.BrokerProbe;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * Everything the suite publishes on the test's exchange under some routing keys, as an observer on the broker sees
 * it: a {@link BrokerProbe} whose messages are collected as they come.
 */
final class PublishedMessages implements AutoCloseable {
    private final BrokerProbe probe;
    private final List<MessageEnvelope<MessagePayload>> seen = new CopyOnWriteArrayList<>();

    PublishedMessages(AttuneTestEnvironment environment, String... routingKeys) {
        this.probe = new BrokerProbe(environment, routingKeys);
    }

    BrokerProbe probe() {
        return probe;
    }

    /** What arrived so far. */
    synchronized List<MessageEnvelope<MessagePayload>> all() {
        seen.addAll(probe.drain(Duration.ofMillis(50)));
        return List.copyOf(seen);
    }

    /** Waits until a message whose payload is a {@code type} matching {@code matching} arrived, and returns it. */
    <P extends MessagePayload> MessageEnvelope<P> awaitMessage(Class<P> type, Predicate<P> matching, Duration timeout) {
        @SuppressWarnings("unchecked")
        MessageEnvelope<P> found = (MessageEnvelope<P>) await("a " + type.getSimpleName() + " on the broker")
                .atMost(timeout).pollInterval(Duration.ofMillis(10))
                .until(() -> all().stream()
                        .filter(m -> type.isInstance(m.payload()) && matching.test(type.cast(m.payload())))
                        .findFirst().orElse(null), m -> m != null);
        return found;
    }

    /** Every message of {@code type} so far whose payload matches. */
    <P extends MessagePayload> List<P> payloads(Class<P> type, Predicate<P> matching) {
        return all().stream().map(MessageEnvelope::payload).filter(type::isInstance).map(type::cast)
                .filter(matching).toList();
    }

    @Override
    public void close() {
        probe.close();
    }
}
