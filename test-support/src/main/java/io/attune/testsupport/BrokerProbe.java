package io.attune.testsupport;

import com.rabbitmq.client.AMQP;
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
import java.util.function.Predicate;

/**
 * A test's own queue on the broker, bound to the test's exchange, to see what the service under test published; it
 * also publishes to that exchange (as a worker or another service would) and reads any queue (a dead-letter queue).
 */
public final class BrokerProbe implements AutoCloseable {
    private final Connection connection;
    private final Channel channel;
    private final String exchange;
    private final String queue;

    public BrokerProbe(AttuneTestEnvironment environment, String... routingKeys) {
        try {
            connection = TestServices.get().amqp().connect();
            channel = connection.createChannel();
            exchange = environment.namespace().exchange();
            channel.exchangeDeclare(exchange, "topic", true);
            queue = channel.queueDeclare().getQueue();
            for (String key : routingKeys.length == 0 ? new String[]{"#"} : routingKeys) {
                channel.queueBind(queue, exchange, key);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for {@code count} messages (failing after {@code timeout}) and returns them in arrival order. */
    public List<MessageEnvelope<MessagePayload>> take(int count, Duration timeout) {
        return poll(queue, count, timeout, true).stream().map(r -> Messages.read(r.getBody())).toList();
    }

    /**
     * Waits for the first message that matches, passing over others (events that a previous test of the class caused
     * may still arrive: the relay publishes after commit, asynchronously).
     */
    public MessageEnvelope<MessagePayload> takeMatching(Predicate<MessageEnvelope<MessagePayload>> matching,
                                                        Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<MessageEnvelope<MessagePayload>> passedOver = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching message; passed over: " + passedOver);
            }
            MessageEnvelope<MessagePayload> message;
            try {
                message = take(1, Duration.ofNanos(left)).get(0);
            } catch (AssertionError e) {
                throw new AssertionError("no matching message; passed over: " + passedOver, e);
            }
            if (matching.test(message)) {
                return message;
            }
            passedOver.add(message);
        }
    }

    /** Everything that arrives within {@code window}. */
    public List<MessageEnvelope<MessagePayload>> drain(Duration window) {
        return poll(queue, Integer.MAX_VALUE, window, false).stream().map(r -> Messages.read(r.getBody())).toList();
    }

    /** Publishes an enveloped message to the test's exchange under its routing key, persistent, as JSON. */
    public void publish(MessageEnvelope<?> envelope) {
        publish(envelope.routingKey(), Messages.write(envelope));
    }

    /** Publishes any bytes (a malformed message, say) to the test's exchange, persistent, as JSON. */
    public void publish(String routingKey, byte[] body) {
        try {
            channel.basicPublish(exchange, routingKey, new AMQP.BasicProperties.Builder()
                    .contentType("application/json").deliveryMode(2).build(), body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for {@code count} raw messages (body and headers) on any queue, a dead-letter queue say, taking them. */
    public List<GetResponse> takeFrom(String queueName, int count, Duration timeout) {
        return poll(queueName, count, timeout, true);
    }

    /** How many messages wait, ready, on a queue. */
    public long depth(String queueName) {
        try {
            return channel.messageCount(queueName);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Takes messages from {@code queueName} until {@code count} arrived or {@code timeout} passed; when time runs
     * out first, that is a failed assertion if {@code exactly}, else the answer.
     */
    private List<GetResponse> poll(String queueName, int count, Duration timeout, boolean exactly) {
        List<GetResponse> received = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (received.size() < count) {
                GetResponse response = channel.basicGet(queueName, true);
                if (response != null) {
                    received.add(response);
                } else if (System.nanoTime() > deadline) {
                    if (exactly) {
                        throw new AssertionError("expected " + count + " messages on " + queueName + ", got "
                                + received.size() + ": " + received.stream()
                                .map(r -> new String(r.getBody(), java.nio.charset.StandardCharsets.UTF_8)).toList());
                    }
                    break;
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
