package io.attune.core.messaging;

import io.attune.model.message.ConsumerQueues;
import io.attune.model.message.MessageType;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Set;

/**
 * Broker names and consumer tuning ({@code attune.amqp.*}). The exchange is {@code attune.executions} and queues are
 * named {@code attune.<service>.<routing key>} unless overridden (tests give every class names of its own).
 *
 * @param prefetch       unacknowledged messages a consumer may hold (the seed suggests 10-20)
 * @param concurrency    consumers per queue in one process
 * @param maxAttempts    tries before a message that keeps failing goes to its dead-letter queue
 * @param retryDelay     the wait before a failed message's second try; each later wait doubles
 * @param maxRetryDelay  the longest wait between two tries
 * @param confirmTimeout how long a publish waits for the broker's confirm
 */
@ConfigurationProperties("attune.amqp")
public record AmqpSettings(String exchange, String queuePrefix, Integer prefetch, Integer concurrency,
                           Integer maxAttempts, Duration retryDelay, Duration maxRetryDelay,
                           Duration confirmTimeout) {

    public AmqpSettings {
        exchange = exchange == null || exchange.isBlank() ? MessageType.EXCHANGE : exchange;
        queuePrefix = queuePrefix == null ? "attune." : queuePrefix;
        prefetch = prefetch == null ? 10 : prefetch;
        concurrency = concurrency == null ? 2 : concurrency;
        maxAttempts = maxAttempts == null ? ConsumerQueues.DEFAULT_MAX_ATTEMPTS : maxAttempts;
        retryDelay = retryDelay == null ? ConsumerQueues.DEFAULT_RETRY_DELAY : retryDelay;
        maxRetryDelay = maxRetryDelay == null ? ConsumerQueues.DEFAULT_MAX_RETRY_DELAY : maxRetryDelay;
        confirmTimeout = confirmTimeout == null ? Duration.ofSeconds(10) : confirmTimeout;
        if (maxAttempts < 1 || retryDelay.isNegative() || retryDelay.isZero() || maxRetryDelay.compareTo(retryDelay) < 0) {
            throw new IllegalArgumentException("attune.amqp: max-attempts must be at least 1, retry-delay positive and "
                    + "max-retry-delay at least retry-delay");
        }
    }

    public String queue(String name) {
        return queuePrefix + name;
    }

    /** The wait after a message's {@code failures}-th failed try. */
    public Duration retryDelay(int failures) {
        return ConsumerQueues.retryDelay(failures, retryDelay, maxRetryDelay);
    }

    /** The distinct waits, each with a delay queue of its own. */
    public Set<Duration> retryDelays() {
        return ConsumerQueues.retryDelays(maxAttempts, retryDelay, maxRetryDelay);
    }

    public static String deadLetterQueue(String queue) {
        return ConsumerQueues.deadLetterQueue(queue);
    }
}
