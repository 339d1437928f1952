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
 * @param delayQueues    whether failed messages wait out their delay in delay queues (per-queue TTL dead-lettering
 *                       back to the consumer's queue); off for a broker without TTL and dead-lettering (the embedded
 *                       Qpid broker), where a retry goes straight to the tail of its queue
 * @param batchSize      most messages a batching consumer ({@link Consumers#batchContainer}) handles in one go
 * @param batchWait      how long a batching consumer waits for more messages once it has one: what a lone message
 *                       may be delayed by, and how often an idle batching consumer looks at its queue
 */
@ConfigurationProperties("attune.amqp")
public record AmqpSettings(String exchange, String queuePrefix, Integer prefetch, Integer concurrency,
                           Integer maxAttempts, Duration retryDelay, Duration maxRetryDelay,
                           Duration confirmTimeout, Boolean delayQueues, Integer batchSize, Duration batchWait) {

    public AmqpSettings {
        exchange = exchange == null || exchange.isBlank() ? MessageType.EXCHANGE : exchange;
        queuePrefix = queuePrefix == null ? "attune." : queuePrefix;
        prefetch = prefetch == null ? 10 : prefetch;
        concurrency = concurrency == null ? 2 : concurrency;
        maxAttempts = maxAttempts == null ? ConsumerQueues.DEFAULT_MAX_ATTEMPTS : maxAttempts;
        retryDelay = retryDelay == null ? ConsumerQueues.DEFAULT_RETRY_DELAY : retryDelay;
        maxRetryDelay = maxRetryDelay == null ? ConsumerQueues.DEFAULT_MAX_RETRY_DELAY : maxRetryDelay;
        confirmTimeout = confirmTimeout == null ? Duration.ofSeconds(10) : confirmTimeout;
        delayQueues = delayQueues == null || delayQueues;
        batchSize = batchSize == null ? 20 : batchSize;
        batchWait = batchWait == null ? Duration.ofMillis(5) : batchWait;
        if (batchSize < 1 || batchWait.isNegative() || batchWait.isZero()) {
            throw new IllegalArgumentException("attune.amqp: batch-size must be at least 1 and batch-wait positive");
        }
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

    /** The distinct waits, each with a delay queue of its own; none when delay queues are off. */
    public Set<Duration> retryDelays() {
        return delayQueues ? ConsumerQueues.retryDelays(maxAttempts, retryDelay, maxRetryDelay) : Set.of();
    }

    public static String deadLetterQueue(String queue) {
        return ConsumerQueues.deadLetterQueue(queue);
    }
}
