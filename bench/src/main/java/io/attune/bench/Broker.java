package io.attune.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.attune.model.message.ConsumerQueues;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.Messages;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's AMQP connection: publishes as a worker does (persistent JSON envelopes, publisher confirms),
 * reports the broker's version, and removes the benchmark's exchange and queues.
 */
public final class Broker implements AutoCloseable {
    /** Messages published but not yet confirmed, at most: enough to keep the broker busy, bounded memory. */
    private static final int WINDOW = 2_000;

    private final Connection connection;

    private Broker(Connection connection) {
        this.connection = connection;
    }

    public static Broker connect(String url) {
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(url);
            String path = java.net.URI.create(url).getPath();
            if (path == null || path.isEmpty() || path.equals("/")) {
                factory.setVirtualHost("/"); // as Spring reads amqp://host:5672/ (the client would take vhost "")
            }
            factory.setConnectionTimeout(5_000);
            return new Broker(factory.newConnection("attune-bench"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect to RabbitMQ: " + e.getMessage(), e);
        }
    }

    /** "RabbitMQ 3.10.8", from the connection's server properties. */
    public String serverVersion() {
        Object product = connection.getServerProperties().get("product");
        Object version = connection.getServerProperties().get("version");
        return (product == null ? "broker" : product.toString()) + " " + (version == null ? "?" : version.toString());
    }

    /** What {@link #publishAll} measured. */
    public record Published(int count, long firstPublishNanos, long lastConfirmNanos, long nacked) {
        public double perSecond() {
            return count / ((lastConfirmNanos - firstPublishNanos) / 1e9);
        }
    }

    /**
     * Publishes every envelope (already serialised, so that only the broker is timed) to {@code exchange} as
     * persistent messages with publisher confirms, keeping up to {@link #WINDOW} unconfirmed; returns once all are
     * confirmed.
     */
    public Published publishAll(String exchange, String routingKey, List<MessageEnvelope<?>> envelopes) {
        List<byte[]> bodies = envelopes.stream().map(Messages::write).toList();
        List<AMQP.BasicProperties> properties = envelopes.stream().map(e -> new AMQP.BasicProperties.Builder()
                .contentType("application/json").contentEncoding("UTF-8").deliveryMode(2)
                .messageId(e.messageId().toString()).correlationId(e.correlationId().toString())
                .type(e.messageType().wireName()).appId("attune-bench").build()).toList();
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            Semaphore window = new Semaphore(WINDOW);
            ConcurrentNavigableMap<Long, Boolean> unconfirmed = new ConcurrentSkipListMap<>();
            AtomicLong nacked = new AtomicLong();
            channel.addConfirmListener((seq, multiple) -> settle(unconfirmed, window, seq, multiple),
                    (seq, multiple) -> nacked.addAndGet(settle(unconfirmed, window, seq, multiple)));
            long first = System.nanoTime();
            for (int i = 0; i < bodies.size(); i++) {
                window.acquire();
                unconfirmed.put(channel.getNextPublishSeqNo(), Boolean.TRUE);
                channel.basicPublish(exchange, routingKey, properties.get(i), bodies.get(i));
            }
            channel.waitForConfirmsOrDie(60_000);
            if (!window.tryAcquire(WINDOW, 10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("publisher confirms did not all arrive");
            }
            return new Published(bodies.size(), first, System.nanoTime(), nacked.get());
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("publishing failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }

    private static int settle(ConcurrentNavigableMap<Long, Boolean> unconfirmed, Semaphore window, long seq,
                              boolean multiple) {
        int settled;
        if (multiple) {
            ConcurrentNavigableMap<Long, Boolean> upTo = unconfirmed.headMap(seq, true);
            settled = upTo.size();
            upTo.clear();
        } else {
            settled = unconfirmed.remove(seq) == null ? 0 : 1;
        }
        window.release(settled);
        return settled;
    }

    /** The queue on which {@link #answerAsWorker} hears requests (in the bench's namespace: deleted afterwards). */
    static final String WORKER_QUEUE = Endpoints.QUEUE_PREFIX + "bench-worker";

    /**
     * Plays a worker that finishes at once: every ExecutionRequested for {@code actionRef} is answered with an
     * ExecutionCompleted ({@code completed}, result {@code {"ok": true}}), so that a figure times what the services
     * do and not an action. Stops when the returned handle is closed.
     */
    public AutoCloseable answerAsWorker(String actionRef) {
        try {
            Channel channel = connection.createChannel();
            channel.exchangeDeclare(Endpoints.EXCHANGE, "topic", true);
            channel.queueDeclare(WORKER_QUEUE, false, false, true, null);
            channel.queueBind(WORKER_QUEUE, Endpoints.EXCHANGE,
                    io.attune.model.message.MessageType.EXECUTION_REQUESTED.routingKey());
            channel.basicQos(200);
            tools.jackson.databind.JsonNode done = io.attune.model.json.Json.tree("{\"ok\": true}");
            String tag = channel.basicConsume(WORKER_QUEUE, false, (consumerTag, delivery) -> {
                MessageEnvelope<?> envelope = Messages.read(delivery.getBody());
                if (envelope.payload() instanceof io.attune.model.message.ExecutionRequested requested
                        && requested.actionRef().equals(actionRef)) {
                    MessageEnvelope<?> completed = MessageEnvelope.of(new io.attune.model.message.ExecutionCompleted(
                            requested.executionId(), actionRef, io.attune.model.ExecutionStatus.COMPLETED, done,
                            java.time.Instant.now()), envelope.correlationId(), "worker-service");
                    channel.basicPublish(Endpoints.EXCHANGE, completed.messageType().routingKey(),
                            new AMQP.BasicProperties.Builder().contentType("application/json")
                                    .contentEncoding("UTF-8").deliveryMode(2)
                                    .messageId(completed.messageId().toString())
                                    .correlationId(completed.correlationId().toString())
                                    .type(completed.messageType().wireName()).appId("attune-bench").build(),
                            Messages.write(completed));
                }
                channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
            }, consumerTag -> { });
            return () -> {
                channel.basicCancel(tag);
                channel.close();
            };
        } catch (IOException e) {
            throw new IllegalStateException("cannot play the worker: " + e.getMessage(), e);
        }
    }

    /** How many consumers a queue has right now. */
    public int consumerCount(String queue) {
        try (Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getConsumerCount();
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot look at queue " + queue + ": " + e.getMessage(), e);
        }
    }

    /** The benchmark's queues (each service queue, its {@code .dlq} and delay queues) and its exchange: gone afterwards. */
    public void deleteBenchNamespace() {
        for (String name : ConsumerQueues.DURABLE) {
            ConsumerQueues.declaredWith(Endpoints.QUEUE_PREFIX + name).forEach(this::deleteQueue);
        }
        try (Channel channel = connection.createChannel()) {
            channel.exchangeDelete(Endpoints.EXCHANGE);
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            System.err.println("  could not delete exchange " + Endpoints.EXCHANGE + ": " + e.getMessage());
        }
    }

    private void deleteQueue(String queue) {
        // a channel of its own: a failed operation closes its channel
        try (Channel channel = connection.createChannel()) {
            channel.queueDelete(queue);
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            System.err.println("  could not delete queue " + queue + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            connection.close(5_000);
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
    }
}
