package io.attune.executor.workerlost;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code attune.worker-lost.*}: when an execution's worker counts as gone, and how often the executor looks.
 *
 * @param after         how long a lease may go unrenewed before its execution fails with "worker lost"
 *                      ({@code ATTUNE_WORKER_LOST_AFTER}); keep it several times the workers' heartbeat interval
 * @param checkInterval pause between two sweeps ({@code ATTUNE_WORKER_LOST_CHECK_INTERVAL})
 * @param batchSize     executions failed per transaction
 */
@ConfigurationProperties("attune.worker-lost")
public record WorkerLostSettings(Duration after, Duration checkInterval, Integer batchSize) {

    public WorkerLostSettings {
        after = after == null ? Duration.ofSeconds(30) : after;
        checkInterval = checkInterval == null ? Duration.ofSeconds(5) : checkInterval;
        batchSize = batchSize == null ? 100 : batchSize;
        if (after.isNegative() || after.isZero()) {
            throw new IllegalArgumentException("attune.worker-lost.after (ATTUNE_WORKER_LOST_AFTER) must be positive");
        }
        if (checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("attune.worker-lost.check-interval must be positive");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("attune.worker-lost.batch-size must be at least 1");
        }
    }
}
