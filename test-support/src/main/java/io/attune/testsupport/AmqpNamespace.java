package io.attune.testsupport;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.attune.model.message.ConsumerQueues;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exchange and queue names of one test class, so that tests sharing a broker never see each other's messages.
 * Services take them as {@code attune.amqp.exchange} and {@code attune.amqp.queue-prefix}. The exchange, the services'
 * queues under the prefix and any queue registered with {@link #queue(String)} are deleted when the JVM exits, so a
 * shared broker does not fill up with the leftovers of test runs.
 */
public final class AmqpNamespace {
    private static final List<AmqpNamespace> all = new ArrayList<>();

    private final AmqpEndpoint broker;
    private final String id;
    private final List<String> queues = new ArrayList<>();

    private AmqpNamespace(AmqpEndpoint broker, String id) {
        this.broker = broker;
        this.id = id;
    }

    static synchronized AmqpNamespace create(AmqpEndpoint broker) {
        if (all.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(AmqpNamespace::deleteAll, "amqp-namespace-cleanup"));
        }
        AmqpNamespace namespace = new AmqpNamespace(broker,
                "t" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36));
        all.add(namespace);
        return namespace;
    }

    /** The topic exchange standing in for {@code attune.executions}. */
    public String exchange() {
        return "attune.executions." + id;
    }

    /** The prefix standing in for {@code attune.} in queue names. */
    public String queuePrefix() {
        return id + ".";
    }

    /** Remembers a queue name to delete at the end (for queues a service declares under {@link #queuePrefix()}). */
    public synchronized String queue(String suffix) {
        String name = queuePrefix() + suffix;
        queues.add(name);
        return name;
    }

    private static synchronized void deleteAll() {
        if (all.isEmpty()) {
            return;
        }
        try (Connection connection = all.get(0).broker.connect()) {
            for (AmqpNamespace namespace : all) {
                List<String> queues = new ArrayList<>(namespace.queues);
                for (String queue : ConsumerQueues.DURABLE) {
                    queues.addAll(ConsumerQueues.declaredWith(namespace.queuePrefix() + queue));
                }
                for (String queue : queues) {
                    try (Channel channel = connection.createChannel()) {
                        channel.queueDelete(queue);
                    } catch (Exception ignored) {
                        // already gone
                    }
                }
                try (Channel channel = connection.createChannel()) {
                    channel.exchangeDelete(namespace.exchange());
                } catch (Exception ignored) {
                    // never declared
                }
            }
        } catch (Exception ignored) {
            // the broker went away first (embedded mode): nothing is left behind
        }
    }
}
