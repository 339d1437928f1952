package io.attune.executor.timeout;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code attune.inquiry.*}: how often the timeout checker looks for expired inquiries (approvers expect about a
 * second's precision), how many it times out per transaction, and how many transactions run side by side when
 * many inquiries expire at once (each batch waits on the database more than it works, see docs/benchmarks.md).
 */
@ConfigurationProperties("attune.inquiry")
public record TimeoutSettings(Duration timeoutCheckInterval, Integer timeoutBatchSize, Integer timeoutSweepWorkers) {

    public TimeoutSettings {
        timeoutCheckInterval = timeoutCheckInterval == null ? Duration.ofSeconds(1) : timeoutCheckInterval;
        timeoutBatchSize = timeoutBatchSize == null ? 1000 : timeoutBatchSize;
        timeoutSweepWorkers = timeoutSweepWorkers == null ? 3 : timeoutSweepWorkers;
        if (timeoutCheckInterval.isNegative() || timeoutCheckInterval.isZero()) {
            throw new IllegalArgumentException("attune.inquiry.timeout-check-interval must be positive");
        }
        if (timeoutBatchSize < 1) {
            throw new IllegalArgumentException("attune.inquiry.timeout-batch-size must be at least 1");
        }
        if (timeoutSweepWorkers < 1) {
            throw new IllegalArgumentException("attune.inquiry.timeout-sweep-workers must be at least 1");
        }
    }
}
