package io.attune.core.messaging;

import io.attune.model.message.MessageType;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Broker names and consumer tuning ({@code attune.amqp.*}). The exchange is {@code attune.executions} and queues are
 * named {@code attune.<service>.<routing key>} unless overridden (tests give every class names of its own).
 *
 * @param prefetch       unacknowledged messages a consumer may hold (the seed suggests 10-20)
 * @param concurrency    consumers per queue in one process
 * @param maxAttempts    tries before a message that keeps failing goes to its dead-letter queue
 * @param confirmTimeout how long a publish waits for the broker's confirm
 */
@ConfigurationProperties("attune.amqp")
public record AmqpSettings(String exchange, String queuePrefix, Integer prefetch, Integer concurrency,
                           Integer maxAttempts, Duration confirmTimeout) {

    public AmqpSettings {
        exchange = exchange == null || exchange.isBlank() ? MessageType.EXCHANGE : exchange;
        queuePrefix = queuePrefix == null ? "attune." : queuePrefix;
        prefetch = prefetch == null ? 10 : prefetch;
        concurrency = concurrency == null ? 2 : concurrency;
        maxAttempts = maxAttempts == null ? 5 : maxAttempts;
        confirmTimeout = confirmTimeout == null ? Duration.ofSeconds(10) : confirmTimeout;
    }

    public String queue(String name) {
        return queuePrefix + name;
    }

    public static String deadLetterQueue(String queue) {
        return queue + ".dlq";
    }
}
