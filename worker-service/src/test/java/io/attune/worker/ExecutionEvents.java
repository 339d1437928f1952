package io.attune.worker;

import io.attune.model.message.ExecutionCompleted;
import io.attune.model.message.ExecutionStatusChanged;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.model.message.MessageType;
import io.attune.testsupport.AttuneTestEnvironment;
import io.attune.testsupport.BrokerProbe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * What reached the broker about executions (status changes and completions), picked out by execution, whatever
 * order they arrive in.
 */
public final class ExecutionEvents implements AutoCloseable {
    private final BrokerProbe probe;
    private final List<MessageEnvelope<MessagePayload>> received = new ArrayList<>();

    public ExecutionEvents(AttuneTestEnvironment environment) {
        probe = new BrokerProbe(environment, MessageType.EXECUTION_STATUS_CHANGED.routingKey(),
                MessageType.EXECUTION_COMPLETED.routingKey());
    }

    /** The ExecutionCompleted of the execution, waiting up to {@code timeout} for it. */
    @SuppressWarnings("unchecked")
    public MessageEnvelope<ExecutionCompleted> completion(long executionId, Duration timeout) {
        return (MessageEnvelope<ExecutionCompleted>) (MessageEnvelope<?>) await(
                m -> m.payload() instanceof ExecutionCompleted c && c.executionId() == executionId, timeout,
                "ExecutionCompleted for execution " + executionId);
    }

    /** The next ExecutionStatusChanged of the execution, waiting up to {@code timeout} for it. */
    @SuppressWarnings("unchecked")
    public MessageEnvelope<ExecutionStatusChanged> statusChange(long executionId, Duration timeout) {
        return (MessageEnvelope<ExecutionStatusChanged>) (MessageEnvelope<?>) await(
                m -> m.payload() instanceof ExecutionStatusChanged c && c.executionId() == executionId, timeout,
                "ExecutionStatusChanged for execution " + executionId);
    }

    /** Every message about the execution not taken yet, and those that arrive within {@code window}. */
    public List<MessageEnvelope<MessagePayload>> about(long executionId, Duration window) {
        received.addAll(probe.drain(window));
        List<MessageEnvelope<MessagePayload>> about = new ArrayList<>();
        for (Iterator<MessageEnvelope<MessagePayload>> it = received.iterator(); it.hasNext(); ) {
            MessageEnvelope<MessagePayload> message = it.next();
            if (message.payload().executionId() == executionId) {
                about.add(message);
                it.remove();
            }
        }
        return about;
    }

    private MessageEnvelope<MessagePayload> await(Predicate<MessageEnvelope<MessagePayload>> wanted, Duration timeout,
                                                  String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Iterator<MessageEnvelope<MessagePayload>> it = received.iterator(); it.hasNext(); ) {
                MessageEnvelope<MessagePayload> message = it.next();
                if (wanted.test(message)) {
                    it.remove();
                    return message;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + timeout + "; received " + received);
            }
            received.addAll(probe.drain(Duration.ofMillis(50)));
        }
    }

    @Override
    public void close() {
        probe.close();
    }
}
