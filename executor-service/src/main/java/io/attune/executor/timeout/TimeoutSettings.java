package io.attune.executor.timeout;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code attune.inquiry.*}: how often the timeout checker looks for expired inquiries (approvers expect about a
 * second's precision), how many it times out per transaction, and how many of those transactions run side by side
 * (the escalation sweep shares all three).
 */
@ConfigurationProperties("attune.inquiry")
public record TimeoutSettings(Duration timeoutCheckInterval, Integer timeoutBatchSize, Integer timeoutBatchesInFlight) {

    public TimeoutSettings {
        timeoutCheckInterval = timeoutCheckInterval == null ? Duration.ofSeconds(1) : timeoutCheckInterval;
        timeoutBatchSize = timeoutBatchSize == null ? 1000 : timeoutBatchSize;
        timeoutBatchesInFlight = timeoutBatchesInFlight == null ? 2 : timeoutBatchesInFlight;
        if (timeoutCheckInterval.isNegative() || timeoutCheckInterval.isZero()) {
            throw new IllegalArgumentException("attune.inquiry.timeout-check-interval must be positive");
        }
        if (timeoutBatchSize < 1) {
            throw new IllegalArgumentException("attune.inquiry.timeout-batch-size must be at least 1");
        }
        if (timeoutBatchesInFlight < 1) {
            throw new IllegalArgumentException("attune.inquiry.timeout-batches-in-flight must be at least 1");
        }
    }
}
