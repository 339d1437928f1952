package io.attune.testsupport;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.model.message.Messages;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A test's own queue on the broker, bound to the test's exchange, to see what the service under test published. */
public final class BrokerProbe implements AutoCloseable {
    private final Connection connection;
    private final Channel channel;
    private final String queue;

    public BrokerProbe(AttuneTestEnvironment environment, String... routingKeys) {
        try {
            connection = TestServices.get().amqp().connect();
            channel = connection.createChannel();
            channel.exchangeDeclare(environment.namespace().exchange(), "topic", true);
            queue = channel.queueDeclare().getQueue();
            for (String key : routingKeys.length == 0 ? new String[]{"#"} : routingKeys) {
                channel.queueBind(queue, environment.namespace().exchange(), key);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for {@code count} messages (failing after {@code timeout}) and returns them in arrival order. */
    public List<MessageEnvelope<MessagePayload>> take(int count, Duration timeout) {
        List<MessageEnvelope<MessagePayload>> received = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (received.size() < count) {
                GetResponse response = channel.basicGet(queue, true);
                if (response != null) {
                    received.add(Messages.read(response.getBody()));
                } else if (System.nanoTime() > deadline) {
                    throw new AssertionError("expected " + count + " messages, got " + received.size() + ": " + received);
                } else {
                    Thread.sleep(10);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return received;
    }

    /** Everything that arrives within {@code window}. */
    public List<MessageEnvelope<MessagePayload>> drain(Duration window) {
        List<MessageEnvelope<MessagePayload>> received = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                GetResponse response = channel.basicGet(queue, true);
                if (response != null) {
                    received.add(Messages.read(response.getBody()));
                } else {
                    Thread.sleep(10);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return received;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
