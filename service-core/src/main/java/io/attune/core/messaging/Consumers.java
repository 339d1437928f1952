package io.attune.core.messaging;

import io.attune.core.background.DaemonThreads;
import io.attune.model.message.ConsumerQueues;
import io.attune.model.message.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Builds the durable, manually acknowledged consumers of the suite: a queue {@code <prefix><name>} bound to the
 * exchange for the given message types, its dead-letter queue {@code <prefix><name>.dlq}, its delay queues for
 * retries, and a listener container running a {@link ReliableListener}. Services declare both results as beans;
 * Spring's RabbitAdmin declares the queues whenever a connection opens, so a broker that is down at start-up or
 * restarts later is handled.
 * <p>
 * No {@link Throwable} stops a container or the JVM: the listener handles everything a message can cause, the
 * container's error handler logs what is left, and an {@code Error} that still reaches the container (which Spring
 * AMQP answers by default with {@code System.exit}) is logged and the container, stopped by it, started again.
 */
@Component
public class Consumers {
    private static final Logger log = LoggerFactory.getLogger(Consumers.class);
    private static final Duration RESTART_DELAY = Duration.ofSeconds(1);
    private static final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("consumer-restart-"));

    private final AmqpSettings settings;
    private final TopicExchange exchange;
    private final ConnectionFactory connectionFactory;
    private final RabbitTemplate publisher;

    public Consumers(AmqpSettings settings, TopicExchange exchange, ConnectionFactory connectionFactory,
                     RabbitTemplate publisher) {
        this.settings = settings;
        this.exchange = exchange;
        this.connectionFactory = connectionFactory;
        this.publisher = publisher;
    }

    /** The queue, its dead-letter queue, its delay queues and the bindings of a consumer called {@code name}. */
    public Declarables declarables(String name, MessageType... types) {
        String queueName = settings.queue(name);
        Queue queue = new Queue(queueName, true, false, false);
        List<Declarable> declarables = new ArrayList<>();
        declarables.add(queue);
        declarables.add(new Queue(AmqpSettings.deadLetterQueue(queueName), true, false, false));
        for (Duration delay : settings.retryDelays()) {
            // no consumer: a message waits out the queue's time-to-live, then dead-letters back to the consumer's queue
            declarables.add(QueueBuilder.durable(ConsumerQueues.retryQueue(queueName, delay))
                    .ttl((int) delay.toMillis())
                    .deadLetterExchange("")
                    .deadLetterRoutingKey(queueName)
                    .build());
        }
        for (MessageType type : types) {
            Binding binding = BindingBuilder.bind(queue).to(exchange).with(type.routingKey());
            declarables.add(binding);
        }
        return new Declarables(declarables);
    }

    /** The listener container of a consumer called {@code name}, with the configured prefetch and concurrency. */
    public SimpleMessageListenerContainer container(String name, EnvelopeHandler handler) {
        String queueName = settings.queue(name);
        SimpleMessageListenerContainer container = manuallyAcknowledged(queueName);
        container.setMessageListener(new ReliableListener(queueName, handler, publisher, settings));
        return neverStopped(container, queueName);
    }

    /**
     * A container like {@link #container}'s whose consumers take what has arrived together, up to
     * {@code batch-size} messages, and hand it to {@code batchHandler} at once ({@link BatchReliableListener});
     * {@code handler} handles a lone message, and each message of a batch that failed. A consumer waits at most
     * {@code batch-wait} for a batch to fill, so a lone message is delayed by no more than that; it looks at its
     * queue that often when idle too, so there is one consumer while the queue is idle and up to
     * {@code concurrency} while it keeps them busy.
     */
    public SimpleMessageListenerContainer batchContainer(String name, EnvelopeHandler handler,
                                                         EnvelopeBatchHandler batchHandler) {
        String queueName = settings.queue(name);
        SimpleMessageListenerContainer container = manuallyAcknowledged(queueName);
        container.setPrefetchCount(Math.max(settings.prefetch(), settings.batchSize()));
        container.setConsumerBatchEnabled(true);
        container.setBatchSize(settings.batchSize());
        container.setReceiveTimeout(settings.batchWait().toMillis());
        container.setBatchReceiveTimeout(settings.batchWait().toMillis());
        // a batching consumer looks at its queue every batch-wait even when idle: one while idle, more (up to the
        // configured concurrency) once the queue keeps them busy, back to one after a minute without work
        container.setConcurrentConsumers(1);
        container.setMaxConcurrentConsumers(settings.concurrency());
        container.setStartConsumerMinInterval(1_000);
        container.setMessageListener(new BatchReliableListener(queueName, batchHandler,
                new ReliableListener(queueName, handler, publisher, settings)));
        return neverStopped(container, queueName);
    }

    /** A container on the queue with manual acknowledgement, the configured prefetch and concurrency, no listener. */
    private SimpleMessageListenerContainer manuallyAcknowledged(String queueName) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(queueName);
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setPrefetchCount(settings.prefetch());
        container.setConcurrentConsumers(settings.concurrency());
        container.setMissingQueuesFatal(false);
        container.setDefaultRequeueRejected(true);
        return container;
    }

    /**
     * Sets a container's error handlers so that nothing a message causes stops it for good or stops the JVM: a
     * listener's failure is logged; an {@code Error} in a consumer thread — which Spring AMQP answers by default with
     * {@code System.exit} — is logged and the container, stopped by it, started again. Every container of the suite
     * goes through here.
     */
    public static SimpleMessageListenerContainer neverStopped(SimpleMessageListenerContainer container, String name) {
        container.setErrorHandler(failure -> log.error("{}: a message's failure escaped its handling", name, failure));
        container.setJavaLangErrorHandler(error -> {
            log.error("{}: {} reached the listener container; restarting it", name, error.toString());
            restartWhenStopped(container, name, 30);
        });
        return container;
    }

    /** The container stops itself after an aborted consumer; start it again once it has. */
    private static void restartWhenStopped(SimpleMessageListenerContainer container, String queueName, int looks) {
        if (looks == 0) {
            return;
        }
        restarts.schedule(() -> {
            if (container.isRunning()) {
                // still stopping (or it did not stop): look again
                restartWhenStopped(container, queueName, looks - 1);
                return;
            }
            try {
                container.start();
                log.info("{}: listener container restarted", queueName);
            } catch (RuntimeException e) {
                log.warn("{}: listener container could not restart yet: {}", queueName, e.toString());
                restartWhenStopped(container, queueName, looks - 1);
            }
        }, RESTART_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }
}
